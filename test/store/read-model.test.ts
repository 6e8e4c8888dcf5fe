// MeshReadModel over the memory store, asked directly on the real fixture (no HTTP): pages,
// transmission detail, traces, nodes, observers, channels and totals. Expected values are the
// fixture's own (literal ids/hashes from its SQL, or the SQL itself as an independent oracle).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { MemoryReadModel } from '../../src/store/memory/memory-read-model.js';
import { materialize, type MeshReadModel } from '../../src/store/read-model.js';
import { FIXTURE_DB, loadFixture } from '../support/fixture.js';

const NOW = Date.parse('2026-05-17T18:30:00Z');
const hidden = { nodeBlacklist: [], hiddenNamePrefixes: [], observerBlacklist: [] };
let model: MeshReadModel;
let sql: Database.Database;

before(async () => {
  model = new MemoryReadModel((await loadFixture()).store, hidden);
  sql = new Database(fileURLToPath(FIXTURE_DB), { readonly: true });
});
after(() => sql.close());

const all = <T>(q: string, ...args: unknown[]) => sql.prepare(q).all(...args) as T[];

test('packets: the first page is the newest transmissions with their hashes and counts', () => {
  const page = model.packets({ limit: 3, offset: 0 });
  const items = materialize(page.items);
  assert.equal(page.total, 499);
  assert.deepEqual(
    items.map((s) => [s.transmission.id, s.transmission.hash]),
    [
      [500, 'e26ad9dfa1ac3f7e'],
      [499, 'f9df96b1105346de'],
      [498, '74f8d48e8edd4df9'],
    ],
  );
  for (const s of items) {
    assert.equal(s.observationCount, 1);
    assert.equal(s.best?.transmissionId, s.transmission.id);
    assert.equal(s.observations, undefined, 'observations only when asked');
  }
  const asc = model.packets({ limit: 2, offset: 0, order: 'asc' }, { observerCount: true });
  assert.deepEqual(
    materialize(asc.items).map((s) => [s.transmission.id, s.observerCount]),
    all<{ id: number }>('SELECT id FROM transmissions ORDER BY id LIMIT 2').map((r) => [r.id, 1]),
  );
  const test = model.packets({ channel: '#test', limit: 100, offset: 0 });
  assert.equal(test.total, 35);
  assert.ok(materialize(test.items).every((s) => s.transmission.channelHash === '#test'));
});

test('transmission: by id, hash or observation id, with every observation', () => {
  const byId = model.transmission('85');
  assert.ok(byId);
  assert.equal(byId.observationCount, 2);
  const expected = all<{ id: number }>('SELECT id FROM observations WHERE transmission_id = 85 ORDER BY id');
  assert.deepEqual(
    byId.observations?.map((o) => o.observation.id).sort((a, b) => a - b),
    expected.map((r) => r.id),
  );
  assert.ok(byId.observations?.every((o) => o.observation.transmissionId === 85));

  const byHash = model.transmission(byId.transmission.hash.toUpperCase());
  assert.equal(byHash?.transmission.id, 85);
  // An observation id that is not also a transmission id resolves to its transmission.
  const obsOnly = all<{ id: number; tx: number }>(
    'SELECT id, transmission_id AS tx FROM observations WHERE id NOT IN (SELECT id FROM transmissions) LIMIT 1',
  )[0];
  assert.equal(model.transmission(String(obsOnly.id))?.transmission.id, obsOnly.tx);
  assert.equal(model.transmission('0000000000000000'), null);
  assert.equal(model.transmission('999999'), null);

  const traces = model.traces(byId.transmission.hash);
  assert.equal(traces?.length, 2);
  assert.ok(traces![0].observation.rxMs <= traces![1].observation.rxMs);
  assert.equal(model.traces('0000000000000000'), null);
});

test('nodes: search, detail and the list agree with the nodes table', () => {
  const key = '300ddc9e145dbe6cb4d6c2d93c74e9f862f5e247783f64ef89a4732e68dd473c';
  const found = model.searchNodes('r5-d4', 10);
  assert.ok(found.some((s) => s.node.publicKey === key && s.node.name === 'R5-D4 300D Rak'));
  assert.ok(found.every((s) => (s.node.name ?? '').toLowerCase().includes('r5-d4')));
  assert.deepEqual(
    model.searchNodes('300ddc9e', 10).map((s) => s.node.publicKey),
    [key],
  );

  const detail = model.node(key.slice(0, 12), 20);
  assert.equal(detail?.node.node.publicKey, key);
  assert.ok(
    detail!.recentAdverts.every((a) => a.transmission.fromPubkey === key && a.transmission.payloadType === 4),
  );
  assert.equal(detail!.recentAdverts.length, Math.min(20, detail!.node.packetCount));
  assert.equal(model.node('ffffffffffff', 20), null);
  assert.deepEqual(model.nodeKeysByName(' r5-d4 300d rak '), [key]);

  const nodes = all<{ n: number }>('SELECT count(*) AS n FROM nodes')[0].n;
  const page = model.nodes({ role: null, search: null, sortBy: 'name', limit: 5, offset: 0 });
  assert.equal(page.total, nodes);
  assert.equal(page.items.length, 5);
  const roleSum = Object.values(page.counts).reduce((a, b) => a + b, 0);
  assert.ok(roleSum <= nodes && roleSum > 0);
  const repeaters = model.nodes({
    role: 'repeater',
    search: null,
    sortBy: 'lastSeen',
    limit: 1000,
    offset: 0,
  });
  assert.equal(repeaters.total, page.counts.repeaters);

  const health = model.nodeHealth(key, 500, 20, NOW);
  assert.equal(health?.stats.windowTransmissions, detail!.node.packetCount);
  assert.equal(
    health!.observers.reduce((n, o) => n + o.count, 0),
    health!.stats.totalObservations,
  );
});

test('observers, channels and totals', () => {
  const observers = model.observers(NOW);
  const ids = all<{ id: string }>('SELECT id FROM observers ORDER BY id').map((r) => r.id);
  assert.deepEqual(observers.map((o) => o.observer.id).sort(), ids);
  for (let k = 1; k < observers.length; k++)
    assert.ok(observers[k - 1].observer.lastSeenMs >= observers[k].observer.lastSeenMs);
  assert.equal(model.observer(ids[0], NOW)?.observer.id, ids[0]);
  assert.equal(model.observer('nobody', NOW), null);

  const channels = model.channels();
  const expected = all<{ channel_hash: string; n: number }>(
    'SELECT channel_hash, count(*) AS n FROM transmissions WHERE channel_hash IS NOT NULL GROUP BY channel_hash',
  );
  assert.deepEqual(
    channels.map((c) => [c.name, c.messageCount]).sort(),
    expected.map((r) => [r.channel_hash, r.n]).sort(),
  );
  assert.deepEqual(
    channels
      .filter((c) => !c.encrypted)
      .map((c) => c.name)
      .sort(),
    ['#bot', '#chat', '#test', '#wardriving', 'public'],
  );
  const messages = model.channelMessages('#test', { limit: 5, offset: 0 });
  assert.equal(messages?.total, 35);
  const newest = all<{ id: number }>(
    "SELECT id FROM transmissions WHERE channel_hash = '#test' ORDER BY id DESC LIMIT 5",
  ).map((r) => r.id);
  assert.deepEqual(
    messages!.items.map((m) => m.transmission.id),
    newest.reverse(),
  );
  assert.equal(model.channelMessages('#nothing', { limit: 5, offset: 0 }), null);

  const stats = model.stats(NOW);
  assert.equal(stats.transmissions, 499);
  assert.equal(stats.observations, all<{ n: number }>('SELECT count(*) AS n FROM observations')[0].n);
  assert.equal(stats.observers, ids.length);
  assert.deepEqual(
    model.regionCodes().sort(),
    all<{ iata: string }>(
      "SELECT DISTINCT iata FROM observers WHERE iata IS NOT NULL AND iata <> '' ORDER BY iata",
    ).map((r) => r.iata),
  );
  assert.ok(model.hasRegion('SFO'));
  assert.equal(model.hasRegion('ZZZ'), false);
});
