// Small numeric helpers for the benchmark suite.

export const median = (xs: number[]): number | null => {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
};

/** Nearest-rank percentile (p in 0..100) of the finite values; null when there are none. */
export const percentile = (xs: number[], p: number): number | null => {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  return v[Math.min(v.length - 1, Math.max(0, Math.ceil((p / 100) * v.length) - 1))];
};

export const round = (x: number | null | undefined, digits = 1): number | null => {
  if (x === null || x === undefined || !Number.isFinite(x)) return null;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` every `everyMs` until it returns a non-null value or `timeoutMs` passes. */
export async function waitFor<T>(
  probe: () => Promise<T | null>,
  timeoutMs: number,
  everyMs = 50,
): Promise<T | null> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const v = await probe().catch(() => null);
    if (v !== null) return v;
    await sleep(everyMs);
  }
  return null;
}
