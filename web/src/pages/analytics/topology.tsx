// Topology tab (spec frontend §3 #3, analytics §3.1): how many hops transmissions take, which
// relays and relay pairs carry them, whether longer paths arrive weaker, and what each
// observer hears at each hop distance. One snapshot (/analytics/topology) feeds every card.
import type { TopologyResponse } from '../../../../src/api/contract';
import { useAnalytic, type AnalyticState } from '../../app/use-analytic';
import { count } from '../../app/format';
import { AnalyticCard } from '../../components/analytic-card';
import { Stat } from '../../components/bits';
import { Chart } from '../../components/chart';
import { BarRows, SortTable } from '../../components/data-views';
import { BubbleChart } from './bubble-chart';
import { analyticsPath, type TabProps } from './context';
import { HopLabel } from './hop-label';
import { BestPathCard, CrossObserverCard, ReachCard } from './topology-reach';
import '../../styles/analytics-i12b.css';

type St = AnalyticState<TopologyResponse>;

const hops = (n: number) => `${n} hop${n === 1 ? '' : 's'}`;

function HopHistogramCard({ st }: { st: St }) {
  return (
    <AnalyticCard
      id="hop-histogram"
      title="Hops per transmission"
      state={st}
      empty={(d) => d.hopDistribution.length === 0}
      how={
        <p>
          Each transmission counted once, by the hop count of its best observation (the one with the longest
          path). Transmissions with no relay hop are left out. The median is the upper median (the value at
          position ⌊n/2⌋), as the reference computes it; the bars stop at 25 hops, the maximum does not.
        </p>
      }
    >
      {(d) => {
        const total = d.hopDistribution.reduce((a, b) => a + b.count, 0);
        return (
          <>
            <div class="stat-cards" data-stats="hops">
              <Stat label="Average hops" value={d.avgHops.toFixed(2)} />
              <Stat label="Median hops" value={String(d.medianHops)} />
              <Stat label="Max hops" value={String(d.maxHops)} />
              <Stat label="Active nodes (7 d)" value={count(d.uniqueNodes)} />
            </div>
            <Chart
              x={d.hopDistribution.map((h) => h.hops)}
              series={[
                { label: 'Transmissions', values: d.hopDistribution.map((h) => h.count), kind: 'bars' },
              ]}
              xLabels={Array.from({ length: d.maxHops + 1 }, (_, i) => String(i))}
              xLabel="Hops"
              yLabel="Transmissions"
              summary={`Hop counts of ${total} transmissions: ${d.hopDistribution
                .map((h) => `${hops(h.hops)}: ${h.count}`)
                .join(', ')}.`}
            />
          </>
        );
      }}
    </AnalyticCard>
  );
}

function TopRepeatersCard({ st }: { st: St }) {
  return (
    <AnalyticCard
      id="top-repeaters"
      title="Top 15 repeaters"
      state={st}
      empty={(d) => d.topRepeaters.length === 0}
      how={
        <p>
          How many transmissions each relay prefix appears in (best observation's path). A prefix that matches
          exactly one node is merged with that node's other prefix lengths and shown by name; an ambiguous
          prefix stays a separate row in hex. The reference ranks the same way; meshlens breaks ties by
          prefix.
        </p>
      }
    >
      {(d) => (
        <BarRows
          label="Transmissions relayed, by repeater"
          rows={d.topRepeaters.slice(0, 15).map((r) => ({
            key: r.hop,
            label: <HopLabel hop={r.hop} name={r.name} pubkey={r.pubkey} />,
            value: r.count,
            text: count(r.count),
            color: '--role-repeater',
          }))}
        />
      )}
    </AnalyticCard>
  );
}

function PairsCard({ st }: { st: St }) {
  return (
    <AnalyticCard
      id="repeater-pairs"
      title="Repeater pairs"
      state={st}
      empty={(d) => d.topPairs.length === 0}
      how={
        <p>
          Adjacent hops in a path, counted per transmission as an unordered pair (A–B equals B–A); a pair of
          the same prefix (a repeater heard relaying its own relay, or two nodes sharing a prefix) is kept, as
          in the reference. Pairs whose both ends resolve to one node are merged by node.
        </p>
      }
    >
      {(d) => (
        <SortTable
          caption="Most frequent adjacent repeater pairs"
          initial={{ key: 'count', desc: true }}
          rows={d.topPairs}
          rowKey={(r) => `${r.hopA}|${r.hopB}`}
          columns={[
            {
              key: 'a',
              label: 'Repeater A',
              sort: (r) => r.nameA ?? r.hopA,
              render: (r) => <HopLabel hop={r.hopA} name={r.nameA} pubkey={r.pubkeyA} />,
            },
            {
              key: 'b',
              label: 'Repeater B',
              sort: (r) => r.nameB ?? r.hopB,
              render: (r) => <HopLabel hop={r.hopB} name={r.nameB} pubkey={r.pubkeyB} />,
            },
            { key: 'count', label: 'Together', num: true, render: (r) => count(r.count) },
          ]}
        />
      )}
    </AnalyticCard>
  );
}

function HopsVsSnrCard({ st }: { st: St }) {
  return (
    <AnalyticCard
      id="hops-vs-snr"
      title="Hops vs SNR"
      state={st}
      empty={(d) => d.hopsVsSnr.length === 0}
      emptyText="No transmission in this window carries an SNR."
      how={
        <p>
          For each hop count up to 20: the mean SNR of the best observation (the observer that heard the
          longest path) over the transmissions that report one; a bubble's area is proportional to how many
          they are. The SNR is the last hop's (observer's) reception, not the whole path's quality.
        </p>
      }
    >
      {(d) => (
        <BubbleChart
          bubbles={d.hopsVsSnr.map((h) => ({
            x: h.hops,
            y: h.avgSnr,
            weight: h.count,
            title: `${hops(h.hops)}: avg SNR ${h.avgSnr.toFixed(2)} dB over ${h.count} transmissions`,
          }))}
          xLabel="Hops"
          yLabel="Avg SNR (dB)"
          summary={`Average SNR by hop count: ${d.hopsVsSnr
            .map((h) => `${hops(h.hops)}: ${h.avgSnr.toFixed(2)} dB (${h.count} transmissions)`)
            .join(', ')}.`}
        />
      )}
    </AnalyticCard>
  );
}

export default function TopologyTab(p: TabProps) {
  const st = useAnalytic<TopologyResponse>(
    analyticsPath('/analytics/topology', p, ['region', 'window', 'area']),
  );
  return (
    <div class="agrid">
      <HopHistogramCard st={st} />
      <TopRepeatersCard st={st} />
      <PairsCard st={st} />
      <HopsVsSnrCard st={st} />
      <ReachCard st={st} />
      <BestPathCard st={st} />
      <CrossObserverCard st={st} />
    </div>
  );
}
