// Query-parameter parsing for the core routes (spec ingest-store-api §4.1). Stricter than
// CoreScope where it silently guessed: a payload/route type given by name works (CoreScope parsed
// `type=ADVERT` as 0, §9), and an unknown name, time or region is a 400 naming the parameter,
// not "all data". Limits keep CoreScope's rules: non-positive means the default, above the cap
// is clamped.
import { apiError } from '../errors.js';
import { PAYLOAD_TYPE, ROUTE_TYPE } from '../../protocol/enums.js';
import { areaDefinition, areaPolygon, inPolygon } from '../../config/areas.js';
import type { AreaFilter, MeshReadModel } from '../../store/read-model.js';

export function badParam(name: string, problem: string): Error {
  return apiError('MESHLENS_ERR_BAD_PARAMETER', name, problem);
}

/** CoreScope's limit rule: absent or <= 0 -> default, above max -> max. */
export function pageLimit(value: number | undefined, def: number, max: number): number {
  if (value === undefined || value <= 0) return Math.min(def, max);
  return Math.min(value, max);
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * A comma list of enumeration values given as numbers (0..max) or names (any case), deduplicated.
 * `what` names the enumeration in messages ("payload type", "route type").
 */
function parseEnumList(
  value: string | undefined,
  param: string,
  what: string,
  max: number,
  names: Readonly<Record<string, number>>,
): number[] | undefined {
  if (value === undefined || value === '') return undefined;
  const one = (t: string): number => {
    if (/^\d+$/.test(t)) {
      const n = Number(t);
      if (n > max) throw badParam(param, `${what} ${t} is out of range 0-${max}`);
      return n;
    }
    const key = t.toUpperCase();
    if (!Object.hasOwn(names, key))
      throw badParam(param, `unknown ${what} '${t}' (one of ${Object.keys(names).join(', ')})`);
    return names[key];
  };
  return [...new Set(splitList(value).map(one))];
}

/** `type`: comma list of payload type numbers (0-15) or names (`ADVERT`, `grp_txt`). */
export function parsePayloadTypes(value: string | undefined, name = 'type'): number[] | undefined {
  return parseEnumList(value, name, 'payload type', 15, PAYLOAD_TYPE);
}

/** `route`: comma list of route numbers (0-3) or names (`FLOOD`, `DIRECT`, `TRANSPORT_FLOOD`, ...). */
export function parseRouteTypes(value: string | undefined): number[] | undefined {
  return parseEnumList(value, 'route', 'route type', 3, ROUTE_TYPE);
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?)?$/;
const RELATIVE = /^(\d+)(m|h|d)$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * A time bound: RFC3339 (no zone = UTC), epoch seconds or ms, or a span back from now
 * (`15m`, `24h`, `7d`; the UI's compare page sends `since=24h`).
 */
export function parseTime(value: string | undefined, name: string, nowMs: number): number | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = timeMs(value, nowMs);
  if (ms === null)
    throw badParam(name, `'${value}' is not a time (RFC3339, epoch seconds/ms, or a span like 24h)`);
  // Beyond what a Date holds (±8.64e15 ms): rendering it back (toISOString) threw, a 500.
  if (!Number.isFinite(ms) || Math.abs(ms) > MAX_DATE_MS) throw badParam(name, `'${value}' is out of range`);
  return ms;
}

const MAX_DATE_MS = 8.64e15;

function timeMs(value: string, nowMs: number): number | null {
  const rel = RELATIVE.exec(value);
  if (rel) return nowMs - Number(rel[1]) * UNIT_MS[rel[2] as keyof typeof UNIT_MS];
  if (/^\d+(\.\d+)?$/.test(value)) {
    const n = Number(value);
    return n < 1e11 ? n * 1000 : n;
  }
  if (RFC3339.test(value)) {
    const zoned = /([Zz]|[+-]\d{2}:?\d{2})$/.test(value) || value.length === 10 ? value : `${value}Z`;
    const ms = Date.parse(zoned.replace(' ', 'T'));
    if (!Number.isNaN(ms)) return ms;
  }
  return null;
}

/**
 * `region`: comma list of IATA codes, case-insensitive; `All` (or empty) means no filter. A code
 * that is neither configured in `regions` nor any observer's IATA is a 400 (CoreScope silently
 * served everything, §9); a known region with no traffic gives an empty result.
 */
export function parseRegions(
  value: string | undefined,
  model: Pick<MeshReadModel, 'hasRegion'>,
  configured: Record<string, string>,
): string[] | undefined {
  if (value === undefined) return undefined;
  const codes = [...new Set(splitList(value).map((c) => c.toUpperCase()))].filter((c) => c !== 'ALL');
  if (codes.length === 0) return undefined;
  const known = new Set(Object.keys(configured).map((k) => k.toUpperCase()));
  for (const c of codes) {
    if (!known.has(c) && !model.hasRegion(c)) throw badParam('region', `unknown region '${c}'`);
  }
  return codes;
}

export function parseList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = splitList(value);
  return items.length === 0 ? undefined : items;
}

/** `area`: a key of config `areas` (spec §4.3), as the read model's filter; unknown → 400. */
export function parseArea(
  value: string | undefined,
  areas: Readonly<Record<string, unknown>>,
): AreaFilter | undefined {
  if (value === undefined || value === '') return undefined;
  const def = areaDefinition(areas, value);
  if (!def) throw badParam('area', `unknown area '${value}' (see /api/config/areas)`);
  const polygon = areaPolygon(def);
  if (!polygon) throw badParam('area', `area '${value}' has no polygon or box`);
  return { key: value, contains: (lat, lon) => inPolygon(lat, lon, polygon) };
}
