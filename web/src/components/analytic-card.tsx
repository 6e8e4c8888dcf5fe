// The frame of every analytics chart or table: its title, how fresh its snapshot is ("computed
// 4 s ago", ticking), a progress state while the analytic warms up (never an error), the
// server's message on a real error, and a short "How this is computed" note. Cards report
// whether they show data to the nearest LoadGate, which sets the page's data-loaded marker.
import { signal } from '@preact/signals';
import { createContext, type ComponentChildren } from 'preact';
import { useCallback, useContext, useEffect, useRef } from 'preact/hooks';
import type { AnalyticState } from '../app/use-analytic';
import { param } from '../app/router';
import { useApi } from '../app/use-api';
import { DataState } from './page';

// ---- a one-second clock shared by every freshness label ---------------------------------
const nowMs = signal(Date.now());
let tickers = 0;
let tickTimer: ReturnType<typeof setInterval> | null = null;
function useTicker(): void {
  useEffect(() => {
    if (tickers++ === 0) tickTimer = setInterval(() => (nowMs.value = Date.now()), 1000);
    return () => {
      if (--tickers === 0 && tickTimer !== null) clearInterval(tickTimer);
    };
  }, []);
}

export function ageText(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  return h < 48 ? `${h} h ${m % 60} min` : `${Math.floor(h / 24)} d`;
}

/** "computed 4 s ago", from the snapshot time; the exact time in the title. */
export function Freshness({ computedAt }: { computedAt: number | null }) {
  useTicker();
  if (computedAt === null) return null;
  const age = nowMs.value - computedAt;
  return (
    <span
      class="freshness muted"
      title={new Date(computedAt).toISOString()}
      data-computed-at={String(computedAt)}
    >
      computed {ageText(age)} ago
    </span>
  );
}

interface AnalyticsStat {
  name: string;
  warmingUp: boolean;
}

/** An analytic that has no snapshot yet: how long we have waited, and how far the server is. */
export function WarmingState({ sinceMs, retryAfterS }: { sinceMs: number; retryAfterS: number }) {
  useTicker();
  // The server's own progress: how many analytics have their first snapshot (polled while shown).
  const { data } = useApi<{ analytics?: { analytics?: AnalyticsStat[] }; ready?: boolean }>('/health', {
    refreshMs: 2000,
  });
  const list = data?.analytics?.analytics ?? [];
  const ready = list.filter((a) => !a.warmingUp).length;
  return (
    <div class="state state-warming" role="status" data-state="warming">
      <p>
        Computing the first snapshot of this analytic… (waiting {ageText(nowMs.value - sinceMs)}; next check
        in ≤ {Math.min(5, Math.max(1, retryAfterS))} s)
      </p>
      {list.length > 0 ? (
        <p class="muted">
          <progress max={list.length} value={ready} aria-label="Analytics with a first snapshot" /> {ready} of{' '}
          {list.length} analytics ready{data?.ready === false ? ' · the store is still loading' : ''}
        </p>
      ) : (
        <progress aria-label="Computing" />
      )}
    </div>
  );
}

/** The method behind a chart, and where meshlens deliberately differs from the reference. */
export function HowComputed({ children }: { children: ComponentChildren }) {
  return (
    <details class="how">
      <summary>How this is computed</summary>
      <div class="how-body">{children}</div>
    </details>
  );
}

// ---- load gate: the page is "loaded" when every card in it shows data -------------------
type Report = (id: string, ready: boolean | null) => void;
const LoadCtx = createContext<Report | null>(null);

/** Collects the readiness of the cards below it; `onLoaded(true)` once all of them have data. */
export function LoadGate({
  onLoaded,
  children,
}: {
  onLoaded: (v: boolean) => void;
  children: ComponentChildren;
}) {
  const cards = useRef(new Map<string, boolean>());
  const report = useCallback<Report>(
    (id, ready) => {
      if (ready === null) cards.current.delete(id);
      else cards.current.set(id, ready);
      onLoaded(cards.current.size > 0 && [...cards.current.values()].every(Boolean));
    },
    [onLoaded],
  );
  return <LoadCtx.Provider value={report}>{children}</LoadCtx.Provider>;
}

/** A component's readiness, reported to the nearest LoadGate (no-op without one). */
export function useLoadReport(id: string, ready: boolean): void {
  const report = useContext(LoadCtx);
  useEffect(() => {
    report?.(id, ready);
  }, [report, id, ready]);
  useEffect(() => () => report?.(id, null), [report, id]);
}

export interface AnalyticCardProps<T> {
  /** Anchor id (the URL's `section=` scrolls here) and the test hook `data-card`. */
  id: string;
  title: ComponentChildren;
  state: AnalyticState<T>;
  how: ComponentChildren;
  wide?: boolean;
  /** True when the data has nothing to show (the card then says so). */
  empty?: (data: T) => boolean;
  emptyText?: string;
  actions?: ComponentChildren;
  children: (data: T) => ComponentChildren;
}

export function AnalyticCard<T>(p: AnalyticCardProps<T>) {
  const { state } = p;
  const ref = useRef<HTMLElement>(null);
  const hasData = state.data !== null;
  useLoadReport(p.id, hasData || state.error !== null);
  // Deep link `section=<id>`: scroll here once the data is in.
  const section = param('section');
  const scrolled = useRef(false);
  useEffect(() => {
    if (hasData && section === p.id && !scrolled.current) {
      scrolled.current = true;
      ref.current?.scrollIntoView({ block: 'start' });
    }
  }, [hasData, section]);
  let body: ComponentChildren;
  if (state.data !== null) {
    body = p.empty?.(state.data) ? <DataState empty emptyText={p.emptyText} /> : p.children(state.data);
  } else if (state.warming) body = <WarmingState {...state.warming} />;
  else body = <DataState loading={state.loading} error={state.error} />;
  return (
    <section
      ref={ref}
      id={p.id}
      class={`card acard${p.wide ? ' card-wide' : ''}`}
      aria-labelledby={`${p.id}-title`}
      data-card={p.id}
      data-version={String(state.version)}
      data-state={
        state.data !== null ? 'ready' : state.warming ? 'warming' : state.error ? 'error' : 'loading'
      }
    >
      <header class="acard-head">
        <h2 id={`${p.id}-title`} class="acard-title">
          {p.title}
        </h2>
        <Freshness computedAt={state.data !== null ? state.computedAt : null} />
        {p.actions ? <div class="acard-actions">{p.actions}</div> : null}
      </header>
      {state.error && state.data !== null ? (
        <p class="state state-error" role="alert">
          Refresh failed: {state.error.message} (showing the previous snapshot)
        </p>
      ) : null}
      <div class="acard-body">{body}</div>
      <HowComputed>{p.how}</HowComputed>
    </section>
  );
}
