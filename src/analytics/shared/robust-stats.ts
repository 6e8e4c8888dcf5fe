// Small robust statistics for the analytics: medians and quantiles by selection (no full sort),
// the Theil–Sen slope, and symmetric rounding. All work in place on caller-owned scratch arrays
// so the per-node loops in clock skew allocate nothing.

type Num = Float64Array | number[];

/** k-th smallest of a[lo, hi) (0-based k within the range), by Hoare quickselect; reorders a. */
export function select(a: Num, lo: number, hi: number, k: number): number {
  let l = lo;
  let r = hi - 1;
  const target = lo + k;
  while (l < r) {
    const pivot = a[(l + r) >> 1];
    let i = l;
    let j = r;
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
    if (target <= j) r = j;
    else if (target >= i) l = i;
    else break;
  }
  return a[target];
}

/** Median of a[lo, hi) (mean of the two middle values for even counts); NaN when empty. Reorders a. */
export function medianInPlace(a: Num, lo = 0, hi = a.length): number {
  const n = hi - lo;
  if (n <= 0) return NaN;
  const upper = select(a, lo, hi, n >> 1);
  if (n & 1) return upper;
  // The lower middle is the largest value left of the upper middle after selection.
  let lower = -Infinity;
  for (let i = lo; i < lo + (n >> 1); i++) if (a[i] > lower) lower = a[i];
  return (lower + upper) / 2;
}

/** Median of a copy (does not reorder the input). */
export function median(values: readonly number[]): number {
  return medianInPlace(values.slice());
}

/** Quantile q in [0, 1] of a[lo, hi) by nearest rank (no interpolation); NaN when empty. Reorders a. */
export function quantileInPlace(a: Num, q: number, lo = 0, hi = a.length): number {
  const n = hi - lo;
  if (n <= 0) return NaN;
  const k = Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1));
  return select(a, lo, hi, k);
}

/**
 * Theil–Sen slope of y over x: the median of all pairwise slopes with distinct x. Robust to up
 * to ~29% outliers. `scratch` must hold n(n-1)/2 values; NaN when no pair has distinct x.
 */
export function theilSenSlope(xs: Num, ys: Num, n: number, scratch: Float64Array): number {
  let m = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = xs[j] - xs[i];
      if (dx !== 0) scratch[m++] = (ys[j] - ys[i]) / dx;
    }
  }
  return medianInPlace(scratch, 0, m);
}

/** Round to `dp` decimals, half away from zero (CoreScope's rounding biases negatives, §6.4). */
export function round(x: number, dp = 1): number {
  const f = 10 ** dp;
  const r = Math.round(Math.abs(x) * f) / f;
  return x < 0 && r !== 0 ? -r : r;
}
