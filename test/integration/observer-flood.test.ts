// Issue 13 #5: a flood of fake observer keys over MQTT (the embedded broker needs no login on
// loopback) filled the 65,535 observers in seconds; afterwards every real observer was refused,
// the fakes persisted across restarts and /api/observers answered them all at once. Here, with
// small configured limits: the budget of new observers per source refuses the excess (counted),
// a real observer that comes afterwards is accepted, /api/observers pages, and the fakes (never
// a valid packet) age out of memory and SQLite and stay gone after a restart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import {
  connectPublisher,
  getJson,
  observerTopic,
  settle,
  simPackets,
  start,
  tempDir,
  testConfig,
} from './harness.js';
import { until } from '../support/until.js';

const FAKES = 300;
const BURST = 40;
const REAL = 'A1'.repeat(32);
const fakeKey = (i: number) => `EE${i.toString(16).toUpperCase().padStart(62, '0')}`;

interface ObserversPage {
  observers: { id: string }[];
  total: number;
  limit: number;
  offset: number;
}

test('a fake-observer flood is rate limited, a real observer still gets in, the fakes age out for good', async () => {
  const dir = tempDir();
  const config = testConfig(dir, {
    // 60 per minute: one token a second, so the flood (well under a second) gets ~BURST in.
    observerAdmission: { newPerMinute: 60, burst: BURST },
    // 0.0005 h = 1.8 s: the fakes are old enough to age out moments after the flood.
    retention: { observerNoPacketHours: 0.0005 },
  });
  let server = await start(config);
  try {
    const client = await connectPublisher(server);
    const before = server.pipeline.queue.stats().consumed;
    const t0 = Date.now();
    await Promise.all(
      Array.from({ length: FAKES }, (_, i) =>
        client.publishAsync(
          observerTopic(fakeKey(i), 'SEA', 'status'),
          JSON.stringify({ origin: `fake${i}` }),
        ),
      ),
    );
    await settle(server, before, FAKES);
    // One token a second refills the budget while the flood lasts.
    const refill = Math.ceil((Date.now() - t0) / 1000) + 1;
    const limited = server.rejections.count('observer_rate_limited');
    const admitted = FAKES - limited;
    assert.ok(admitted >= BURST && admitted <= BURST + refill, `${admitted} of ${FAKES} fakes admitted`);
    assert.equal(server.store.observerRows().length, admitted);

    // /api/observers pages: the total counts them all, a page holds `limit`.
    const all = await getJson<ObserversPage>(server, '/api/observers');
    assert.equal(all.total, admitted);
    assert.equal(all.observers.length, admitted);
    assert.equal(all.limit, 1000);
    assert.equal(all.offset, 0);
    const page = await getJson<ObserversPage>(server, '/api/observers?limit=7&offset=5');
    assert.deepEqual(
      page.observers.map((o) => o.id),
      all.observers.slice(5, 12).map((o) => o.id),
    );
    assert.equal(page.total, admitted);

    // A real observer after the flood: accepted as soon as the source has a token again.
    const raw = simPackets(1)[0].payload.raw;
    await until(
      async () => {
        const n = server.pipeline.queue.stats().consumed;
        await client.publishAsync(observerTopic(REAL), JSON.stringify({ raw, SNR: 5 }));
        await settle(server, n, 1);
        return server.store.observerKnown(REAL);
      },
      { what: 'the real observer accepted', intervalMs: 200 },
    );
    await client.endAsync();

    // Ageing: the fakes (status only) go from memory and SQLite; the real observer stays.
    await until(
      async () => {
        await server.runRetention();
        return (await getJson<ObserversPage>(server, '/api/observers')).total === 1;
      },
      { what: 'fakes aged out', intervalMs: 300, timeoutMs: 20_000 },
    );
    const after = await getJson<ObserversPage>(server, '/api/observers');
    assert.deepEqual(
      after.observers.map((o) => o.id),
      [REAL],
    );
    await server.writer.flush();
    const db = new Database(join(dir, 'meshcore.db'), { readonly: true });
    try {
      assert.deepEqual(db.prepare('SELECT id FROM observers').all(), [{ id: REAL }]);
      assert.equal((db.prepare('SELECT count(*) AS n FROM observer_metrics').get() as { n: number }).n, 0);
    } finally {
      db.close();
    }

    // A restart loads no fake.
    await server.stop();
    server = await start(config);
    const reloaded = await getJson<ObserversPage>(server, '/api/observers');
    assert.deepEqual(
      reloaded.observers.map((o) => o.id),
      [REAL],
    );
    assert.equal(reloaded.total, 1);
  } finally {
    await server.stop();
  }
});
