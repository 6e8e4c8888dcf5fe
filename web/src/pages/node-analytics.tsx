// A node's analytics (`#/nodes/<pk or 8+ digit prefix>/analytics?days=`, spec frontend §2.7):
// stat cards, activity, SNR per observer, packet types, observers, hops, the uptime heatmap,
// peers and computed stats from /nodes/<pk>/analytics; clock skew and drift from
// /nodes/<pk>/clock-skew; battery from /nodes/<pk>/battery. Every card is an AnalyticCard (one
// shared conditional poll per path); a node with no data for a card shows an empty card.
import type { ComponentChildren } from 'preact';
import type {
  NodeAnalyticsResponse,
  NodeBatteryResponse,
  NodeClockSkewDetail,
} from '../../../src/api/contract';
import type { PageProps } from '../app/routes';
import { useAnalytic } from '../app/use-analytic';
import { AnalyticCard } from '../components/analytic-card';
import { BatteryView } from './node-analytics/battery';
import { ActivityChart, HopChart, ObserverBars, SnrChart, TypeBars } from './node-analytics/charts';
import { ClockSkewView } from './node-analytics/clock';
import { absentOn404, NodeSubPage, type RangeOption } from './node-analytics/common';
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
  return (
    <NodeSubPage
      name="node-analytics"
      what="Analytics"
      arg={args[0] ?? ''}
      daysRaw={route.params.get('days')}
      ranges={RANGES}
      sibling={{ path: 'reach', label: 'Reach' }}
    >
      {(pk, days) => <NodeAnalyticsCards pk={pk} days={days} />}
    </NodeSubPage>
  );
}

interface CardSpec {
  id: string;
  title: string;
  wide?: boolean;
  how: ComponentChildren;
  /** Nothing to show in this snapshot (default: no packet in the range). */
  empty?: (d: NodeAnalyticsResponse) => boolean;
  emptyText?: string;
  render: (d: NodeAnalyticsResponse) => ComponentChildren;
}

/** The cards of /nodes/<pk>/analytics (one snapshot, one shared poll). */
const CARDS: CardSpec[] = [
  {
    id: 'stats',
    title: 'At a glance',
    wide: true,
    how: HOW.stats,
    render: (d) => <StatCards s={d.computedStats} hasSnr={d.snrTrend.length > 0} />,
  },
  {
    id: 'activity',
    title: 'Activity',
    wide: true,
    how: HOW.activity,
    render: (d) => <ActivityChart d={d} />,
  },
  {
    id: 'snr',
    title: 'SNR per observer',
    how: HOW.snr,
    empty: (d) => d.snrTrend.length === 0,
    emptyText: 'No SNR reading: the observers that heard this node reported no SNR.',
    render: (d) => <SnrChart d={d} />,
  },
  { id: 'types', title: 'Packet types', how: HOW.types, render: (d) => <TypeBars d={d} /> },
  {
    id: 'observers',
    title: 'Packets per observer',
    how: HOW.observers,
    empty: (d) => d.observerCoverage.length === 0,
    emptyText: 'No observer heard this node in this range.',
    render: (d) => <ObserverBars d={d} />,
  },
  { id: 'hops', title: 'Hops', how: HOW.hops, render: (d) => <HopChart d={d} /> },
  {
    id: 'heatmap',
    title: 'Uptime by weekday and hour (UTC)',
    wide: true,
    how: HOW.heatmap,
    render: (d) => <UptimeHeatmap cells={d.uptimeHeatmap} />,
  },
  {
    id: 'peers',
    title: 'Peers',
    how: HOW.peers,
    empty: (d) => d.peerInteractions.length === 0,
    emptyText: "No peer: this node relayed no other node's advert in this range.",
    render: (d) => <PeersTable peers={d.peerInteractions} />,
  },
  {
    id: 'computed',
    title: 'Computed stats',
    how: HOW.computed,
    empty: () => false,
    render: (d) => <ComputedStats d={d} />,
  },
];

const ABSENT = 'No analytics for this node yet: the last snapshot does not include it.';

function NodeAnalyticsCards({ pk, days }: { pk: string; days: number }) {
  // A 404 (a node the snapshot does not know yet) is an empty card, not an error.
  const st = absentOn404(
    useAnalytic<NodeAnalyticsResponse>(`/nodes/${pk}/analytics?days=${days}`, { refreshMs: 10_000 }),
  );
  const skew = absentOn404(
    useAnalytic<NodeClockSkewDetail>(`/nodes/${pk}/clock-skew`, { refreshMs: 30_000 }),
  );
  const battery = useAnalytic<NodeBatteryResponse>(`/nodes/${pk}/battery?days=${days}`, {
    refreshMs: 30_000,
  });
  const none = (d: NodeAnalyticsResponse) => d.computedStats.totalPackets === 0;
  const noneText = `No packet from or through this node in the last ${days === 1 ? '24 hours' : `${days} days`}.`;
  return (
    <div class="agrid">
      {CARDS.map((c) => (
        <AnalyticCard
          id={c.id}
          title={c.title}
          state={st}
          wide={c.wide}
          how={c.how}
          empty={(m) => m.absent || (c.empty ?? none)(m.value)}
          emptyText={st.data?.absent ? ABSENT : (c.emptyText ?? noneText)}
        >
          {(m) => (m.absent ? null : c.render(m.value))}
        </AnalyticCard>
      ))}
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
