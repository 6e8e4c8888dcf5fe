// Shapes the rf analytic's arrays for charts and text: UTC hour labels to epoch seconds (with
// the empty hours filled in, so a quiet hour shows as a gap at zero, not a missing bar), a
// histogram's summary sentence, and the colour token of a payload type.
import type { HistogramBins } from '../../../../src/api/contract';
import { PAYLOAD_LABEL, PAYLOAD_TYPE, payloadTypeName } from '../../app/mesh';
import { count } from '../../app/format';

/** `2026-12-02T01` (UTC) -> epoch seconds of that hour. */
export const hourSec = (hour: string): number => Date.parse(`${hour}:00:00Z`) / 1000;

/** Hourly counts on a continuous hour axis from the first to the last hour given. */
export function fillHours<T extends { hour: string }>(
  rows: T[],
  value: (r: T) => number | null,
  missing: number | null = 0,
): { x: number[]; y: (number | null)[] } {
  const x: number[] = [];
  const y: (number | null)[] = [];
  if (rows.length === 0) return { x, y };
  const byHour = new Map(rows.map((r) => [hourSec(r.hour), r]));
  const first = hourSec(rows[0].hour);
  const last = hourSec(rows[rows.length - 1].hour);
  for (let t = first; t <= last; t += 3600) {
    const r = byHour.get(t);
    x.push(t);
    y.push(r ? value(r) : missing);
  }
  return { x, y };
}

/** "HH:00 UTC" of an epoch-seconds hour. */
export const hourLabel = (sec: number): string =>
  `${new Date(sec * 1000).toISOString().slice(11, 13)}:00 UTC`;

/** Bin starts and counts of a server histogram. */
export function bins(h: HistogramBins): { x: number[]; y: number[] } {
  return { x: h.bins.map((b) => b.x), y: h.bins.map((b) => b.count) };
}

/** "20 bins from −12.5 to 13.8 dB; the fullest −3.3…−2.0 dB (41)". */
export function histogramSummary(h: HistogramBins, u: string, digits = 1): string {
  if (h.bins.length === 0) return 'No values.';
  const top = h.bins.reduce((a, b) => (b.count > a.count ? b : a));
  const f = (v: number) => `${v.toFixed(digits).replace('-', '−')}`;
  const total = h.bins.reduce((a, b) => a + b.count, 0);
  return (
    `${count(total)} values in ${h.bins.length} bins from ${f(h.min)} to ${f(h.max)} ${u}; ` +
    `the fullest bin is ${f(top.x)}…${f(top.x + top.w)} ${u} with ${count(top.count)}.`
  );
}

/** The colour token of a payload type given by number or firmware name: '--type-grp-txt'. */
export function typeToken(t: number | string): string {
  const name = typeof t === 'number' ? payloadTypeName(t) : t;
  const known = Object.prototype.hasOwnProperty.call(PAYLOAD_TYPE, name);
  return `--type-${known ? name.toLowerCase().replace('_', '-') : 'unknown'}`;
}

/** The operator-facing label of a firmware payload-type name ('GRP_TXT' -> 'Channel msg'). */
export const typeNameLabel = (name: string): string => PAYLOAD_LABEL[name] ?? name;
