// Shared query filters (spec analytics §1.1): window bounds and the area node set.
import type { AnalyticsInput } from '../inputs/input.js';
import { inPolygon } from '../../config/areas.js';
import type { AnalyticsQuery } from './query.js';
import { hasGps } from './geo.js';

/** Inclusive window test; NaN (no timestamp) counts as inside, as in the reference (§1.1). */
export function inWindow(ms: number, q: AnalyticsQuery): boolean {
  if (Number.isNaN(ms)) return true;
  if (q.fromMs !== null && ms < q.fromMs) return false;
  if (q.toMs !== null && ms > q.toMs) return false;
  return true;
}

/**
 * Nodes whose GPS position lies inside the query's area polygon ((0,0) excluded), or null when
 * the query has no area. An area containing no node yields an all-zero mask, so the analytic
 * answers empty rather than falling back to global data (spec §9 item 5).
 */
export function areaNodeMask(input: AnalyticsInput, q: AnalyticsQuery): Uint8Array | null {
  if (q.area === null) return null;
  const nodes = input.nodes;
  const mask = new Uint8Array(nodes.count);
  for (let i = 0; i < nodes.count; i++) {
    const lat = nodes.lat(i);
    const lon = nodes.lon(i);
    if (hasGps(lat, lon) && inPolygon(lat, lon, q.area.polygon)) mask[i] = 1;
  }
  return mask;
}
