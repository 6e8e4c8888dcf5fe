// Loads the real fixture (shared/fixtures/corescope-staging.db) into plain records for analytics
// tests. The file is copied to a temp dir and opened read-only (never modified in place).
// Fixture facts (fixtures/README.md): observations.timestamp is epoch seconds, observer_idx is
// observers.rowid, path_json is a JSON array of uppercase hop prefixes, times elsewhere RFC3339.
import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  NodeRecord,
  ObservationRecord,
  ObserverRecord,
  TransmissionRecord,
} from '../../src/store/records.js';

export const FIXTURE_PATH = new URL('../fixtures/corescope-staging.db', import.meta.url);

/** Latest time in the fixture (transmissions.first_seen max): a deterministic "now" for tests. */
export const FIXTURE_NOW_MS = Date.parse('2026-05-17T18:13:27Z');

export interface FixtureRecords {
  transmissions: TransmissionRecord[];
  observations: ObservationRecord[];
  nodes: NodeRecord[];
  observers: ObserverRecord[];
}

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

let cached: FixtureRecords | null = null;

/** The fixture as records (loaded once per process; treat the result as read-only). */
export function loadFixtureRecords(): FixtureRecords {
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'meshlens-fixture-'));
  const file = join(dir, 'fixture.db');
  copyFileSync(FIXTURE_PATH, file);
  const db = new Database(file, { readonly: true });
  try {
    type Row = Record<string, unknown>;
    const observerRows = db.prepare('SELECT rowid AS idx, * FROM observers ORDER BY rowid').all() as Row[];
    const observerIdByIdx = new Map<number, string>();
    const observers: ObserverRecord[] = observerRows.map((r) => {
      observerIdByIdx.set(r.idx as number, r.id as string);
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
      };
    });
    const observations: ObservationRecord[] = (
      db.prepare('SELECT * FROM observations ORDER BY id').all() as Row[]
    ).map((r) => ({
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
    const lastSeen = new Map<number, number>();
    for (const o of observations)
      lastSeen.set(o.transmissionId, Math.max(lastSeen.get(o.transmissionId) ?? 0, o.rxMs));
    const transmissions: TransmissionRecord[] = (
      db.prepare('SELECT * FROM transmissions ORDER BY id').all() as Row[]
    ).map((r) => {
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
    const nodes: NodeRecord[] = (db.prepare('SELECT * FROM nodes ORDER BY rowid').all() as Row[]).map(
      (r) => ({
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
      }),
    );
    cached = { transmissions, observations, nodes, observers };
    return cached;
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
