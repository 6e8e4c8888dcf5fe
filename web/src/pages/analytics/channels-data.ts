// Pure shaping of the channels analytic for its charts: per-channel hourly series (the busiest
// few and "other") and the message length histogram (the API sends raw lengths).
import type { ChannelAnalyticsResponse } from '../../../../src/api/contract';

const LINES = 5;

/** "2026-12-02T01" (UTC hour) -> epoch seconds. */
export const hourSeconds = (hour: string): number => Date.parse(`${hour}:00:00Z`) / 1000;

export interface TimelineSeries {
  x: number[];
  series: { label: string; values: number[] }[];
  peaks: { label: string; total: number; peak: number }[];
}

export function timelineSeries(d: ChannelAnalyticsResponse): TimelineSeries {
  const totals = new Map<string, number>();
  for (const t of d.channelTimeline) totals.set(t.channel, (totals.get(t.channel) ?? 0) + t.count);
  const top = [...totals]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, LINES)
    .map(([c]) => c);
  const hours = [...new Set(d.channelTimeline.map((t) => t.hour))].sort();
  const index = new Map(hours.map((h, i) => [h, i]));
  const labels = totals.size > top.length ? [...top, 'Other channels'] : top;
  const values = labels.map(() => new Array<number>(hours.length).fill(0));
  for (const t of d.channelTimeline) {
    const k = top.indexOf(t.channel);
    values[k >= 0 ? k : top.length][index.get(t.hour)!] += t.count;
  }
  return {
    x: hours.map(hourSeconds),
    series: labels.map((label, i) => ({ label, values: values[i] })),
    peaks: labels.map((label, i) => ({
      label,
      total: values[i].reduce((a, b) => a + b, 0),
      peak: Math.max(0, ...values[i]),
    })),
  };
}

export interface LengthHistogram {
  x: number[];
  counts: number[];
  width: number;
  median: number;
  max: number;
}

/** Bins of 10 bytes (20 when messages run past 300 bytes), from 0 to the longest. */
export function lengthHistogram(lengths: number[]): LengthHistogram {
  const sorted = [...lengths].sort((a, b) => a - b);
  const max = sorted.length ? sorted[sorted.length - 1] : 0;
  const width = max > 300 ? 20 : 10;
  const n = Math.floor(max / width) + 1;
  const counts = new Array<number>(n).fill(0);
  for (const l of sorted) counts[Math.floor(l / width)]++;
  const mid = sorted.length >> 1;
  const median =
    sorted.length === 0 ? 0 : sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { x: counts.map((_, i) => i * width), counts, width, median, max };
}
