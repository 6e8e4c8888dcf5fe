// Reading the database back into meshlens records for the startup load (spec ingest-store-api
// §3.3): keyset-paginated chunks in id order, so the loader can yield to the event loop between
// chunks. CoreScope's formats are converted here; values that cannot be converted are replaced
// by a documented fallback and counted, never passed on as garbage.
import type { Db } from './open.js';
import type { NodeRecord, ObservationRecord, ObserverRecord, TransmissionRecord } from '../records.js';
import { parseTimeMs } from './time.js';

/** Conversion problems met while reading (for the loader's log and /api/health). */
export interface ReadStats {
  /** path_json that is not a JSON array of strings: read as an empty path. */
  badPathJson: number;
  /** Time columns that could not be parsed: replaced by the row's nearest other time, or 0. */
  badTimes: number;
  /** observer_idx not matching any observers.rowid: observerId ''. */
  unknownObserver: number;
}

export function newReadStats(): ReadStats {
  return { badPathJson: 0, badTimes: 0, unknownObserver: 0 };
}

export interface MaxIds {
  /** Highest transmission id ever assigned (rows or AUTOINCREMENT sequence), 0 when none. */
  transmissionId: number;
  observationId: number;
}

/**
 * The ids ingest continues from. AUTOINCREMENT's sequence is included so an id freed by
 * retention is never handed out again (an API client may still hold it).
 */
export function readMaxIds(db: Db): MaxIds {
  const max = (table: string): number => {
    const row = db.prepare(`SELECT MAX(id) AS m FROM ${table}`).get() as { m: number | null };
    const seq = db.prepare('SELECT seq FROM sqlite_sequence WHERE name = ?').get(table) as
      { seq: number } | undefined;
    return Math.max(row.m ?? 0, seq?.seq ?? 0);
  };
  return { transmissionId: max('transmissions'), observationId: max('observations') };
}

export interface RowCounts {
  transmissions: number;
  observations: number;
  nodes: number;
  observers: number;
}

/** Row counts, for the loader's progress total. */
export function readCounts(db: Db): RowCounts {
  const n = (t: string): number => (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
  return {
    transmissions: n('transmissions'),
    observations: n('observations'),
    nodes: n('nodes'),
    observers: n('observers'),
  };
}

export interface ChunkOptions {
  chunkSize?: number;
  /** Start after this id (transmissions/observations) or rowid (nodes/observers). Default 0. */
  after?: number;
  stats?: ReadStats;
}

interface TxRow {
  id: number;
  raw_hex: string;
  hash: string;
  first_seen: unknown;
  route_type: number | null;
  payload_type: number | null;
  payload_version: number | null;
  decoded_json: string | null;
  from_pubkey: string | null;
  last_seen: number | null;
  channel_hash: string | null;
  scope_name: string | null;
  ml_last_seen_ms: number | null;
}

function headerByte(rawHex: string): number | null {
  const b = Number.parseInt(rawHex.slice(0, 2), 16);
  return Number.isNaN(b) ? null : b;
}

export function toTransmissionRecord(r: TxRow, stats: ReadStats): TransmissionRecord {
  const rawHex = r.raw_hex.toUpperCase();
  // The fixture's payload_version is NULL in every row (fixtures/README.md caveat 4): the header
  // byte is authoritative (route = bits 0-1, type = bits 2-5, version = bits 6-7).
  const h = headerByte(rawHex);
  let firstSeenMs = parseTimeMs(r.first_seen);
  const lastSeenCol = r.ml_last_seen_ms ?? (r.last_seen ? r.last_seen * 1000 : null);
  if (firstSeenMs === null) {
    stats.badTimes++;
    firstSeenMs = lastSeenCol ?? 0;
  }
  return {
    id: r.id,
    rawHex,
    hash: r.hash,
    firstSeenMs,
    // A transmission is never last seen before it was first seen (the fixture's re-stamped
    // observation times can be earlier than first_seen).
    lastSeenMs: Math.max(firstSeenMs, lastSeenCol ?? firstSeenMs),
    routeType: r.route_type ?? (h === null ? 0 : h & 0x03),
    payloadType: r.payload_type ?? (h === null ? 0 : (h >> 2) & 0x0f),
    payloadVersion: r.payload_version ?? (h === null ? 0 : (h >> 6) & 0x03),
    decodedJson: r.decoded_json ?? '',
    fromPubkey: r.from_pubkey || null,
    channelHash: r.channel_hash,
    scopeName: r.scope_name,
  };
}

/** Transmissions in id order, `chunkSize` per step. */
export function* transmissionChunks(db: Db, options: ChunkOptions = {}): Generator<TransmissionRecord[]> {
  const stats = options.stats ?? newReadStats();
  const stmt = db.prepare(
    `SELECT id, raw_hex, hash, first_seen, route_type, payload_type, payload_version, decoded_json, from_pubkey,
            last_seen, channel_hash, scope_name, ml_last_seen_ms
     FROM transmissions WHERE id > ? ORDER BY id LIMIT ?`,
  );
  yield* keyset(
    stmt,
    options,
    (r: TxRow) => toTransmissionRecord(r, stats),
    (r) => r.id,
  );
}

interface ObsRow {
  id: number;
  transmission_id: number;
  observer_id: string | null;
  direction: string | null;
  snr: number | null;
  rssi: number | null;
  score: number | null;
  path_json: string | null;
  timestamp: number;
  ml_rx_ms: number | null;
  ml_uploader_ms: number | null;
}

export function parsePath(json: string | null, stats: ReadStats): string[] {
  if (json === null || json === '') return [];
  try {
    const v: unknown = JSON.parse(json);
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.map((x) => x.toUpperCase());
  } catch {
    // falls through to the counted fallback
  }
  stats.badPathJson++;
  return [];
}

/** Observations in id order, with observer_idx mapped back to the observer's id. */
export function* observationChunks(db: Db, options: ChunkOptions = {}): Generator<ObservationRecord[]> {
  const stats = options.stats ?? newReadStats();
  const stmt = db.prepare(
    `SELECT o.id, o.transmission_id, ob.id AS observer_id, o.direction, o.snr, o.rssi, o.score, o.path_json,
            o.timestamp, o.ml_rx_ms, o.ml_uploader_ms
     FROM observations o LEFT JOIN observers ob ON ob.rowid = o.observer_idx
     WHERE o.id > ? ORDER BY o.id LIMIT ?`,
  );
  const convert = (r: ObsRow): ObservationRecord => {
    if (r.observer_id === null) stats.unknownObserver++;
    let rxMs = r.ml_rx_ms ?? parseTimeMs(r.timestamp);
    if (rxMs === null) {
      stats.badTimes++;
      rxMs = 0;
    }
    return {
      id: r.id,
      transmissionId: r.transmission_id,
      observerId: r.observer_id ?? '',
      direction: r.direction,
      snr: r.snr,
      rssi: r.rssi,
      score: r.score,
      path: parsePath(r.path_json, stats),
      rxMs,
      uploaderMs: r.ml_uploader_ms,
    };
  };
  yield* keyset(stmt, options, convert, (r) => r.id);
}

interface NodeRow {
  rid: number;
  public_key: string;
  name: string | null;
  role: string | null;
  lat: number | null;
  lon: number | null;
  last_seen: unknown;
  first_seen: unknown;
  advert_count: number | null;
  battery_mv: number | null;
  temperature_c: number | null;
  foreign_advert: number | null;
  default_scope: string | null;
}

/** Either time falls back to the other when unparseable (counted); both missing gives 0. */
function seenPair(first: unknown, last: unknown, stats: ReadStats): [number, number] {
  let f = parseTimeMs(first);
  let l = parseTimeMs(last);
  if (f === null) stats.badTimes++;
  if (l === null) stats.badTimes++;
  f ??= l ?? 0;
  l ??= f;
  return [f, l];
}

/** Nodes in rowid order (`after` is a rowid). */
export function* nodeChunks(db: Db, options: ChunkOptions = {}): Generator<NodeRecord[]> {
  const stats = options.stats ?? newReadStats();
  const stmt = db.prepare(
    `SELECT rowid AS rid, public_key, name, role, lat, lon, last_seen, first_seen, advert_count, battery_mv, temperature_c,
       foreign_advert, default_scope
     FROM nodes WHERE rowid > ? ORDER BY rowid LIMIT ?`,
  );
  const convert = (r: NodeRow): NodeRecord => {
    const [firstSeenMs, lastSeenMs] = seenPair(r.first_seen, r.last_seen, stats);
    return {
      publicKey: r.public_key.toLowerCase(),
      name: r.name,
      role: r.role,
      lat: r.lat,
      lon: r.lon,
      firstSeenMs,
      lastSeenMs,
      advertCount: r.advert_count ?? 0,
      batteryMv: r.battery_mv,
      temperatureC: r.temperature_c,
      foreign: r.foreign_advert === 1,
      defaultScope: r.default_scope,
    };
  };
  yield* keyset(stmt, options, convert, (r) => r.rid);
}

interface ObserverRow {
  rid: number;
  id: string;
  name: string | null;
  iata: string | null;
  last_seen: unknown;
  first_seen: unknown;
  packet_count: number | null;
  model: string | null;
  firmware: string | null;
  client_version: string | null;
  radio: string | null;
  battery_mv: number | null;
  uptime_secs: number | null;
  noise_floor: number | null;
  last_packet_at: unknown;
  clock_skew_seconds: number | null;
  clock_skew_count_24h: number | null;
  clock_last_naive_at: unknown;
  can_relay: number | null;
  can_relay_seen: number | null;
}

/** Observers in rowid order (rowid = the observations' observer_idx). */
export function* observerChunks(db: Db, options: ChunkOptions = {}): Generator<ObserverRecord[]> {
  const stats = options.stats ?? newReadStats();
  const stmt = db.prepare(
    `SELECT rowid AS rid, id, name, iata, last_seen, first_seen, packet_count, model, firmware, client_version, radio,
            battery_mv, uptime_secs, noise_floor, last_packet_at, clock_skew_seconds, clock_skew_count_24h,
            clock_last_naive_at, can_relay, can_relay_seen
     FROM observers WHERE rowid > ? ORDER BY rowid LIMIT ?`,
  );
  const convert = (r: ObserverRow): ObserverRecord => {
    const [firstSeenMs, lastSeenMs] = seenPair(r.first_seen, r.last_seen, stats);
    return {
      id: r.id,
      name: r.name,
      iata: r.iata,
      firstSeenMs,
      lastSeenMs,
      packetCount: r.packet_count ?? 0,
      model: r.model,
      firmware: r.firmware,
      clientVersion: r.client_version,
      radio: r.radio,
      batteryMv: r.battery_mv,
      uptimeSecs: r.uptime_secs,
      noiseFloor: r.noise_floor,
      lastPacketAtMs: parseTimeMs(r.last_packet_at),
      // A naive-clock event without a readable time cannot be placed in the 24 h window: none.
      ...observerClock(r),
      // can_relay is only meaningful once a status stated it (can_relay_seen = 1, spec §1.3).
      canRelay: r.can_relay_seen === 1 ? r.can_relay !== 0 : null,
    };
  };
  yield* keyset(stmt, options, convert, (r) => r.rid);
}

function observerClock(
  r: ObserverRow,
): Pick<ObserverRecord, 'clockSkewSeconds' | 'clockSkewCount24h' | 'clockLastNaiveAtMs'> {
  const at = parseTimeMs(r.clock_last_naive_at);
  if (at === null || r.clock_skew_seconds === null)
    return { clockSkewSeconds: null, clockSkewCount24h: 0, clockLastNaiveAtMs: null };
  return {
    clockSkewSeconds: r.clock_skew_seconds,
    clockSkewCount24h: r.clock_skew_count_24h ?? 0,
    clockLastNaiveAtMs: at,
  };
}

function* keyset<Row, Rec>(
  stmt: { all(...args: unknown[]): unknown[] },
  options: ChunkOptions,
  convert: (r: Row) => Rec,
  key: (r: Row) => number,
): Generator<Rec[]> {
  const size = options.chunkSize ?? 5000;
  let after = options.after ?? 0;
  for (;;) {
    const rows = stmt.all(after, size) as Row[];
    if (rows.length === 0) return;
    yield rows.map(convert);
    after = key(rows[rows.length - 1]);
    if (rows.length < size) return;
  }
}

// ---- Raw pages for the bulk startup load (store/load/load-batches.ts converts them to column
// batches off the main thread). Raw arrays, no JOIN: observations carry observer_idx, and the
// small observerIdsByRowid table maps it back to the observer id.

/** Column order of rawTransmissionPages rows. */
export const TX_RAW_COLUMNS = [
  'id',
  'raw_hex',
  'hash',
  'first_seen',
  'route_type',
  'payload_type',
  'payload_version',
  'decoded_json',
  'from_pubkey',
  'last_seen',
  'channel_hash',
  'scope_name',
  'ml_last_seen_ms',
] as const;

/** Column order of rawObservationPages rows. */
export const OBS_RAW_COLUMNS = [
  'id',
  'transmission_id',
  'observer_idx',
  'direction',
  'snr',
  'rssi',
  'score',
  'path_json',
  'timestamp',
  'ml_rx_ms',
  'ml_uploader_ms',
] as const;

function* rawPages(
  db: Db,
  table: string,
  columns: readonly string[],
  options: ChunkOptions,
): Generator<unknown[][]> {
  const stmt = db
    .prepare(`SELECT ${columns.join(', ')} FROM ${table} WHERE id > ? ORDER BY id LIMIT ?`)
    .raw(true);
  const size = options.chunkSize ?? 8192;
  let after = options.after ?? 0;
  for (;;) {
    const rows = stmt.all(after, size) as unknown[][];
    if (rows.length === 0) return;
    yield rows;
    after = rows[rows.length - 1][0] as number;
    if (rows.length < size) return;
  }
}

/** Transmissions as raw arrays (TX_RAW_COLUMNS order), id order, `chunkSize` per page. */
export function rawTransmissionPages(db: Db, options: ChunkOptions = {}): Generator<unknown[][]> {
  return rawPages(db, 'transmissions', TX_RAW_COLUMNS, options);
}

/** Observations as raw arrays (OBS_RAW_COLUMNS order, observer_idx unresolved), id order. */
export function rawObservationPages(db: Db, options: ChunkOptions = {}): Generator<unknown[][]> {
  return rawPages(db, 'observations', OBS_RAW_COLUMNS, options);
}

/**
 * Every `stride`-th page of rawObservationPages, starting with page `first` (0-based), each
 * with its page number: with stride K, K readers on K connections (workers first = 0..K-1)
 * together read every page once, in parallel. Skipping another reader's page costs an OFFSET
 * walk of the primary key inside SQLite (no rows cross into JS).
 */
export function* stridedObservationPages(
  db: Db,
  options: { chunkSize: number; stride: number; first: number },
): Generator<{ page: number; rows: unknown[][] }> {
  const { chunkSize: size, stride, first } = options;
  const stmt = db
    .prepare(`SELECT ${OBS_RAW_COLUMNS.join(', ')} FROM observations WHERE id > ? ORDER BY id LIMIT ?`)
    .raw(true);
  const skip = db
    .prepare('SELECT id FROM observations WHERE id > ? ORDER BY id LIMIT 1 OFFSET ?')
    .pluck(true);
  /** Id of the last row before the page that starts `n` rows after `after` (undefined: no such page). */
  const skipRows = (after: number, n: number): number | undefined =>
    n === 0 ? after : (skip.get(after, n - 1) as number | undefined);
  let after = skipRows(0, first * size);
  for (let page = first; after !== undefined; page += stride) {
    const rows = stmt.all(after, size) as unknown[][];
    if (rows.length === 0) return;
    yield { page, rows };
    if (rows.length < size) return;
    after = skipRows(rows[rows.length - 1][0] as number, (stride - 1) * size);
  }
}

/** observers.rowid (= observations.observer_idx) -> observer id. */
export function observerIdsByRowid(db: Db): Map<number, string> {
  const rows = db.prepare('SELECT rowid, id FROM observers').raw(true).all() as [number, string][];
  return new Map(rows);
}
