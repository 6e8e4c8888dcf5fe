// RF Health's detail of one observer over the range: noise floor (dBm), TX/RX airtime (0–100 %),
// receive error rate and battery (V), with the reboots the server found as markers on each chart.
// Each chart's text alternative states the numbers it draws.
import type { ObserverMetricPointItem, ObserverMetricsResponse } from '../../../../../src/api/contract';
import { isoUtc } from '../../../app/format';
import { setParams } from '../../../app/router';
import { clientConfig } from '../../../app/server-state';
import type { AnalyticState } from '../../../app/use-analytic';
import { AnalyticCard } from '../../../components/analytic-card';
import { Chart } from '../../../components/chart';
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

function Charts({ d }: { d: ObserverMetricsResponse }) {
  const pts = d.metrics;
  const x = pts.map((p) => Date.parse(p.timestamp) / 1000);
  const name = d.observer_name ?? d.observer_id.slice(0, 8);
  const markers = d.reboots.map((t) => ({ x: Date.parse(t) / 1000, label: 'reboot' }));
  const rebootText = `${d.reboots.length} reboot${d.reboots.length === 1 ? '' : 's'}${
    d.reboots.length > 0 ? ` (${d.reboots.map(isoUtc).join(', ')})` : ''
  }`;
  const low = clientConfig.value?.batteryThresholds.lowMv ?? null;
  const head = `${name}: ${pts.length} samples from ${isoUtc(pts[0].timestamp)} to ${isoUtc(pts[pts.length - 1].timestamp)}`;
  return (
    <>
      <p class="rf-detail-head">
        {head}; <span data-field="reboots">{rebootText}</span>
        {d.truncated ? ' (only the newest samples: the range holds more than the server returns)' : ''}.
      </p>
      <div class="rf-charts">
        <section class="rf-chart" data-chart="noise">
          <h3>Noise floor (dBm)</h3>
          <Chart
            x={x}
            time
            height={180}
            series={[
              {
                label: 'noise floor',
                values: pts.map((p) => p.noise_floor),
                color: '--chart-1',
                format: (v) => dbm(v),
              },
            ]}
            yLabel="dBm"
            markers={markers}
            summary={`Noise floor of ${head}: ${statText(pts, 'noise_floor', dbm)}; ${rebootText}.`}
          />
        </section>
        <section class="rf-chart" data-chart="airtime">
          <h3>Airtime (%)</h3>
          <Chart
            x={x}
            time
            height={180}
            yRange={[0, 100]}
            series={[
              {
                label: 'TX airtime',
                values: pts.map((p) => p.tx_airtime_pct),
                color: '--chart-2',
                format: pct,
              },
              {
                label: 'RX airtime',
                values: pts.map((p) => p.rx_airtime_pct),
                color: '--chart-3',
                format: pct,
              },
            ]}
            yLabel="%"
            markers={markers}
            summary={`Airtime of ${name}: TX ${statText(pts, 'tx_airtime_pct', pct)}; RX ${statText(pts, 'rx_airtime_pct', pct)}.`}
          />
        </section>
        <section class="rf-chart" data-chart="errors">
          <h3>Receive error rate (%)</h3>
          <Chart
            x={x}
            time
            height={160}
            yRange={[0, null]}
            series={[
              { label: 'error rate', values: pts.map((p) => p.recv_error_rate), color: '--bad', format: pct },
            ]}
            yLabel="%"
            markers={markers}
            summary={`Receive error rate of ${name}: ${statText(pts, 'recv_error_rate', pct)}.`}
          />
        </section>
        <section class="rf-chart" data-chart="battery">
          <h3>Battery (V)</h3>
          <Chart
            x={x}
            time
            height={160}
            series={[
              {
                label: 'battery',
                values: pts.map((p) => (p.battery_mv === null ? null : p.battery_mv / 1000)),
                color: '--chart-4',
                format: (v) => `${v.toFixed(2)} V`,
              },
            ]}
            yLabel="V"
            markers={markers}
            hlines={low !== null ? [{ y: low / 1000, label: `low ${(low / 1000).toFixed(2)} V` }] : []}
            summary={`Battery of ${name}: ${statText(pts, 'battery_mv', volts)}; ${rebootText}.`}
          />
        </section>
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
