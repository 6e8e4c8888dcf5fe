// The simulator's SQLite output (issue 4 item 2b): the message stream written straight into a
// meshlens (CoreScope-compatible) database, as the live pipeline would have stored it, but at
// bulk speed. Each transmission is decoded once (dedup by the stream's txKey, then by content
// hash, spec packet-format §8: distinct simulated transmissions may carry identical bytes, and
// those are one transmission, as at ingest); observations take their path from
// the frame header; observers, their metrics and the advertised nodes are upserted with the same
// statements and column formats as the live writer (src/store/sqlite/operations.ts).
//
// Speed: one connection, journal off and no secondary indexes but the dedup key while filling
// (they are rebuilt by migrate() at the end, so the schema is exactly what migrate() produces), big transactions,
// positional prepared statements. The file is built under a temporary name and renamed when
// complete, so a crash never leaves a half-written dataset under the final name.
import { existsSync, renameSync, rmSync } from 'node:fs';
import {
  ChannelKeyring,
  decodePacket,
  observationPath,
  payloadJsonText,
  type Packet,
} from '../protocol/index.js';
import { checkAdvert } from '../ingest/advert-gate.js';
import { parseStatusMessage } from '../ingest/observer-message.js';
import { TransportScopes } from '../ingest/transport-scopes.js';
import { resolveUploaderTime, uploaderSentMs } from '../ingest/uploader-time.js';
import { migrate, openDatabase, type Db } from '../store/sqlite/index.js';
import type { ObserverPacketUpsert } from '../store/records.js';
import { OpApplier } from '../store/sqlite/operations.js';
import { INDEXES } from '../store/sqlite/schema.js';
import { toEpochSeconds, toRfc3339, toSqliteDatetime } from '../store/sqlite/time.js';
import { KNOWN_HASHTAGS } from './channels.js';
import type { SimMessage, SimPacketMessage, SimStatusMessage } from './messages.js';

/** Bump when the rows written for a given stream change (invalidates cached datasets). */
export const DATASET_FORMAT_VERSION = 1;

export interface DatasetOptions {
  /** Channel keys used to decrypt group traffic (default: Public + the simulator's known hashtags). */
  keyring?: ChannelKeyring;
  /**
   * Verify advert signatures (default false: the simulator signs every advert correctly, which
   * test/sim/simulator.test.ts enforces, so each advert is stored as verified, `signatureValid:
   * true` in decoded_json exactly as the live pipeline writes it; verifying cost ~7% of the time).
   */
  verifySignatures?: boolean;
  /** Messages per transaction (default 50,000). */
  messagesPerTransaction?: number;
  /** Called after every transaction with the running totals. */
  onProgress?: (progress: DatasetProgress) => void;
  /** observer_metrics bucket size (ms, default 300,000 as the live writer). */
  metricsBucketMs?: number;
  /** Config `hashRegions` for scope_name, as the live pipeline resolves it (default none: '' or null). */
  hashRegions?: readonly string[];
}

export interface DatasetProgress {
  messages: number;
  transmissions: number;
  observations: number;
  elapsedMs: number;
}

export interface DatasetResult extends DatasetProgress {
  statusMessages: number;
  /** Packet messages repeating an (observer, transmission, path): upserts, no new row. */
  duplicateMessages: number;
  nodes: number;
  observers: number;
  /** Messages not stored, by reason code (decode errors, advert gate). */
  rejected: Record<string, number>;
  firstRxMs: number | null;
  lastRxMs: number | null;
}

/** The channel keys an analyzer configured with the simulator's public hashtags would have. */
export function defaultDatasetKeyring(): ChannelKeyring {
  return ChannelKeyring.create({ hashtags: KNOWN_HASHTAGS });
}

interface TxState {
  id: number;
  /** TRACE: the payload route (the same for every observation); otherwise null. */
  tracePath: string | null;
  /** ADVERT: the advertiser's key (lowercase), for the node upsert of every sighting. */
  advertKey: string | null;
}

interface NodeState {
  name: string | null;
  role: string | null;
  lat: number | null;
  lon: number | null;
  firstMs: number;
  lastMs: number;
  adverts: number;
  batteryMv: number | null;
  temperatureC: number | null;
}

interface ObserverState {
  id: string;
  iata: string;
  idx: number;
  /** Sightings since the last observer upsert (coalesced as the live writer does). */
  pending: ObserverPacketUpsert[];
}

const REJECTED: TxState = { id: -1, tracePath: null, advertKey: null };

/** Header path hops of a frame given as hex (spec packet-format §4), as a JSON array text. */
export function headerPathJson(raw: string): string {
  const b0 = parseInt(raw.slice(0, 2), 16);
  const route = b0 & 3;
  const off = route === 0 || route === 3 ? 10 : 2;
  const pb = parseInt(raw.slice(off, off + 2), 16);
  const size = ((pb >> 6) + 1) * 2;
  const count = pb & 0x3f;
  if (count === 0) return '[]';
  let out = '[';
  for (let i = 0, p = off + 2; i < count; i++, p += size) {
    out += `${i === 0 ? '"' : ',"'}${raw.slice(p, p + size).toUpperCase()}"`;
  }
  return `${out}]`;
}

function channelHashOf(packet: Packet): string | null {
  const p = packet.payload as { type: string; channel?: string; channelHashHex?: string };
  if (p.type !== 'CHAN' && p.type !== 'GRP_TXT' && p.type !== 'GRP_DATA') return null;
  if (typeof p.channel === 'string') return p.channel;
  return p.channelHashHex !== undefined ? `enc_${p.channelHashHex}` : null;
}

function dropIndexes(db: Db): void {
  for (const sql of INDEXES) {
    const m = /INDEX IF NOT EXISTS (\w+) ON (transmissions|observations)\(/.exec(sql);
    if (m) db.exec(`DROP INDEX IF EXISTS ${m[1]}`);
  }
}

/**
 * Writes every message of `source` into a new SQLite database at `dbPath` (replacing any file
 * there). Synchronous: it is meant for CLIs, benchmarks and test setup, not for a server loop.
 */
export function writeDataset(
  source: { next(): SimMessage | null },
  dbPath: string,
  options: DatasetOptions = {},
): DatasetResult {
  const started = performance.now();
  const tmpPath = `${dbPath}.partial`;
  for (const p of [tmpPath, `${tmpPath}-wal`, `${tmpPath}-shm`]) rmSync(p, { force: true });
  const db = openDatabase(tmpPath);
  try {
    const result = fill(db, source, options, started);
    db.close();
    for (const p of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) rmSync(p, { force: true });
    renameSync(tmpPath, dbPath);
    return result;
  } catch (err) {
    if (db.open) db.close();
    for (const p of [tmpPath, `${tmpPath}-wal`, `${tmpPath}-shm`])
      if (existsSync(p)) rmSync(p, { force: true });
    throw err;
  }
}

function fill(
  db: Db,
  source: { next(): SimMessage | null },
  options: DatasetOptions,
  started: number,
): DatasetResult {
  migrate(db);
  dropIndexes(db);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('foreign_keys = OFF');
  db.pragma('cache_size = -262144');

  const keyring = options.keyring ?? defaultDatasetKeyring();
  const scopes = new TransportScopes(options.hashRegions ?? []);
  const verifySignatures = options.verifySignatures ?? false;
  const perTx = options.messagesPerTransaction ?? 50_000;
  const applier = new OpApplier(db, options.metricsBucketMs ?? 300_000);
  const insertTx = db.prepare(
    `INSERT INTO transmissions (id, raw_hex, hash, first_seen, route_type, payload_type, payload_version,
       decoded_json, created_at, from_pubkey, last_seen, channel_hash, scope_name, ml_last_seen_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertObs = db.prepare(
    `INSERT OR IGNORE INTO observations (id, transmission_id, observer_idx, direction, snr, rssi, score, path_json,
       timestamp, ml_rx_ms, ml_uploader_ms)
     VALUES (?, ?, ?, 'rx', ?, ?, ?, ?, ?, ?, ?)`,
  );
  const observerIdx = db.prepare('SELECT rowid AS idx FROM observers WHERE id = ?');

  const txByKey = new Map<number, TxState>();
  // Two simulated transmissions can carry identical bytes (a repeated message, an identical
  // ACK): as at ingest, one content hash is one transmission with several observations.
  const txByHash = new Map<string, TxState>();
  const firstSeen: number[] = [0];
  const lastSeen: number[] = [0];
  const nodes = new Map<string, NodeState>();
  const observers = new Map<number, ObserverState>();
  const rejected: Record<string, number> = {};
  let messages = 0;
  let statusMessages = 0;
  let duplicateMessages = 0;
  let observations = 0;
  let firstRxMs: number | null = null;
  let lastRxMs: number | null = null;

  const flushSightings = (o: ObserverState): void => {
    if (o.pending.length === 0) return;
    applier.observerPackets(o.pending);
    o.pending = [];
  };

  const observerOf = (m: SimMessage): ObserverState => {
    let o = observers.get(m.observer);
    if (o) return o;
    const [, iata, key] = m.topic.split('/');
    o = { id: key.toUpperCase(), iata: iata.toUpperCase(), idx: 0, pending: [] };
    observers.set(m.observer, o);
    return o;
  };

  const status = (m: SimStatusMessage): void => {
    const o = observerOf(m);
    flushSightings(o);
    const parsed = parseStatusMessage(JSON.stringify(m.payload), m.rxMs);
    if (!parsed.ok) {
      rejected[parsed.code] = (rejected[parsed.code] ?? 0) + 1;
      return;
    }
    const s = parsed.value;
    applier.apply({
      kind: 'upsertObserverStatus',
      observer: {
        id: o.id,
        name: s.origin,
        iata: o.iata,
        seenMs: m.rxMs,
        model: s.model,
        firmware: s.firmware,
        clientVersion: s.clientVersion,
        radio: s.radio,
        batteryMv: s.batteryMv,
        uptimeSecs: s.uptimeSecs,
        noiseFloor: s.noiseFloor,
        canRelay: s.canRelay,
      },
    });
    if (o.idx === 0) o.idx = (observerIdx.get(o.id) as { idx: number }).idx;
    applier.apply({
      kind: 'insertObserverMetrics',
      sample: {
        observerId: o.id,
        atMs: m.rxMs,
        noiseFloor: s.noiseFloor,
        txAirSecs: s.txAirSecs,
        rxAirSecs: s.rxAirSecs,
        recvErrors: s.recvErrors,
        batteryMv: s.batteryMv,
        packetsSent: s.packetsSent,
        packetsRecv: s.packetsRecv,
        uptimeSecs: s.uptimeSecs,
      },
    });
  };

  const newTransmission = (m: SimPacketMessage): TxState => {
    const raw = m.payload.raw.toUpperCase();
    const decoded = decodePacket(raw, { keyring, verifySignatures });
    if (!decoded.ok) {
      rejected[decoded.error.code] = (rejected[decoded.error.code] ?? 0) + 1;
      return REJECTED;
    }
    const packet = decoded.packet;
    const same = txByHash.get(packet.hash);
    if (same !== undefined) return same;
    const payload = packet.payload;
    let advertKey: string | null = null;
    if (payload.type === 'ADVERT' && !('error' in payload) && !verifySignatures)
      payload.signatureValid = true;
    if (payload.type === 'ADVERT') {
      const verdict = checkAdvert(payload);
      if (verdict) {
        rejected[verdict.code] = (rejected[verdict.code] ?? 0) + 1;
        return REJECTED;
      }
      if (!('error' in payload)) advertKey = payload.pubKey.toLowerCase();
    }
    const id = firstSeen.length;
    insertTx.run(
      id,
      raw,
      packet.hash,
      toRfc3339(m.rxMs),
      packet.header.routeType,
      packet.header.payloadType,
      packet.header.payloadVersion,
      payloadJsonText(packet),
      toSqliteDatetime(m.rxMs),
      advertKey,
      toEpochSeconds(m.rxMs),
      channelHashOf(packet),
      scopes.scopeOf(packet),
      m.rxMs,
    );
    firstSeen.push(m.rxMs);
    lastSeen.push(m.rxMs);
    if (advertKey && !('error' in payload) && payload.type === 'ADVERT') {
      const prev = nodes.get(advertKey);
      const n: NodeState = prev ?? {
        name: null,
        role: null,
        lat: null,
        lon: null,
        firstMs: m.rxMs,
        lastMs: m.rxMs,
        adverts: 0,
        batteryMv: null,
        temperatureC: null,
      };
      n.name = payload.name ?? n.name;
      n.role = (payload.flags === undefined ? null : payload.role) ?? n.role;
      n.lat = payload.lat ?? n.lat;
      n.lon = payload.lon ?? n.lon;
      n.batteryMv = payload.battery_mv ?? n.batteryMv;
      n.temperatureC = payload.temperature_c ?? n.temperatureC;
      n.adverts++;
      nodes.set(advertKey, n);
    }
    const tracePath = packet.header.payloadType === 9 ? JSON.stringify(observationPath(packet)) : null;
    const tx = { id, tracePath, advertKey };
    txByHash.set(packet.hash, tx);
    return tx;
  };

  const packetMessage = (m: SimPacketMessage): void => {
    let tx = txByKey.get(m.txKey);
    if (tx === undefined) {
      tx = newTransmission(m);
      txByKey.set(m.txKey, tx);
    }
    if (tx === REJECTED) return;
    const o = observerOf(m);
    o.pending.push({ id: o.id, name: m.payload.origin, iata: o.iata, seenMs: m.rxMs });
    if (o.idx === 0) {
      // First sighting: create the row now so that its rowid (observations.observer_idx) exists.
      flushSightings(o);
      o.idx = (observerIdx.get(o.id) as { idx: number }).idx;
    }
    if (m.rxMs > lastSeen[tx.id]) lastSeen[tx.id] = m.rxMs;
    if (tx.advertKey) {
      const n = nodes.get(tx.advertKey)!;
      if (m.rxMs > n.lastMs) n.lastMs = m.rxMs;
    }
    // The (transmission, observer, path) unique index decides what is a re-delivery, in arrival
    // order as the live pipeline does (the stream's `duplicate` flag follows reception order,
    // which upload delays can swap). A re-delivery only fills NULL signal fields, and the
    // simulator always sends them, so it changes nothing.
    const p = m.payload;
    const added = insertObs.run(
      observations + 1,
      tx.id,
      o.idx,
      p.SNR,
      p.RSSI,
      p.score ?? null,
      tx.tracePath ?? headerPathJson(p.raw),
      toEpochSeconds(m.rxMs),
      m.rxMs,
      uploaderSentMs(resolveUploaderTime(p.timestamp, m.rxMs), m.rxMs),
    ).changes;
    if (added === 1) observations++;
    else duplicateMessages++;
  };

  const progress = (): DatasetProgress => ({
    messages,
    transmissions: firstSeen.length - 1,
    observations,
    elapsedMs: performance.now() - started,
  });

  let done = false;
  while (!done) {
    db.exec('BEGIN');
    for (let i = 0; i < perTx; i++) {
      const m = source.next();
      if (!m) {
        done = true;
        break;
      }
      messages++;
      firstRxMs ??= m.rxMs;
      lastRxMs = m.rxMs;
      if (m.kind === 'status') {
        statusMessages++;
        status(m);
      } else packetMessage(m);
    }
    for (const o of observers.values()) flushSightings(o);
    db.exec('COMMIT');
    options.onProgress?.(progress());
  }

  db.exec('BEGIN');
  const raiseLast = db.prepare('UPDATE transmissions SET last_seen = ?, ml_last_seen_ms = ? WHERE id = ?');
  for (let id = 1; id < lastSeen.length; id++) {
    if (lastSeen[id] !== firstSeen[id]) raiseLast.run(toEpochSeconds(lastSeen[id]), lastSeen[id], id);
  }
  const insertNode = db.prepare(
    `INSERT INTO nodes (public_key, name, role, lat, lon, last_seen, first_seen, advert_count, battery_mv, temperature_c)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const [key, n] of nodes) {
    insertNode.run(
      key,
      n.name,
      n.role,
      n.lat,
      n.lon,
      toRfc3339(n.lastMs),
      toRfc3339(n.firstMs),
      n.adverts,
      n.batteryMv,
      n.temperatureC,
    );
  }
  db.exec('COMMIT');

  // Back to the live settings; migrate() recreates exactly the indexes dropped above.
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  migrate(db);
  db.pragma('journal_mode = WAL');

  return {
    ...progress(),
    statusMessages,
    duplicateMessages,
    nodes: nodes.size,
    observers: observers.size,
    rejected,
    firstRxMs,
    lastRxMs,
  };
}
