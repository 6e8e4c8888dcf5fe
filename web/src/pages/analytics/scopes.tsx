// Scopes tab (spec frontend §3 #15): transport-scope statistics of the transmissions on
// transport routes, over a window of its own (1 h / 24 h / 7 d, URL `scopeWindow`; the
// dashboard's shared window does not apply, /scope-stats takes only these three). Refreshed
// every 60 s at most, as in the reference: the server caches the answer for 30 s anyway.
import type { ScopeStatsResponse } from '../../../../src/api/contract';
import { count, unit } from '../../app/format';
import { param, setParams } from '../../app/router';
import { useAnalytic } from '../../app/use-analytic';
import { AnalyticCard } from '../../components/analytic-card';
import { Chart } from '../../components/chart';
import { SortTable } from '../../components/data-views';
import '../../styles/analytics-i12a.css';
import type { TabProps } from './context';
import { StatGrid } from './stat-grid';

export const SCOPE_WINDOWS = [
  { value: '1h', label: '1 h', bucket: '5 min' },
  { value: '24h', label: '24 h', bucket: '1 h' },
  { value: '7d', label: '7 d', bucket: '6 h' },
] as const;
const DEFAULT_WINDOW = '24h';
const REFRESH_MS = 60_000;

function useScopeWindow(): (typeof SCOPE_WINDOWS)[number] {
  const v = param('scopeWindow') ?? DEFAULT_WINDOW;
  return SCOPE_WINDOWS.find((w) => w.value === v) ?? SCOPE_WINDOWS[1];
}

function WindowSwitch({ current }: { current: string }) {
  return (
    <div class="scope-window" role="group" aria-label="Scopes window">
      <span class="scope-window-label muted">Window of this tab</span>
      {SCOPE_WINDOWS.map((w) => (
        <button
          type="button"
          class="pill"
          data-scope-window={w.value}
          aria-pressed={current === w.value}
          onClick={() => setParams({ scopeWindow: w.value === DEFAULT_WINDOW ? null : w.value })}
        >
          {w.label}
        </button>
      ))}
    </div>
  );
}

const pct = (n: number, of: number) => (of > 0 ? unit((100 * n) / of, '%', 1) : '—');

function Summary({ d }: { d: ScopeStatsResponse }) {
  const s = d.summary;
  return (
    <StatGrid
      label="Transport-route transmissions"
      tiles={[
        {
          id: 'transport',
          label: 'Transport total',
          value: count(s.transportTotal),
          detail: 'routes 0 and 3',
        },
        {
          id: 'scoped',
          label: 'Scoped',
          value: count(s.scoped),
          detail: `${pct(s.scoped, s.transportTotal)} of transport`,
        },
        {
          id: 'unscoped',
          label: 'Unscoped',
          value: count(s.unscoped),
          detail: `${pct(s.unscoped, s.transportTotal)} (code 0000)`,
        },
        {
          id: 'unknown',
          label: 'Unknown scope',
          value: count(s.unknownScope),
          detail: `${pct(s.unknownScope, s.scoped)} of scoped`,
        },
      ]}
    />
  );
}

function Regions({ d }: { d: ScopeStatsResponse }) {
  const named = d.byRegion.reduce((a, r) => a + r.count, 0);
  return (
    <>
      <SortTable
        caption="Scoped transmissions by region"
        rows={d.byRegion}
        rowKey={(r) => r.name}
        initial={{ key: 'count', desc: true }}
        columns={[
          { key: 'name', label: 'Scope' },
          { key: 'count', label: 'Packets', num: true, render: (r) => count(r.count) },
          {
            key: 'share',
            label: '% of scoped',
            num: true,
            sort: (r) => r.count,
            render: (r) => pct(r.count, d.summary.scoped),
          },
        ]}
      />
      <p class="muted preset-note">
        {count(named)} matched a configured region; {count(d.summary.unknownScope)} carried a scope no
        configured region matches.
      </p>
    </>
  );
}

function Series({ d, bucket }: { d: ScopeStatsResponse; bucket: string }) {
  const x = d.timeSeries.map((p) => Date.parse(p.t) / 1000);
  const peak = d.timeSeries.reduce(
    (a, p) => (p.scoped + p.unscoped > a.scoped + a.unscoped ? p : a),
    d.timeSeries[0],
  );
  return (
    <Chart
      x={x}
      time
      series={[
        { label: 'Scoped', values: d.timeSeries.map((p) => p.scoped), kind: 'line', color: '--chart-1' },
        {
          label: 'Unscoped',
          values: d.timeSeries.map((p) => p.unscoped),
          kind: 'line',
          color: '--chart-3',
          dash: [6, 4],
        },
      ]}
      yLabel={`transmissions / ${bucket}`}
      yRange={[0, null]}
      summary={
        `${d.timeSeries.length} buckets of ${bucket}: ${count(d.summary.scoped)} scoped and ` +
        `${count(d.summary.unscoped)} unscoped transmissions; busiest bucket ${peak.t} ` +
        `(${count(peak.scoped)} scoped, ${count(peak.unscoped)} unscoped).`
      }
    />
  );
}

export default function ScopesTab(_p: TabProps) {
  const w = useScopeWindow();
  const st = useAnalytic<ScopeStatsResponse>(`/scope-stats?window=${w.value}`, { refreshMs: REFRESH_MS });
  const scopeNote = (
    <p>
      Transmissions on transport routes (0 and 3) first seen in the last {w.label}. A transport code 0000 is
      unscoped; any other code is scoped, and named when it equals the HMAC of the payload under a region of
      the server's <code>hashRegions</code> (computed once at ingest); otherwise its scope is unknown.
    </p>
  );
  return (
    <>
      <WindowSwitch current={w.value} />
      <div class="agrid">
        <AnalyticCard id="scope-summary" title="Transport scopes" state={st} wide how={scopeNote}>
          {(d) => <Summary d={d} />}
        </AnalyticCard>
        <AnalyticCard
          id="scope-regions"
          title="Scoped traffic by region"
          state={st}
          empty={(d) => d.byRegion.length === 0}
          emptyText="No transmission in this window carried the scope of a configured region."
          how={
            <p>
              Scoped transmissions per matched region name, most first (ties by name: the order is stable,
              where the reference's varies). Unknown scopes are counted in the summary, not here.
            </p>
          }
        >
          {(d) => <Regions d={d} />}
        </AnalyticCard>
        <AnalyticCard
          id="scope-series"
          title="Scoped vs unscoped"
          state={st}
          empty={(d) => d.timeSeries.length === 0}
          how={
            <p>
              Transport-route transmissions per {w.bucket} UTC bucket, from the window's start to now; empty
              buckets are zero so quiet periods show. Refreshed every minute at most (the server caches 30 s).
            </p>
          }
        >
          {(d) => <Series d={d} bucket={w.bucket} />}
        </AnalyticCard>
      </div>
    </>
  );
}
