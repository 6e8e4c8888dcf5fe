// Areas (config `areas`, spec ingest-store-api §4.3): a transmitter-based display filter. One
// parser for every reader (the analytics routes, /api/packets and /api/nodes): an area is a
// `polygon` of [lat, lon] points (≥ 3), a `bbox` ([minLat, minLon, maxLat, maxLon] or named
// bounds), or CoreScope's top-level `latMin/latMax/lonMin/lonMax` box. Keys starting with `_`
// (comments in CoreScope's example config) are not areas.

/** [lat, lon] vertices. */
export type Polygon = Array<[number, number]>;

function isPair(p: unknown): p is [number, number] {
  return Array.isArray(p) && p.length >= 2 && typeof p[0] === 'number' && typeof p[1] === 'number';
}

const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A lat/lon box [minLat, minLon, maxLat, maxLon] as a 4-point polygon. */
function boxPolygon([la1, lo1, la2, lo2]: number[]): Polygon {
  return [
    [la1, lo1],
    [la1, lo2],
    [la2, lo2],
    [la2, lo1],
  ];
}

/** An area's polygon from any of its three shapes; null when it has none. */
export function areaPolygon(area: Record<string, unknown>): Polygon | null {
  const poly = area.polygon;
  if (Array.isArray(poly) && poly.length >= 3 && poly.every(isPair)) return poly.map((p) => [p[0], p[1]]);
  const b = area.bbox;
  if (Array.isArray(b) && b.length === 4 && b.every(num)) return boxPolygon(b);
  if (b && typeof b === 'object') {
    const o = b as Record<string, unknown>;
    const v = [o.minLat ?? o.south, o.minLon ?? o.west, o.maxLat ?? o.north, o.maxLon ?? o.east];
    if (v.every(num)) return boxPolygon(v);
  }
  const flat = [area.latMin, area.lonMin, area.latMax, area.lonMax];
  if (flat.every(num)) return boxPolygon(flat);
  return null;
}

/** The area definition under `key`, or undefined (own keys only; `_comment…` keys are not areas). */
export function areaDefinition(
  areas: Readonly<Record<string, unknown>>,
  key: string,
): Record<string, unknown> | undefined {
  if (key.startsWith('_') || !Object.hasOwn(areas, key)) return undefined;
  const def = areas[key];
  return def !== null && typeof def === 'object' && !Array.isArray(def)
    ? (def as Record<string, unknown>)
    : undefined;
}

/** Ray-casting point-in-polygon over [lat, lon] vertices. */
export function inPolygon(lat: number, lon: number, polygon: Polygon): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [yi, xi] = polygon[i];
    const [yj, xj] = polygon[j];
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
