// The charts of a node's analytics: activity per time bucket, SNR per observer over time,
// packet types, packets per observer (coloured by SNR) and hops. Chart inputs are memoised on
// the snapshot so a re-render does not redraw the canvas.
import { useMemo } from 'preact/hooks';
import type { NodeAnalyticsResponse } from '../../../../src/api/contract';
import { count, snr as fmtSnr } from '../../app/format';
import { typeColor, typeLabel } from '../../app/mesh';
import { Chart, type ChartSeries } from '../../components/chart';
import { BarRows } from '../../components/data-views';

const HOUR_S = 3600;

/** Bucket width for a range: hourly up to a week, 6 h up to a month, daily beyond. */
export const bucketHours = (days: number) => (days <= 7 ? 1 : days <= 30 ? 6 : 24);

/** The hourly buckets re-binned and zero-filled over the whole window (epoch seconds). */
export function activitySeries(d: NodeAnalyticsResponse): { x: number[]; y: number[]; step: number } {
  const step = bucketHours(d.timeRange.days) * HOUR_S;
  const from = Math.floor(Date.parse(d.timeRange.from) / 1000 / step) * step;
  const to = Date.parse(d.timeRange.to) / 1000;
  const x: number[] = [];
  for (let t = from; t <= to; t += step) x.push(t);
  const y = x.map(() => 0);
  for (const b of d.activityTimeline) {
    const i = Math.floor((Date.parse(b.bucket) / 1000 - from) / step);
    if (i >= 0 && i < y.length) y[i] += b.count;
  }
  return { x, y, step };
}

export function ActivityChart({ d }: { d: NodeAnalyticsResponse }) {
  const { x, series, summary } = useMemo(() => {
    const a = activitySeries(d);
    const total = d.activityTimeline.reduce((s, b) => s + b.count, 0);
    const top = d.activityTimeline.reduce((m, b) => (b.count > m.count ? b : m), { bucket: '', count: 0 });
    const series: ChartSeries[] = [{ label: 'Packets', values: a.y, kind: 'bars', color: '--chart-1' }];
    const summary =
      `${count(total)} packets in ${count(d.activityTimeline.length)} active hours of ${d.timeRange.days} days` +
      (top.count > 0
        ? `; busiest hour ${top.bucket.slice(0, 13).replace('T', ' ')}:00 UTC with ${count(top.count)}.`
        : '.');
    return { x: a.x, series, summary };
  }, [d]);
  return (
    <>
      <Chart
        x={x}
        series={series}
        time
        yLabel={`packets per ${bucketHours(d.timeRange.days)} h`}
        summary={summary}
      />
      <p class="muted small" data-field="activity-summary">
        {summary}
      </p>
    </>
  );
}

/** One series per observer (the six with most readings), aligned on the union of times. */
export function SnrChart({ d }: { d: NodeAnalyticsResponse }) {
  const { x, series, summary } = useMemo(() => {
    const byObs = new Map<string, { name: string; pts: [number, number][] }>();
    for (const p of d.snrTrend) {
      const id = p.observer_id ?? '?';
      let o = byObs.get(id);
      if (!o) byObs.set(id, (o = { name: p.observer_name ?? id.slice(0, 8), pts: [] }));
      o.pts.push([Math.floor(Date.parse(p.timestamp) / 1000), p.snr]);
    }
    const top = [...byObs.values()].sort((a, b) => b.pts.length - a.pts.length).slice(0, 6);
    const x = [...new Set(top.flatMap((o) => o.pts.map((p) => p[0])))].sort((a, b) => a - b);
    const at = new Map(x.map((t, i) => [t, i]));
    const series: ChartSeries[] = top.map((o) => {
      const v: (number | null)[] = x.map(() => null);
      for (const [t, s] of o.pts) v[at.get(t)!] = s;
      return { label: o.name, values: v, kind: 'line', spanGaps: true, format: (n) => fmtSnr(n) };
    });
    const summary = `${count(d.snrTrend.length)} SNR readings from ${count(byObs.size)} observers; mean ${d.computedStats.snrMean.toFixed(1)} dB.`;
    return { x, series, summary };
  }, [d]);
  return <Chart x={x} series={series} time yLabel="SNR (dB)" summary={summary} />;
}

export function TypeBars({ d }: { d: NodeAnalyticsResponse }) {
  const total = d.packetTypeBreakdown.reduce((s, t) => s + t.count, 0);
  return (
    <BarRows
      label="Packets by payload type"
      max={total}
      rows={d.packetTypeBreakdown.map((t) => ({
        key: String(t.payload_type),
        label: typeLabel(t.payload_type),
        value: t.count,
        text: `${count(t.count)} (${((100 * t.count) / Math.max(1, total)).toFixed(1)} %)`,
        color: typeColor(t.payload_type).slice(4, -1),
      }))}
    />
  );
}

/** A bar colour from an observer's mean SNR: the zones of the RF tab. */
const snrColor = (v: number | null) =>
  v === null ? '--chart-2' : v >= 5 ? '--ok' : v >= -5 ? '--warn' : '--bad';

export function ObserverBars({ d }: { d: NodeAnalyticsResponse }) {
  const rows = d.observerCoverage.slice(0, 15);
  const rest = d.observerCoverage.length - rows.length;
  return (
    <>
      <BarRows
        label="Packets per observer"
        rows={rows.map((o) => ({
          key: o.observer_id ?? '?',
          label: o.observer_name ?? o.observer_id?.slice(0, 8) ?? 'unknown',
          value: o.packetCount,
          text: o.avgSnr === null ? count(o.packetCount) : `${count(o.packetCount)} · ${fmtSnr(o.avgSnr)}`,
          color: snrColor(o.avgSnr),
        }))}
      />
      {rest > 0 ? <p class="muted small">and {count(rest)} more observers</p> : null}
    </>
  );
}

export function HopChart({ d }: { d: NodeAnalyticsResponse }) {
  const { x, series, labels, summary } = useMemo(() => {
    const labels = d.hopDistribution.map((h) => h.hops);
    const series: ChartSeries[] = [
      { label: 'Packets', values: d.hopDistribution.map((h) => h.count), kind: 'bars', color: '--chart-5' },
    ];
    const summary = d.hopDistribution.map((h) => `${h.hops} hops: ${h.count}`).join(', ');
    return { x: labels.map((_, i) => i), series, labels, summary };
  }, [d]);
  return (
    <>
      <Chart
        x={x}
        xLabels={labels}
        series={series}
        xLabel="hops"
        yLabel="packets"
        summary={summary}
        height={180}
      />
      <p class="muted small" data-field="hop-summary">
        {summary}
      </p>
    </>
  );
}
