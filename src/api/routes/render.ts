// CoreScope's response shapes for transmissions, observations and nodes (spec ingest-store-api
// §3.1, §4.2), rendered from the read model's plain records, plus their JSON schemas. Times are
// RFC3339 text on the wire (epoch ms inside). `decoded_json` and `path_json` stay JSON
// *strings*, as CoreScope sends.
import type { NodeSummary, Sighting, TransmissionSummary } from '../../store/read-model.js';
import type { RepeaterLookup } from '../../analytics/engine/repeater-table.js'; // t3
import { isRelayRole } from '../../analytics/shared/hop-resolver.js'; // t3
import type { NodeItem, ObservationItem, PacketItem } from '../contract.js';

export type { ObservationItem, PacketItem };

const DAY_MS = 86_400_000;
const pad2 = (n: number) => (n < 10 ? '0' : '') + n;
const pad3 = (n: number) => (n < 10 ? '00' : n < 100 ? '0' : '') + n;
/** The last day's `YYYY-MM-DDT` prefix: times of one list share a few days. */
let prefixDay = NaN;
let dayPrefix = '';

/**
 * Date#toISOString of epoch ms, exactly, without a Date per call: the day prefix is cached and
 * the time of day is arithmetic. Lists render thousands of times per page (`new Date()` per time
 * was 5 % of the main thread under the soak; ~25 ms per /packets/timestamps answer).
 */
function isoText(t: number): string {
  const ms = Math.trunc(t); // Date's time value truncates toward zero
  // Years 0..9999 only: toISOString writes others with a sign and six digits.
  if (!(ms >= -62_167_219_200_000 && ms < 253_402_300_800_000)) return new Date(ms).toISOString();
  const d = Math.floor(ms / DAY_MS);
  if (d !== prefixDay) {
    prefixDay = d;
    dayPrefix = new Date(d * DAY_MS).toISOString().slice(0, 11);
  }
  let r = ms - d * DAY_MS;
  const h = Math.floor(r / 3_600_000);
  r -= h * 3_600_000;
  const m = Math.floor(r / 60_000);
  r -= m * 60_000;
  const sec = Math.floor(r / 1000);
  return `${dayPrefix}${pad2(h)}:${pad2(m)}:${pad2(sec)}.${pad3(Math.floor(r - sec * 1000))}Z`;
}

export const iso = (ms: number): string | null => (Number.isFinite(ms) ? isoText(ms) : null);

/** A JSON array of the ISO-8601 strings of `times` (epoch ms), as Date#toISOString writes them. */
export function isoJsonArray(times: readonly number[]): string {
  const out: string[] = new Array(times.length);
  for (let i = 0; i < times.length; i++) out[i] = Number.isFinite(times[i]) ? isoText(times[i]) : '';
  return out.length === 0 ? '[]' : `["${out.join('","')}"]`;
}

const S = { type: 'string' } as const;
const I = { type: 'integer' } as const;
const N = { type: 'number' } as const;
const nullable = (t: 'string' | 'number' | 'integer' | 'boolean') => ({ type: [t, 'null'] });

export function observationItem(s: Sighting, hash: string): ObservationItem {
  const o = s.observation;
  return {
    id: o.id,
    transmission_id: o.transmissionId,
    hash,
    observer_id: o.observerId,
    observer_name: s.observerName,
    observer_iata: s.observerIata,
    direction: o.direction,
    snr: o.snr,
    rssi: o.rssi,
    score: o.score,
    path_json: JSON.stringify(o.path),
    timestamp: iso(o.rxMs),
    uploader_timestamp: o.uploaderMs === null ? null : iso(o.uploaderMs),
  };
}

/** A transmission in CoreScope's packet shape; `expand` adds its observations (when loaded). */
export function packetItem(s: TransmissionSummary, expand = false): PacketItem {
  const t = s.transmission;
  const bo = s.best;
  const firstSeen = iso(t.firstSeenMs);
  const item: PacketItem = {
    id: t.id,
    raw_hex: t.rawHex,
    hash: t.hash,
    first_seen: firstSeen,
    timestamp: firstSeen,
    last_seen: iso(t.lastSeenMs),
    route_type: t.routeType,
    payload_type: t.payloadType,
    payload_version: t.payloadVersion,
    decoded_json: t.decodedJson,
    channel_hash: t.channelHash,
    from_pubkey: t.fromPubkey,
    scope_name: t.scopeName,
    observation_count: s.observationCount,
    observer_id: bo ? bo.observerId : null,
    observer_name: bo ? s.bestObserverName : null,
    observer_iata: bo ? s.bestObserverIata : null,
    snr: bo ? bo.snr : null,
    rssi: bo ? bo.rssi : null,
    path_json: bo ? JSON.stringify(bo.path) : null,
    direction: bo ? bo.direction : null,
    _parsedPath: bo ? bo.path : [],
  };
  if (expand && s.observations) item.observations = s.observations.map((o) => observationItem(o, t.hash));
  return item;
}

/** A node in CoreScope's node shape. */
export function nodeItem(s: NodeSummary): NodeItem {
  const rec = s.node;
  return {
    public_key: rec.publicKey,
    name: rec.name,
    role: rec.role,
    lat: rec.lat,
    lon: rec.lon,
    last_seen: iso(rec.lastSeenMs),
    first_seen: iso(rec.firstSeenMs),
    advert_count: rec.advertCount,
    battery_mv: rec.batteryMv,
    temperature_c: rec.temperatureC,
    foreign: rec.foreign,
    default_scope: rec.defaultScope,
    last_heard: iso(s.lastHeardMs),
    packet_count: s.packetCount,
    hash_size: s.hashSize,
    hash_size_inconsistent: s.hashSizeInconsistent,
    hash_sizes_seen: s.hashSizesSeen,
    flood_advert_count_7d: s.floodAdvertCount7d,
  };
}

// ------------------------------------------------------------------ schemas

export const observationSchema = {
  type: 'object',
  properties: {
    id: I,
    transmission_id: I,
    hash: S,
    observer_id: S,
    observer_name: nullable('string'),
    observer_iata: nullable('string'),
    direction: nullable('string'),
    snr: nullable('number'),
    rssi: nullable('number'),
    score: nullable('number'),
    path_json: S,
    timestamp: nullable('string'),
    uploader_timestamp: nullable('string'),
    raw_hex: S,
    route_type: I,
    payload_type: I,
    decoded_json: S,
  },
} as const;

export const packetSchema = {
  type: 'object',
  properties: {
    id: I,
    raw_hex: S,
    hash: S,
    first_seen: nullable('string'),
    timestamp: nullable('string'),
    last_seen: nullable('string'),
    route_type: I,
    payload_type: I,
    payload_version: I,
    decoded_json: S,
    channel_hash: nullable('string'),
    from_pubkey: nullable('string'),
    scope_name: nullable('string'),
    observation_count: I,
    observer_id: nullable('string'),
    observer_name: nullable('string'),
    observer_iata: nullable('string'),
    snr: nullable('number'),
    rssi: nullable('number'),
    path_json: nullable('string'),
    direction: nullable('string'),
    _parsedPath: { type: 'array', items: S },
    observations: { type: 'array', items: observationSchema },
    count: I,
    observer_count: I,
    latest: nullable('string'),
  },
} as const;

export const nodeSchema = {
  type: 'object',
  properties: {
    public_key: S,
    name: nullable('string'),
    role: nullable('string'),
    lat: nullable('number'),
    lon: nullable('number'),
    last_seen: nullable('string'),
    first_seen: nullable('string'),
    advert_count: I,
    battery_mv: nullable('integer'),
    temperature_c: nullable('number'),
    foreign: { type: 'boolean' },
    default_scope: nullable('string'),
    last_heard: nullable('string'),
    packet_count: I,
    hash_size: I,
    hash_size_inconsistent: { type: 'boolean' },
    hash_sizes_seen: { type: 'array', items: I },
    flood_advert_count_7d: I,
    // t3: repeaters and rooms only (relay liveness and usefulness axes; null before the first compute)
    last_relayed: nullable('string'),
    relay_active: nullable('boolean'),
    relay_count_1h: nullable('integer'),
    relay_count_24h: nullable('integer'),
    unscoped_relay_count_24h: nullable('integer'),
    transported_scopes: { type: ['array', 'null'], items: S },
    traffic_share_score: nullable('number'),
    bridge_score: nullable('number'),
    coverage_score: nullable('number'),
    redundancy_score: nullable('number'),
    usefulness_score: nullable('number'),
    usefulness_grade: nullable('string'),
  },
} as const;

export const errorSchema = {
  type: 'object',
  properties: { error: S, code: S, reason: S },
  required: ['error'],
} as const;

export { S, I, N, nullable };

// ------------------------------------------------------------------ t3: repeater enrichment

/** The latest repeater-usefulness table and the settings relay_active needs. */
export interface RelayRender {
  lookup: RepeaterLookup | null;
  /** healthThresholds.relayActiveHours. */
  relayActiveHours: number;
  nowMs: number;
}

/**
 * A node in CoreScope's node shape plus, for repeaters and rooms, the relay fields and usefulness
 * axes of the latest background compute (all null until the first one, or without analytics).
 * `relay_active`: relayed within `relayActiveHours`.
 */
export function nodeItemWithRelay(s: NodeSummary, relay: RelayRender) {
  const item = nodeItem(s);
  if (!isRelayRole(s.node.role)) return item;
  const r = relay.lookup?.get(s.node.publicKey) ?? null;
  const lastMs = r?.last_relayed ? Date.parse(r.last_relayed) : NaN;
  return {
    ...item,
    last_relayed: r ? r.last_relayed : null,
    relay_active: r
      ? Number.isFinite(lastMs) && relay.nowMs - lastMs <= relay.relayActiveHours * 3_600_000
      : null,
    relay_count_1h: r ? r.relay_count_1h : null,
    relay_count_24h: r ? r.relay_count_24h : null,
    unscoped_relay_count_24h: r ? r.unscoped_relay_count_24h : null,
    transported_scopes: r ? r.transported_scopes : null,
    traffic_share_score: r ? r.traffic_share_score : null,
    bridge_score: r ? r.bridge_score : null,
    coverage_score: r ? r.coverage_score : null,
    redundancy_score: r ? r.redundancy_score : null,
    usefulness_score: r ? r.usefulness_score : null,
    usefulness_grade: r ? r.usefulness_grade : null,
  };
}
