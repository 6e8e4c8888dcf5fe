// Issue 9 (i9a) node routes on the real fixture: bulk-health, network-status, resolve,
// resolve-hops (static paths that must not fall into /nodes/:pubkey), area= on the node list,
// health's per-observer packetCount/firstSeen/lastSeen, and the hash-size/flood fields.
// Expected values come from the fixture's own SQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import { coreRoutes } from '../../src/api/routes/core.js';
import { loadConfig } from '../../src/config/index.js';
import { MemoryReadModel } from '../../src/store/memory/memory-read-model.js';
import { fixtureOracle, loadFixture } from '../support/fixture.js';

const NOW = Date.parse('2026-05-17T18:30:00Z');
const BOX = { latMin: 37.2, latMax: 37.45, lonMin: -122.1, lonMax: -121.7 };
const IN_BOX = `lat BETWEEN ${BOX.latMin} AND ${BOX.latMax} AND lon BETWEEN ${BOX.lonMin} AND ${BOX.lonMax}`;
const dir = mkdtempSync(join(tmpdir(), 'meshlens-i9a-nodes-'));
let app: FastifyInstance;
let sql: ReturnType<typeof fixtureOracle>;

before(async () => {
  const { store } = await loadFixture();
  sql = fixtureOracle(dir);
  const p = join(dir, 'config.json');
  writeFileSync(
    p,
    JSON.stringify({
      areas: {
        sj: { label: 'San Jose', ...BOX },
        poly: {
          polygon: [
            [37.2, -122.1],
            [37.45, -122.1],
            [37.45, -121.7],
            [37.2, -121.7],
          ],
        },
      },
    }),
  );
  const cfg = loadConfig({ path: p, env: {} }).config;
  app = await buildApp({
    config: cfg,
    routes: [
      coreRoutes({ model: new MemoryReadModel(store, cfg, { now: () => NOW }), config: cfg, now: () => NOW }),
    ],
  });
});
after(async () => {
  await app.close();
  sql.close();
  rmSync(dir, { recursive: true, force: true });
});

async function get(url: string, status = 200) {
  const r = await app.inject(url);
  assert.equal(r.statusCode, status, `${url}: ${r.body}`);
  return r.json();
}
const one = <T>(q: string, ...args: unknown[]) => sql.one<T>(q, ...args);
const all = <T>(q: string, ...args: unknown[]) => sql.all<T>(q, ...args);
const adverts = (pk: string) =>
  one<{ n: number }>(
    `SELECT count(*) AS n FROM transmissions WHERE payload_type = 4 AND lower(json_extract(decoded_json, '$.pubKey')) = ?`,
    pk,
  ).n;

test('/api/nodes/bulk-health: a bare array, limit default 50 and clamped to bulkHealthMax, area filters', async () => {
  const list: Array<{
    public_key: string;
    stats: Record<string, number>;
    observers: Array<Record<string, unknown>>;
  }> = await get('/api/nodes/bulk-health');
  assert.ok(Array.isArray(list));
  assert.equal(list.length, 50);
  assert.equal(
    (await get('/api/nodes/bulk-health?limit=5000')).length,
    200,
    'clamped to 200, the fixture has 200',
  );
  const withAdverts = list.find((n) => n.stats.totalTransmissions > 0);
  assert.ok(withAdverts);
  assert.equal(withAdverts.stats.totalTransmissions, adverts(withAdverts.public_key));
  assert.equal(withAdverts.stats.totalPackets, withAdverts.stats.totalTransmissions);
  for (const o of withAdverts.observers) assert.equal(typeof o.packetCount, 'number');
  const area: Array<{ public_key: string }> = await get('/api/nodes/bulk-health?area=sj&limit=200');
  const expected = all<{ pk: string }>(`SELECT public_key AS pk FROM nodes WHERE ${IN_BOX}`).map((r) => r.pk);
  assert.equal(expected.length, 42);
  assert.deepEqual(area.map((n) => n.public_key).sort(), expected.sort());
  assert.match((await get('/api/nodes/bulk-health?area=nope', 400)).error, /'area'/);
  assert.match((await get('/api/nodes/bulk-health?region=ZZZ', 400)).error, /'region'/);
});

test('/api/nodes?area=: nodes with GPS inside the box (latMin/… form) or the same polygon', async () => {
  const all200 = await get('/api/nodes?limit=2000');
  const box = await get('/api/nodes?area=sj&limit=2000');
  const poly = await get('/api/nodes?area=poly&limit=2000');
  assert.equal(box.total, 42);
  assert.ok(all200.total > box.total);
  assert.deepEqual(
    box.nodes.map((n: { public_key: string }) => n.public_key),
    poly.nodes.map((n: { public_key: string }) => n.public_key),
  );
  assert.match((await get('/api/nodes?area=nope', 400)).error, /'area'/);
});

test('/api/nodes/network-status: every visible node is active, degraded or silent by healthThresholds', async () => {
  const s = await get('/api/nodes/network-status');
  const nodes: Array<{ role: string; last_heard: string }> = (await get('/api/nodes?limit=2000')).nodes;
  assert.equal(s.total, nodes.length);
  let active = 0;
  let degraded = 0;
  for (const n of nodes) {
    const infra = n.role === 'repeater' || n.role === 'room';
    const age = NOW - Date.parse(n.last_heard);
    const [d, sil] = infra ? [24, 72] : [1, 24];
    if (age < d * 3_600_000) active++;
    else if (age < sil * 3_600_000) degraded++;
  }
  assert.equal(s.active, active);
  assert.equal(s.degraded, degraded);
  assert.equal(s.silent, nodes.length - active - degraded);
  const roles = all<{ role: string; n: number }>('SELECT role, count(*) AS n FROM nodes GROUP BY role');
  assert.deepEqual(s.roleCounts, Object.fromEntries(roles.map((r) => [r.role, r.n])));
});

test('/api/nodes/resolve?prefix=: candidates by key prefix; non-hex is a 400 naming prefix', async () => {
  const r = await get('/api/nodes/resolve?prefix=17');
  const n = one<{ n: number }>("SELECT count(*) AS n FROM nodes WHERE public_key LIKE '17%'").n;
  assert.ok(n >= 3);
  assert.equal(r.total, n);
  assert.ok(r.candidates.every((c: { public_key: string }) => c.public_key.startsWith('17')));
  assert.equal((await get('/api/nodes/resolve?prefix=ffffffffff')).total, 0);
  assert.match((await get('/api/nodes/resolve?prefix=xyz', 400)).error, /'prefix'/);
});

test('/api/resolve-hops: unique prefixes resolve, shared ones are ambiguous with every candidate', async () => {
  const unique = one<{ pk: string }>(
    "SELECT public_key AS pk FROM nodes WHERE role = 'repeater' AND public_key LIKE '04%'",
  );
  const shared = all<{ pk: string }>(
    "SELECT public_key AS pk FROM nodes WHERE public_key LIKE '17%' AND role IN ('repeater', 'room')",
  ).map((r) => r.pk);
  const j = await get('/api/resolve-hops?hops=04,17,EE');
  assert.equal(j.resolved['04'].pubkey, unique.pk);
  assert.equal(j.resolved['04'].ambiguous, false);
  assert.equal(j.resolved['17'].ambiguous, true);
  assert.deepEqual(
    j.resolved['17'].candidates.map((c: { pubkey: string }) => c.pubkey).sort(),
    shared.sort(),
  );
  assert.ok(shared.includes(j.resolved['17'].pubkey));
  assert.equal(j.region, null);
  const observer = one<{ id: string; iata: string }>('SELECT id, iata FROM observers LIMIT 1');
  assert.equal((await get(`/api/resolve-hops?hops=04&observer=${observer.id}`)).region, observer.iata);
  assert.match((await get('/api/resolve-hops?hops=zz', 400)).error, /'hops'/);
  assert.match((await get('/api/resolve-hops?hops=04&from_node=xyz', 400)).error, /'from_node'/);
});

test('/api/nodes/:pubkey/health: per-observer packetCount, firstSeen <= lastSeen; stats.totalPackets', async () => {
  const pk = one<{ pk: string }>(
    `SELECT lower(json_extract(decoded_json, '$.pubKey')) AS pk FROM transmissions WHERE payload_type = 4
     GROUP BY pk ORDER BY count(*) DESC LIMIT 1`,
  ).pk;
  const h = await get(`/api/nodes/${pk}/health`);
  assert.equal(h.stats.totalPackets, adverts(pk));
  assert.ok(h.observers.length > 0);
  let sum = 0;
  for (const o of h.observers) {
    assert.equal(o.packetCount, o.count);
    assert.ok(Date.parse(o.firstSeen) <= Date.parse(o.lastSeen));
    sum += o.packetCount;
  }
  assert.equal(sum, h.stats.totalObservations);
  await get('/api/nodes/00000000deadbeef/health', 404);
});

test('node fields: hash_size from its adverts, flood_advert_count_7d, foreign, default_scope, recentAdverts observations', async () => {
  const pk = one<{ pk: string }>(
    `SELECT lower(json_extract(decoded_json, '$.pubKey')) AS pk FROM transmissions WHERE payload_type = 4
     AND route_type = 1 GROUP BY pk ORDER BY count(*) DESC LIMIT 1`,
  ).pk;
  const rows = all<{ route_type: number; raw_hex: string }>(
    `SELECT route_type, raw_hex FROM transmissions WHERE payload_type = 4
     AND lower(json_extract(decoded_json, '$.pubKey')) = ? ORDER BY id`,
    pk,
  );
  // Every fixture advert is within 7 days of NOW; FLOOD path byte at offset 1.
  const sizes = rows
    .filter((r) => r.route_type === 1)
    .map((r) => (parseInt(r.raw_hex.slice(2, 4), 16) >> 6) + 1);
  const d = await get(`/api/nodes/${pk}`);
  assert.equal(
    d.node.flood_advert_count_7d,
    rows.filter((r) => r.route_type === 0 || r.route_type === 1).length,
  );
  assert.ok(sizes.length > 0);
  assert.deepEqual(d.node.hash_sizes_seen, [...new Set(sizes)].sort());
  assert.ok(d.node.hash_sizes_seen.includes(d.node.hash_size));
  assert.equal(typeof d.node.hash_size_inconsistent, 'boolean');
  assert.equal(d.node.foreign, false);
  assert.equal(d.node.default_scope, null);
  for (const a of d.recentAdverts) assert.equal(a.observations.length, a.observation_count);
  const listed = (await get(`/api/nodes?search=${pk.slice(0, 12)}`)).nodes[0];
  assert.equal(listed.hash_size, d.node.hash_size);
  assert.equal(listed.flood_advert_count_7d, d.node.flood_advert_count_7d);
});

test('static node paths never fall into /nodes/:pubkey', async () => {
  for (const url of [
    '/api/nodes/bulk-health',
    '/api/nodes/network-status',
    '/api/nodes/resolve?prefix=ab',
    '/api/resolve-hops?hops=ab',
  ]) {
    const r = await app.inject(url);
    assert.equal(r.statusCode, 200, `${url}: ${r.body}`);
    assert.ok(!('node' in (Array.isArray(r.json()) ? {} : r.json())), url);
  }
});

test('/api/nodes?fields= returns only the named fields of the same nodes; an unknown field is a 400', async () => {
  const full = await get('/api/nodes?limit=20&sortBy=name');
  const lean = await get('/api/nodes?limit=20&sortBy=name&fields=public_key,name,lat,lon');
  assert.equal(lean.total, full.total);
  assert.equal(lean.nodes.length, 20);
  for (const [i, n] of lean.nodes.entries()) {
    assert.deepEqual(Object.keys(n).sort(), ['lat', 'lon', 'name', 'public_key']);
    const f = full.nodes[i];
    assert.deepEqual(n, { public_key: f.public_key, name: f.name, lat: f.lat, lon: f.lon });
  }
  const bad = await get('/api/nodes?fields=name,secret_sauce', 400);
  assert.match(bad.error, /fields.*secret_sauce/);
});
