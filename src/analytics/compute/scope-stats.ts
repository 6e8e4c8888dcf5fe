// GET /api/scope-stats?window=1h|24h|7d (spec ingest-store-api §4.2, §1.6): transport-scope
// statistics over the transmissions on transport routes (0 TRANSPORT_FLOOD, 3 TRANSPORT_DIRECT)
// whose first_seen is in the window. `scope_name` is resolved at ingest from `hashRegions`:
// null = unscoped (Code1 0000), '' = scoped by a region not configured, '#name' = matched.
// summary {transportTotal, scoped, unscoped, unknownScope}, byRegion [{name, count}] (named
// scopes, count desc, name asc), timeSeries [{t, scoped, unscoped}] in 5 min (1h), 1 h (24h) or
// 6 h (7d) UTC buckets from the window start to now, empty buckets included (a chart needs them).
import type { AnalyticsInput } from '../inputs/input.js';
import type { AnalyticsQuery } from '../shared/query.js';

export const SCOPE_WINDOWS = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 } as const;
export type ScopeWindow = keyof typeof SCOPE_WINDOWS;
const BUCKET_MS: Record<ScopeWindow, number> = { '1h': 300_000, '24h': 3_600_000, '7d': 6 * 3_600_000 };

export interface ScopeStatsResponse {
  window: ScopeWindow;
  summary: { transportTotal: number; scoped: number; unscoped: number; unknownScope: number };
  byRegion: Array<{ name: string; count: number }>;
  timeSeries: Array<{ t: string; scoped: number; unscoped: number }>;
}

/** `YYYY-MM-DDTHH:MM:00Z` (CoreScope's bucket label form, second precision). */
function label(ms: number): string {
  return new Date(ms).toISOString().slice(0, 17) + '00Z';
}

export function computeScopeStats(input: AnalyticsInput, query: AnalyticsQuery): ScopeStatsResponse {
  const window: ScopeWindow =
    query.window !== undefined && query.window in SCOPE_WINDOWS ? (query.window as ScopeWindow) : '24h';
  const nowMs = input.nowMs;
  const fromMs = query.fromMs ?? nowMs - SCOPE_WINDOWS[window];
  const bucketMs = BUCKET_MS[window];
  const first = Math.floor(fromMs / bucketMs) * bucketMs;
  const nBuckets = Math.floor(nowMs / bucketMs) - first / bucketMs + 1;
  const scopedIn = new Int32Array(Math.max(0, nBuckets));
  const unscopedIn = new Int32Array(Math.max(0, nBuckets));
  const byName = new Map<string, number>();
  const summary = { transportTotal: 0, scoped: 0, unscoped: 0, unknownScope: 0 };
  const { tx } = input;
  for (let t = 0; t < tx.count; t++) {
    const route = tx.routeType(t);
    if (route !== 0 && route !== 3) continue;
    const at = tx.firstSeenMs(t);
    if (!(at >= fromMs && at <= nowMs)) continue;
    const scope = tx.scopeName(t);
    const b = Math.floor(at / bucketMs) - first / bucketMs;
    summary.transportTotal++;
    if (scope === null) {
      summary.unscoped++;
      if (b >= 0 && b < unscopedIn.length) unscopedIn[b]++;
      continue;
    }
    summary.scoped++;
    if (b >= 0 && b < scopedIn.length) scopedIn[b]++;
    if (scope === '') summary.unknownScope++;
    else byName.set(scope, (byName.get(scope) ?? 0) + 1);
  }
  const byRegion = [...byName]
    .map(([name, count]) => ({ name, count }))
    .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const timeSeries: ScopeStatsResponse['timeSeries'] = [];
  for (let b = 0; b < scopedIn.length; b++)
    timeSeries.push({ t: label(first + b * bucketMs), scoped: scopedIn[b], unscoped: unscopedIn[b] });
  return { window, summary, byRegion, timeSeries };
}
