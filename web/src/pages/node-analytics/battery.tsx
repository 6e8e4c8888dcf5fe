// Battery voltage over time (/nodes/<pk>/battery?days=) with the server's low and critical
// thresholds drawn as dashed lines.
import { useMemo } from 'preact/hooks';
import type { NodeBatteryResponse } from '../../../../src/api/contract';
import { count } from '../../app/format';
import { clientConfig } from '../../app/server-state';
import { Chart, type ChartSeries } from '../../components/chart';

export function BatteryView({ b }: { b: NodeBatteryResponse }) {
  const th = clientConfig.value?.batteryThresholds;
  const low = th?.lowMv ?? b.thresholds.low_mv;
  const critical = th?.criticalMv ?? b.thresholds.critical_mv;
  const { x, series, summary } = useMemo(() => {
    const pts = b.samples
      .map((s) => [Math.floor(Date.parse(s.timestamp) / 1000), s.battery_mv] as const)
      .sort((p, q) => p[0] - q[0]);
    const series: ChartSeries[] = [
      {
        label: 'Battery (mV)',
        values: pts.map((p) => p[1]),
        kind: pts.length < 3 ? 'points' : 'line',
        color: '--chart-6',
        format: (v) => `${v} mV`,
      },
    ];
    const mv = pts.map((p) => p[1]);
    const summary = `${count(pts.length)} readings from ${count(Math.min(...mv))} to ${count(Math.max(...mv))} mV; latest ${count(b.latest_mv)} mV (${b.status}); low below ${count(low)} mV, critical below ${count(critical)} mV.`;
    return { x: pts.map((p) => p[0]), series, summary };
  }, [b, low, critical]);
  return (
    <>
      <p>
        <span class="num big" data-stat="battery">
          {count(b.latest_mv)} mV
        </span>{' '}
        <span
          class={`status status-${b.status === 'ok' ? 'active' : b.status === 'low' ? 'degraded' : 'silent'}`}
        >
          {b.status}
        </span>
      </p>
      <Chart
        x={x}
        series={series}
        time
        yLabel="mV"
        hlines={[
          { y: low, label: `low ${low} mV`, color: '--warn' },
          { y: critical, label: `critical ${critical} mV`, color: '--bad' },
        ]}
        yRange={[Math.min(critical - 100, ...series[0].values.map((v) => v ?? Infinity)), null]}
        summary={summary}
        height={180}
      />
    </>
  );
}
