// Clock Health tab (spec frontend §3 #13): every node with an advert clock estimate, filterable by
// severity (chips, kept in the URL as `severity=warning,critical`) and sortable by skew, severity,
// drift and last advert. Data: /nodes/clock-skew (area only: the skew is the node's own, not the
// observers'). Severity is glyph + word + colour, never colour alone.
import type { NodesClockSkewItem } from '../../../../src/api/contract';
import { param, setParams } from '../../app/router';
import { useAnalytic } from '../../app/use-analytic';
import { RoleIcon, NodeLink, Time } from '../../components/bits';
import { AnalyticCard } from '../../components/analytic-card';
import { SortTable } from '../../components/data-views';
import { useState } from 'preact/hooks';
import '../../styles/analytics-i12e.css';
import { analyticsPath, type TabProps } from './context';
import { SEVERITIES, SEVERITY, severityRank, skewText, type Severity } from './clock-format';

export function SeverityBadge({ severity }: { severity: string }) {
  const s = SEVERITY[severity as Severity] ?? { glyph: '?', label: severity, cls: 'unknown' };
  return (
    <span class={`sev sev-${s.cls}`} data-severity={severity}>
      <span aria-hidden="true">{s.glyph}</span> {s.label}
    </span>
  );
}

/** The URL's `severity` list ([] = every severity). */
function useSeverityFilter(): Severity[] {
  const raw = param('severity') ?? '';
  return raw.split(',').filter((s): s is Severity => (SEVERITIES as readonly string[]).includes(s));
}

function SeverityChips({ rows, on }: { rows: NodesClockSkewItem[]; on: Severity[] }) {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.severity, (counts.get(r.severity) ?? 0) + 1);
  const toggle = (s: Severity) => {
    const next = on.includes(s) ? on.filter((x) => x !== s) : [...on, s];
    setParams({ severity: next.length > 0 ? next.join(',') : null });
  };
  return (
    <div class="sev-chips" role="group" aria-label="Filter by severity">
      {SEVERITIES.map((s) => (
        <button
          type="button"
          class={`chip sev-chip sev-${SEVERITY[s].cls}`}
          aria-pressed={on.includes(s)}
          data-chip={s}
          onClick={() => toggle(s)}
        >
          <span aria-hidden="true">{SEVERITY[s].glyph}</span> {SEVERITY[s].label}{' '}
          <span class="num chip-count">{counts.get(s) ?? 0}</span>
        </button>
      ))}
      {on.length > 0 ? (
        <button type="button" class="chip chip-clear" onClick={() => setParams({ severity: null })}>
          Show all
        </button>
      ) : null}
    </div>
  );
}

const PAGE = 200;

function ClockTable({ rows }: { rows: NodesClockSkewItem[] }) {
  const [limit, setLimit] = useState(PAGE);
  return (
    <>
      <SortTable
        caption="Node clock skew"
        class="clock-table"
        rows={rows}
        limit={limit}
        rowKey={(r) => r.pubkey}
        initial={{ key: 'severity', desc: true }}
        columns={[
          {
            key: 'node',
            label: 'Node',
            sort: (r) => (r.nodeName ?? r.pubkey).toLowerCase(),
            render: (r) => (
              <span class="clock-node">
                <RoleIcon role={r.nodeRole} /> <NodeLink pk={r.pubkey} name={r.nodeName} />
              </span>
            ),
          },
          {
            key: 'skew',
            label: 'Skew',
            num: true,
            sort: (r) => Math.abs(r.recentMedianSkewSec),
            render: (r) => (
              <span title={`${r.recentMedianSkewSec} s`} data-skew={String(r.recentMedianSkewSec)}>
                {skewText(r.recentMedianSkewSec)}
                {r.clockReset ? <span class="muted"> (reset)</span> : null}
              </span>
            ),
          },
          {
            key: 'severity',
            label: 'Severity',
            // Worst first, then the largest |skew| within a severity.
            sort: (r) => severityRank(r.severity) * 1e12 + Math.min(1e11, Math.abs(r.recentMedianSkewSec)),
            render: (r) => <SeverityBadge severity={r.severity} />,
          },
          {
            key: 'driftPerDaySec',
            label: 'Drift / day',
            num: true,
            render: (r) => (
              <span
                data-drift={String(r.driftPerDaySec)}
              >{`${r.driftPerDaySec.toFixed(2).replace('-', '−')} s`}</span>
            ),
          },
          {
            key: 'lastObservedTS',
            label: 'Last advert',
            render: (r) => <Time t={r.lastObservedTS * 1000} />,
          },
        ]}
      />
      {rows.length > limit ? (
        <button type="button" class="chip" onClick={() => setLimit(rows.length)}>
          Show all {rows.length} nodes
        </button>
      ) : null}
    </>
  );
}

export default function ClockHealthTab(p: TabProps) {
  const st = useAnalytic<NodesClockSkewItem[]>(analyticsPath('/nodes/clock-skew', p, ['area']), {
    refreshMs: 15_000,
  });
  const on = useSeverityFilter();
  return (
    <div class="agrid">
      <AnalyticCard
        id="clock-health"
        title="Node clocks"
        state={st}
        wide
        empty={(d) => d.length === 0}
        emptyText="No node has sent an advert with a clock yet."
        how={
          <>
            <p>
              Skew = the clock in a node's own adverts minus the time the observers heard them (corrected for
              each observer's clock or upload latency), the median over its recent adverts (the last 5 within
              24 h). Severity by |skew|: ok &lt; 5 min ≤ warning &lt; 1 h ≤ critical &lt; 30 d ≤ absurd &lt;
              365 d ≤ no clock; good and bad values alternating twice or more is "bimodal". Drift is a
              Theil–Sen slope over the newest jump-free run of adverts, 0 until there are 5 over 12 h.
            </p>
            <p>
              Unlike the reference, only adverts the node itself signed count (a repeater does not inherit the
              skew of adverts it relayed, and relay-only nodes are absent), and consistently wrong clocks are
              classed by their size (critical, absurd) instead of all falling into "no clock"; the recent
              window is 24 h, not 1 h.
            </p>
          </>
        }
      >
        {(d) => {
          const rows = on.length === 0 ? d : d.filter((r) => on.includes(r.severity as Severity));
          return (
            <>
              <SeverityChips rows={d} on={on} />
              <p class="muted clock-count" data-shown={String(rows.length)}>
                {rows.length} of {d.length} nodes
              </p>
              <ClockTable rows={rows} />
            </>
          );
        }}
      </AnalyticCard>
    </div>
  );
}
