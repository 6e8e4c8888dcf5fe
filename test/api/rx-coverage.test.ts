// Opt-in RX coverage routes over hand-written client_receptions rows (spec ingest-store-api
// §2.2, §4.2): hexagon counts and signal per cell, the day window, bbox / node / rx filters,
// the leaderboard, 400 naming the parameter, 404 for an unknown node and when disabled.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import { rxCoverageRoutes } from '../../src/api/routes/rx-coverage.js';
import { defaultConfig, type MeshlensConfig } from '../../src/config/index.js';
import { MemoryReadModel, MemoryStore } from '../../src/store/memory/index.js';
import { hexOf, hexRing } from '../../src/store/memory/rx-coverage.js';
import { ClientReceptionReader, migrate, openDatabase } from '../../src/store/sqlite/index.js';
import { nodeRecord } from '../support/store-builders.js';

const NOW = Date.parse('2026-05-20T12:00:00Z');
const H = 3_600_000;
const N = 'ab'.repeat(32); // the node heard, known to the store
const R1 = '11'.repeat(32);
const R2 = '22'.repeat(32);
const dir = mkdtempSync(join(tmpdir(), 'meshlens-rx-'));
const path = join(dir, 'db.db');
// Rows sit at a hexagon centre (z 10) or 0.0001° (~0.07 px) from it, so they share one cell.
const [cLon, cLat] = hexRing(...hexOf(37.5, -122, 10), 10).center;
let reader: ClientReceptionReader;
let app: FastifyInstance;
let disabled: FastifyInstance;

before(async () => {
  const db = openDatabase(path);
  migrate(db);
  const ins = db.prepare(
    `INSERT INTO client_receptions (rx_pubkey, heard_key, heard_keylen, rssi, snr, lat, lon, rx_at, src)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'test')`,
  );
  const at = (ms: number) => new Date(ms).toISOString();
  ins.run(R1, 'ab', 1, -90, 5, cLat, cLon, at(NOW - H)); // A: anchor cell
  ins.run(R2, N, 32, -95, 6, cLat + 0.0001, cLon, at(NOW - H / 2)); // B: anchor cell, newest
  ins.run(R1, 'cd', 1, -110, -3, 38.5, -121, at(NOW - 2 * H)); // C: far cell
  ins.run(R1, 'ab', 1, -70, 12, cLat, cLon, at(NOW - 10 * 24 * H)); // D: 10 days old
  ins.run(R2, 'AB', 1, -80, 7.5, cLat, cLon + 0.0001, at(NOW - 3 * H).replace(/\.\d{3}Z$/, 'Z')); // E: anchor
  ins.run(R2, 'ef', 1, null, null, 10, 10, at(NOW - 4 * H)); // F: its own cell, no signal
  db.prepare('INSERT INTO client_observers (pubkey, name, last_seen) VALUES (?, ?, ?)').run(
    R1,
    'Walker',
    at(NOW),
  );
  db.close();

  const store = new MemoryStore();
  store.upsertNode(nodeRecord(N, NOW - H, { name: 'Heard' }));
  reader = new ClientReceptionReader(path);
  const build = async (enabled: boolean) => {
    const config = { ...defaultConfig, clientRxCoverage: { enabled } } as MeshlensConfig;
    const model = new MemoryReadModel(store, config, { receptions: reader });
    return buildApp({
      config,
      routes: [rxCoverageRoutes({ model, config, now: () => NOW, ready: () => true })],
    });
  };
  app = await build(true);
  disabled = await build(false);
});

after(async () => {
  await app.close();
  await disabled.close();
  reader.close();
  rmSync(dir, { recursive: true, force: true });
});

async function get(url: string, status = 200, on = app) {
  const r = await on.inject(url);
  assert.equal(r.statusCode, status, `${url}: ${r.body}`);
  return r.json();
}

const counts = (body: any) => body.features.map((f: any) => f.properties.count);

test('/api/rx-coverage: hexagons with counts and signal over the last 7 days', async () => {
  const body = await get('/api/rx-coverage');
  assert.equal(body.type, 'FeatureCollection');
  assert.deepEqual([body.z, body.days, body.receptions, body.truncated], [10, 7, 5, false]);
  // Anchor cell: A, B, E; then C's and F's cells (1 each). D is older than 7 days.
  assert.deepEqual(counts(body), [3, 1, 1]);
  const anchor = body.features[0];
  assert.deepEqual(anchor.properties, {
    center: [cLon, cLat],
    count: 3,
    bestSnr: 7.5,
    avgSnr: 6.17, // (5 + 6 + 7.5) / 3
    bestRssi: -80,
    receivers: 2,
    nodes: 2, // 'ab' (= 'AB') and the full key
    lastRxAt: new Date(NOW - H / 2).toISOString(),
  });
  const ring = anchor.geometry.coordinates[0];
  assert.equal(ring.length, 7);
  assert.deepEqual(ring[0], ring[6]);
  const lons = ring.map((p: number[]) => p[0]);
  const lats = ring.map((p: number[]) => p[1]);
  assert.ok(Math.min(...lons) < cLon && cLon < Math.max(...lons));
  assert.ok(Math.min(...lats) < cLat && cLat < Math.max(...lats));
  const noSignal = body.features.find((f: any) => f.properties.bestSnr === null);
  assert.deepEqual(
    [noSignal.properties.count, noSignal.properties.avgSnr, noSignal.properties.bestRssi],
    [1, null, null],
  );
});

test('/api/rx-coverage: days, bbox, node and rx filters', async () => {
  assert.deepEqual(counts(await get('/api/rx-coverage?days=30')), [4, 1, 1]);
  assert.deepEqual(counts(await get('/api/rx-coverage?bbox=-122.5,37,-121.5,38')), [3]);
  // node: every stored form of N's key (1-3 byte prefixes in either case, the full key).
  assert.deepEqual(counts(await get(`/api/rx-coverage?node=${N.toUpperCase()}`)), [3]);
  assert.deepEqual(counts(await get(`/api/rx-coverage?rx=${R2}`)), [2, 1]);
  const node = await get(`/api/nodes/${N}/rx-coverage?days=30`);
  assert.deepEqual([counts(node), node.receptions], [[4], 4]);
  // A larger zoom splits nothing here (the anchor rows are < 0.1 px apart) but keeps z.
  assert.equal((await get('/api/rx-coverage?z=14')).z, 14);
});

test('/api/rx-leaderboard: clients by receptions in the window, with names', async () => {
  const body = await get('/api/rx-leaderboard');
  assert.deepEqual(body, {
    leaderboard: [
      {
        rx_pubkey: R2,
        name: null,
        receptions: 3,
        nodesHeard: 3,
        bestSnr: 7.5,
        lastRxAt: new Date(NOW - H / 2).toISOString(),
      },
      {
        rx_pubkey: R1,
        name: 'Walker',
        receptions: 2,
        nodesHeard: 2,
        bestSnr: 5,
        lastRxAt: new Date(NOW - H).toISOString(),
      },
    ],
    days: 7,
  });
  assert.equal((await get('/api/rx-leaderboard?days=30&limit=1')).leaderboard[0].receptions, 3);
  assert.equal((await get('/api/rx-leaderboard?days=30')).leaderboard[1].receptions, 3); // R1 with D
});

test('bad parameters are 400 naming the parameter; unknown node 404', async () => {
  for (const [url, name] of [
    ['/api/rx-coverage?bbox=1,2,3', 'bbox'],
    ['/api/rx-coverage?bbox=-122,95,-121,96', 'bbox'],
    ['/api/rx-coverage?bbox=-121,37,-122,38', 'bbox'],
    ['/api/rx-coverage?z=19', 'z'],
    ['/api/rx-coverage?days=0', 'days'],
    ['/api/rx-coverage?node=xyz', 'node'],
    ['/api/rx-coverage?rx=12g4', 'rx'],
    ['/api/rx-leaderboard?days=abc', 'days'],
    ['/api/nodes/abcd/rx-coverage', 'pubkey'],
  ]) {
    const body = await get(url, 400);
    assert.equal(body.code, 'MESHLENS_ERR_BAD_PARAMETER', url);
    assert.ok(body.error.includes(`'${name}'`), `${url}: ${body.error}`);
  }
  const unknown = await get(`/api/nodes/${'cd'.repeat(32)}/rx-coverage`, 404);
  assert.equal(unknown.code, 'MESHLENS_ERR_NOT_FOUND');
});

test('disabled (the default): every RX coverage route is 404', async () => {
  for (const url of ['/api/rx-coverage', '/api/rx-leaderboard', `/api/nodes/${N}/rx-coverage`]) {
    const body = await get(url, 404, disabled);
    assert.equal(body.code, 'MESHLENS_ERR_RX_COVERAGE_DISABLED', url);
  }
});
