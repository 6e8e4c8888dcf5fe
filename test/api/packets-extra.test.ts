// Issue 9 (i9a) packet routes on the real fixture: /api/packets/timestamps, POST
// /api/packets/observations, and the area= / nodes= filters of /api/packets. Expected values come
// from the fixture's own SQL (an oracle independent of the store).
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
/** A box around San Jose: 42 fixture nodes with GPS inside, 18 ADVERTs from them (SQL below). */
const BOX = { latMin: 37.2, latMax: 37.45, lonMin: -122.1, lonMax: -121.7 };
const dir = mkdtempSync(join(tmpdir(), 'meshlens-i9a-packets-'));
let app: FastifyInstance;
let sql: ReturnType<typeof fixtureOracle>;

before(async () => {
  const { store } = await loadFixture();
  sql = fixtureOracle(dir);
  const p = join(dir, 'config.json');
  writeFileSync(p, JSON.stringify({ areas: { sj: { label: 'San Jose', ...BOX } } }));
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

// ------------------------------------------------------------------ timestamps

test('/api/packets/timestamps: since required (400 naming it), then every first_seen in range, ascending', async () => {
  const missing = await get('/api/packets/timestamps', 400);
  assert.equal(missing.error, 'since required');
  assert.match((await get('/api/packets/timestamps?since=yesterday-ish', 400)).error, /'since'/);

  // The store's first_seen of a transmission is its earliest observation's receive time (the
  // fixture's first_seen column was re-stamped apart from the observations, fixtures/README.md).
  const firstSeen = (from: string, to = '9999') =>
    all<{ t: number }>(
      `SELECT min(timestamp) * 1000 AS t FROM observations GROUP BY transmission_id
       HAVING t >= ? AND t <= ? ORDER BY t`,
      Date.parse(from),
      to === '9999' ? Number.MAX_SAFE_INTEGER : Date.parse(to),
    ).map((r) => new Date(r.t).toISOString());
  const since = '2026-05-17T17:00:00Z';
  const ts: string[] = await get(`/api/packets/timestamps?since=${since}`);
  const expected = firstSeen(since);
  assert.ok(expected.length > 50 && expected.length < 499, `range is a strict subset (${expected.length})`);
  assert.deepEqual(ts, expected);
  assert.equal(ts.length, (await get(`/api/packets?since=${since}`)).total, 'same set as /api/packets?since');

  const until = '2026-05-17T17:30:00Z';
  const bounded: string[] = await get(`/api/packets/timestamps?since=${since}&until=${until}`);
  assert.deepEqual(bounded, firstSeen(since, until));
  assert.ok(bounded.length > 0 && bounded.length < expected.length);
  assert.match((await get(`/api/packets/timestamps?since=${until}&until=${since}`, 400)).error, /'since'/);
  // Relative spans work as on /api/packets: 2 h back from 18:30 is 16:30.
  const rel: string[] = await get('/api/packets/timestamps?since=2h');
  assert.deepEqual(rel, firstSeen('2026-05-17T16:30:00Z'));
});

// ------------------------------------------------------------------ observations batch

test('POST /api/packets/observations: observations per known hash as /packets/:id renders them', async () => {
  const page = await get('/api/packets?limit=3');
  const hashes: string[] = page.packets.map((p: { hash: string }) => p.hash);
  const unknown = '0123456789abcdef';
  const r = await app.inject({
    method: 'POST',
    url: '/api/packets/observations',
    payload: { hashes: [...hashes, unknown, 'not-a-hash'] },
  });
  assert.equal(r.statusCode, 200, r.body);
  const { results } = r.json();
  assert.deepEqual(Object.keys(results).sort(), [...hashes].sort());
  for (const h of hashes) {
    const detail = await get(`/api/packets/${h}`);
    assert.deepEqual(results[h], detail.observations);
    const id = detail.packet.id;
    const n = one<{ n: number }>('SELECT count(*) AS n FROM observations WHERE transmission_id = ?', id).n;
    assert.equal(results[h].length, n);
  }
});

test('POST /api/packets/observations: more than 200 hashes or no hashes is a 400', async () => {
  const many = Array.from({ length: 201 }, (_, i) => i.toString(16).padStart(16, '0'));
  const tooMany = await app.inject({
    method: 'POST',
    url: '/api/packets/observations',
    payload: { hashes: many },
  });
  assert.equal(tooMany.statusCode, 400);
  assert.match(tooMany.json().error, /hashes/);
  const none = await app.inject({ method: 'POST', url: '/api/packets/observations', payload: {} });
  assert.equal(none.statusCode, 400);
  assert.match(none.json().error, /hashes/);
});

// ------------------------------------------------------------------ filters

test('/api/packets?area=: ADVERTs of nodes with GPS inside the area; unknown area 400', async () => {
  const inBox = `SELECT public_key FROM nodes WHERE lat BETWEEN ${BOX.latMin} AND ${BOX.latMax}
                 AND lon BETWEEN ${BOX.lonMin} AND ${BOX.lonMax}`;
  const expected = all<{ id: number }>(
    `SELECT id FROM transmissions WHERE payload_type = 4
     AND lower(json_extract(decoded_json, '$.pubKey')) IN (${inBox}) ORDER BY id DESC`,
  ).map((r) => r.id);
  assert.equal(expected.length, 18);
  const j = await get('/api/packets?area=sj&limit=100');
  assert.equal(j.total, 18);
  assert.deepEqual(
    j.packets.map((p: { id: number }) => p.id),
    expected,
  );
  // Combined with another filter: the area's adverts that are FLOOD-routed.
  const flood = one<{ n: number }>(
    `SELECT count(*) AS n FROM transmissions WHERE payload_type = 4 AND route_type = 1
     AND lower(json_extract(decoded_json, '$.pubKey')) IN (${inBox})`,
  ).n;
  assert.equal((await get('/api/packets?area=sj&route=1')).total, flood);
  assert.match((await get('/api/packets?area=nowhere', 400)).error, /'area'/);
  assert.match((await get('/api/packets?area=_comment', 400)).error, /'area'/);
});

test('/api/packets?nodes=pk1,pk2: the union of what node= gives for each', async () => {
  const [a, b] = all<{ pk: string }>(
    `SELECT lower(json_extract(decoded_json, '$.pubKey')) AS pk FROM transmissions WHERE payload_type = 4
     GROUP BY pk ORDER BY count(*) DESC LIMIT 2`,
  ).map((r) => r.pk);
  const ids = async (q: string) =>
    new Set<number>((await get(`/api/packets?limit=10000&${q}`)).packets.map((p: { id: number }) => p.id));
  const one = await ids(`node=${a}`);
  const two = await ids(`node=${b}`);
  const both = await ids(`nodes=${a},${b}`);
  const union = new Set([...one, ...two]);
  assert.ok(one.size > 0 && two.size > 0);
  assert.ok(union.size > one.size && union.size > two.size, 'the second node adds packets');
  assert.deepEqual([...both].sort(), [...union].sort());
  assert.equal((await get(`/api/packets?nodes=${a},${b}`)).total, union.size);
  assert.equal((await get(`/api/packets?nodes=${a}`)).total, one.size);
  assert.match((await get('/api/packets?nodes=zz', 400)).error, /'nodes'/);
});
