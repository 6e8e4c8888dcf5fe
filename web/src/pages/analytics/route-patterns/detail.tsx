// One sub-path in detail (URL `hops=a,b,…`): its hops with the distance of each leg, a
// mini-map, the signal and observers of the transmissions that contain it, when in the day
// they happen (24 UTC hours), first/last seen, and the full paths it is part of.
import type { SubpathDetailResponse } from '../../../../../src/api/contract';
import { useAnalytic, type AnalyticState } from '../../../app/use-analytic';
import { apiPath } from '../../../app/api';
import { count, isoUtc, km, rssi, snr } from '../../../app/format';
import { AnalyticCard } from '../../../components/analytic-card';
import { Stat, Time } from '../../../components/bits';
import { Chart } from '../../../components/chart';
import { SortTable } from '../../../components/data-views';
import { HopLabel } from '../hop-label';
import { chainKm, legDistances, located } from './geo';
import { SubpathMiniMap } from './minimap';

type St = AnalyticState<SubpathDetailResponse>;

const HOURS = Array.from({ length: 24 }, (_, h) => h);
const hh = (h: number) => String(h).padStart(2, '0');

function RouteCard({ st }: { st: St }) {
  return (
    <AnalyticCard
      id="subpath-route"
      title="Sub-path"
      state={st}
      wide
      how={
        <p>
          The transmissions whose best observation's path contains exactly these raw hop prefixes, in this
          order (each transmission counted once). Hops are resolved to nodes with the path's context; a leg's
          distance is the great-circle distance between the two nodes' advertised positions (none when one is
          unknown); the length skips hops without a position, as the Distance tab does. Both are only as right
          as the hop resolution. The detail covers all data: it takes no window or region (as in the
          reference), so its counts can exceed the list's.
        </p>
      }
    >
      {(d) => {
        const legs = legDistances(d.nodes);
        const length = chainKm(d.nodes);
        const placed = d.nodes.filter(located).length;
        return (
          <>
            <ol class="rp-hops" aria-label="Hops and leg distances">
              {d.nodes.map((n, i) => (
                <>
                  <li class="rp-hop" data-hop={n.hop}>
                    <HopLabel hop={n.hop} name={n.name} pubkey={n.pubkey} />
                  </li>
                  {i < legs.length ? (
                    <li
                      class="rp-leg num"
                      data-leg={i}
                      title={legs[i] === null ? 'Distance unknown: a position is missing' : undefined}
                    >
                      {legs[i] === null ? '→' : `→ ${km(legs[i])} →`}
                    </li>
                  ) : null}
                </>
              ))}
            </ol>
            <div class="stat-cards" data-stats="subpath">
              <Stat label="Transmissions" value={count(d.totalMatches)} />
              <Stat
                label={`Length (${placed} of ${d.nodes.length} hops placed)`}
                value={length === null ? '—' : km(length)}
                hint="Straight-line distance along the hops with a known position"
              />
              <Stat label="First seen" value={<Time t={d.firstSeen} />} hint={isoUtc(d.firstSeen)} />
              <Stat label="Last seen" value={<Time t={d.lastSeen} />} hint={isoUtc(d.lastSeen)} />
            </div>
            <SubpathMiniMap nodes={d.nodes} />
          </>
        );
      }}
    </AnalyticCard>
  );
}

function SignalCard({ st }: { st: St }) {
  return (
    <AnalyticCard
      id="subpath-signal"
      title="Signal and observers"
      state={st}
      how={
        <p>
          Mean SNR and RSSI of the best observation of each matching transmission that reports them (the
          observer's reception of the last hop, not of this sub-path's links), and the observers that heard
          them best, top 10.
        </p>
      }
    >
      {(d) => (
        <>
          <div class="stat-cards">
            <Stat label="Avg SNR" value={snr(d.signal.avgSnr)} />
            <Stat label="Avg RSSI" value={rssi(d.signal.avgRssi)} />
            <Stat label="Samples" value={count(d.signal.samples)} />
          </div>
          <SortTable
            caption="Observers of this sub-path"
            initial={{ key: 'count', desc: true }}
            rows={d.observers}
            rowKey={(r) => r.name}
            columns={[
              { key: 'name', label: 'Observer' },
              { key: 'count', label: 'Transmissions', num: true },
            ]}
          />
        </>
      )}
    </AnalyticCard>
  );
}

function HoursCard({ st }: { st: St }) {
  return (
    <AnalyticCard
      id="subpath-hours"
      title="Activity by hour (UTC)"
      state={st}
      how={<p>Matching transmissions by the UTC hour of their first reception, all days together.</p>}
    >
      {(d) => (
        <Chart
          x={HOURS}
          xLabels={HOURS.map(hh)}
          series={[{ label: 'Transmissions', values: d.hourDistribution, kind: 'bars', color: '--chart-4' }]}
          xLabel="Hour (UTC)"
          yLabel="Transmissions"
          summary={`Transmissions by UTC hour: ${d.hourDistribution.map((c, h) => `${hh(h)}h ${c}`).join(', ')}.`}
        />
      )}
    </AnalyticCard>
  );
}

function ParentPathsCard({ st }: { st: St }) {
  return (
    <AnalyticCard
      id="subpath-parents"
      title="Full paths containing it"
      state={st}
      wide
      empty={(d) => d.parentPaths.length === 0}
      how={
        <p>
          The complete best-observation paths of the matching transmissions, resolved hop by hop with each
          transmission's own context, grouped when identical; the 15 most frequent.
        </p>
      }
    >
      {(d) => (
        <ol class="rp-paths">
          {d.parentPaths.map((p) => (
            <li>
              <span class="rp-route">{p.path}</span> <span class="muted num">×{p.count}</span>
            </li>
          ))}
        </ol>
      )}
    </AnalyticCard>
  );
}

export function SubpathDetail({ hops }: { hops: string }) {
  const st = useAnalytic<SubpathDetailResponse>(apiPath('/analytics/subpath-detail', { hops }));
  return (
    <div class="agrid" data-detail={hops}>
      <RouteCard st={st} />
      <SignalCard st={st} />
      <HoursCard st={st} />
      <ParentPathsCard st={st} />
    </div>
  );
}
