// Small numeric helpers shared by analytics: rounding, order statistics and histograms in
// CoreScope's shapes (spec analytics §3.2 "snrValues", §3.3 "distHistogram").

export function round2(v: number): number {
  return Math.round(v * 100) / 100;
}

export function round1(v: number): number {
  return Math.round(v * 10) / 10;
}

/** k-th smallest of `a[0..n)` (0-based), rearranging `a` in place: O(n) expected. */
export function selectKth(a: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  while (hi > lo) {
    const pivot = a[(lo + hi) >>> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
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
