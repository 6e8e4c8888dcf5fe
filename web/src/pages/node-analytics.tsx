// A node's analytics (`#/nodes/<pk or 8+ digit prefix>/analytics?days=`, spec frontend §2.7):
// stat cards, activity, SNR per observer, packet types, observers, hops, the uptime heatmap,
// peers and computed stats from /nodes/<pk>/analytics; clock skew and drift from
// /nodes/<pk>/clock-skew; battery from /nodes/<pk>/battery. Every card is an AnalyticCard (one
// shared conditional poll per path); a node with no data for a card shows an empty card.
import { useState } from 'preact/hooks';
import type {
  NodeAnalyticsResponse,
  NodeBatteryResponse,
  NodeClockSkewDetail,
} from '../../../src/api/contract';
import type { PageProps } from '../app/routes';
import { href } from '../app/router';
import { useAnalytic } from '../app/use-analytic';
import { AnalyticCard, LoadGate } from '../components/analytic-card';
import { DataState, Page } from '../components/page';
import { BatteryView } from './node-analytics/battery';
import { ActivityChart, HopChart, ObserverBars, SnrChart, TypeBars } from './node-analytics/charts';
import { ClockSkewView } from './node-analytics/clock';
import {
  absentOn404,
  daysParam,
  NodeNotFound,
  NodeTitle,
  RangePills,
  useResolvedNode,
  type RangeOption,
} from './node-analytics/common';
import { UptimeHeatmap } from './node-analytics/heatmap';
import { HOW } from './node-analytics/how';
import { PeersTable } from './node-analytics/peers';
import { ComputedStats, StatCards } from './node-analytics/stats';
import '../styles/analytics.css';
import '../styles/analytics-i12f.css';

export const RANGES: RangeOption[] = [
  { days: 1, label: '24 h' },
  { days: 7, label: '7 d' },
  { days: 30, label: '30 d' },
  { days: 365, label: 'All (365 d)' },
];

export default function NodeAnalyticsPage({ route, args }: PageProps) {
  const arg = args[0] ?? '';
  const r = useResolvedNode(arg);
  const days = daysParam(route.params.get('days'), RANGES, 7);
  const [loaded, setLoaded] = useState(false);
  const pk = r.node?.public_key ?? null;
  if (r.notFound)
    return (
      <Page name="node-analytics" title="Node not found" loaded>
        <NodeNotFound keyOrPrefix={arg} />
      </Page>
    );
  return (
    <Page
      name="node-analytics"
      title={<NodeTitle node={r.node} what="Analytics" />}
      loaded={pk !== null && loaded}
      actions={
        pk ? (
          <>
            <a href={href(`nodes/${pk}`)}>Node page</a>
            <a href={href(`nodes/${pk}/reach`)}>Reach</a>
          </>
        ) : null
      }
    >
      <div class="controls node-range">
        <RangePills options={RANGES} current={days} />
      </div>
      {pk ? (
        <LoadGate onLoaded={setLoaded}>
          <NodeAnalyticsCards pk={pk} days={days} />
        </LoadGate>
      ) : (
        <DataState loading={r.loading} error={r.error} />
      )}
    </Page>
  );
}

function NodeAnalyticsCards({ pk, days }: { pk: string; days: number }) {
  const st = useAnalytic<NodeAnalyticsResponse>(`/nodes/${pk}/analytics?days=${days}`, { refreshMs: 10_000 });
  const skew = absentOn404(
    useAnalytic<NodeClockSkewDetail>(`/nodes/${pk}/clock-skew`, { refreshMs: 30_000 }),
  );
  const battery = useAnalytic<NodeBatteryResponse>(`/nodes/${pk}/battery?days=${Math.min(days, 365)}`, {
    refreshMs: 30_000,
  });
  const none = (d: NodeAnalyticsResponse) => d.computedStats.totalPackets === 0;
  const noneText = `No packet from or through this node in the last ${days === 1 ? '24 hours' : `${days} days`}.`;
  return (
    <div class="agrid">
      <AnalyticCard
        id="stats"
        title="At a glance"
        state={st}
        wide
        how={HOW.stats}
        empty={none}
        emptyText={noneText}
      >
        {(d) => <StatCards s={d.computedStats} hasSnr={d.snrTrend.length > 0} />}
      </AnalyticCard>
      <AnalyticCard
        id="activity"
        title="Activity"
        state={st}
        wide
        how={HOW.activity}
        empty={none}
        emptyText={noneText}
      >
        {(d) => <ActivityChart d={d} />}
      </AnalyticCard>
      <AnalyticCard
        id="snr"
        title="SNR per observer"
        state={st}
        how={HOW.snr}
        empty={(d) => d.snrTrend.length === 0}
        emptyText="No SNR reading: the observers that heard this node reported no SNR."
      >
        {(d) => <SnrChart d={d} />}
      </AnalyticCard>
      <AnalyticCard
        id="types"
        title="Packet types"
        state={st}
        how={HOW.types}
        empty={none}
        emptyText={noneText}
      >
        {(d) => <TypeBars d={d} />}
      </AnalyticCard>
      <AnalyticCard
        id="observers"
        title="Packets per observer"
        state={st}
        how={HOW.observers}
        empty={(d) => d.observerCoverage.length === 0}
        emptyText="No observer heard this node in this range."
      >
        {(d) => <ObserverBars d={d} />}
      </AnalyticCard>
      <AnalyticCard id="hops" title="Hops" state={st} how={HOW.hops} empty={none} emptyText={noneText}>
        {(d) => <HopChart d={d} />}
      </AnalyticCard>
      <AnalyticCard
        id="heatmap"
        title="Uptime by weekday and hour (UTC)"
        state={st}
        wide
        how={HOW.heatmap}
        empty={none}
        emptyText={noneText}
      >
        {(d) => <UptimeHeatmap cells={d.uptimeHeatmap} />}
      </AnalyticCard>
      <AnalyticCard
        id="peers"
        title="Peers"
        state={st}
        how={HOW.peers}
        empty={(d) => d.peerInteractions.length === 0}
        emptyText="No peer: this node relayed no other node's advert in this range."
      >
        {(d) => <PeersTable peers={d.peerInteractions} />}
      </AnalyticCard>
      <AnalyticCard id="computed" title="Computed stats" state={st} how={HOW.computed}>
        {(d) => <ComputedStats d={d} />}
      </AnalyticCard>
      <AnalyticCard
        id="clock"
        title="Clock skew and drift"
        state={skew}
        how={HOW.clock}
        empty={(d) => d.absent}
        emptyText="No clock data: no advert timestamp of this node to compare with when it was heard."
      >
        {(d) => (d.absent ? null : <ClockSkewView c={d.value} />)}
      </AnalyticCard>
      <AnalyticCard
        id="battery"
        title="Battery"
        state={battery}
        how={HOW.battery}
        empty={(d) => d.samples.length === 0}
        emptyText="No battery reading in this range (the node reports none, or has no observer of its own)."
      >
        {(d) => <BatteryView b={d} />}
      </AnalyticCard>
    </div>
  );
}
