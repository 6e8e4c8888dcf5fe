// The one loader of the shared CoreScope fixture (test/fixtures/corescope-staging.db, spec §11)
// for every test. The fixture is never opened in place: each reader works on a temp copy.
// What callers need, cheapest first:
// - fixtureRows(): raw transmission rows (protocol conformance), plus the hashtag keyring;
// - loadFixtureRecords(): records mapped here by plain SQL, independent of src/ (an oracle);
// - fixtureRecords(): records read through the SQLite chunked readers, as the server reads them;
// - fixtureStore() / loadInto(): those records appended into a MemoryStore;
// - loadFixture(): a migrated copy loaded by StoreLoader, exactly as `meshlens serve` loads it;
// - fixtureCopy(dir): a private writable copy for tests that migrate, back up or prune it.
// Fixture facts (fixtures/README.md): observations.timestamp is epoch seconds, observer_idx is
// observers.rowid, path_json is a JSON array of uppercase hop prefixes, times elsewhere RFC3339.
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ChannelKeyring } from '../../src/protocol/index.js';
import { MemoryStore, type MemoryStoreOptions } from '../../src/store/memory/memory-store.js';
import { migrate, openDatabase } from '../../src/store/sqlite/index.js';
import {
  nodeChunks,
  observationChunks,
  observerChunks,
  transmissionChunks,
} from '../../src/store/sqlite/readers.js';
import { StoreLoader, type LoadOptions, type LoadResult } from '../../src/store/load/loader.js';
import type {
  NodeRecord,
  ObservationRecord,
  ObserverRecord,
  TransmissionRecord,
} from '../../src/store/records.js';

export const FIXTURE_DIR = new URL('../fixtures/', import.meta.url);
/** The shared fixture file: copy it (fixtureCopy, withFixtureCopy), never open it in place. */
export const FIXTURE_DB = new URL('corescope-staging.db', FIXTURE_DIR);

/** Latest time in the fixture (transmissions.first_seen max): a deterministic "now" for tests. */
export const FIXTURE_NOW_MS = Date.parse('2026-05-17T18:13:27Z');

export interface FixtureRecords {
  transmissions: TransmissionRecord[];
  observations: ObservationRecord[];
  nodes: NodeRecord[];
  observers: ObserverRecord[];
}
/** The records as the server reads them (same shape as FixtureRecords). */
export type LoadedRecords = FixtureRecords;

/** Copies the fixture into `dir` (a path or a temp-dir handle) as `name`; returns its path. */
export function fixtureCopy(dir: string | { dir: string }, name = 'fixture.db'): string {
  const file = join(typeof dir === 'string' ? dir : dir.dir, name);
  copyFileSync(FIXTURE_DB, file);
  return file;
}

/** Runs `use` on a fresh temp copy of the fixture and removes the copy afterwards. */
export function withFixtureCopy<T>(use: (file: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'meshlens-fixture-'));
  try {
    return use(fixtureCopy(dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Async variant of withFixtureCopy: the copy lives until `use` settles. */
async function withFixtureCopyAsync<T>(use: (file: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'meshlens-fixture-'));
  try {
    return await use(fixtureCopy(dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- raw rows and keys (protocol tests) ----

export interface FixtureRow {
  id: number;
  raw_hex: string;
  hash: string;
  route_type: number;
  payload_type: number;
  decoded_json: string;
  channel_hash: string | null;
  from_pubkey: string | null;
}

let cachedRows: FixtureRow[] | undefined;

/** The transmissions table as stored (read once per process; treat as read-only). */
export function fixtureRows(): FixtureRow[] {
  return (cachedRows ??= withFixtureCopy((file) => {
    const db = new Database(file, { readonly: true });
    try {
      return db
        .prepare(
          `SELECT id, raw_hex, hash, route_type, payload_type, decoded_json, channel_hash, from_pubkey
           FROM transmissions ORDER BY id`,
        )
        .all() as FixtureRow[];
    } finally {
      db.close();
    }
  }));
}

export function hashtagChannels(): Record<string, string> {
  return JSON.parse(readFileSync(new URL('hashtag-channels.json', FIXTURE_DIR), 'utf8'));
}

/** The built-in Public key plus the fixture's 297 named keys (spec §11). */
export function fixtureKeyring(): ChannelKeyring {
  return ChannelKeyring.create({ keys: hashtagChannels() });
}

// ---- records through the server's readers, and stores ----

let cachedLoaded: LoadedRecords | null = null;

/** Fixture rows via the SQLite readers (read once per process; treat as read-only). */
export function fixtureRecords(): LoadedRecords {
  return (cachedLoaded ??= withFixtureCopy((file) => {
    const db = openDatabase(file);
    try {
      migrate(db);
      return {
        observers: [...observerChunks(db)].flat(),
        nodes: [...nodeChunks(db)].flat(),
        transmissions: [...transmissionChunks(db)].flat(),
        observations: [...observationChunks(db)].flat(),
      };
    } finally {
      db.close();
    }
  }));
}

/** Append records into a store in dependency order; observations of unknown transmissions are skipped. */
export function loadInto(store: MemoryStore, r: LoadedRecords): void {
  for (const o of r.observers) store.upsertObserver(o);
  for (const n of r.nodes) store.upsertNode(n);
  for (const t of r.transmissions) store.appendTransmission(t);
  for (const o of r.observations) if (store.txRowById(o.transmissionId) !== -1) store.appendObservation(o);
}

/** A MemoryStore holding fixtureRecords(); returns the records too, for records-input oracles. */
export function fixtureStore(options: MemoryStoreOptions = {}): {
  store: MemoryStore;
  records: LoadedRecords;
} {
  const records = fixtureRecords();
  const store = new MemoryStore(options);
  loadInto(store, records);
  return { store, records };
}

/** The fixture the way `meshlens serve` loads it: a temp copy, migrated, StoreLoader into a MemoryStore. */
export function loadFixture(
  options: LoadOptions = {},
): Promise<{ store: MemoryStore; result: LoadResult; loader: StoreLoader }> {
  return withFixtureCopyAsync(async (file) => {
    const db = openDatabase(file);
    try {
      migrate(db);
      const store = new MemoryStore();
      const loader = new StoreLoader(db, store, options);
      const result = await loader.run();
      return { store, result, loader };
    } finally {
      db.close();
    }
  });
}

// ---- records mapped by plain SQL (an oracle independent of src/store/sqlite/readers) ----

type Row = Record<string, unknown>;

function ms(v: unknown): number {
  if (typeof v !== 'string' || v === '') return NaN;
  return Date.parse(v);
}

function msOrNull(v: unknown): number | null {
  const t = ms(v);
  return Number.isNaN(t) ? null : t;
}

function parsePath(v: unknown): string[] {
  if (typeof v !== 'string' || v === '') return [];
  try {
    const p = JSON.parse(v) as unknown;
    return Array.isArray(p)
      ? p.filter((h): h is string => typeof h === 'string').map((h) => h.toUpperCase())
      : [];
  } catch {
    return [];
  }
}

function observerRecords(db: Database.Database, idByIdx: Map<number, string>): ObserverRecord[] {
  const rows = db.prepare('SELECT rowid AS idx, * FROM observers ORDER BY rowid').all() as Row[];
  return rows.map((r) => {
    idByIdx.set(r.idx as number, r.id as string);
    return {
      id: r.id as string,
      name: (r.name as string | null) ?? null,
      iata: (r.iata as string | null) ?? null,
      firstSeenMs: ms(r.first_seen),
      lastSeenMs: ms(r.last_seen),
      packetCount: (r.packet_count as number | null) ?? 0,
      model: (r.model as string | null) ?? null,
      firmware: (r.firmware as string | null) ?? null,
      clientVersion: (r.client_version as string | null) ?? null,
      radio: (r.radio as string | null) ?? null,
      batteryMv: (r.battery_mv as number | null) ?? null,
      uptimeSecs: (r.uptime_secs as number | null) ?? null,
      noiseFloor: (r.noise_floor as number | null) ?? null,
      lastPacketAtMs: msOrNull(r.last_packet_at),
      // The fixture predates these columns (a migrated copy has their defaults).
      clockSkewSeconds: (r.clock_skew_seconds as number | null | undefined) ?? null,
      clockSkewCount24h: (r.clock_skew_count_24h as number | null | undefined) ?? 0,
      clockLastNaiveAtMs: msOrNull(r.clock_last_naive_at),
      canRelay: r.can_relay_seen === 1 ? r.can_relay !== 0 : null,
    };
  });
}

function observationRecords(
  db: Database.Database,
  observerIdByIdx: Map<number, string>,
): ObservationRecord[] {
  return (db.prepare('SELECT * FROM observations ORDER BY id').all() as Row[]).map((r) => ({
    id: r.id as number,
    transmissionId: r.transmission_id as number,
    observerId: observerIdByIdx.get(r.observer_idx as number) ?? '',
    direction: (r.direction as string | null) ?? null,
    snr: (r.snr as number | null) ?? null,
    rssi: (r.rssi as number | null) ?? null,
    score: (r.score as number | null) ?? null,
    path: parsePath(r.path_json),
    rxMs: (r.timestamp as number) * 1000,
    uploaderMs: null,
  }));
}

/** Transmissions; lastSeenMs is the latest sighting (the table has no such column). */
function transmissionRecords(db: Database.Database, observations: ObservationRecord[]): TransmissionRecord[] {
  const lastSeen = new Map<number, number>();
  for (const o of observations)
    lastSeen.set(o.transmissionId, Math.max(lastSeen.get(o.transmissionId) ?? 0, o.rxMs));
  return (db.prepare('SELECT * FROM transmissions ORDER BY id').all() as Row[]).map((r) => {
    const firstSeenMs = ms(r.first_seen);
    return {
      id: r.id as number,
      rawHex: (r.raw_hex as string).toUpperCase(),
      hash: r.hash as string,
      firstSeenMs,
      lastSeenMs: Math.max(firstSeenMs, lastSeen.get(r.id as number) ?? 0),
      routeType: (r.route_type as number | null) ?? -1,
      payloadType: (r.payload_type as number | null) ?? -1,
      payloadVersion: (r.payload_version as number | null) ?? 0,
      decodedJson: (r.decoded_json as string | null) ?? '{}',
      fromPubkey: (r.from_pubkey as string | null) || null,
      channelHash: (r.channel_hash as string | null) ?? null,
      scopeName: null,
    };
  });
}

function nodeRecords(db: Database.Database): NodeRecord[] {
  return (db.prepare('SELECT * FROM nodes ORDER BY rowid').all() as Row[]).map((r) => ({
    publicKey: (r.public_key as string).toLowerCase(),
    name: (r.name as string | null) ?? null,
    role: (r.role as string | null) ?? null,
    lat: (r.lat as number | null) ?? null,
    lon: (r.lon as number | null) ?? null,
    firstSeenMs: ms(r.first_seen),
    lastSeenMs: ms(r.last_seen),
    advertCount: (r.advert_count as number | null) ?? 0,
    batteryMv: (r.battery_mv as number | null) ?? null,
    temperatureC: (r.temperature_c as number | null) ?? null,
    foreign: r.foreign_advert === 1,
    defaultScope: (r.default_scope as string | null) ?? null,
  }));
}

let cachedOracle: FixtureRecords | null = null;

/** The fixture as records mapped by plain SQL (loaded once per process; treat as read-only). */
export function loadFixtureRecords(): FixtureRecords {
  return (cachedOracle ??= withFixtureCopy((file) => {
    const db = new Database(file, { readonly: true });
    try {
      const observerIdByIdx = new Map<number, string>();
      const observers = observerRecords(db, observerIdByIdx);
      const observations = observationRecords(db, observerIdByIdx);
      const transmissions = transmissionRecords(db, observations);
      return { transmissions, observations, nodes: nodeRecords(db), observers };
    } finally {
      db.close();
    }
  }));
}

/** The fixture as an SQL oracle: a read-only copy in `dir` and typed one-row / all-rows queries. */
export function fixtureOracle(dir: string) {
  const sql = new Database(fixtureCopy(dir, 'oracle.db'), { readonly: true });
  return {
    one: <T>(q: string, ...args: unknown[]) => sql.prepare(q).get(...args) as T,
    all: <T>(q: string, ...args: unknown[]) => sql.prepare(q).all(...args) as T[],
    close: () => sql.close(),
  };
}
