// The topology tab's per-observer cards: what one observer hears at each hop distance (reach
// rings, with an observer switcher kept in the URL as `observer=`), the observer that hears
// each relay closest (best path), and relays heard by several observers (cross-observer).
import { useState } from 'preact/hooks';
import type { TopologyResponse } from '../../../../src/api/contract';
import type { AnalyticState } from '../../app/use-analytic';
import { href, param, setParams } from '../../app/router';
import { count } from '../../app/format';
import { AnalyticCard } from '../../components/analytic-card';
import { SortTable } from '../../components/data-views';
import { HopLabel, MoreToggle } from './hop-label';

type St = AnalyticState<TopologyResponse>;
type Reach = TopologyResponse['perObserverReach'][string];

const hops = (n: number) => `${n} hop${n === 1 ? '' : 's'}`;
const ringNodes = (r: Reach) => r.rings.reduce((a, g) => a + g.nodes.length, 0);

function ObserverLink({ id, name }: { id: string; name: string }) {
  return <a href={href(`observers/${id}`)}>{name}</a>;
}

/** The observer shown: the URL's, else the one whose rings hold the most nodes. */
function pickObserver(d: TopologyResponse, wanted: string | null): string | null {
  const ids = Object.keys(d.perObserverReach);
  if (wanted !== null && ids.includes(wanted)) return wanted;
  let best: string | null = null;
  for (const id of ids)
    if (best === null || ringNodes(d.perObserverReach[id]) > ringNodes(d.perObserverReach[best])) best = id;
  return best;
}

function Rings({ id, reach }: { id: string; reach: Reach }) {
  return (
    <ol
      class="reach-rings"
      aria-label={`Nodes ${reach.observer_name} hears, by hop distance`}
      data-observer={id}
    >
      {reach.rings.map((g) => (
        <li class="reach-ring" data-hops={g.hops}>
          <span class="reach-dist">
            <span class="reach-badge" aria-hidden="true" style={{ '--ring': String(Math.min(g.hops, 8)) }} />
            {hops(g.hops)}
          </span>
          <ul class="reach-nodes">
            {g.nodes.map((n) => (
              <li title={n.distRange ? `seen at ${n.distRange} hops` : undefined}>
                <HopLabel hop={n.hop} name={n.name} pubkey={n.pubkey} />{' '}
                <span class="muted num">×{n.count}</span>
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ol>
  );
}

export function ReachCard({ st }: { st: St }) {
  const wanted = param('observer');
  return (
    <AnalyticCard
      id="reach"
      title="Reach rings per observer"
      state={st}
      wide
      empty={(d) => Object.keys(d.perObserverReach).length === 0}
      how={
        <p>
          For the chosen observer: every relay in the paths it heard best, placed at its smallest distance
          from the observer (the last hop is 1 away), up to 15 hops. ×N is how many transmissions carried it;
          the tooltip gives the range of distances it was seen at. meshlens lists the 10 most-heard nodes per
          ring (the reference lists all of them, which made the answer megabytes long; docs/compatibility.md).
        </p>
      }
    >
      {(d) => {
        const id = pickObserver(d, wanted);
        const options = Object.entries(d.perObserverReach).sort((a, b) =>
          a[1].observer_name.localeCompare(b[1].observer_name),
        );
        const reach = id ? d.perObserverReach[id] : null;
        return (
          <>
            <label class="control reach-pick">
              <span class="control-label">Observer</span>
              <select value={id ?? ''} onChange={(e) => setParams({ observer: e.currentTarget.value })}>
                {options.map(([oid, r]) => (
                  <option value={oid}>
                    {r.observer_name} ({ringNodes(r)} nodes)
                  </option>
                ))}
              </select>
            </label>
            {reach && id ? (
              <>
                <p class="muted small">
                  <ObserverLink id={id} name={reach.observer_name} />: {ringNodes(reach)} nodes over{' '}
                  {reach.rings.length} rings.
                </p>
                <Rings id={id} reach={reach} />
              </>
            ) : null}
          </>
        );
      }}
    </AnalyticCard>
  );
}

export function BestPathCard({ st }: { st: St }) {
  const [all, setAll] = useState(false);
  return (
    <AnalyticCard
      id="best-path"
      title="Closest observer per relay"
      state={st}
      empty={(d) => d.bestPathList.length === 0}
      how={
        <p>
          For each relay prefix, the observer that heard it the fewest hops away (ties: the first observer
          seen). Sorted by that distance; the 50 closest. A relay 1 hop from an observer is heard directly by
          it.
        </p>
      }
    >
      {(d) => (
        <>
          <SortTable
            caption="Closest observer per relay"
            initial={{ key: 'minDist', desc: false }}
            rows={d.bestPathList}
            limit={all ? undefined : 12}
            rowKey={(r) => r.hop}
            columns={[
              {
                key: 'node',
                label: 'Relay',
                sort: (r) => r.name ?? r.hop,
                render: (r) => <HopLabel hop={r.hop} name={r.name} pubkey={r.pubkey} />,
              },
              { key: 'minDist', label: 'Hops away', num: true },
              {
                key: 'observer',
                label: 'Observer',
                sort: (r) => r.observer_name,
                render: (r) => <ObserverLink id={r.observer_id} name={r.observer_name} />,
              },
            ]}
          />
          <MoreToggle shown={12} total={d.bestPathList.length} open={all} onToggle={() => setAll(!all)} />
        </>
      )}
    </AnalyticCard>
  );
}

export function CrossObserverCard({ st }: { st: St }) {
  const [all, setAll] = useState(false);
  return (
    <AnalyticCard
      id="cross-observer"
      title="Relays heard by several observers"
      state={st}
      empty={(d) => d.multiObsNodes.length === 0}
      how={
        <p>
          Relay prefixes that appear in the best paths of more than one observer, with each observer's
          smallest distance to it and how many transmissions it relayed there; the 50 heard by the most
          observers.
        </p>
      }
    >
      {(d) => (
        <>
          <SortTable
            caption="Relays heard by several observers"
            initial={{ key: 'n', desc: true }}
            rows={d.multiObsNodes}
            limit={all ? undefined : 10}
            rowKey={(r) => r.hop}
            columns={[
              {
                key: 'node',
                label: 'Relay',
                sort: (r) => r.name ?? r.hop,
                render: (r) => <HopLabel hop={r.hop} name={r.name} pubkey={r.pubkey} />,
              },
              {
                key: 'n',
                label: 'Observers',
                num: true,
                sort: (r) => r.observers.length,
                render: (r) => String(r.observers.length),
              },
              {
                key: 'list',
                label: 'Observers (hops away, transmissions)',
                sort: (r) => r.observers[0]?.minDist ?? null,
                render: (r) => (
                  <span class="obs-list">
                    {r.observers.slice(0, 4).map((o, i) => (
                      <>
                        {i > 0 ? ', ' : ''}
                        <ObserverLink id={o.observer_id} name={o.observer_name} />{' '}
                        <span class="muted num">
                          ({o.minDist}, ×{count(o.count)})
                        </span>
                      </>
                    ))}
                    {r.observers.length > 4 ? (
                      <span class="muted"> +{r.observers.length - 4} more</span>
                    ) : null}
                  </span>
                ),
              },
            ]}
          />
          <MoreToggle shown={10} total={d.multiObsNodes.length} open={all} onToggle={() => setAll(!all)} />
        </>
      )}
    </AnalyticCard>
  );
}
