// RF Health's detail of one observer over the range: noise floor (dBm), TX/RX airtime (0–100 %),
// receive error rate and battery (V), with the reboots the server found as markers on each chart.
// Each chart's text alternative states the numbers it draws.
import type { ObserverMetricPointItem, ObserverMetricsResponse } from '../../../../../src/api/contract';
import { isoUtc } from '../../../app/format';
import { setParams } from '../../../app/router';
import { clientConfig } from '../../../app/server-state';
import type { AnalyticState } from '../../../app/use-analytic';
import { AnalyticCard } from '../../../components/analytic-card';
import { Chart, type ChartProps } from '../../../components/chart';
import { useMemo } from 'preact/hooks';
import { dbm, pct, volts } from './fleet';

type Field = 'noise_floor' | 'tx_airtime_pct' | 'rx_airtime_pct' | 'recv_error_rate' | 'battery_mv';

/** Latest, min and max of one field over the points that have it. */
export function fieldStats(points: ObserverMetricPointItem[], f: Field) {
  const v = points.map((p) => p[f]).filter((x): x is number => x !== null);
  if (v.length === 0) return null;
  return { n: v.length, latest: v[v.length - 1], min: Math.min(...v), max: Math.max(...v) };
}

function statText(points: ObserverMetricPointItem[], f: Field, fmt: (v: number) => string): string {
  const s = fieldStats(points, f);
  return s === null ? 'no samples' : `latest ${fmt(s.latest)}, min ${fmt(s.min)}, max ${fmt(s.max)}`;
}

interface Spec {
  id: string;
  title: string;
  props: Omit<ChartProps, 'x' | 'time' | 'markers'>;
}

/** The four charts of an answer (built once per answer: a poll of the summary keeps them drawn). */
function specs(d: ObserverMetricsResponse, rebootText: string, lowMv: number | null): Spec[] {
  const pts = d.metrics;
  const name = d.observer_name ?? d.observer_id.slice(0, 8);
  const col = (f: Field) => pts.map((p) => p[f]);
  return [
    {
      id: 'noise',
      title: 'Noise floor (dBm)',
      props: {
        height: 180,
        yLabel: 'dBm',
        series: [{ label: 'noise floor', values: col('noise_floor'), color: '--chart-1', format: dbm }],
        summary: `Noise floor of ${name}: ${pts.length} samples; ${statText(pts, 'noise_floor', dbm)}; ${rebootText}.`,
      },
    },
    {
      id: 'airtime',
      title: 'Airtime (%)',
      props: {
        height: 180,
        yLabel: '%',
        yRange: [0, 100],
        series: [
          { label: 'TX airtime', values: col('tx_airtime_pct'), color: '--chart-2', format: pct },
          { label: 'RX airtime', values: col('rx_airtime_pct'), color: '--chart-3', format: pct },
        ],
        summary: `Airtime of ${name}: TX ${statText(pts, 'tx_airtime_pct', pct)}; RX ${statText(pts, 'rx_airtime_pct', pct)}.`,
      },
    },
    {
      id: 'errors',
      title: 'Receive error rate (%)',
      props: {
        height: 160,
        yLabel: '%',
        yRange: [0, null],
        series: [{ label: 'error rate', values: col('recv_error_rate'), color: '--bad', format: pct }],
        summary: `Receive error rate of ${name}: ${statText(pts, 'recv_error_rate', pct)}.`,
      },
    },
    {
      id: 'battery',
      title: 'Battery (V)',
      props: {
        height: 160,
        yLabel: 'V',
        series: [
          {
            label: 'battery',
            values: pts.map((p) => (p.battery_mv === null ? null : p.battery_mv / 1000)),
            color: '--chart-4',
            format: (v) => `${v.toFixed(2)} V`,
          },
        ],
        hlines: lowMv !== null ? [{ y: lowMv / 1000, label: `low ${(lowMv / 1000).toFixed(2)} V` }] : [],
        summary: `Battery of ${name}: ${statText(pts, 'battery_mv', volts)}; ${rebootText}.`,
      },
    },
  ];
}

function Charts({ d }: { d: ObserverMetricsResponse }) {
  const pts = d.metrics;
  const lowMv = clientConfig.value?.batteryThresholds.lowMv ?? null;
  const n = d.reboots.length;
  const rebootText = `${n} reboot${n === 1 ? '' : 's'}${n > 0 ? ` (${d.reboots.map(isoUtc).join(', ')})` : ''}`;
  const x = useMemo(() => pts.map((p) => Date.parse(p.timestamp) / 1000), [d]);
  const markers = useMemo(() => d.reboots.map((t) => ({ x: Date.parse(t) / 1000, label: 'reboot' })), [d]);
  const charts = useMemo(() => specs(d, rebootText, lowMv), [d, lowMv]);
  const name = d.observer_name ?? d.observer_id.slice(0, 8);
  return (
    <>
      <p class="rf-detail-head">
        {name}: {pts.length} samples from {isoUtc(pts[0].timestamp)} to{' '}
        {isoUtc(pts[pts.length - 1].timestamp)}; <span data-field="reboots">{rebootText}</span>
        {d.truncated ? ' (only the newest samples: the range holds more than the server returns)' : ''}.
      </p>
      <div class="rf-charts">
        {charts.map((c) => (
          <section class="rf-chart" data-chart={c.id} key={c.id}>
            <h3>{c.title}</h3>
            <Chart x={x} time markers={markers} {...c.props} />
          </section>
        ))}
      </div>
    </>
  );
}

export function ObserverDetail({ st, id }: { st: AnalyticState<ObserverMetricsResponse>; id: string }) {
  const name = st.data?.observer_name ?? id.slice(0, 8);
  return (
    <AnalyticCard
      id="rf-detail"
      title={<>Observer: {name}</>}
      state={st}
      wide
      empty={(d) => d.metrics.length === 0}
      emptyText="No status samples from this observer in this range."
      actions={
        <button type="button" class="chip" onClick={() => setParams({ observer: null })}>
          Close
        </button>
      }
      how={
        <p>
          The observer's status messages (one sample per interval): noise floor as reported; TX/RX airtime =
          the growth of its airtime counters over the interval between samples, as a share of that interval;
          error rate = receive errors / (errors + packets received) over the interval. A reboot is a sample
          whose uptime went backwards; counters are not differenced across it. The reference has no uptime
          column and no reboot detection; over 3 days the samples are averaged per hour.
        </p>
      }
    >
      {(d) => <Charts d={d} />}
    </AnalyticCard>
  );
}
