// /api/nodes/:pubkey/battery (spec ingest-store-api §4.2 "Nodes", §6 batteryThresholds) on
// hand-built data: a node whose radio is also an observer (status samples in observer_metrics,
// written by the real writer) and whose adverts carry battery telemetry (decoded battery_mv).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import { coreRoutes } from '../../src/api/routes/core.js';
import { loadConfig } from '../../src/config/index.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { MemoryReadModel } from '../../src/store/memory/memory-read-model.js';
import { migrate, ObserverMetricsReader, openDatabase, SqliteWriter } from '../../src/store/sqlite/index.js';
import { nodeRecord, observerRecord, transmissionRecord } from '../support/store-builders.js';

const PK = 'ab'.repeat(32); // node key (lowercase) = observer id (uppercase)
const QUIET = 'cd'.repeat(32); // a node with no battery readings
const NOW = Date.parse('2026-05-17T18:00:00Z');
const H = 3_600_000;
const D = 24 * H;

const dir = mkdtempSync(join(tmpdir(), 'meshlens-battery-'));
let reader: ObserverMetricsReader;

async function appWith(config: Record<string, unknown>, adverts: [number, number | null][]) {
  const p = join(dir, `${Math.random()}.json`);
  writeFileSync(p, JSON.stringify(config));
  const cfg = loadConfig({ path: p, env: {} }).config;
  const store = new MemoryStore();
  store.upsertNode(nodeRecord(PK, NOW - 10 * D, { name: 'Solar', role: 'repeater', lastSeenMs: NOW - H }));
  store.upsertNode(nodeRecord(QUIET, NOW - 10 * D, { name: 'Quiet', lastSeenMs: NOW - H }));
  store.upsertObserver(observerRecord(PK.toUpperCase(), NOW - 10 * D, { lastSeenMs: NOW - H }));
  adverts.forEach(([atMs, mv], k) =>
    store.appendTransmission(
      transmissionRecord(k + 1, 4, '1100', atMs, {
        fromPubkey: PK,
        decodedJson: JSON.stringify(mv === null ? { type: 'ADVERT' } : { type: 'ADVERT', battery_mv: mv }),
      }),
    ),
  );
  const app = await buildApp({
    config: cfg,
    routes: [
      coreRoutes({
        model: new MemoryReadModel(store, cfg, { metrics: reader }),
        config: cfg,
        now: () => NOW,
      }),
    ],
  });
  return app;
}

before(() => {
  const path = join(dir, 'm.db');
  const db = openDatabase(path);
  migrate(db);
  const w = new SqliteWriter(db, { log: () => undefined });
  const s = (atMs: number, batteryMv: number | null) =>
    w.insertObserverMetrics({
      observerId: PK.toUpperCase(),
      atMs,
      noiseFloor: -110,
      txAirSecs: null,
      rxAirSecs: null,
      recvErrors: null,
      batteryMv,
      packetsSent: null,
      packetsRecv: null,
    });
  s(NOW - 9 * D, 4100); // outside the default 7 days
  s(NOW - 3 * H, 3700);
  s(NOW - 2 * H, null); // a status without battery: skipped
  s(NOW - 1 * H, 3200);
  w.flush();
  db.close();
  reader = new ObserverMetricsReader(path);
});
after(() => {
  reader.close();
  rmSync(dir, { recursive: true, force: true });
});

async function get(app: FastifyInstance, url: string, status = 200) {
  const r = await app.inject(url);
  assert.equal(r.statusCode, status, `${url}: ${r.body}`);
  return r.json();
}

test('battery: observer samples and advert telemetry merged oldest first; latest 3200 mV is low', async () => {
  // Adverts: 2 h 30 m ago with 3650 mV, and 4 h ago without telemetry (skipped).
  const app = await appWith({}, [
    [NOW - 150 * 60_000, 3650],
    [NOW - 4 * H, null],
  ]);
  const j = await get(app, `/api/nodes/${PK}/battery`);
  assert.equal(j.public_key, PK);
  assert.equal(j.name, 'Solar');
  assert.equal(j.days, 7);
  assert.deepEqual(j.thresholds, { low_mv: 3300, critical_mv: 3000 });
  // Samples are stored in 5-minute buckets: NOW - 3 h and NOW - 1 h are bucket starts already.
  assert.deepEqual(j.samples, [
    { timestamp: new Date(NOW - 3 * H).toISOString(), battery_mv: 3700, source: 'observer' },
    { timestamp: new Date(NOW - 150 * 60_000).toISOString(), battery_mv: 3650, source: 'advert' },
    { timestamp: new Date(NOW - 1 * H).toISOString(), battery_mv: 3200, source: 'observer' },
  ]);
  assert.equal(j.latest_mv, 3200);
  assert.equal(j.latest_at, new Date(NOW - H).toISOString());
  assert.equal(j.status, 'low');
  // days=10 reaches the 9-day-old sample.
  const ten = await get(app, `/api/nodes/${PK}/battery?days=10`);
  assert.equal(ten.samples.length, 4);
  assert.equal(ten.samples[0].battery_mv, 4100);
  await app.close();
});

test('battery: a later advert at 2900 mV is critical; thresholds come from batteryThresholds', async () => {
  const app = await appWith({}, [[NOW - 10 * 60_000, 2900]]);
  const j = await get(app, `/api/nodes/${PK}/battery`);
  assert.equal(j.latest_mv, 2900);
  assert.equal(j.status, 'critical');
  await app.close();
  const custom = await appWith({ batteryThresholds: { lowMv: 3100, criticalMv: 2800 } }, []);
  const c = await get(custom, `/api/nodes/${PK}/battery`);
  assert.deepEqual(c.thresholds, { low_mv: 3100, critical_mv: 2800 });
  assert.equal(c.status, 'ok'); // 3200 >= 3100
  await custom.close();
});

test('battery: no readings is unknown; bad days is 400; unknown node 404', async () => {
  const app = await appWith({}, []);
  const q = await get(app, `/api/nodes/${QUIET}/battery`);
  assert.deepEqual([q.status, q.latest_mv, q.samples], ['unknown', null, []]);
  for (const bad of ['0', '366', 'x', '1.5'])
    assert.match((await get(app, `/api/nodes/${PK}/battery?days=${bad}`, 400)).error, /days/);
  assert.equal((await get(app, `/api/nodes/${PK}/battery?days=365`)).days, 365);
  assert.match((await get(app, `/api/nodes/${'ef'.repeat(32)}/battery`, 404)).error, /not found/);
  await app.close();
});
