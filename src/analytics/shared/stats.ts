// Small numeric helpers shared by analytics: rounding, order statistics and histograms in
// CoreScope's shapes (spec analytics §3.2 "snrValues", §3.3 "distHistogram").

import { select } from './robust-stats.js';

export function round2(v: number): number {
  return Math.round(v * 100) / 100;
}

export function round1(v: number): number {
  return Math.round(v * 10) / 10;
}

/** k-th smallest of `a[0..n)` (0-based), rearranging `a` in place: O(n) expected. */
export function selectKth(a: Float64Array, n: number, k: number): number {
  return select(a, 0, n, k);
}

/** A growable Float64 list without per-push allocation. */
export class FloatList {
  data: Float64Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Float64Array(Math.max(16, capacity));
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}

export interface HistogramBin {
  x: number;
  w: number;
  count: number;
}

export interface Histogram {
  bins: HistogramBin[];
  min: number;
  max: number;
}

export const EMPTY_HISTOGRAM: Readonly<Histogram> = Object.freeze({ bins: [], min: 0, max: 0 });

/**
 * `bins` equal-width bins over [min, max] of `values[0..n)`: width (max-min)/bins, or 1/bins when
 * all values are equal; a value's bin is ⌊(v-min)/w⌋ clamped to the last (spec §3.2).
 * `roundTo` rounds x and w for output only (distance uses 0.1, §3.3).
 */
export function histogram(
  values: Float64Array,
  n: number,
  bins: number,
  roundTo?: (v: number) => number,
): Histogram {
  if (n === 0) return { bins: [], min: 0, max: 0 };
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const w = (max - min || 1) / bins;
  const counts = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    const b = Math.floor((values[i] - min) / w);
    counts[b >= bins ? bins - 1 : b]++;
  }
  const r = roundTo ?? ((v: number) => v);
  const out: HistogramBin[] = [];
  for (let i = 0; i < bins; i++) out.push({ x: r(min + i * w), w: r(w), count: counts[i] });
  return { bins: out, min, max };
}

const Q_OFFSET = 32768;

/**
 * A multiset of signal values for statistics over millions of observations without storing them:
 * values that are whole quarters in the int16 quarter range (every SNR/RSSI the store holds, as
 * quarter-dB integers) are counted per value; any other value switches the tally to a plain list.
 * Min, max, median and histogram are exactly those of the list; sums are exact for quarters.
 */
export class ValueTally {
  private counts: Float64Array | null = new Float64Array(65536);
  private list: FloatList | null = null;
  n = 0;

  add(v: number): void {
    this.n++;
    const k = v * 4;
    if (this.counts !== null && Number.isInteger(k) && k >= -Q_OFFSET && k < Q_OFFSET) {
      this.counts[k + Q_OFFSET]++;
      return;
    }
    this.toList().push(v);
  }

  /** The values as a list (switching to list mode). */
  private toList(): FloatList {
    if (this.list !== null) return this.list;
    const list = new FloatList(1024);
    const c = this.counts!;
    for (let k = 0; k < c.length; k++) for (let j = 0; j < c[k]; j++) list.push((k - Q_OFFSET) / 4);
    this.counts = null;
    return (this.list = list);
  }

  /** min, max, mean, median = sorted[⌊n/2⌋], population stddev (spec §3.2). */
  stats(): { min: number; max: number; avg: number; median: number; stddev: number } {
    const n = this.n;
    if (n === 0) return { min: 0, max: 0, avg: 0, median: 0, stddev: 0 };
    if (this.counts === null) return listStats(this.list!);
    const c = this.counts;
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    let median = NaN;
    const mid = n >> 1;
    let seen = 0;
    for (let k = 0; k < c.length; k++) {
      const m = c[k];
      if (m === 0) continue;
      const v = (k - Q_OFFSET) / 4;
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v * m;
      if (seen <= mid && mid < seen + m) median = v;
      seen += m;
    }
    const avg = sum / n;
    let sq = 0;
    for (let k = 0; k < c.length; k++) {
      if (c[k] === 0) continue;
      const d = (k - Q_OFFSET) / 4 - avg;
      sq += c[k] * d * d;
    }
    return { min, max, avg, median, stddev: Math.sqrt(sq / n) };
  }

  /** As histogram() over the values. */
  histogram(bins: number): Histogram {
    if (this.n === 0) return { bins: [], min: 0, max: 0 };
    if (this.counts === null) return histogram(this.list!.data, this.list!.length, bins);
    const c = this.counts;
    let lo = 0;
    while (c[lo] === 0) lo++;
    let hi = c.length - 1;
    while (c[hi] === 0) hi--;
    const min = (lo - Q_OFFSET) / 4;
    const max = (hi - Q_OFFSET) / 4;
    const w = (max - min || 1) / bins;
    const counts = new Float64Array(bins);
    for (let k = lo; k <= hi; k++) {
      if (c[k] === 0) continue;
      const b = Math.floor(((k - Q_OFFSET) / 4 - min) / w);
      counts[b >= bins ? bins - 1 : b] += c[k];
    }
    const out: HistogramBin[] = [];
    for (let i = 0; i < bins; i++) out.push({ x: min + i * w, w, count: counts[i] });
    return { bins: out, min, max };
  }
}

function listStats(values: FloatList): {
  min: number;
  max: number;
  avg: number;
  median: number;
  stddev: number;
} {
  const n = values.length;
  const a = values.data;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = a[i];
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  const avg = sum / n;
  let sq = 0;
  for (let i = 0; i < n; i++) sq += (a[i] - avg) * (a[i] - avg);
  const median = selectKth(a.slice(0, n), n, n >> 1);
  return { min, max, avg, median, stddev: Math.sqrt(sq / n) };
}

/** Indexes of the first k of 0..n-1 in `before` order (stable: ties keep index order). */
export function topK(n: number, k: number, before: (x: number, y: number) => boolean): number[] {
  const top: number[] = [];
  for (let p = 0; p < n; p++) {
    if (top.length === k && !before(p, top[k - 1])) continue;
    let i = top.length < k ? top.length : k - 1;
    while (i > 0 && before(p, top[i - 1])) {
      if (i < k) top[i] = top[i - 1];
      i--;
    }
    top[i] = p;
  }
  return top;
}
