// Route Patterns tab (spec frontend §3 #7, analytics §7.1): the sub-paths (runs of 2, 3, 4 and
// 5–8 consecutive relays) that transmissions take most often, optionally without self-loops
// (URL `loops=hide`); a sub-path opens its detail (URL `hops=a,b,…`, see route-patterns/).
import { useState } from 'preact/hooks';
import type { SubpathItem, SubpathsBulkResponse } from '../../../../src/api/contract';
import { useAnalytic, type AnalyticState } from '../../app/use-analytic';
import { href, param, route, setParams } from '../../app/router';
import { count } from '../../app/format';
import { AnalyticCard } from '../../components/analytic-card';
import { SortTable } from '../../components/data-views';
import { analyticsPath, type TabProps } from './context';
import { MoreToggle } from './hop-label';
import { SubpathDetail } from './route-patterns/detail';
import '../../styles/analytics-i12b.css';

/** The groups asked for, in this order (spec frontend §3 #7). */
const GROUPS = [
  { id: 'subpaths-2', title: '2-hop sub-paths', n: 50 },
  { id: 'subpaths-3', title: '3-hop sub-paths', n: 30 },
  { id: 'subpaths-4', title: '4-hop sub-paths', n: 20 },
  { id: 'subpaths-5', title: '5- to 8-hop sub-paths', n: 15 },
];
const GROUPS_PARAM = '2-2:50,3-3:30,4-4:20,5-8:15';
const ARROW = ' → ';
/** Rows shown before "Show all". */
const SHOWN = 15;

/** A self-loop: the same node (by name, or by raw prefix) twice in a row, e.g. "A → A". */
export function hasSelfLoop(s: SubpathItem): boolean {
  const names = s.path.split(ARROW);
  for (let i = 1; i < names.length; i++) if (names[i] === names[i - 1]) return true;
  for (let i = 1; i < s.rawHops.length; i++)
    if (s.rawHops[i].toLowerCase() === s.rawHops[i - 1].toLowerCase()) return true;
  return false;
}

/** The current view's link with `patch` applied (keeps tab, window, region, loops…). */
function linkWith(patch: Record<string, string | null>): string {
  const params: Record<string, string | null> = Object.fromEntries(route.value.params);
  return href(route.value.path, { ...params, ...patch });
}

function GroupCard({
  g,
  i,
  st,
  hideLoops,
}: {
  g: (typeof GROUPS)[number];
  i: number;
  st: AnalyticState<SubpathsBulkResponse>;
  hideLoops: boolean;
}) {
  const [all, setAll] = useState(false);
  return (
    <AnalyticCard
      id={g.id}
      title={g.title}
      state={st}
      empty={(d) => (d.results[i]?.subpaths.length ?? 0) === 0}
      emptyText="No path in this window has that many hops."
      how={
        <p>
          Every run of consecutive relay prefixes in each transmission's best-observation path, counted once
          per transmission (the reference can count a run twice when it repeats inside one path), so "% of
          paths" is the share of paths with ≥ 2 hops that contain it. Runs whose hops resolve to the same
          names are merged; the top {g.n} are shown. A self-loop is the same node twice in a row (a relay
          heard relaying its own packet, or two nodes sharing a prefix).
        </p>
      }
    >
      {(d) => {
        const res = d.results[i];
        const rows = hideLoops ? res.subpaths.filter((s) => !hasSelfLoop(s)) : res.subpaths;
        const top = Math.max(1, ...res.subpaths.map((s) => s.count));
        const hidden = res.subpaths.length - rows.length;
        return (
          <>
            <p class="muted small">
              Of {count(res.totalPaths)} paths with ≥ 2 hops
              {hidden > 0 ? ` · ${hidden} self-loop${hidden === 1 ? '' : 's'} hidden` : ''}.
            </p>
            <SortTable
              caption={g.title}
              class="rp-table"
              initial={{ key: 'count', desc: true }}
              rows={rows}
              limit={all ? undefined : SHOWN}
              rowKey={(r) => r.rawHops.join(',')}
              columns={[
                {
                  key: 'path',
                  label: 'Route',
                  render: (r) => (
                    <a
                      class="rp-route"
                      href={linkWith({ hops: r.rawHops.join(',') })}
                      data-hops={r.rawHops.join(',')}
                    >
                      {r.path}
                    </a>
                  ),
                },
                { key: 'count', label: 'Count', num: true, render: (r) => count(r.count) },
                { key: 'pct', label: '% of paths', num: true, render: (r) => `${r.pct.toFixed(1)} %` },
                {
                  key: 'freq',
                  label: 'Frequency',
                  sort: (r) => r.count,
                  render: (r) => (
                    <span class="rp-freq" aria-hidden="true">
                      <span style={{ width: `${(100 * r.count) / top}%` }} />
                    </span>
                  ),
                },
              ]}
            />
            <MoreToggle shown={SHOWN} total={rows.length} open={all} onToggle={() => setAll(!all)} />
          </>
        );
      }}
    </AnalyticCard>
  );
}

export default function RoutePatternsTab(p: TabProps) {
  const hops = param('hops');
  const hideLoops = param('loops') === 'hide';
  const st = useAnalytic<SubpathsBulkResponse>(
    hops
      ? null
      : analyticsPath('/analytics/subpaths-bulk', p, ['region', 'window'], { groups: GROUPS_PARAM }),
  );
  if (hops)
    return (
      <>
        <a class="rp-back" href={linkWith({ hops: null })}>
          ← All route patterns
        </a>
        <SubpathDetail hops={hops} />
      </>
    );
  return (
    <>
      <div class="rp-toolbar">
        <label>
          <input
            type="checkbox"
            checked={hideLoops}
            onChange={(e) => setParams({ loops: e.currentTarget.checked ? 'hide' : null })}
          />
          Hide self-loops (the same node twice in a row)
        </label>
      </div>
      <div class="agrid">
        {GROUPS.map((g, i) => (
          <GroupCard g={g} i={i} st={st} hideLoops={hideLoops} />
        ))}
      </div>
    </>
  );
}
