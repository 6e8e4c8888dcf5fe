// Overview tab (spec frontend §3 #1): the mesh in nine numbers, packets per hour, the payload
// mix, the hop-count distribution and the relay airtime share. Reads rf, topology, channels
// (region + window [+ area]), hash sizes (region + area: always all data) and relay airtime
// (window only), each with only the parameters it takes.
import type { ComponentChildren } from 'preact';
import type {
  ChannelsOverviewFields,
  HashSizesOverviewFields,
  RfAnalyticsResponse,
  TopologyOverviewFields,
} from '../../../../src/api/contract';
import { count, rssi, unit } from '../../app/format';
import { useAnalytic } from '../../app/use-analytic';
import { AnalyticCard } from '../../components/analytic-card';
import { Chart } from '../../components/chart';
import { BarRows } from '../../components/data-views';
import { Sparkline } from '../../components/sparkline';
import '../../styles/analytics-i12a.css';
import { combineStates } from './combine-states';
import { analyticsPath, type TabProps } from './context';
import { RelayAirtimeCard } from './relay-airtime';
import { fillHours, hourLabel, typeNameLabel, typeToken } from './rf-series';
import { StatGrid, type StatTile } from './stat-grid';

const dB = (n: number) => unit(n, 'dB', 1);

function tiles(
  rf: RfAnalyticsResponse,
  topo: TopologyOverviewFields,
  ch: ChannelsOverviewFields,
  hs: HashSizesOverviewFields,
): StatTile[] {
  const hasSnr = rf.totalPackets > 0;
  const hasRssi = rf.rssiValues.bins.length > 0;
  const perHour = fillHours(rf.packetsPerHour, (r) => r.count).y as number[];
  const multi = hs.distribution['2'] + hs.distribution['3'];
  return [
    {
      id: 'transmissions',
      label: 'Transmissions',
      value: count(rf.totalTransmissions),
      detail: `${count(rf.totalAllPackets)} observations`,
      extra: <Sparkline values={perHour} label="Transmissions per hour" width={140} />,
    },
    {
      id: 'nodes',
      label: 'Unique nodes',
      value: count(topo.uniqueNodes),
      detail: 'heard in the last 7 days',
    },
    {
      id: 'snr',
      label: 'Avg SNR',
      value: hasSnr ? dB(rf.snr.avg) : '—',
      detail: hasSnr ? `${dB(rf.snr.min)} … ${dB(rf.snr.max)}` : 'no SNR reported',
    },
    {
      id: 'rssi',
      label: 'Avg RSSI',
      value: hasRssi ? rssi(rf.rssi.avg) : '—',
      detail: hasRssi ? `${rssi(rf.rssi.min)} … ${rssi(rf.rssi.max)}` : 'no RSSI reported',
    },
    {
      id: 'hops',
      label: 'Avg / max hops',
      value: `${topo.avgHops.toFixed(1)} / ${topo.maxHops}`,
      detail: `median ${topo.medianHops}`,
    },
    {
      id: 'channels',
      label: 'Channels active',
      value: count(ch.activeChannels),
      detail: `${count(ch.decryptable)} decryptable`,
    },
    {
      id: 'multibyte',
      label: 'Multi-byte hop hashes',
      value: hs.total > 0 ? unit((100 * multi) / hs.total, '%', 1) : '—',
      detail: `${count(multi)} of ${count(hs.total)} routed packets (all time)`,
    },
    {
      id: 'size',
      label: 'Packet size',
      value: unit(rf.avgPacketSize, 'B', 0),
      detail: `${rf.minPacketSize} … ${rf.maxPacketSize} B`,
    },
    {
      id: 'span',
      label: 'Time span',
      value: unit(rf.timeSpanHours, 'h', 1),
      detail: 'first to last observation',
    },
  ];
}

function PacketsPerHour({ rf }: { rf: RfAnalyticsResponse }) {
  const { x, y } = fillHours(rf.packetsPerHour, (r) => r.count);
  const peak = rf.packetsPerHour.reduce((a, r) => (r.count > a.count ? r : a), rf.packetsPerHour[0]);
  const total = rf.packetsPerHour.reduce((a, r) => a + r.count, 0);
  const summary =
    `Packets per hour over ${x.length} hours: ${count(total)} in total, ` +
    `peak ${count(peak.count)} at ${hourLabel(Date.parse(`${peak.hour}:00:00Z`) / 1000)} on ${peak.hour.slice(0, 10)}.`;
  return (
    <Chart
      x={x}
      time
      series={[{ label: 'Packets', values: y, kind: 'bars', color: '--chart-2' }]}
      yLabel="packets / hour"
      summary={summary}
    />
  );
}

function PayloadMix({ rf }: { rf: RfAnalyticsResponse }) {
  const total = rf.payloadTypes.reduce((a, r) => a + r.count, 0);
  return (
    <BarRows
      label="Share of transmissions by payload type"
      max={100}
      rows={rf.payloadTypes.map((r) => {
        const pct = (100 * r.count) / Math.max(1, total);
        return {
          key: r.name,
          label: <span title={r.name}>{typeNameLabel(r.name)}</span>,
          value: pct,
          text: `${pct.toFixed(1)} % (${count(r.count)})`,
          color: typeToken(r.type),
        };
      })}
    />
  );
}

function HopCount({ topo }: { topo: TopologyOverviewFields }) {
  const d = topo.hopDistribution;
  const mode = d.reduce((a, r) => (r.count > a.count ? r : a), d[0]);
  // Every hop count from 1 to the largest listed, zero where none: whole-number ticks only.
  const top = d[d.length - 1].hops;
  const byHops = new Map(d.map((r) => [r.hops, r.count]));
  const x = Array.from({ length: top }, (_, i) => i + 1);
  const labels = Array.from({ length: top + 1 }, (_, i) => String(i));
  return (
    <Chart
      x={x}
      xLabels={labels}
      series={[
        {
          label: 'Transmissions',
          values: x.map((h) => byHops.get(h) ?? 0),
          kind: 'bars',
          color: '--chart-1',
        },
      ]}
      xLabel="hops"
      yLabel="transmissions"
      summary={
        `Hop count: average ${topo.avgHops.toFixed(1)}, median ${topo.medianHops}, maximum ${topo.maxHops}; ` +
        `most common ${mode.hops} hops (${count(mode.count)} transmissions).`
      }
    />
  );
}

/** The "how this is computed" note of each card. */
const HOW: Record<string, () => ComponentChildren> = {
  'overview-stats': () => (
    <>
      <p>
        Transmissions are distinct packet hashes, observations every reception of them (rf analytic, over the
        window and region). SNR and RSSI average the observations that reported them; when none did, meshlens
        shows "—" where the reference shows a misleading 0 dB. Packet size is the frame length, the time span
        runs from the first to the last observation.
      </p>
      <p>
        Unique nodes counts nodes heard in the last 7 days, whatever the filters (as the reference). Hops come
        from each transmission's best path (its longest observed path). Channels group channel messages by
        channel hash; a name counts only if its key matches the hash. Multi-byte hop hashes are the share of
        routed packets whose path uses 2- or 3-byte hashes, over all data (hash sizes take no window). An
        unknown region answers empty, never global data (reference: global data).
      </p>
    </>
  ),
  'packets-per-hour': () => (
    <p>
      Distinct transmissions per UTC hour of their observations (a packet heard by several observers in one
      hour counts once). Hours without any packet are drawn as zero, where the reference leaves them out and
      closes the gap.
    </p>
  ),
  'payload-mix': () => (
    <p>
      Share of distinct transmissions per payload type (the header's type bits), largest first. Types are
      named as in the packet list; reserved types show as Unknown, not as an unnamed number.
    </p>
  ),
  'hop-count': () => (
    <p>
      Transmissions by the number of hops in their best path (the longest path any observer reported), up to
      25 hops as in the reference; the maximum above counts longer paths too. Zero-hop packets (heard
      directly) carry no path and are not counted.
    </p>
  ),
};

export default function OverviewTab(p: TabProps) {
  const rf = useAnalytic<RfAnalyticsResponse>(
    analyticsPath('/analytics/rf', p, ['region', 'window', 'area']),
  );
  const topo = useAnalytic<TopologyOverviewFields>(
    analyticsPath('/analytics/topology', p, ['region', 'window', 'area']),
  );
  const ch = useAnalytic<ChannelsOverviewFields>(
    analyticsPath('/analytics/channels', p, ['region', 'window']),
  );
  const hs = useAnalytic<HashSizesOverviewFields>(
    analyticsPath('/analytics/hash-sizes', p, ['region', 'area']),
  );
  const stats = combineStates(rf, topo, ch, hs);
  return (
    <div class="agrid">
      <AnalyticCard
        id="overview-stats"
        title="The mesh at a glance"
        state={stats}
        wide
        how={HOW['overview-stats']()}
      >
        {([r, t, c, h]) => <StatGrid label="Mesh summary" tiles={tiles(r, t, c, h)} />}
      </AnalyticCard>
      <AnalyticCard
        id="packets-per-hour"
        title="Packets per hour"
        state={rf}
        empty={(d) => d.packetsPerHour.length === 0}
        how={HOW['packets-per-hour']()}
      >
        {(d) => <PacketsPerHour rf={d} />}
      </AnalyticCard>
      <AnalyticCard
        id="payload-mix"
        title="Payload mix"
        state={rf}
        empty={(d) => d.payloadTypes.length === 0}
        how={HOW['payload-mix']()}
      >
        {(d) => <PayloadMix rf={d} />}
      </AnalyticCard>
      <AnalyticCard
        id="hop-count"
        title="Hop count"
        state={topo}
        empty={(d) => d.hopDistribution.length === 0}
        how={HOW['hop-count']()}
      >
        {(d) => <HopCount topo={d} />}
      </AnalyticCard>
      <RelayAirtimeCard {...p} />
    </div>
  );
}
