// The query every analytic takes besides its input: region, time window and area, already
// parsed and validated by the API layer (spec analytics §1.1). The default query (all null)
// is the one the recomputer keeps a snapshot of.

export interface AnalyticsQuery {
  /** Upper-case IATA codes; null = all regions. An unknown code matches nothing (not "all"). */
  regions: string[] | null;
  /** Inclusive window bounds in epoch ms; null = unbounded. */
  fromMs: number | null;
  toMs: number | null;
  /** Area: a polygon of [lat, lon] points (from config `areas`), null = no area filter. */
  area: { key: string; polygon: Array<[number, number]> } | null;
  /** t5: the relative window's label (`24h`, …) when the window came from `window=` (echoed in bodies). */
  window?: string;
  /** t2: analytic-specific parameters (registry `extra`), parsed and validated; absent = none. */
  params?: Readonly<Record<string, string | number>>;
}

/** t2: a bad analytic-specific parameter (the API answers 400 naming `parameter`). */
export class QueryParamError extends Error {
  constructor(
    readonly parameter: string,
    readonly detail: string,
  ) {
    super(`${parameter} ${detail}`);
  }
}

export const DEFAULT_QUERY: AnalyticsQuery = Object.freeze({
  regions: null,
  fromMs: null,
  toMs: null,
  area: null,
});

/** A stable cache key for a query (relative windows are resolved by the caller to a label). */
export function queryKey(q: AnalyticsQuery): string {
  return [q.regions?.join(',') ?? '*', q.fromMs ?? '', q.toMs ?? '', q.area?.key ?? ''].join('|');
}

/** Observer rows whose IATA is in the query's regions; null when the query has no region. */
export function regionObservers(
  observers: { count: number; iata(i: number): string | null },
  q: AnalyticsQuery,
): Uint8Array | null {
  if (q.regions === null) return null;
  const want = new Set(q.regions);
  const mask = new Uint8Array(observers.count);
  for (let i = 0; i < observers.count; i++) {
    const iata = observers.iata(i)?.trim().toUpperCase();
    if (iata && want.has(iata)) mask[i] = 1;
  }
  return mask;
}
