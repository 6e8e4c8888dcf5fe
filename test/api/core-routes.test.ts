// The core REST routes on the real fixture: loaded through StoreLoader into a MemoryStore and
// served by buildApp().inject(). Expected values come from the fixture's own SQL (an oracle
// independent of the store) or from fixtures/README.md.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import { coreRoutes } from '../../src/api/routes/core.js';
import { loadConfig } from '../../src/config/index.js';
import { ChannelKeyring } from '../../src/protocol/index.js';
import { runDecode } from '../../src/cli/decode.js';
import type { MemoryStore } from '../../src/store/memory/memory-store.js';
import { MemoryReadModel } from '../../src/store/memory/memory-read-model.js';
import { fixtureOracle, loadFixture } from '../support/fixture.js';

const NOW = Date.parse('2026-05-17T18:30:00Z');
const dir = mkdtempSync(join(tmpdir(), 'meshlens-core-'));
let app: FastifyInstance;
let store: MemoryStore;
let sql: ReturnType<typeof fixtureOracle>;

function config(value: Record<string, unknown> = {}) {
  const p = join(dir, `${Math.random()}.json`);
  writeFileSync(p, JSON.stringify(value));
  return loadConfig({ path: p, env: {} }).config;
}

before(async () => {
  store = (await loadFixture()).store;
  sql = fixtureOracle(dir);
  const cfg = config({ regions: { SJC: 'San Jose', LAX: 'Los Angeles' } });
  app = await buildApp({
    config: cfg,
    routes: [
      coreRoutes({
        model: new MemoryReadModel(store, cfg),
        config: cfg,
        now: () => NOW,
        keyring: ChannelKeyring.create({ hashtags: ['#test'] }),
      }),
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

// ------------------------------------------------------------------ packets

test('/api/packets: default page, shape, total of everything, newest id first', async () => {
  const j = await get('/api/packets');
  assert.equal(j.total, 499);
  assert.equal(j.limit, 50);
  assert.equal(j.offset, 0);
  assert.equal(j.packets.length, 50);
  const ids = all<{ id: number }>('SELECT id FROM transmissions ORDER BY id DESC LIMIT 50').map((r) => r.id);
  assert.deepEqual(
    j.packets.map((p: { id: number }) => p.id),
    ids,
  );
  const p = j.packets[0];
  for (const k of [
    'id',
    'raw_hex',
    'hash',
    'first_seen',
    'timestamp',
    'route_type',
    'payload_type',
    'decoded_json',
  ])
    assert.ok(k in p, k);
  assert.equal(typeof p.decoded_json, 'string');
  assert.equal(typeof p.path_json, 'string');
  assert.equal(p.timestamp, p.first_seen);
  const row = one<{ raw_hex: string; decoded_json: string }>(
    'SELECT raw_hex, decoded_json FROM transmissions WHERE id = ?',
    p.id,
  );
  assert.equal(p.raw_hex, row.raw_hex.toUpperCase());
  assert.equal(p.decoded_json, row.decoded_json);
});

test('/api/packets?type: names and numbers, exactly the 102 adverts; unknown name is a 400', async () => {
  const byName = await get('/api/packets?type=ADVERT&limit=200');
  assert.equal(byName.total, 102);
  assert.equal(byName.packets.length, 102);
  assert.ok(byName.packets.every((p: { payload_type: number }) => p.payload_type === 4));
  const byNumber = await get('/api/packets?type=4&limit=200');
  assert.deepEqual(byNumber, byName);
  assert.equal((await get('/api/packets?type=advert,grp_txt&limit=1')).total, 102 + 166);
  assert.equal((await get('/api/packets?payloadType=5&limit=1')).total, 166);
  const bad = await get('/api/packets?type=BOGUS', 400);
  assert.match(bad.error, /'type'.*unknown payload type 'BOGUS'/);
  assert.equal(bad.code, 'MESHLENS_ERR_BAD_PARAMETER');
  assert.match((await get('/api/packets?type=16', 400)).error, /out of range/);
  assert.equal((await get('/api/packets?route=DIRECT&limit=1')).total, 134);
  assert.equal((await get('/api/packets?route=1&limit=1')).total, 365);
  assert.match((await get('/api/packets?route=SIDEWAYS', 400)).error, /'route'/);
});

test('/api/packets: limit/offset defaults and caps; total is the whole set, not the page', async () => {
  const page = await get('/api/packets?type=ADVERT&limit=10&offset=95');
  assert.equal(page.total, 102);
  assert.equal(page.packets.length, 7);
  assert.equal((await get('/api/packets?limit=0')).limit, 50);
  assert.equal((await get('/api/packets?limit=-5')).limit, 50);
  const capped = await get('/api/packets?limit=50000');
  assert.equal(capped.limit, 10000);
  assert.equal(capped.packets.length, 499);
  assert.match((await get('/api/packets?limit=abc', 400)).error, /'limit'/);
  assert.match((await get('/api/packets?offset=-1', 400)).error, /'offset'/);
});

test('/api/packets: order asc/desc by id; observer, region, channel, hash, node filters', async () => {
  const asc = await get('/api/packets?order=asc&limit=5');
  assert.deepEqual(
    asc.packets.map((p: { id: number }) => p.id),
    [1, 2, 3, 4, 5],
  );
  assert.match((await get('/api/packets?order=sideways', 400)).error, /'order'/);

  const obs = all<{ id: string; n: number }>(
    'SELECT ob.id, count(DISTINCT o.transmission_id) AS n FROM observations o JOIN observers ob ON ob.rowid = o.observer_idx GROUP BY ob.id ORDER BY n DESC LIMIT 2',
  );
  assert.equal((await get(`/api/packets?observer=${obs[0].id}&limit=1`)).total, obs[0].n);
  const both = one<{ n: number }>(
    'SELECT count(DISTINCT o.transmission_id) AS n FROM observations o JOIN observers ob ON ob.rowid = o.observer_idx WHERE ob.id IN (?, ?)',
    obs[0].id,
    obs[1].id,
  );
  assert.equal((await get(`/api/packets?observer=${obs[0].id},${obs[1].id}&limit=1`)).total, both.n);

  const sjc = one<{ n: number }>(
    "SELECT count(DISTINCT o.transmission_id) AS n FROM observations o JOIN observers ob ON ob.rowid = o.observer_idx WHERE ob.iata = 'SJC'",
  );
  assert.equal((await get('/api/packets?region=sjc&limit=1')).total, sjc.n);
  assert.equal((await get('/api/packets?region=All&limit=1')).total, 499);
  assert.match((await get('/api/packets?region=XXX', 400)).error, /unknown region 'XXX'/);
  // Configured but unheard: a known region with no traffic is an empty result, not "all".
  const lax = await get('/api/packets?region=LAX');
  assert.equal(lax.total, 0);
  assert.deepEqual(lax.packets, []);

  const test35 = await get('/api/packets?channel=%23test&limit=100');
  assert.equal(test35.total, 35);
  assert.ok(test35.packets.every((p: { channel_hash: string }) => p.channel_hash === '#test'));

  const byHash = await get('/api/packets?hash=57C39FA4E9EC65A6');
  assert.equal(byHash.total, 1);
  assert.equal(byHash.packets[0].id, 5);

  // node: its own adverts plus transmissions whose observed path has a hop that prefixes its key.
  const pk = one<{ from_pubkey: string }>('SELECT from_pubkey FROM transmissions WHERE id = 2').from_pubkey;
  const through = new Set<number>();
  for (const r of all<{ t: number; p: string | null; f: string | null }>(
    'SELECT o.transmission_id AS t, o.path_json AS p, t.from_pubkey AS f FROM observations o JOIN transmissions t ON t.id = o.transmission_id WHERE t.payload_type = 4',
  )) {
    const hops: string[] = r.p ? JSON.parse(r.p) : [];
    if (r.f === pk || hops.some((h) => pk.startsWith(h.toLowerCase()))) through.add(r.t);
  }
  const byNode = await get(`/api/packets?node=${pk}&type=ADVERT&limit=100`);
  assert.equal(byNode.total, through.size);
  assert.deepEqual(
    byNode.packets.map((p: { id: number }) => p.id).sort((a: number, b: number) => a - b),
    [...through].sort((a, b) => a - b),
  );
  const name = one<{ name: string }>('SELECT name FROM nodes WHERE public_key = ?', pk).name;
  assert.deepEqual(await get(`/api/packets?node=${encodeURIComponent(name)}&type=ADVERT&limit=100`), byNode);
  assert.match((await get('/api/packets?node=nobody-by-that-name', 400)).error, /unknown node/);
});

test('/api/packets: since/until on first_seen (RFC3339, epoch, relative to the injected clock)', async () => {
  const firstSeen = (p: { first_seen: string }) => Date.parse(p.first_seen);
  const everything = (await get('/api/packets?limit=1000')).packets as { first_seen: string }[];
  const since = Date.parse('2026-05-17T17:30:00Z');
  const until = Date.parse('2026-05-17T18:00:00Z');
  const expect = everything.filter((p) => firstSeen(p) >= since && firstSeen(p) <= until).length;
  assert.ok(expect > 10 && expect < 499);
  const j = await get('/api/packets?since=2026-05-17T17:30:00Z&until=2026-05-17T18:00:00Z&limit=1000');
  assert.equal(j.total, expect);
  assert.ok(j.packets.every((p: { first_seen: string }) => firstSeen(p) >= since && firstSeen(p) <= until));
  assert.equal((await get(`/api/packets?since=${since / 1000}&until=${until}&limit=1`)).total, expect);
  // now = 18:30, so since=1h means 17:30.
  const rel = everything.filter((p) => firstSeen(p) >= since).length;
  assert.equal((await get('/api/packets?since=1h&limit=1')).total, rel);
  assert.match((await get('/api/packets?since=yesterday', 400)).error, /'since'/);
  assert.match(
    (await get('/api/packets?since=2026-05-17T18:00:00Z&until=2026-05-17T17:00:00Z', 400)).error,
    /after until/,
  );
});

test('/api/packets: expand=observations and groupByHash', async () => {
  const j = await get(
    '/api/packets?hash=' +
      (await get('/api/packets/85')).packet.hash +
      '&expand=observations&groupByHash=true',
  );
  const p = j.packets[0];
  assert.equal(p.id, 85);
  assert.equal(p.observation_count, 2);
  assert.equal(p.observations.length, 2);
  assert.equal(p.count, 2);
  assert.equal(p.observer_count, 1);
  assert.equal(p.observations[0].transmission_id, 85);
  assert.equal('observations' in (await get('/api/packets?limit=1')).packets[0], false);
});

test('/api/packets/:id by id, by hash, by observation id; 404 with {error}', async () => {
  const byId = await get('/api/packets/5');
  assert.equal(byId.packet.id, 5);
  assert.equal(byId.packet.hash, '57c39fa4e9ec65a6');
  assert.equal(byId.observation_count, 1);
  assert.equal(byId.observations[0].raw_hex, byId.packet.raw_hex);
  assert.equal(byId.observations[0].payload_type, 0);
  const o = one<{ observer: string; snr: number | null }>(
    'SELECT ob.id AS observer, o.snr FROM observations o JOIN observers ob ON ob.rowid = o.observer_idx WHERE o.transmission_id = 5',
  );
  assert.equal(byId.observations[0].observer_id, o.observer);
  assert.deepEqual(await get('/api/packets/57c39fa4e9ec65a6'), byId);
  // The one unused transmission id resolves as an observation id (spec §4.2: id, observation id or hash).
  const gap = one<{ id: number }>(
    'SELECT o.id FROM observations o WHERE o.id NOT IN (SELECT id FROM transmissions) ORDER BY o.id LIMIT 1',
  );
  const gapTx = one<{ t: number }>('SELECT transmission_id AS t FROM observations WHERE id = ?', gap.id).t;
  assert.equal((await get(`/api/packets/${gap.id}`)).packet.id, gapTx);
  const missing = await get('/api/packets/99999', 404);
  assert.match(missing.error, /packet 99999 not found/);
  assert.equal((await get('/api/packets/ffffffffffffffff', 404)).code, 'MESHLENS_ERR_NOT_FOUND');
  assert.match((await get('/api/packets/not-an-id', 400)).error, /'id'/);
});

test('/api/traces/:hash: observations in time order; 404 unknown; 400 malformed', async () => {
  const p = (await get('/api/packets/85')).packet;
  const j = await get(`/api/traces/${p.hash}`);
  assert.equal(j.traces.length, 2);
  assert.equal(j.traces[0].observer, p.observer_id);
  assert.ok(j.traces[0].time <= j.traces[1].time);
  assert.equal(typeof j.traces[0].path_json, 'string');
  await get('/api/traces/0000000000000000', 404);
  await get('/api/traces/xyz', 400);
});

// ------------------------------------------------------------------ decode

test('POST /api/decode: same object as `meshlens decode`; 400 with the reason code', async () => {
  const ADVERT =
    '11427d1d1f5d300ddc9e145dbe6cb4d6c2d93c74e9f862f5e247783f64ef89a4732e68dd473c4c62c9697f70e27d27e4a0d3f001c4032a262c390f868b2c7df763b2171969f29dde33a01785f01b6e37e7a1d7ba39735cb6013ad3a7f00c76ae84623ef286f99c3ee60292ec9f3e02c688b9f852352d443420333030442052616b';
  const r = await app.inject({ method: 'POST', url: '/api/decode', payload: { hex: ADVERT } });
  assert.equal(r.statusCode, 200);
  let cli = '';
  runDecode([ADVERT], { out: (s) => (cli += s), err: () => {} });
  assert.deepEqual(r.json(), JSON.parse(cli));
  assert.equal(r.json().hash, '09f282f70cc1ff60');
  assert.equal(r.json().signatureValid, true);
  // The configured keyring decrypts #test.
  const chan = '150185D975F35D5A2D1F8102F2D6A9E2F69CCE0B55CBE2EC90B1E220ACE785A6098F1A60880B';
  const c = await app.inject({ method: 'POST', url: '/api/decode', payload: { hex: chan } });
  assert.equal(c.json().decoded.payload.text, 'derekivey: !path');

  const short = await app.inject({ method: 'POST', url: '/api/decode', payload: { hex: '11' } });
  assert.equal(short.statusCode, 400);
  assert.equal(short.json().reason, 'too_short');
  assert.equal(short.json().code, 'MESHLENS_ERR_BAD_BODY');
  const notHex = await app.inject({ method: 'POST', url: '/api/decode', payload: { hex: 'zz11' } });
  assert.equal(notHex.json().reason, 'invalid_hex');
  const missing = await app.inject({ method: 'POST', url: '/api/decode', payload: {} });
  assert.equal(missing.statusCode, 400);
  assert.match(missing.json().error, /hex is required/);
});

// ------------------------------------------------------------------ nodes

test('/api/nodes: role, counts, sort, pagination totals, search, lastHeard, region', async () => {
  const rep = await get('/api/nodes?role=repeater&limit=500');
  assert.equal(rep.total, 168);
  assert.equal(rep.nodes.length, 168);
  assert.deepEqual(rep.counts, { repeaters: 168, rooms: 23, companions: 9, sensors: 0 });
  assert.equal((await get('/api/nodes?role=room')).total, 23);
  assert.match((await get('/api/nodes?role=wizard', 400)).error, /unknown role/);
  const page = await get('/api/nodes?limit=20&offset=190');
  assert.equal(page.total, 200);
  assert.equal(page.nodes.length, 10);
  assert.equal((await get('/api/nodes?limit=9999')).limit, 2000);
  // Default sort: last_seen descending.
  const seen = rep.nodes.map((n: { last_seen: string }) => n.last_seen);
  assert.deepEqual(seen, [...seen].sort().reverse());
  const byName = (await get('/api/nodes?sortBy=name&limit=500')).nodes.map((n: { name: string }) =>
    n.name.toLowerCase(),
  );
  assert.deepEqual(byName, [...byName].sort());
  const n0 = one<{ public_key: string; name: string }>(
    'SELECT public_key, name FROM nodes ORDER BY public_key LIMIT 1',
  );
  const search = await get(`/api/nodes?search=${n0.public_key.slice(0, 10)}`);
  assert.equal(search.total, 1);
  assert.equal(search.nodes[0].public_key, n0.public_key);
  const sub = 'repeater';
  const expectSub = one<{ n: number }>(
    "SELECT count(*) AS n FROM nodes WHERE lower(name) LIKE '%' || ? || '%'",
    sub,
  ).n;
  assert.equal((await get(`/api/nodes?search=${sub}`)).total, expectSub);
  // last_seen of every node is 2026-05-17 (<= 18:13:27); now is 18:30.
  const hour = one<{ n: number }>(
    "SELECT count(*) AS n FROM nodes WHERE last_seen >= '2026-05-17T17:30:00'",
  ).n;
  assert.equal((await get('/api/nodes?lastHeard=1h')).total, hour);
  assert.equal((await get('/api/nodes?lastHeard=30d')).total, 200);
  const sjcNodes = one<{ n: number }>(
    "SELECT count(DISTINCT t.from_pubkey) AS n FROM transmissions t JOIN observations o ON o.transmission_id = t.id JOIN observers ob ON ob.rowid = o.observer_idx WHERE t.payload_type = 4 AND ob.iata = 'SJC'",
  ).n;
  assert.equal((await get('/api/nodes?region=SJC')).total, sjcNodes);
  assert.match((await get('/api/nodes?lastHeard=2y', 400)).error, /'lastHeard'/);
});

test('/api/nodes/search, /api/nodes/:pubkey (+ prefix), /health; 404s', async () => {
  const n = one<{ public_key: string; name: string; advert_count: number }>(
    'SELECT n.public_key, n.name, n.advert_count FROM nodes n WHERE EXISTS (SELECT 1 FROM transmissions t WHERE t.from_pubkey = n.public_key) ORDER BY n.public_key LIMIT 1',
  );
  const s = await get(`/api/nodes/search?q=${encodeURIComponent(n.name.slice(0, 6))}`);
  assert.ok(s.nodes.some((x: { public_key: string }) => x.public_key === n.public_key));
  await get('/api/nodes/search', 400);

  const d = await get(`/api/nodes/${n.public_key}`);
  assert.equal(d.node.public_key, n.public_key);
  assert.equal(d.node.name, n.name);
  assert.equal(d.node.advert_count, n.advert_count);
  const adverts = all<{ id: number }>(
    'SELECT id FROM transmissions WHERE from_pubkey = ? ORDER BY id DESC LIMIT 20',
    n.public_key,
  );
  assert.deepEqual(
    d.recentAdverts.map((p: { id: number }) => p.id),
    adverts.map((a) => a.id),
  );
  assert.deepEqual(await get(`/api/nodes/${n.public_key.slice(0, 12).toUpperCase()}`), d);

  const h = await get(`/api/nodes/${n.public_key}/health`);
  assert.equal(h.node.public_key, n.public_key);
  assert.equal(h.stats.totalTransmissions, adverts.length);
  const obsCount = one<{ n: number }>(
    'SELECT count(*) AS n FROM observations o JOIN transmissions t ON t.id = o.transmission_id WHERE t.from_pubkey = ?',
    n.public_key,
  ).n;
  assert.equal(h.stats.totalObservations, obsCount);
  assert.equal(
    h.observers.reduce((a: number, o: { count: number }) => a + o.count, 0),
    obsCount,
  );
  assert.equal(h.stats.packetsToday, adverts.length);

  assert.match((await get(`/api/nodes/${'0'.repeat(64)}`, 404)).error, /not found/);
  await get(`/api/nodes/${'0'.repeat(64)}/health`, 404);
  await get('/api/nodes/xyz', 400);
});

test('hidden nodes (nodeBlacklist, hiddenNamePrefixes) and blacklisted observers are absent', async () => {
  const [a, b] = all<{ public_key: string; name: string }>(
    'SELECT public_key, name FROM nodes ORDER BY public_key LIMIT 2',
  );
  const observer = one<{ id: string }>('SELECT id FROM observers ORDER BY id LIMIT 1').id;
  const cfg = config({
    nodeBlacklist: [a.public_key.toUpperCase()],
    hiddenNamePrefixes: [b.name.slice(0, 5)],
    observerBlacklist: [observer],
  });
  const hidden = await buildApp({
    config: cfg,
    routes: [coreRoutes({ model: new MemoryReadModel(store, cfg), config: cfg, now: () => NOW })],
  });
  try {
    const prefixed = one<{ n: number }>(
      'SELECT count(*) AS n FROM nodes WHERE substr(name, 1, 5) = ? AND public_key <> ?',
      b.name.slice(0, 5),
      a.public_key,
    ).n;
    const list = (await hidden.inject('/api/nodes?limit=500')).json();
    assert.equal(list.total, 200 - 1 - prefixed);
    assert.ok(
      !list.nodes.some(
        (n: { public_key: string }) => n.public_key === a.public_key || n.public_key === b.public_key,
      ),
    );
    assert.equal((await hidden.inject(`/api/nodes/${a.public_key}`)).statusCode, 404);
    assert.equal((await hidden.inject(`/api/nodes/${b.public_key}/health`)).statusCode, 404);
    const obs = (await hidden.inject('/api/observers')).json();
    assert.equal(obs.observers.length, 30);
    assert.equal((await hidden.inject(`/api/observers/${observer}`)).statusCode, 404);
  } finally {
    await hidden.close();
  }
});

// ------------------------------------------------------------------ observers

test('/api/observers: 31 with IATA counts, fields; /api/observers/:id; 404', async () => {
  const j = await get('/api/observers');
  assert.equal(j.observers.length, 31);
  assert.equal(j.server_time, new Date(NOW).toISOString());
  const iata: Record<string, number> = {};
  for (const o of j.observers) iata[o.iata] = (iata[o.iata] ?? 0) + 1;
  assert.deepEqual(iata, { SJC: 13, OAK: 10, SFO: 5, MRY: 3 });
  const seen = j.observers.map((o: { last_seen: string }) => o.last_seen);
  assert.deepEqual(seen, [...seen].sort().reverse());
  const top = one<{ id: string; name: string; packet_count: number; n: number }>(
    'SELECT ob.id, ob.name, ob.packet_count, count(o.id) AS n FROM observers ob JOIN observations o ON o.observer_idx = ob.rowid GROUP BY ob.id ORDER BY n DESC LIMIT 1',
  );
  const o = j.observers.find((x: { id: string }) => x.id === top.id);
  assert.equal(o.name, top.name);
  assert.equal(o.packet_count, top.packet_count);
  assert.equal(o.observation_count, top.n);
  // packetsLastHour: observations received since 17:30 (fixture rows are newest-first by id).
  const lastHour = one<{ n: number }>(
    'SELECT count(*) AS n FROM observations o JOIN observers ob ON ob.rowid = o.observer_idx WHERE ob.id = ? AND o.timestamp >= ?',
    top.id,
    (NOW - 3_600_000) / 1000,
  ).n;
  assert.equal(o.packetsLastHour, lastHour);
  const single = await get(`/api/observers/${top.id}`);
  assert.deepEqual(single, o);
  assert.deepEqual(await get(`/api/observers/${top.id.toLowerCase()}`), o);
  assert.match((await get('/api/observers/NOPE', 404)).error, /^Observer not found$/);
});

// ------------------------------------------------------------------ channels

test('/api/channels: decrypted channels with message counts; includeEncrypted; region', async () => {
  const expected = all<{ name: string; n: number }>(
    "SELECT channel_hash AS name, count(*) AS n FROM transmissions WHERE payload_type = 5 AND channel_hash NOT LIKE 'enc_%' GROUP BY channel_hash",
  );
  const j = await get('/api/channels');
  assert.deepEqual(
    Object.fromEntries(
      j.channels.map((c: { name: string; messageCount: number }) => [c.name, c.messageCount]),
    ),
    Object.fromEntries(expected.map((e) => [e.name, e.n])),
  );
  assert.equal(
    expected.reduce((a, e) => a + e.n, 0),
    81,
  );
  const t = j.channels.find((c: { name: string }) => c.name === '#test');
  assert.equal(t.hash, '#test');
  const newest = one<{ decoded_json: string; first_seen: string }>(
    "SELECT decoded_json, first_seen FROM transmissions WHERE channel_hash = '#test' ORDER BY first_seen DESC LIMIT 1",
  );
  assert.equal(t.lastMessage, JSON.parse(newest.decoded_json).text);
  assert.equal(t.lastSender, JSON.parse(newest.decoded_json).sender);
  const withEnc = await get('/api/channels?includeEncrypted=true');
  assert.equal(
    withEnc.channels.reduce((a: number, c: { messageCount: number }) => a + c.messageCount, 0),
    166,
  );
  const sjc = await get('/api/channels?region=SJC&includeEncrypted=true');
  const sjcN = one<{ n: number }>(
    "SELECT count(DISTINCT t.id) AS n FROM transmissions t JOIN observations o ON o.transmission_id = t.id JOIN observers ob ON ob.rowid = o.observer_idx WHERE t.payload_type = 5 AND ob.iata = 'SJC'",
  ).n;
  assert.equal(
    sjc.channels.reduce((a: number, c: { messageCount: number }) => a + c.messageCount, 0),
    sjcN,
  );
});

test('/api/channels/:hash/messages: fields, total, offset from the newest; 404', async () => {
  const rows = all<{ id: number; decoded_json: string }>(
    "SELECT id, decoded_json FROM transmissions WHERE channel_hash = '#test' ORDER BY id",
  );
  const j = await get('/api/channels/%23test/messages?limit=10');
  assert.equal(j.total, 35);
  assert.equal(j.messages.length, 10);
  assert.deepEqual(
    j.messages.map((m: { packetId: number }) => m.packetId),
    rows.slice(-10).map((r) => r.id),
  );
  const m = j.messages[9];
  const d = JSON.parse(rows[34].decoded_json);
  assert.equal(m.text, d.text);
  assert.equal(m.sender, d.sender);
  assert.equal(m.sender_timestamp, d.sender_timestamp);
  assert.equal(m.repeats, 1);
  assert.equal(m.observers.length, 1);
  const older = await get('/api/channels/%23test/messages?limit=10&offset=30');
  assert.deepEqual(
    older.messages.map((x: { packetId: number }) => x.packetId),
    rows.slice(0, 5).map((r) => r.id),
  );
  assert.equal((await get('/api/channels/%23test/messages?limit=9999')).limit, 500);
  await get('/api/channels/%23nope/messages', 404);
});

// ------------------------------------------------------------------ stats, config

test('/api/stats: totals and windows against the injected clock', async () => {
  const j = await get('/api/stats');
  assert.equal(j.totalTransmissions, 499);
  assert.equal(j.totalPackets, 499);
  assert.equal(j.totalObservations, 500);
  assert.equal(j.totalNodesAllTime, 200);
  assert.equal(j.totalNodes, 200);
  assert.equal(j.totalObservers, 31);
  assert.deepEqual(j.counts, { repeaters: 168, rooms: 23, companions: 9, sensors: 0 });
  const since = (ms: number) =>
    one<{ n: number }>('SELECT count(*) AS n FROM observations WHERE timestamp >= ?', (NOW - ms) / 1000).n;
  assert.equal(j.packetsLastHour, since(3_600_000));
  assert.equal(j.packetsLast24h, 500);
  assert.ok(j.packetsLastHour > 0 && j.packetsLastHour < 500);
  assert.equal(j.engine, 'node');
});

test('/api/config/client, /theme, /regions', async () => {
  const c = await get('/api/config/client');
  assert.equal(c.healthThresholds.nodeDegradedMs, 3_600_000);
  assert.equal(c.propagationBufferMs, 5000);
  assert.equal(c.liveMapMaxNodes, 2000);
  assert.deepEqual(c.customizer, { disabledTabs: [] });
  const t = await get('/api/config/theme');
  assert.deepEqual(Object.keys(t).sort(), [
    'branding',
    'home',
    'markerStroke',
    'nodeColors',
    'theme',
    'themeDark',
    'typeColors',
  ]);
  const r = await get('/api/config/regions');
  assert.deepEqual(r, { LAX: 'Los Angeles', MRY: 'MRY', OAK: 'OAK', SFO: 'SFO', SJC: 'San Jose' });
});

test('data routes answer 503 + Retry-After until ready; config answers at once', async () => {
  let ready = false;
  const cfg = config();
  const a = await buildApp({
    config: cfg,
    routes: [coreRoutes({ model: new MemoryReadModel(store, cfg), config: cfg, ready: () => ready })],
  });
  try {
    const r = await a.inject('/api/packets');
    assert.equal(r.statusCode, 503);
    assert.equal(r.headers['retry-after'], '5');
    assert.equal(r.json().code, 'MESHLENS_ERR_NOT_READY');
    assert.equal((await a.inject('/api/config/regions')).statusCode, 200);
    ready = true;
    assert.equal((await a.inject('/api/packets')).statusCode, 200);
  } finally {
    await a.close();
  }
});

test('OpenAPI lists the core routes', async () => {
  const spec = await get('/api/spec');
  for (const p of [
    '/api/packets',
    '/api/packets/{id}',
    '/api/nodes/{pubkey}/health',
    '/api/channels/{hash}/messages',
    '/api/decode',
  ])
    assert.ok(p in spec.paths, p);
});
