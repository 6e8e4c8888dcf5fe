// The observer page's analytics cards, all from one snapshot of /observers/<id>/analytics?days=
// (one shared request): a summary, packets over time, unique nodes heard, packet types, the SNR
// distribution and recent packets; plus the clock calibration card (/observers/clock-skew).
import type {
  ObserverAnalyticsResponse,
  ObserverClockSkewItem,
  ObserverItem,
} from '../../../../src/api/contract';
import { count, safeJson, snr, unit } from '../../app/format';
import { typeColor, typeLabel } from '../../app/mesh';
import { href } from '../../app/router';
import { useAnalytic, type AnalyticState } from '../../app/use-analytic';
import { AnalyticCard } from '../../components/analytic-card';
import { Time, TypeBadge } from '../../components/bits';
import { Chart } from '../../components/chart';
import { DataState } from '../../components/page';
import type { ObserverRange } from './range';
import { offsetText } from './observer-status';

type A = ObserverAnalyticsResponse;
const total = (a: A) => a.timeline.reduce((s, t) => s + t.count, 0);
const noTimeline = (a: A) => a.timeline.length === 0;
/** Categories 0..n-1 with half a slot of margin (uPlot's own range fails for a single one). */
const catRange = (n: number): [number, number] => [-0.6, Math.max(0, n - 1) + 0.6];

/** The analytics snapshot every card below reads (one shared source per range). */
const useObserverAnalytics = (id: string, range: ObserverRange) =>
  useAnalytic<A>(`/observers/${encodeURIComponent(id)}/analytics?days=${range.days}`, { refreshMs: 15_000 });

export function AnalyticsCards({ id, range }: { id: string; range: ObserverRange }) {
  const st = useObserverAnalytics(id, range);
  return (
    <>
      <SummaryCard st={st} range={range} />
      <TimelineCard st={st} range={range} />
      <NodesCard st={st} range={range} />
      <TypesCard st={st} />
      <SnrCard st={st} />
    </>
  );
}

/** Recent packets: last on the page, after the metrics. */
export function RecentPacketsCard({ id, range }: { id: string; range: ObserverRange }) {
  return <RecentCard st={useObserverAnalytics(id, range)} />;
}

const BUCKETS_HOW = (
  <p>
    The observer's own observations received in the window, counted per UTC bucket (1 h for one day, 4 h up to
    seven days, else one day). Only buckets with traffic are listed.
  </p>
);

function SummaryCard({ st, range }: { st: AnalyticState<A>; range: ObserverRange }) {
  return (
    <AnalyticCard id="obs-summary" title={`Last ${range.label}`} state={st} wide how={BUCKETS_HOW}>
      {(a) => {
        const peak = a.nodesTimeline.reduce((m, t) => Math.max(m, t.count), 0);
        const busiest = a.timeline.reduce<A['timeline'][number] | null>(
          (b, t) => (b === null || t.count > b.count ? t : b),
          null,
        );
        return (
          <div class="stats obs-range-stats">
            <div class="stat" data-stat="observations">
              <div class="stat-value num">{count(total(a))}</div>
              <div class="stat-label">observations in {range.label}</div>
            </div>
            <div class="stat" data-stat="nodes">
              <div class="stat-value num">{count(peak)}</div>
              <div class="stat-label">nodes heard (busiest {range.bucket})</div>
            </div>
            <div class="stat" data-stat="types">
              <div class="stat-value num">{count(Object.keys(a.packetTypes).length)}</div>
              <div class="stat-label">packet types</div>
            </div>
            <div class="stat" data-stat="busiest">
              <div class="stat-value num">{busiest ? count(busiest.count) : '—'}</div>
              <div class="stat-label">busiest bucket{busiest ? ` (${busiest.label})` : ''}</div>
            </div>
          </div>
        );
      }}
    </AnalyticCard>
  );
}

function TimelineCard({ st, range }: { st: AnalyticState<A>; range: ObserverRange }) {
  return (
    <AnalyticCard
      id="obs-timeline"
      title={`Packets over time (per ${range.bucket}, UTC)`}
      state={st}
      wide
      empty={noTimeline}
      how={BUCKETS_HOW}
    >
      {(a) => {
        const peak = a.timeline.reduce((b, t) => (t.count > b.count ? t : b), a.timeline[0]);
        return (
          <div class="obs-chart-canvas">
            <Chart
              x={a.timeline.map((_, i) => i)}
              xLabels={a.timeline.map((t) => t.label)}
              xRange={catRange(a.timeline.length)}
              series={[{ label: 'Observations', values: a.timeline.map((t) => t.count), kind: 'bars' }]}
              yLabel="observations"
              summary={`${total(a)} observations in ${a.timeline.length} buckets of ${range.bucket}; busiest ${peak.label} with ${peak.count}.`}
            />
          </div>
        );
      }}
    </AnalyticCard>
  );
}

function NodesCard({ st, range }: { st: AnalyticState<A>; range: ObserverRange }) {
  return (
    <AnalyticCard
      id="obs-nodes"
      title={`Unique nodes heard (per ${range.bucket})`}
      state={st}
      empty={(a) => a.nodesTimeline.length === 0}
      how={
        <p>
          Distinct nodes per bucket: the hop prefixes of each path, the advertiser of an ADVERT and the 1-byte
          source/destination hashes of peer-addressed packets. A 1-byte hash and the same 1-byte hop count as
          one node, so this is an upper bound where prefixes collide.
        </p>
      }
    >
      {(a) => {
        const peak = a.nodesTimeline.reduce((b, t) => (t.count > b.count ? t : b), a.nodesTimeline[0]);
        return (
          <Chart
            x={a.nodesTimeline.map((_, i) => i)}
            xLabels={a.nodesTimeline.map((t) => t.label)}
            xRange={catRange(a.nodesTimeline.length)}
            series={[
              {
                label: 'Nodes',
                values: a.nodesTimeline.map((t) => t.count),
                // One bucket draws no line: a bar then.
                kind: a.nodesTimeline.length > 1 ? 'area' : 'bars',
                color: '--chart-2',
              },
            ]}
            yLabel="nodes"
            yRange={[0, null]}
            summary={`Most nodes heard in one bucket: ${peak.count} (${peak.label}), over ${a.nodesTimeline.length} buckets.`}
          />
        );
      }}
    </AnalyticCard>
  );
}

interface BarRow {
  key: string;
  label: preact.ComponentChildren;
  name: string;
  count: number;
  color?: string;
}

/** Horizontal bars as a list: readable, accessible, no chart library. */
function Bars({ rows }: { rows: BarRow[] }) {
  const max = Math.max(1, ...rows.map((r) => r.count));
  return (
    <ul class="hbars">
      {rows.map((r) => (
        <li class="hbar" data-key={r.key}>
          <span class="hbar-label">{r.label}</span>
          <span class="hbar-track" aria-hidden="true">
            <span
              class="hbar-fill"
              style={{ width: `${(r.count / max) * 100}%`, background: r.color ?? 'var(--accent)' }}
            />
          </span>
          <span class="hbar-count num" aria-label={`${r.name}: ${r.count}`}>
            {count(r.count)}
          </span>
        </li>
      ))}
    </ul>
  );
}

function TypesCard({ st }: { st: AnalyticState<A> }) {
  return (
    <AnalyticCard
      id="obs-types"
      title="Packet types"
      state={st}
      empty={(a) => Object.keys(a.packetTypes).length === 0}
      how={
        <p>
          Every observation this observer uploaded in the window, by payload type (a repeat heard twice counts
          twice). Bars instead of the reference's doughnut: the counts stay readable.
        </p>
      }
    >
      {(a) => (
        <Bars
          rows={Object.entries(a.packetTypes)
            .map(([t, c]) => ({
              key: t,
              label: <TypeBadge type={Number(t)} />,
              count: c,
              color: typeColor(Number(t)),
              name: typeLabel(Number(t)),
            }))
            .sort((x, y) => y.count - x.count)}
        />
      )}
    </AnalyticCard>
  );
}

function SnrCard({ st }: { st: AnalyticState<A> }) {
  return (
    <AnalyticCard
      id="obs-snr"
      title="SNR distribution (dB)"
      state={st}
      empty={(a) => a.snrDistribution.length === 0}
      emptyText="No observation with an SNR in this window."
      how={
        <p>
          The SNR of each observation in 2-dB bins (a value falls in the bin of its floor). Observations
          without an SNR are left out rather than counted as 0 dB.
        </p>
      }
    >
      {(a) => {
        const d = a.snrDistribution;
        const n = d.reduce((s, b) => s + b.count, 0);
        return (
          <Chart
            x={d.map((_, i) => i)}
            xLabels={d.map((b) => b.range.replace(' to ', '…'))}
            xRange={catRange(d.length)}
            series={[
              { label: 'Observations', values: d.map((b) => b.count), kind: 'bars', color: '--chart-3' },
            ]}
            xLabel="SNR (dB)"
            yLabel="observations"
            summary={`SNR of ${n} observations: ${d.map((b) => `${b.range} dB: ${b.count}`).join('; ')}.`}
          />
        );
      }}
    </AnalyticCard>
  );
}

function RecentCard({ st }: { st: AnalyticState<A> }) {
  return (
    <AnalyticCard
      id="obs-recent"
      title="Recent packets"
      state={st}
      wide
      empty={(a) => a.recentPackets.length === 0}
      how={<p>The 20 newest observations by this observer, with their transmission's type and path.</p>}
    >
      {(a) => (
        <div class="table-wrap" tabIndex={0} role="region" aria-label="Recent packets table">
          <table class="obs-recent">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Hash</th>
                <th scope="col">Type</th>
                <th scope="col" class="num">
                  Hops
                </th>
                <th scope="col" class="num">
                  SNR
                </th>
                <th scope="col" class="num">
                  RSSI
                </th>
              </tr>
            </thead>
            <tbody>
              {a.recentPackets.map((p) => (
                <tr data-hash={p.hash}>
                  <td>
                    <Time t={p.timestamp} />
                  </td>
                  <td>
                    <a class="hex" href={href(`packets/${p.hash}`)}>
                      {p.hash.toUpperCase()}
                    </a>
                  </td>
                  <td>
                    <TypeBadge type={p.payload_type} />
                  </td>
                  <td class="num">{safeJson<string[]>(p.path_json, []).length}</td>
                  <td class="num">{snr(p.snr)}</td>
                  <td class="num">{unit(p.rssi, 'dBm', 0)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </AnalyticCard>
  );
}

export function ClockText({ o, skew }: { o: ObserverItem; skew: ObserverClockSkewItem | null }) {
  if (skew)
    return (
      <>
        <span class="num">{offsetText(skew.offsetSec)}</span>{' '}
        <span class="muted">
          {skew.method === 'uploader-clock'
            ? `from ${count(skew.samples)} uploader timestamps`
            : `ingest latency vs other observers, ${count(skew.samples)} samples (no own clock)`}
        </span>
      </>
    );
  if (o.clock_naive)
    return (
      <>
        <span class="num">{offsetText(o.clock_skew_seconds)}</span>{' '}
        <span class="muted">naive clock, {count(o.clock_skew_count_24h)} readings in 24 h</span>
      </>
    );
  return <span class="muted">not calibrated yet</span>;
}

/** The observer's entry of /observers/clock-skew: its offset, the method and the sample count. */
export function ClockCard({ o }: { o: ObserverItem }) {
  const st = useAnalytic<ObserverClockSkewItem[]>('/observers/clock-skew', { refreshMs: 30_000 });
  return (
    <AnalyticCard
      id="obs-clock"
      title="Clock calibration"
      state={st}
      how={
        <p>
          With uploader timestamps, the offset is the median of (uploader time − server receive time) over the
          observer's recent packets. Without them, meshlens reports the observer's ingest latency relative to
          the other observers that heard the same packets, labelled as such, instead of a made-up clock
          offset.
        </p>
      }
    >
      {(list) => {
        const s = list.find((x) => x.observerID === o.id) ?? null;
        if (!s && !o.clock_naive)
          return (
            <DataState empty emptyText="No calibration for this observer yet (too few shared packets)." />
          );
        return (
          <div class="obs-clock" data-offset={s ? String(s.offsetSec) : ''}>
            <p class="obs-clock-value num">{offsetText(s ? s.offsetSec : o.clock_skew_seconds)}</p>
            <p>
              <ClockText o={o} skew={s} />
            </p>
            {s ? (
              <p class="muted">
                {s.offsetSec > 0 ? 'ahead of' : s.offsetSec < 0 ? 'behind' : 'in step with'}{' '}
                {s.method === 'uploader-clock' ? 'the server clock' : 'the other observers'}
              </p>
            ) : null}
          </div>
        );
      }}
    </AnalyticCard>
  );
}
