// The analytics dashboard (spec frontend §3): sixteen tabs, each a lazily loaded module, under
// shared controls (region, area, window) that show only where the tab's analytics take them.
// All state is in the URL (`tab`, `window`, `region`, `area`, `section`). Each tab is wrapped
// in a LoadGate, so the page's data-loaded marker turns true when every card of the tab shows
// its data.
import type { FunctionComponent } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { PageProps } from '../../app/routes';
import { href, setParams } from '../../app/router';
import { useApi } from '../../app/use-api';
import { LoadGate } from '../../components/analytic-card';
import { useRegion } from '../../components/controls';
import { Page } from '../../components/page';
import '../../styles/analytics.css';
import type { Control, TabProps } from './context';
import { TABS, tabById } from './tabs';

/** The dashboard's windows: every value the analytics routes take (and the shell's picker offers). */
const ANALYTIC_WINDOWS = new Set(['1h', '6h', '24h', '7d', '30d']);

function AreaPills({ current }: { current: string | null }) {
  const { data } = useApi<{ key: string; label: string }[]>('/config/areas', { ttlMs: 300_000 });
  if (!data || data.length === 0) return null;
  return (
    <div class="control area-pills" role="group" aria-label="Area (by node position)">
      <span class="control-label">Area</span>
      <button
        type="button"
        class="pill"
        aria-pressed={current === null}
        onClick={() => setParams({ area: null })}
      >
        All
      </button>
      {data.map((a) => (
        <button
          type="button"
          class="pill"
          aria-pressed={current === a.key}
          onClick={() => setParams({ area: a.key })}
        >
          {a.label}
        </button>
      ))}
    </div>
  );
}

/** Which of the top bar's controls this tab's analytics take (the others do not change it). */
function ScopeNote({ controls }: { controls: Control[] }) {
  const region = controls.includes('region');
  const window = controls.includes('window');
  const text =
    region && window
      ? 'The region and time window of the top bar apply to this tab.'
      : region
        ? 'The region of the top bar applies; this tab always covers all time (the window does not apply).'
        : window
          ? 'The time window of the top bar applies; this tab covers every region.'
          : 'This tab covers every region and all time: the region and window of the top bar do not apply.';
  return (
    <p class="scope-note muted" data-scope-note>
      {text}
    </p>
  );
}

function TabNav({ current, area }: { current: string; area: string | null }) {
  const nav = useRef<HTMLElement>(null);
  // On a phone most tabs are off-screen: keep the current one in view.
  useEffect(() => {
    const a = nav.current?.querySelector<HTMLElement>('a[aria-current="page"]');
    if (a && nav.current)
      nav.current.scrollLeft = a.offsetLeft - nav.current.clientWidth / 2 + a.clientWidth / 2;
  }, [current]);
  return (
    <nav class="atabs" aria-label="Analytics tabs" ref={nav}>
      <ul>
        {TABS.map((t) => (
          <li>
            <a
              href={href('analytics', { tab: t.id, area })}
              aria-current={t.id === current ? 'page' : undefined}
              data-tab={t.id}
            >
              {t.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export default function AnalyticsDashboard({ route }: PageProps) {
  const tab = tabById(route.params.get('tab'));
  const regions = useRegion();
  const w = route.params.get('window');
  const window = w !== null && ANALYTIC_WINDOWS.has(w) ? w : null;
  const area = route.params.get('area');
  // Which tab's cards all show data: keyed by tab so the marker is never true for the tab just
  // left during the first render of the next one.
  const [loadedTab, setLoadedTab] = useState<string | null>(null);
  const tabId = tab.id;
  const onLoaded = useCallback((v: boolean) => setLoadedTab(v ? tabId : null), [tabId]);
  // The loaded module with the tab it belongs to: never render one tab's module under another.
  const [mod, setMod] = useState<{ id: string; Comp: FunctionComponent<TabProps> } | null>(null);
  const Comp = mod !== null && mod.id === tab.id ? mod.Comp : null;

  useEffect(() => {
    let live = true;
    void tab.load().then((m) => {
      if (live) setMod({ id: tab.id, Comp: m.default });
    });
    return () => {
      live = false;
    };
  }, [tab.id]);

  return (
    <Page name="analytics" title="Analytics" loaded={loadedTab === tab.id && Comp !== null}>
      <TabNav current={tab.id} area={area} />
      <ScopeNote controls={tab.controls} />
      {tab.controls.includes('area') ? <AreaPills current={area} /> : null}
      <div class="atab-panel" data-tab-panel={tab.id} aria-label={tab.label} role="region">
        <LoadGate key={tab.id} onLoaded={onLoaded}>
          {Comp ? <Comp regions={regions} window={window} area={area} /> : null}
        </LoadGate>
      </div>
    </Page>
  );
}
