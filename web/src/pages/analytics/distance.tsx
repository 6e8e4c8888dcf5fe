// Distance tab (spec frontend §3 #10, analytics §3.3): how far single hops reach, by link type,
// over time, and the longest hops and paths. Only hops between nodes that advertised a GPS
// position are measured. One snapshot (/analytics/distance: region, area; no window) feeds all.
import { useState } from 'preact/hooks';
import type { DistanceLinkType, DistanceResponse } from '../../../../src/api/contract';
import { useAnalytic, type AnalyticState } from '../../app/use-analytic';
import { href } from '../../app/router';
import { count, km, snr } from '../../app/format';
import { AnalyticCard } from '../../components/analytic-card';
import { NodeLink, Stat, Time } from '../../components/bits';
import { Chart } from '../../components/chart';
import { SortTable } from '../../components/data-views';
import { analyticsPath, type TabProps } from './context';
import { MoreToggle } from './hop-label';
import '../../styles/analytics-i12b.css';

type St = AnalyticState<DistanceResponse>;

const TYPES: { key: DistanceLinkType; label: string }[] = [
  { key: 'R↔R', label: 'Repeater ↔ repeater' },
  { key: 'C↔R', label: 'Companion ↔ repeater' },
  { key: 'C↔C', label: 'Companion ↔ companion' },
];

const MEASURED =
  'A hop is measured between consecutive nodes of the best observation path that resolve to a node with a GPS position (hops without one are skipped, so a "hop" may span several relays); links over 300 km are dropped as resolution errors, as in the reference.';

function SummaryCard({ st }: { st: St }) {
  return (
    <AnalyticCard
      id="distance-summary"
      title="Hop distances"
      state={st}
      wide
      how={
        <p>
          {MEASURED} Great-circle (haversine, R = 6371 km) distance. Paths analysed are transmissions with at
          least one measured hop. meshlens runs this like any other snapshot (the reference builds its index
          lazily and answers 202 meanwhile).
        </p>
      }
    >
      {(d) => (
        <div class="stat-cards" data-stats="distance">
          <Stat label="Paths analysed" value={count(d.summary.totalPaths)} />
          <Stat label="Hops measured" value={count(d.summary.totalHops)} />
          <Stat label="Average hop" value={km(d.summary.avgDist)} />
          <Stat label="Longest hop" value={km(d.summary.maxDist)} />
        </div>
      )}
    </AnalyticCard>
  );
}

function LinkTypeCard({ st }: { st: St }) {
  return (
    <AnalyticCard
      id="link-types"
      title="By link type"
      state={st}
      empty={(d) => d.summary.totalHops === 0}
      how={
        <p>
          A hop is repeater ↔ repeater when both ends' role contains "repeater", companion ↔ companion when
          neither does (rooms and sensors count as companions), else mixed. Median is the upper median. Every
          measured hop counts, so a link used by many transmissions weighs more.
        </p>
      }
    >
      {(d) => (
        <SortTable
          caption="Hop distance by link type, in km"
          rows={TYPES.map((t) => ({ ...d.catStats[t.key], key: t.key, label: t.label }))}
          rowKey={(r) => r.key}
          columns={[
            { key: 'label', label: 'Link type' },
            { key: 'count', label: 'Hops', num: true, render: (r) => count(r.count) },
            { key: 'avg', label: 'Avg', num: true, render: (r) => km(r.avg) },
            { key: 'median', label: 'Median', num: true, render: (r) => km(r.median) },
            { key: 'min', label: 'Min', num: true, render: (r) => km(r.min) },
            { key: 'max', label: 'Max', num: true, render: (r) => km(r.max) },
          ]}
        />
      )}
    </AnalyticCard>
  );
}

function HistogramCard({ st }: { st: St }) {
  return (
    <AnalyticCard
      id="distance-histogram"
      title="Hop distance histogram"
      state={st}
      empty={(d) => d.distHistogram.bins.length === 0}
      how={
        <p>
          25 equal bins between the shortest and the longest measured hop; each bar starts at its bin's lower
          edge. With no hop the server answers empty bins (the reference: an empty array).
        </p>
      }
    >
      {(d) => (
        <Chart
          x={d.distHistogram.bins.map((b) => b.x)}
          series={[
            {
              label: 'Hops',
              values: d.distHistogram.bins.map((b) => b.count),
              kind: 'bars',
              color: '--chart-2',
            },
          ]}
          xLabel="Distance (km)"
          yLabel="Hops"
          summary={`Hop distances from ${km(d.distHistogram.min)} to ${km(d.distHistogram.max)}: ${d.distHistogram.bins
            .filter((b) => b.count > 0)
            .map((b) => `${b.x}–${+(b.x + b.w).toFixed(1)} km: ${b.count}`)
            .join(', ')}.`}
        />
      )}
    </AnalyticCard>
  );
}

function OverTimeCard({ st }: { st: St }) {
  return (
    <AnalyticCard
      id="distance-over-time"
      title="Average hop distance over time"
      state={st}
      wide
      empty={(d) => d.distOverTime.length === 0}
      how={
        <p>
          Per UTC hour of the transmissions' first reception: the mean distance of the hops measured in it
          (line) and how many there were (shaded, right axis).
        </p>
      }
    >
      {(d) => (
        <Chart
          time
          x={d.distOverTime.map((h) => Date.parse(`${h.hour}:00:00Z`) / 1000)}
          series={[
            {
              label: 'Avg hop (km)',
              values: d.distOverTime.map((h) => h.avg),
              kind: 'line',
              format: (v) => km(v),
            },
            {
              label: 'Hops',
              values: d.distOverTime.map((h) => h.count),
              kind: 'area',
              scale: 'y2',
              color: '--chart-3',
            },
          ]}
          yLabel="km"
          y2Label="Hops"
          summary={`Average hop distance per hour (UTC): ${d.distOverTime
            .map((h) => `${h.hour.slice(11)}:00 ${km(h.avg)} over ${h.count} hops`)
            .join(', ')}.`}
        />
      )}
    </AnalyticCard>
  );
}

function LongestHopsCard({ st }: { st: St }) {
  return (
    <AnalyticCard
      id="longest-hops"
      title="Top 20 longest hops"
      state={st}
      wide
      empty={(d) => d.topHops.length === 0}
      how={
        <p>
          Hops grouped by node pair (either direction); each row is the pair's longest record, with how many
          transmissions used the pair and the best and median SNR of their best observations (the observer's
          SNR, not necessarily this link's).
        </p>
      }
    >
      {(d) => (
        <SortTable
          caption="Longest hops"
          initial={{ key: 'dist', desc: true }}
          rows={d.topHops}
          rowKey={(r) => `${r.fromPk}|${r.toPk}`}
          columns={[
            {
              key: 'from',
              label: 'From',
              sort: (r) => r.fromName,
              render: (r) => <NodeLink pk={r.fromPk} name={r.fromName} />,
            },
            {
              key: 'to',
              label: 'To',
              sort: (r) => r.toName,
              render: (r) => <NodeLink pk={r.toPk} name={r.toName} />,
            },
            { key: 'dist', label: 'Distance', num: true, render: (r) => km(r.dist) },
            { key: 'type', label: 'Type' },
            { key: 'obsCount', label: 'Transmissions', num: true },
            { key: 'bestSnr', label: 'Best SNR', num: true, render: (r) => snr(r.bestSnr) },
            {
              key: 'timestamp',
              label: 'Seen',
              render: (r) => (
                <a href={href(`packets/${r.hash}`)} title={`Packet ${r.hash}`}>
                  <Time t={r.timestamp} />
                </a>
              ),
            },
          ]}
        />
      )}
    </AnalyticCard>
  );
}

function LongestPathsCard({ st }: { st: St }) {
  const [all, setAll] = useState(false);
  return (
    <AnalyticCard
      id="longest-paths"
      title="Top 10 longest paths"
      state={st}
      wide
      empty={(d) => d.topPaths.length === 0}
      how={
        <p>
          Transmissions ranked by the sum of their measured hops (so a path through nodes without a position
          is shorter here than on the ground). The chain lists the measured nodes in order, each leg's length
          between them.
        </p>
      }
    >
      {(d) => {
        const rows = d.topPaths.slice(0, all ? 20 : 10);
        return (
          <>
            <ol class="long-paths">
              {rows.map((p) => (
                <li class="long-path" data-hash={p.hash}>
                  <div class="long-path-head">
                    <span class="long-path-total num">{km(p.totalDist)}</span>
                    <span class="muted">
                      {p.hopCount} measured hop{p.hopCount === 1 ? '' : 's'}
                    </span>
                    <a href={href(`packets/${p.hash}`)} class="hex">
                      {p.hash.slice(0, 8).toUpperCase()}
                    </a>
                    <Time t={p.timestamp} />
                  </div>
                  <div class="node-chain">
                    {p.hops.length > 0 ? <NodeLink pk={p.hops[0].fromPk} name={p.hops[0].fromName} /> : null}
                    {p.hops.map((h) => (
                      <>
                        <span class="chain-leg">→ {km(h.dist)} →</span>
                        <NodeLink pk={h.toPk} name={h.toName} />
                      </>
                    ))}
                  </div>
                </li>
              ))}
            </ol>
            <MoreToggle shown={10} total={d.topPaths.length} open={all} onToggle={() => setAll(!all)} />
          </>
        );
      }}
    </AnalyticCard>
  );
}

export default function DistanceTab(p: TabProps) {
  const st = useAnalytic<DistanceResponse>(analyticsPath('/analytics/distance', p, ['region', 'area']));
  return (
    <div class="agrid">
      <SummaryCard st={st} />
      <LinkTypeCard st={st} />
      <HistogramCard st={st} />
      <OverTimeCard st={st} />
      <LongestHopsCard st={st} />
      <LongestPathsCard st={st} />
    </div>
  );
}
