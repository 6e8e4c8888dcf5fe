// The shell: navigation, global search, page controls, theme, the live-feed indicator and the
// warm-up banner around whichever page the route opens.
import type { FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { warming } from './app/api';
import { feedStatus } from './app/live-feed';
import { theme, toggleTheme } from './app/prefs';
import { NAV, redirectTarget, resolve, type PageProps } from './app/routes';
import { href, route } from './app/router';
import { serverState } from './app/server-state';
import { RegionPicker, WindowPicker } from './components/controls';
import { GlobalSearch } from './components/search';

function WarmupBanner() {
  const s = serverState.value;
  const computing = warming.value.size > 0;
  if (s.unreachable)
    return (
      <div class="banner banner-warn" role="status">
        The meshlens server cannot be reached. Retrying…
      </div>
    );
  if (s.ready === false) {
    const pct = s.progress === null ? null : Math.round(s.progress * 100);
    return (
      <div class="banner banner-info" role="status" data-warmup="loading">
        meshlens is loading its store{pct === null ? '…' : `: ${pct} %`}
        {pct !== null ? <progress max={100} value={pct} aria-label="Store loading progress" /> : null}
        <span class="muted"> Pages fill in by themselves when it is ready.</span>
      </div>
    );
  }
  if (s.degraded)
    return (
      <div class="banner banner-warn" role="status" data-warmup="degraded">
        {s.degraded}
      </div>
    );
  if (computing)
    return (
      <div class="banner banner-info" role="status" data-warmup="computing">
        Computing… this view fills in by itself in a few seconds.
      </div>
    );
  return null;
}

function FeedIndicator() {
  const s = feedStatus.value;
  const text = s === 'open' ? 'Live' : s === 'connecting' ? 'Connecting' : 'Offline, reconnecting';
  return (
    <span
      class={`feed feed-${s}`}
      role="status"
      aria-live="polite"
      title={`Live feed: ${text}`}
      data-feed={s}
    >
      <span aria-hidden="true">{s === 'open' ? '●' : s === 'connecting' ? '◌' : '○'}</span> {text}
    </span>
  );
}

function Nav({ current }: { current: string }) {
  const [more, setMore] = useState(false);
  return (
    <nav class="nav" aria-label="Main">
      <ul>
        {NAV.map((n) => (
          <li class={n.primary ? 'nav-primary' : 'nav-secondary'}>
            <a href={href(n.path)} aria-current={n.ids.includes(current) ? 'page' : undefined}>
              {n.label}
            </a>
          </li>
        ))}
        <li class="nav-more">
          <button type="button" aria-expanded={more} onClick={() => setMore(!more)}>
            More
          </button>
          {more ? (
            <ul class="nav-sheet" onClick={() => setMore(false)}>
              {NAV.filter((n) => !n.primary).map((n) => (
                <li>
                  <a href={href(n.path)} aria-current={n.ids.includes(current) ? 'page' : undefined}>
                    {n.label}
                  </a>
                </li>
              ))}
            </ul>
          ) : null}
        </li>
      </ul>
    </nav>
  );
}

function NotFound({ path }: { path: string }) {
  return (
    <section class="page" data-page="not-found" data-loaded="true">
      <h1 tabIndex={-1}>Not found</h1>
      <p>
        There is no page at <code>#/{path}</code>. <a href={href('home')}>Go to Home</a>.
      </p>
    </section>
  );
}

/** Loads the route's page chunk and keeps the last page shown until the next one is ready. */
function usePage(id: string, load: (() => Promise<{ default: FunctionComponent<PageProps> }>) | null) {
  const [page, setPage] = useState<{ id: string; C: FunctionComponent<PageProps> } | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    if (!load) return;
    let live = true;
    load()
      .then((m) => live && setPage({ id, C: m.default }))
      .catch((e: Error) => live && setFailed(e.message));
    return () => {
      live = false;
    };
  }, [id]);
  return { page: page?.id === id ? page.C : null, failed };
}

export function App() {
  const r = route.value;
  const resolved = resolve(r);
  useEffect(() => {
    if (resolved.redirect) location.replace(redirectTarget(resolved.redirect, r.params));
  }, [resolved.redirect]);
  const { page: PageC, failed } = usePage(resolved.id, resolved.load);
  return (
    <>
      <a
        class="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to content
      </a>
      <header class="topbar">
        <a class="brand" href={href('home')} aria-label="meshlens home">
          <img src="/favicon.svg" alt="" width={24} height={24} />
          <span>meshlens</span>
        </a>
        <Nav current={resolved.id} />
        <div class="topbar-tools">
          <GlobalSearch />
          <RegionPicker />
          <WindowPicker />
          <FeedIndicator />
          <button
            type="button"
            class="theme-toggle"
            onClick={toggleTheme}
            aria-label={`Switch to ${theme.value === 'dark' ? 'light' : 'dark'} theme`}
          >
            {theme.value === 'dark' ? '☀' : '☾'}
          </button>
        </div>
      </header>
      <WarmupBanner />
      <main id="main" tabIndex={-1}>
        {resolved.id === 'not-found' ? <NotFound path={r.path} /> : null}
        {failed ? (
          <p class="state state-error" role="alert">
            This page failed to load: {failed}
          </p>
        ) : null}
        {PageC ? <PageC route={r} args={resolved.args} /> : null}
      </main>
    </>
  );
}
