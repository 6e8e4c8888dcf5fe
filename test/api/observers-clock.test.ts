// Observer naive-clock fields and can_relay end to end (spec analytics §6.7, ingest-store-api
// §1.3, §2.2): hand-built MQTT messages through the real pipeline into the real memory store and
// SQLite writer thread, the SQLite columns, a restart (SQLite -> StoreLoader -> a new memory
// store), and /api/observers with an injected clock before and after the 24 h decay.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../src/api/app.js';
import { coreRoutes } from '../../src/api/routes/core.js';
import { loadConfig } from '../../src/config/index.js';
import type { IngestWriter } from '../../src/ingest/ingest-ports.js';
import { admission, packetSighting, parseObserverMessage } from '../../src/ingest/observer-message.js';
import { IngestPipeline } from '../../src/ingest/pipeline.js';
import { RejectionCounter } from '../../src/ingest/rejections.js';
import { ChannelKeyring } from '../../src/protocol/index.js';
import { StoreLoader } from '../../src/store/load/loader.js';
import { MemoryReadModel } from '../../src/store/memory/memory-read-model.js';
import { MemoryStore } from '../../src/store/memory/index.js';
import type { ObserverClockUpsert, ObserverRecord } from '../../src/store/records.js';
import { migrate, openDatabase, SqliteWriterThread } from '../../src/store/sqlite/index.js';
import { simPackets } from '../integration/harness.js';

const A = 'A1'.repeat(32); // naive clock, UTC+2 then UTC-7; says repeat off
const B = 'B2'.repeat(32); // zone-aware timestamps (and naive within 15 min): never flagged; no repeat
const C = 'C3'.repeat(32); // says repeat on, then nothing
const D = 'D4'.repeat(32); // first seen in the same slice as its first naive-clock event
const T0 = Date.parse('2026-05-17T10:00:00Z');
const H = 3600_000;

const dir = mkdtempSync(join(tmpdir(), 'meshlens-obs-clock-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** An ISO string without zone, as Python's isoformat() of local time writes it. */
const naive = (ms: number) => new Date(ms).toISOString().slice(0, 19) + '.000000';
const topic = (id: string, kind: 'packets' | 'status') => `meshcore/SEA/${id}/${kind}`;
const frames = simPackets(12, (m) => m.payloadType !== 4).map((m) => m.payload.raw.toUpperCase());
let nextFrame = 0;

function message(id: string, kind: 'packets' | 'status', rxMs: number, body: Record<string, unknown>) {
  const t = topic(id, kind);
  const payload =
    kind === 'packets' ? { raw: frames[nextFrame++], origin: `obs-${id.slice(0, 2)}`, ...body } : body;
  const m = parseObserverMessage(t, JSON.stringify(payload), { nowMs: rxMs, admission: admission({}) });
  assert.ok(m.ok, JSON.stringify(m));
  return { m, t };
}

test('naive-clock events and repeat: memory, SQLite, restart, /api/observers with decay', async () => {
  const path = join(dir, 'db.db');
  const setupDb = openDatabase(path);
  migrate(setupDb);
  setupDb.close();
  const writer = new SqliteWriterThread(path, { log: () => undefined });
  await writer.ready();
  // The real writer, with the clock ops counted (they are coalesced per observer per slice).
  const clockOps: ObserverClockUpsert[] = [];
  const w: IngestWriter = {
    insertTransmission: (x) => writer.insertTransmission(x),
    insertObservation: (x) => writer.insertObservation(x),
    raiseTransmissionLastSeen: (id, ms) => writer.raiseTransmissionLastSeen(id, ms),
    lowerTransmissionFirstSeen: (id, ms) => writer.lowerTransmissionFirstSeen(id, ms),
    fillObservationSignal: (x) => writer.fillObservationSignal(x),
    upsertNode: (x) => writer.upsertNode(x),
    upsertObserverFromPacket: (x) => writer.upsertObserverFromPacket(x),
    upsertObserverFromStatus: (x) => writer.upsertObserverFromStatus(x),
    insertObserverMetrics: (x) => writer.insertObserverMetrics(x),
    recordDroppedPacket: (x) => writer.recordDroppedPacket(x),
    upsertObserverClock: (x) => {
      clockOps.push(x);
      writer.upsertObserverClock(x);
    },
  };
  const memory = new MemoryStore();
  const pipeline = new IngestPipeline({
    memory,
    writer: w,
    keyring: ChannelKeyring.create(),
    validateSignatures: true,
    rejections: new RejectionCounter(),
    maxIds: { transmissionId: 0, observationId: 0 },
    bufferSize: 100,
  });
  pipeline.start();
  /** A parsed message through the queue, as the MQTT front end submits it (written at once). */
  const submit = (id: string, kind: 'packets' | 'status', rxMs: number, body: Record<string, unknown>) => {
    const { m, t } = message(id, kind, rxMs, body);
    assert.ok(pipeline.submit(m, 'test', rxMs, t));
  };
  /** A packet flattened by the ingest worker (coalesced: one clock op per observer per slice). */
  const submitSighting = (id: string, rxMs: number, body: Record<string, unknown>) => {
    const { m, t } = message(id, 'packets', rxMs, body);
    assert.ok(m.kind === 'packets');
    assert.ok(pipeline.submitPacket(packetSighting(m, 'test', rxMs, t)));
  };
  const observer = (store: MemoryStore, id: string): ObserverRecord => store.observer(store.observerRow(id));

  // A: its uploader writes local time (UTC+2) without a zone.
  submit(A, 'packets', T0, { timestamp: naive(T0 + 2 * H) });
  await pipeline.idle();
  assert.deepEqual(clockOps.at(-1), { id: A, skewSeconds: 7200, count24h: 1, lastNaiveAtMs: T0 });
  submitSighting(A, T0 + H, { timestamp: naive(T0 + 3 * H) });
  submit(A, 'status', T0 + 2 * H, { status: 'online', repeat: 'off', timestamp: naive(T0 + 4 * H) });
  await pipeline.idle();
  // Three sightings in one slice (the queue checks its clock every 8 items): one clock op.
  const before = clockOps.length;
  submitSighting(A, T0 + 3 * H, { timestamp: naive(T0 + 5 * H) });
  submitSighting(A, T0 + 3 * H + 1000, { timestamp: naive(T0 + 5 * H + 1000) });
  submitSighting(A, T0 + 3 * H + 2000, { timestamp: naive(T0 + 5 * H + 2000) });
  await pipeline.idle();
  assert.equal(clockOps.length, before + 1);
  assert.deepEqual(clockOps.at(-1), {
    id: A,
    skewSeconds: 7200,
    count24h: 6,
    lastNaiveAtMs: T0 + 3 * H + 2000,
  });
  // B: zone-aware (on time, 3 h behind, 2 h ahead) and naive but within 15 min: no event.
  submit(B, 'packets', T0, { timestamp: new Date(T0).toISOString() });
  submit(B, 'packets', T0 + H, { timestamp: '2026-05-17T08:00:00Z' });
  submit(B, 'packets', T0 + 2 * H, { timestamp: '2026-05-17T14:00:00+00:00' });
  submit(B, 'packets', T0 + 3 * H, { timestamp: '2026-05-17T15:00:00+02:00' });
  submit(B, 'status', T0 + 3 * H, { status: 'online', timestamp: naive(T0 + 3 * H + 10 * 60_000) });
  // C: says it relays, then a status without the field keeps it.
  submit(C, 'status', T0, { status: 'online', repeat: 'on' });
  submit(C, 'status', T0 + H, { status: 'online' });
  await pipeline.idle();
  assert.equal(
    clockOps.filter((o) => o.id !== A).length,
    0,
    'zone-aware or tolerated timestamps never record an event',
  );

  // D, new: a zone-aware sighting, then a naive one in the same slice: the clock upsert (at the
  // second sighting's time) must not become the row's first_seen.
  submitSighting(D, T0 + 5 * H, { timestamp: new Date(T0 + 5 * H).toISOString() });
  submitSighting(D, T0 + 5 * H + 1000, { timestamp: naive(T0 + 6 * H) });
  await pipeline.idle();
  assert.deepEqual(clockOps.at(-1), {
    id: D,
    skewSeconds: 3599,
    count24h: 1,
    lastNaiveAtMs: T0 + 5 * H + 1000,
  });

  // A, 27 h after its last event, reconfigured to UTC-7: the count starts again at 1.
  const lastA = T0 + 30 * H;
  submit(A, 'packets', lastA, { timestamp: naive(lastA - 7 * H) });
  await pipeline.idle();

  const a = observer(memory, A);
  assert.deepEqual(
    [a.clockSkewSeconds, a.clockSkewCount24h, a.clockLastNaiveAtMs, a.canRelay],
    [-25200, 1, lastA, false],
  );
  const b = observer(memory, B);
  assert.deepEqual(
    [b.clockSkewSeconds, b.clockSkewCount24h, b.clockLastNaiveAtMs, b.canRelay],
    [null, 0, null, null],
  );
  assert.equal(observer(memory, C).canRelay, true);

  // SQLite: CoreScope's columns, in its formats.
  await writer.flush();
  await writer.close();
  const db = openDatabase(path);
  const row = (id: string) =>
    db
      .prepare(
        `SELECT clock_skew_seconds AS skew, clock_skew_count_24h AS n, clock_last_naive_at AS at,
                can_relay AS relay, can_relay_seen AS seen, packet_count AS packets FROM observers WHERE id = ?`,
      )
      .get(id);
  assert.deepEqual(row(A), {
    skew: -25200,
    n: 1,
    at: new Date(lastA).toISOString(),
    relay: 0,
    seen: 1,
    packets: 6,
  });
  // Never stated: the column default (1) with can_relay_seen 0, which reads as null.
  assert.deepEqual(row(B), { skew: null, n: 0, at: null, relay: 1, seen: 0, packets: 4 });
  assert.deepEqual(row(C), { skew: null, n: 0, at: null, relay: 1, seen: 1, packets: 0 });
  assert.deepEqual(
    db
      .prepare(
        'SELECT first_seen, last_packet_at, packet_count, clock_last_naive_at FROM observers WHERE id = ?',
      )
      .get(D),
    {
      first_seen: new Date(T0 + 5 * H).toISOString(),
      last_packet_at: new Date(T0 + 5 * H + 1000).toISOString(),
      packet_count: 2,
      clock_last_naive_at: new Date(T0 + 5 * H + 1000).toISOString(),
    },
  );

  // Restart: a new memory store loaded from the file has the same observer records.
  const reloaded = new MemoryStore();
  await new StoreLoader(db, reloaded).run();
  db.close();
  for (const id of [A, B, C]) {
    const x = observer(reloaded, id);
    const y = observer(memory, id);
    assert.deepEqual(
      [x.clockSkewSeconds, x.clockSkewCount24h, x.clockLastNaiveAtMs, x.canRelay, x.packetCount],
      [y.clockSkewSeconds, y.clockSkewCount24h, y.clockLastNaiveAtMs, y.canRelay, y.packetCount],
      id,
    );
  }

  // /api/observers on the reloaded store, with an injected clock.
  const cfgPath = join(dir, 'config.json');
  writeFileSync(cfgPath, '{}');
  const cfg = loadConfig({ path: cfgPath, env: {} }).config;
  let now = lastA + H;
  const app = await buildApp({
    config: cfg,
    routes: [coreRoutes({ model: new MemoryReadModel(reloaded, cfg), config: cfg, now: () => now })],
  });
  try {
    const fields = (o: Record<string, unknown>) => ({
      clock_naive: o.clock_naive,
      clock_skew_seconds: o.clock_skew_seconds,
      clock_skew_count_24h: o.clock_skew_count_24h,
      clock_last_naive_at: o.clock_last_naive_at,
      can_relay: o.can_relay,
    });
    const list = async () => {
      const r = await app.inject('/api/observers');
      assert.equal(r.statusCode, 200, r.body);
      const byId = new Map<string, Record<string, unknown>>();
      for (const o of r.json().observers) byId.set(o.id, fields(o));
      return byId;
    };
    const one = async (id: string) => {
      const r = await app.inject(`/api/observers/${id}`);
      assert.equal(r.statusCode, 200, r.body);
      return fields(r.json());
    };
    const naiveA = {
      clock_naive: true,
      clock_skew_seconds: -25200,
      clock_skew_count_24h: 1,
      clock_last_naive_at: new Date(lastA).toISOString(),
      can_relay: false,
    };
    const clean = {
      clock_naive: false,
      clock_skew_seconds: null,
      clock_skew_count_24h: 0,
      clock_last_naive_at: null,
    };
    let l = await list();
    assert.deepEqual(l.get(A), naiveA);
    assert.deepEqual(await one(A), naiveA);
    assert.deepEqual(l.get(B), { ...clean, can_relay: null });
    assert.deepEqual(l.get(C), { ...clean, can_relay: true });
    // Exactly 24 h after the last event: still naive.
    now = lastA + 24 * H;
    assert.deepEqual((await list()).get(A), naiveA);
    // Past 24 h: decayed at read time (the stored values are unchanged), can_relay unaffected.
    now = lastA + 24 * H + 1000;
    l = await list();
    assert.deepEqual(l.get(A), { ...clean, can_relay: false });
    assert.deepEqual(await one(A), { ...clean, can_relay: false });
    assert.equal(observer(reloaded, A).clockSkewCount24h, 1);
  } finally {
    await app.close();
  }
});
