// CoreScope's response shapes for transmissions, observations and nodes (spec ingest-store-api
// §3.1, §4.2), built from store rows, plus their JSON schemas. Times are RFC3339 text on the
// wire (epoch ms inside). `decoded_json` and `path_json` stay JSON *strings*, as CoreScope sends.
// Every builder costs O(the row's observations), never O(dataset).
import { I16_NULL, NONE } from '../../store/memory/layout.js';
import type { MemoryStore } from '../../store/memory/memory-store.js';

export const iso = (ms: number): string | null => (Number.isFinite(ms) ? new Date(ms).toISOString() : null);

const S = { type: 'string' } as const;
const I = { type: 'integer' } as const;
const N = { type: 'number' } as const;
const nullable = (t: 'string' | 'number' | 'integer' | 'boolean') => ({ type: [t, 'null'] });

/** Observer id, name and IATA of an observer row (name/IATA may be null). */
export function observerLabel(
  store: MemoryStore,
  row: number,
): { id: string; name: string | null; iata: string | null } {
  return {
    id: store.interns.observers.get(row) ?? '',
    name: store.interns.names.get(store.observers.get('name', row)),
    iata: store.interns.regions.get(store.observers.get('iata', row)),
  };
}

function quarter(q: number): number | null {
  return q === I16_NULL ? null : q / 4;
}

export interface ObservationItem {
  id: number;
  transmission_id: number;
  hash: string;
  observer_id: string;
  observer_name: string | null;
  observer_iata: string | null;
  direction: string | null;
  snr: number | null;
  rssi: number | null;
  score: number | null;
  path_json: string;
  timestamp: string | null;
  uploader_timestamp: string | null;
}

export function observationItem(store: MemoryStore, row: number, hash: string): ObservationItem {
  const o = store.observation(row);
  const label = observerLabel(store, store.obs.get('observer', row));
  return {
    id: o.id,
    transmission_id: o.transmissionId,
    hash,
    observer_id: label.id,
    observer_name: label.name,
    observer_iata: label.iata,
    direction: o.direction,
    snr: o.snr,
    rssi: o.rssi,
    score: o.score,
    path_json: JSON.stringify(o.path),
    timestamp: iso(o.rxMs),
    uploader_timestamp: o.uploaderMs === null ? null : iso(o.uploaderMs),
  };
}

/** The display observation (spec §3.1): the longest path, earliest on ties; -1 when none. */
export function bestObservation(store: MemoryStore, txRow: number): number {
  let best = -1;
  let bestHops = -1;
  for (let r = store.tx.get('firstObs', txRow); r !== NONE; r = store.obs.get('nextOfTx', r)) {
    const hops = store.obs.get('hopCount', r);
    if (hops > bestHops) {
      best = r;
      bestHops = hops;
    }
  }
  return best;
}

export interface PacketItem {
  id: number;
  raw_hex: string;
  hash: string;
  first_seen: string | null;
  timestamp: string | null;
  last_seen: string | null;
  route_type: number;
  payload_type: number;
  payload_version: number;
  decoded_json: string;
  channel_hash: string | null;
  from_pubkey: string | null;
  observation_count: number;
  observer_id: string | null;
  observer_name: string | null;
  observer_iata: string | null;
  snr: number | null;
  rssi: number | null;
  path_json: string | null;
  direction: string | null;
  _parsedPath: string[];
  observations?: ObservationItem[];
}

export function packetItem(store: MemoryStore, txRow: number, expand = false): PacketItem {
  const t = store.transmission(txRow);
  const best = bestObservation(store, txRow);
  const bo = best === -1 ? null : store.observation(best);
  const label = best === -1 ? null : observerLabel(store, store.obs.get('observer', best));
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
    observation_count: store.tx.get('obsCount', txRow),
    observer_id: label?.id ?? null,
    observer_name: label?.name ?? null,
    observer_iata: label?.iata ?? null,
    snr: bo ? bo.snr : null,
    rssi: bo ? bo.rssi : null,
    path_json: bo ? JSON.stringify(bo.path) : null,
    direction: bo ? bo.direction : null,
    _parsedPath: bo ? bo.path : [],
  };
  if (expand) item.observations = store.observationRows(txRow).map((r) => observationItem(store, r, t.hash));
  return item;
}

/** Distinct observers of a transmission (for groupByHash). */
export function observerCount(store: MemoryStore, txRow: number): number {
  const seen = new Set<number>();
  for (let r = store.tx.get('firstObs', txRow); r !== NONE; r = store.obs.get('nextOfTx', r))
    seen.add(store.obs.get('observer', r));
  return seen.size;
}

/** SNR of an observation row in dB, or null. */
export function obsSnr(store: MemoryStore, row: number): number | null {
  return quarter(store.obs.get('snr', row));
}
export function obsRssi(store: MemoryStore, row: number): number | null {
  return quarter(store.obs.get('rssi', row));
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
    last_heard: nullable('string'),
    packet_count: I,
  },
} as const;

export const errorSchema = {
  type: 'object',
  properties: { error: S, code: S, reason: S },
  required: ['error'],
} as const;

export { S, I, N, nullable };
