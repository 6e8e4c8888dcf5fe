// Geo shapes of the configuration (spec ingest-store-api §1.12, §4.3): the `geo_filter` and the
// `areas` entries. A shape is a polygon of [lat, lon] points (plus `bufferKm` for the geo
// filter) or a legacy box `{latMin, latMax, lonMin, lonMax}`. Pure code, no I/O: ingest, the
// analytics workers and the API share it.

import { areaPolygon, inPolygon } from './areas.js';

/** A validated geo filter, normalised to one of the two shapes. */
export type GeoFilter =
  | { kind: 'polygon'; polygon: Array<[number, number]>; bufferKm: number }
  | { kind: 'box'; latMin: number; latMax: number; lonMin: number; lonMax: number };

/** The limits PUT /api/config/geo-filter enforces (spec §1.12). */
export const GEO_FILTER_LIMITS = { minPoints: 3, maxPoints: 1000, maxBufferKm: 20000 } as const;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Validates a geo_filter value. Returns the filter, or the problems found, each naming its
 * field (`polygon[3][0]: latitude must be within -90..90`). `_comment…` keys are ignored.
 */
export function parseGeoFilter(value: unknown): { filter: GeoFilter } | { problems: string[] } {
  if (!isObject(value)) return { problems: ['geo_filter: must be an object'] };
  const problems: string[] = [];
  const keys = Object.keys(value).filter((k) => !k.startsWith('_comment'));
  if (value.polygon !== undefined) {
    for (const k of keys)
      if (k !== 'polygon' && k !== 'bufferKm')
        problems.push(`${k}: unknown key (a polygon filter takes polygon and bufferKm)`);
    const poly = value.polygon;
    const { minPoints, maxPoints, maxBufferKm } = GEO_FILTER_LIMITS;
    if (!Array.isArray(poly)) problems.push('polygon: must be an array of [lat, lon] pairs');
    else {
      if (poly.length < minPoints || poly.length > maxPoints)
        problems.push(`polygon: must have ${minPoints} to ${maxPoints} points, got ${poly.length}`);
      poly.slice(0, maxPoints + 1).forEach((p, i) => {
        if (!Array.isArray(p) || p.length !== 2 || !finite(p[0]) || !finite(p[1]))
          problems.push(`polygon[${i}]: must be a [lat, lon] pair of numbers`);
        else {
          if (Math.abs(p[0]) > 90) problems.push(`polygon[${i}][0]: latitude must be within -90..90`);
          if (Math.abs(p[1]) > 180) problems.push(`polygon[${i}][1]: longitude must be within -180..180`);
        }
      });
    }
    const buffer = value.bufferKm ?? 0;
    if (!finite(buffer) || buffer < 0 || buffer > maxBufferKm)
      problems.push(`bufferKm: must be a number from 0 to ${maxBufferKm}`);
    if (problems.length > 0) return { problems };
    return {
      filter: {
        kind: 'polygon',
        polygon: (poly as Array<[number, number]>).map((p) => [p[0], p[1]]),
        bufferKm: buffer as number,
      },
    };
  }
  const box = parseBox(value, keys);
  if ('problems' in box) return box;
  return { filter: { kind: 'box', ...box.box } };
}

const BOX_KEYS = ['latMin', 'latMax', 'lonMin', 'lonMax'] as const;
type Box = Record<(typeof BOX_KEYS)[number], number>;

function parseBox(value: Json, keys: string[]): { box: Box } | { problems: string[] } {
  if (!BOX_KEYS.some((k) => value[k] !== undefined))
    return { problems: ['polygon: is required (or latMin, latMax, lonMin, lonMax)'] };
  const problems: string[] = [];
  for (const k of keys)
    if (!(BOX_KEYS as readonly string[]).includes(k))
      problems.push(`${k}: unknown key (a box filter takes latMin, latMax, lonMin, lonMax)`);
  for (const k of BOX_KEYS) {
    const v = value[k];
    const limit = k.startsWith('lat') ? 90 : 180;
    if (!finite(v) || Math.abs(v) > limit) problems.push(`${k}: must be a number within -${limit}..${limit}`);
  }
  if (problems.length === 0 && (value.latMin as number) > (value.latMax as number))
    problems.push('latMin: must not exceed latMax');
  if (problems.length === 0 && (value.lonMin as number) > (value.lonMax as number))
    problems.push('lonMin: must not exceed lonMax');
  if (problems.length > 0) return { problems };
  return { box: Object.fromEntries(BOX_KEYS.map((k) => [k, value[k] as number])) as Box };
}

/** The filter as config.json and GET /api/config/geo-filter write it. */
export function geoFilterJson(filter: GeoFilter): Json {
  return filter.kind === 'polygon'
    ? { polygon: filter.polygon.map((p) => [p[0], p[1]]), bufferKm: filter.bufferKm }
    : { latMin: filter.latMin, latMax: filter.latMax, lonMin: filter.lonMin, lonMax: filter.lonMax };
}

const KM_PER_DEG_LAT = 111.32;

/**
 * Flat-earth distance (km) from a point to the polygon's boundary: longitudes are scaled by
 * cos(latitude of the point), which is what a buffer of a few tens of km needs.
 */
export function distanceToEdgeKm(
  lat: number,
  lon: number,
  polygon: ReadonlyArray<readonly [number, number]>,
): number {
  const kx = KM_PER_DEG_LAT * Math.cos((lat * Math.PI) / 180);
  let best = Infinity;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const ax = (polygon[j][1] - lon) * kx;
    const ay = (polygon[j][0] - lat) * KM_PER_DEG_LAT;
    const bx = (polygon[i][1] - lon) * kx;
    const by = (polygon[i][0] - lat) * KM_PER_DEG_LAT;
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2));
    const d = Math.hypot(ax + t * dx, ay + t * dy);
    if (d < best) best = d;
  }
  return best;
}

/** True when a GPS position passes the filter (inside the polygon or its buffer, or the box). */
export function geoFilterAllows(filter: GeoFilter, lat: number, lon: number): boolean {
  if (filter.kind === 'box')
    return lat >= filter.latMin && lat <= filter.latMax && lon >= filter.lonMin && lon <= filter.lonMax;
  if (inPolygon(lat, lon, filter.polygon)) return true;
  return filter.bufferKm > 0 && distanceToEdgeKm(lat, lon, filter.polygon) <= filter.bufferKm;
}

/**
 * True when a node position is a GPS fix the filter can judge: "nodes with no GPS fix are
 * always allowed through", and MeshCore's (0, 0) means no fix.
 */
export function hasGpsFix(lat: number | null | undefined, lon: number | null | undefined): boolean {
  return (
    typeof lat === 'number' &&
    typeof lon === 'number' &&
    Number.isFinite(lat) &&
    Number.isFinite(lon) &&
    !(lat === 0 && lon === 0)
  );
}

/** An `areas` entry's polygon (any of its shapes, see areas.ts), or null when it has none. */
export function areaShape(area: unknown): Array<[number, number]> | null {
  return isObject(area) ? areaPolygon(area) : null;
}

/**
 * The geo filter in force, shared by the API (GET/PUT /api/config/geo-filter) and ingest
 * (which checks ADVERT GPS against it, spec §1.12). A PUT swaps it with `set()`; readers call
 * `get()` per use (a field read, no copy), or `subscribe()` to hear of changes.
 */
export class GeoFilterStore {
  #filter: GeoFilter | null;
  #version = 0;
  readonly #listeners = new Set<(filter: GeoFilter | null) => void>();

  constructor(initial: GeoFilter | null = null) {
    this.#filter = initial;
  }

  /** From a loaded config's `geo_filter` (absent or invalid: no filter; load.ts refuses invalid ones). */
  static fromConfig(value: unknown): GeoFilterStore {
    if (value === undefined) return new GeoFilterStore(null);
    const parsed = parseGeoFilter(value);
    return new GeoFilterStore('filter' in parsed ? parsed.filter : null);
  }

  /** The filter in force, or null when none is configured. */
  get(): GeoFilter | null {
    return this.#filter;
  }

  /** Increments on every set(), so a reader can cache what it derived from a filter. */
  get version(): number {
    return this.#version;
  }

  /** True when the position passes (no filter, no GPS fix, or inside the filter). */
  allows(lat: number | null | undefined, lon: number | null | undefined): boolean {
    const f = this.#filter;
    return f === null || !hasGpsFix(lat, lon) || geoFilterAllows(f, lat as number, lon as number);
  }

  set(filter: GeoFilter | null): void {
    this.#filter = filter;
    this.#version++;
    for (const l of this.#listeners) l(filter);
  }

  /** Calls `listener` on each set(); returns the unsubscribe function. */
  subscribe(listener: (filter: GeoFilter | null) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
