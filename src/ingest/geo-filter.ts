// The geo filter (spec ingest-store-api §1.12, §1.6 "ADVERT outside geo_filter"): config
// `geo_filter` is a polygon of [lat, lon] points plus `bufferKm`, or a legacy bounding box
// `{latMin, latMax, lonMin, lonMax}`. A position passes when it lies inside the polygon
// (ray casting) or within bufferKm of one of its edges (flat-earth distance). Only ADVERT GPS
// is checked, and an advert without GPS or at exactly (0, 0) always passes.
//
// The pipeline reads the filter per advert through `GeoFilterSource`, so a setter (PUT
// /api/config/geo-filter) can swap it at run time: `GeoFilterHolder` is the settable one.

export interface GeoFilter {
  /** Vertices as [lat, lon]; a bounding box becomes its 4 corners. */
  polygon: Array<[number, number]>;
  bufferKm: number;
}

/** What the pipeline reads per advert: the filter in force, or null for none. */
export interface GeoFilterSource {
  current(): GeoFilter | null;
}

/** A settable GeoFilterSource (the composition root builds it from config `geo_filter`). */
export class GeoFilterHolder implements GeoFilterSource {
  #filter: GeoFilter | null;

  constructor(filter: GeoFilter | null = null) {
    this.#filter = filter;
  }

  current(): GeoFilter | null {
    return this.#filter;
  }

  set(filter: GeoFilter | null): void {
    this.#filter = filter;
  }
}

/** Limits of §1.12 (the PUT route validates the same). */
export const geoFilterLimits = { minPoints: 3, maxPoints: 1000, maxBufferKm: 20000 } as const;

export type GeoFilterParse = { ok: true; filter: GeoFilter | null } | { ok: false; error: string };

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const latOk = (v: unknown): v is number => isNum(v) && v >= -90 && v <= 90;
const lonOk = (v: unknown): v is number => isNum(v) && v >= -180 && v <= 180;

/**
 * Reads a `geo_filter` value: undefined, null or `{}` is no filter; otherwise a polygon
 * (3-1000 points, lat within +-90, lon within +-180, bufferKm 0-20000, default 0) or a
 * complete bounding box. The error names the offending key.
 */
export function parseGeoFilter(value: unknown): GeoFilterParse {
  if (value === undefined || value === null) return { ok: true, filter: null };
  if (typeof value !== 'object' || Array.isArray(value))
    return { ok: false, error: 'geo_filter: must be an object' };
  const v = value as Record<string, unknown>;
  const bufferKm = v.bufferKm ?? 0;
  if (!isNum(bufferKm) || bufferKm < 0 || bufferKm > geoFilterLimits.maxBufferKm)
    return {
      ok: false,
      error: `geo_filter.bufferKm: must be a number from 0 to ${geoFilterLimits.maxBufferKm}`,
    };
  if (v.polygon !== undefined && v.polygon !== null) return parsePolygon(v.polygon, bufferKm);
  const box = ['latMin', 'latMax', 'lonMin', 'lonMax'] as const;
  const present = box.filter((k) => v[k] !== undefined && v[k] !== null);
  if (present.length === 0) return { ok: true, filter: null };
  if (present.length < 4)
    return { ok: false, error: `geo_filter: a bounding box needs ${box.join(', ')} (or give polygon)` };
  const { latMin, latMax, lonMin, lonMax } = v;
  if (!latOk(latMin) || !latOk(latMax) || latMin > latMax)
    return { ok: false, error: 'geo_filter.latMin/latMax: latitudes within [-90, 90], latMin <= latMax' };
  if (!lonOk(lonMin) || !lonOk(lonMax) || lonMin > lonMax)
    return { ok: false, error: 'geo_filter.lonMin/lonMax: longitudes within [-180, 180], lonMin <= lonMax' };
  const polygon: Array<[number, number]> = [
    [latMin, lonMin],
    [latMin, lonMax],
    [latMax, lonMax],
    [latMax, lonMin],
  ];
  return { ok: true, filter: { polygon, bufferKm } };
}

function parsePolygon(raw: unknown, bufferKm: number): GeoFilterParse {
  const { minPoints, maxPoints } = geoFilterLimits;
  if (!Array.isArray(raw) || raw.length < minPoints || raw.length > maxPoints)
    return {
      ok: false,
      error: `geo_filter.polygon: must be an array of ${minPoints} to ${maxPoints} [lat, lon] points`,
    };
  const polygon: Array<[number, number]> = [];
  for (let i = 0; i < raw.length; i++) {
    const p = raw[i] as unknown;
    if (!Array.isArray(p) || p.length !== 2 || !latOk(p[0]) || !lonOk(p[1]))
      return {
        ok: false,
        error: `geo_filter.polygon[${i}]: must be [lat, lon] with lat within [-90, 90] and lon within [-180, 180]`,
      };
    polygon.push([p[0], p[1]]);
  }
  return { ok: true, filter: { polygon, bufferKm } };
}

/** Whether a node's advert position passes the filter (no GPS and (0, 0) always pass). */
export function geoFilterAccepts(
  filter: GeoFilter,
  lat: number | null | undefined,
  lon: number | null | undefined,
): boolean {
  if (lat === null || lat === undefined || lon === null || lon === undefined) return true;
  if (lat === 0 && lon === 0) return true;
  if (insidePolygon(lat, lon, filter.polygon)) return true;
  return filter.bufferKm > 0 && distanceToEdgesKm(lat, lon, filter.polygon) <= filter.bufferKm;
}

/** Ray casting over [lat, lon] vertices (x = lon, y = lat). */
export function insidePolygon(
  lat: number,
  lon: number,
  polygon: ReadonlyArray<readonly [number, number]>,
): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [yi, xi] = polygon[i];
    const [yj, xj] = polygon[j];
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

const KM_PER_DEGREE = 111.32;

/**
 * Shortest distance from the point to the polygon's edges, in km, on a flat-earth projection
 * centred on the point (x = lon·cos(lat), y = lat, both × 111.32 km per degree).
 */
export function distanceToEdgesKm(
  lat: number,
  lon: number,
  polygon: ReadonlyArray<readonly [number, number]>,
): number {
  const kx = KM_PER_DEGREE * Math.cos((lat * Math.PI) / 180);
  const ky = KM_PER_DEGREE;
  let best = Infinity;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const ax = (polygon[j][1] - lon) * kx;
    const ay = (polygon[j][0] - lat) * ky;
    const bx = (polygon[i][1] - lon) * kx;
    const by = (polygon[i][0] - lat) * ky;
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2));
    const d = Math.hypot(ax + t * dx, ay + t * dy);
    if (d < best) best = d;
  }
  return best;
}
