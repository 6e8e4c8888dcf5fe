// Hand-built MeshCore frames and a pipeline on a real memory store + SQLite writer thread (temp
// file), for the transport-scope and geo-filter tests.
import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GeoFilterStore } from '../../src/config/geo-filter.js';
import { IngestPipeline, type PacketInput } from '../../src/ingest/pipeline.js';
import { RejectionCounter } from '../../src/ingest/rejections.js';
import type { TransportScopes } from '../../src/ingest/transport-scopes.js';
import { ChannelKeyring } from '../../src/protocol/index.js';
import { advertAppData, advertPayload } from '../../src/sim/frames.js';
import { identityFromSeed, signMessage, type Identity } from '../../src/sim/keys.js';
import { MemoryStore } from '../../src/store/memory/index.js';
import { migrate, openDatabase, SqliteWriterThread } from '../../src/store/sqlite/index.js';

export const OBSERVER = 'C0'.repeat(32);

/** Region code1 computed here from the spec's formula with node:crypto (independent of src). */
export function regionCode(name: string, type: number, payload: Uint8Array): number {
  const key = createHash('sha256').update(name, 'utf8').digest().subarray(0, 16);
  const mac = createHmac('sha256', key).update(Uint8Array.of(type)).update(payload).digest();
  const code = mac[0] | (mac[1] << 8);
  return code === 0 ? 1 : code === 0xffff ? 0xfffe : code;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

/** Frame: header (version 0), transport codes for routes 0 and 3, zero-hop path byte, payload. */
export function frame(route: number, type: number, payload: Uint8Array, code1 = 0, code2 = 0): string {
  const header = ((type & 0x0f) << 2) | (route & 3);
  const codes =
    route === 0 || route === 3
      ? Uint8Array.of(code1 & 0xff, code1 >>> 8, code2 & 0xff, code2 >>> 8)
      : new Uint8Array(0);
  return hex(Uint8Array.of(header)) + hex(codes) + '00' + hex(payload);
}

/** A GRP_TXT payload for an unknown channel: hash byte, 2-byte MAC, one cipher block. */
export function groupPayload(seed: number): Uint8Array {
  const p = new Uint8Array(19);
  for (let i = 0; i < p.length; i++) p[i] = (seed * 31 + i * 7) & 0xff;
  return p;
}

export function identity(seed: number): Identity {
  return identityFromSeed(new Uint8Array(32).fill(seed));
}

/** A signed repeater advert payload (role 2) at `location` ([lat, lon]) or without GPS. */
export function advert(id: Identity, name: string, location: [number, number] | null, ts = 1_700_000_000) {
  const app = advertAppData({ roleType: 2, location, name });
  return advertPayload(id.publicKey, ts, app, (m) => signMessage(id, m));
}

export function sighting(rawHex: string, rxMs: number, extra: Partial<PacketInput> = {}): PacketInput {
  return {
    observerId: OBSERVER,
    rawHex,
    snr: 5,
    rssi: -90,
    score: null,
    direction: 'rx',
    origin: 'obs',
    region: 'SJC',
    rxMs,
    uploaderMs: null,
    source: 'test',
    ...extra,
  };
}

export async function pipelineOnTempDb(o: {
  scopes?: TransportScopes;
  geoFilter?: GeoFilterStore;
  foreignAdverts?: 'flag' | 'drop';
}) {
  const dir = mkdtempSync(join(tmpdir(), 'meshlens-i9e-'));
  const path = join(dir, 'db.db');
  const db = openDatabase(path);
  migrate(db);
  db.close();
  const writer = new SqliteWriterThread(path, { log: () => undefined });
  await writer.ready();
  const memory = new MemoryStore();
  const rejections = new RejectionCounter();
  const pipeline = new IngestPipeline({
    memory,
    writer,
    keyring: ChannelKeyring.create(),
    validateSignatures: true,
    rejections,
    maxIds: { transmissionId: 0, observationId: 0 },
    bufferSize: 100,
    ...o,
  });
  /** Closes the writer and opens the file read-only. */
  const sqlite = async () => {
    await writer.close();
    return openDatabase(path, { readonly: true });
  };
  return { memory, writer, pipeline, rejections, sqlite };
}
