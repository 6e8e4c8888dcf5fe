// Clock skew and its drift over time (/nodes/<pk>/clock-skew): the skew of each advert (its
// timestamp against when observers heard it) as a series, the recent median, the fitted drift
// per day, and the evidence of the newest adverts.
import { useMemo } from 'preact/hooks';
import type { NodeClockSkewDetail } from '../../../../src/api/contract';
import { count, duration } from '../../app/format';
import { Chart, type ChartSeries } from '../../components/chart';

const SEVERITY_TEXT: Record<string, string> = {
  ok: 'ok',
  warning: 'warning',
  critical: 'critical',
  absurd: 'absurd',
  no_clock: 'no usable clock',
  bimodal_clock: 'two clocks (bimodal)',
};

/** The unit the chart's axis reads best in, for skews up to `maxAbs` seconds. */
function skewUnit(maxAbs: number): { sec: number; label: string } {
  if (maxAbs < 120) return { sec: 1, label: 's' };
  if (maxAbs < 7200) return { sec: 60, label: 'min' };
  if (maxAbs < 172_800) return { sec: 3600, label: 'h' };
  return { sec: 86_400, label: 'days' };
}

/** What the chart plots: the skew itself, or (a clock far off that barely moves) its change
 *  since the first advert, so the axis shows the drift instead of one long repeated number. */
function plotOf(samples: { skew: number }[]): {
  base: number;
  unit: { sec: number; label: string };
  axis: string;
  relative: boolean;
} {
  const vals = samples.map((s) => s.skew);
  const maxAbs = Math.max(0, ...vals.map(Math.abs));
  const spread = vals.length > 0 ? Math.max(...vals) - Math.min(...vals) : 0;
  if (maxAbs >= 120 && spread < maxAbs / 1000) {
    const unit = skewUnit(spread);
    return { base: vals[0] ?? 0, unit, axis: `Δ skew (${unit.label})`, relative: true };
  }
  const unit = skewUnit(maxAbs);
  return { base: 0, unit, axis: `skew (${unit.label})`, relative: false };
}

/** "ahead by 3 min" / "behind by 2 h 5 min" from a signed skew in seconds. */
export function skewText(sec: number): string {
  if (Math.abs(sec) < 1) return 'in sync (< 1 s)';
  return `${sec < 0 ? 'behind by' : 'ahead by'} ${duration(Math.abs(sec) * 1000)}`;
}

export function ClockSkewView({ c }: { c: NodeClockSkewDetail }) {
  const skew = c.recentMedianSkewSec ?? c.medianSkewSec;
  const { x, series, summary, axis, relative } = useMemo(() => {
    const p = plotOf(c.samples);
    const x = c.samples.map((s) => s.ts);
    const series: ChartSeries[] = [
      {
        label: p.axis,
        values: c.samples.map((s) => (s.skew - p.base) / p.unit.sec),
        kind: c.samples.length < 3 ? 'points' : 'line',
        color: '--chart-3',
        format: (v) => `${+v.toFixed(2)} ${p.unit.label}`,
      },
    ];
    const summary =
      `${count(c.samples.length)} adverts; skew ${skew === null ? 'unknown' : skewText(skew)}` +
      (c.driftPerDaySec ? `; drift ${c.driftPerDaySec.toFixed(2)} s per day.` : '.');
    return { x, series, summary, axis: p.axis, relative: p.relative };
  }, [c]);
  return (
    <>
      <dl class="na-kv" data-field="clock-skew">
        <dt>Now</dt>
        <dd class="num" data-stat="skew">
          {skew === null ? '—' : skewText(skew)}
        </dd>
        <dt>Severity</dt>
        <dd data-stat="severity">{SEVERITY_TEXT[c.severity] ?? c.severity}</dd>
        <dt>Drift</dt>
        <dd class="num" data-stat="drift">
          {c.driftPerDaySec ? `${c.driftPerDaySec.toFixed(2)} s/day` : 'none measured'}
        </dd>
        <dt>Evidence</dt>
        <dd>
          {count(c.sampleCount)} observation{c.sampleCount === 1 ? '' : 's'} of {count(c.samples.length)}{' '}
          advert{c.samples.length === 1 ? '' : 's'}
          {c.calibrated ? ', corrected by observer offsets' : ', observers not calibrated'}
          {c.clockReset ? ' · clock reset seen' : ''}
        </dd>
      </dl>
      {x.length > 0 ? (
        <>
          <Chart x={x} series={series} time yLabel={axis} summary={summary} height={180} />
          {relative ? (
            <p class="muted small">
              Drawn as the change since the first advert (Δ): the clock is off by far more than it moves.
            </p>
          ) : null}
        </>
      ) : null}
    </>
  );
}
