// Issue 13 #3 against the real server on a SQLite file with 10,000+ transmissions: clients
// asking for `GET /api/packets?limit=10000` (~9 MB each) and never reading must not pile the
// bodies up in memory nor stall the event loop; over `http.heavyConcurrency` such requests get
// 503 MESHLENS_ERR_BUSY with Retry-After; a streamed body is still exactly the JSON of the pages.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { createSimulator } from '../../src/sim/index.js';
import { writeDataset } from '../../src/sim/dataset.js';
import type { RunningServer } from '../../src/server/index.js';
import { until } from '../support/until.js';
import { start, tempDir, testConfig } from './harness.js';

const BIG = '/api/packets?limit=10000';
let dir: string;
let dbPath: string;
let transmissions: number;

before(() => {
  dir = tempDir('meshlens-heavy-');
  dbPath = join(dir, 'big.db');
  // Two observers and busy chat traffic: ~10,000 transmissions in 3 h, written in ~4 s.
  const hours = 3;
  const sim = createSimulator('small', {
    seed: 5,
    observerCount: 2,
    startMs: Date.now() - hours * 3_600_000,
    durationMs: hours * 3_600_000,
    traffic: { groupTextPerNodeH: 14, directMessagePerNodeH: 10 },
  });
  transmissions = writeDataset(sim, dbPath).transmissions;
  assert.ok(transmissions >= 10_000, `${transmissions} transmissions`);
});

/** A raw client that sends `path` and never reads the answer. */
function nonReader(server: RunningServer, path: string): Promise<Socket> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const s = connect(Number(port), '127.0.0.1', () => {
      s.pause();
      s.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\n\r\n`, () => resolve(s));
    });
    s.on('error', reject);
  });
}

test('60 clients that never read 9 MB answers: RSS grows < 150 MB, /api/stats answers within 1 s', async (t) => {
  const server = await start(testConfig(dir, { dbPath }));
  const sockets: Socket[] = [];
  try {
    const full = await fetch(server.url + BIG, { headers: { 'accept-encoding': 'identity' } });
    const text = await full.text();
    assert.ok(text.length > 8_000_000, `${text.length} characters`);
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let rssMax = rssBefore;
    const sampler = setInterval(() => (rssMax = Math.max(rssMax, process.memoryUsage().rss)), 20);
    try {
      for (let i = 0; i < 60; i++) sockets.push(await nonReader(server, BIG));
      const t0 = performance.now();
      const stats = await fetch(server.url + '/api/stats');
      const statsMs = performance.now() - t0;
      assert.equal(stats.status, 200);
      // RSS is sampled while the answers run into back-pressure (a window, not a condition).
      await new Promise((r) => setTimeout(r, 2000));
      const growthMb = (rssMax - rssBefore) / 1e6;
      t.diagnostic(`/api/stats answered in ${statsMs.toFixed(0)} ms; RSS growth ${growthMb.toFixed(0)} MB`);
      assert.ok(statsMs < 1000, `/api/stats took ${statsMs.toFixed(0)} ms while 60 big requests were served`);
      assert.ok(growthMb < 150, `RSS grew ${growthMb.toFixed(0)} MB`);
    } finally {
      clearInterval(sampler);
    }
    // Every big request is streaming (4 at once by default) or was turned away: 24 at once, the 32
    // the queue holds after 5 s.
    const heavy = server.app.meshlens.heavy;
    await until(() => heavy.stats().rejectedBusy + heavy.stats().inProgress === 60, {
      what: 'all 60 requests handled',
      timeoutMs: 20_000,
    });
    assert.deepEqual(heavy.stats(), {
      inProgress: 4,
      max: 4,
      queued: 0,
      rejectedBusy: 56,
      rateLimited: 0,
      stalled: 0,
    });
    // A client that goes away frees its slot.
    for (const s of sockets) s.destroy();
    await until(() => server.app.meshlens.heavy.stats().inProgress === 0, { what: 'slots released' });
  } finally {
    for (const s of sockets) s.destroy();
    await server.stop();
  }
});

test('a streamed body is valid JSON with every entry, byte-identical to smaller pages across chunk joins', async () => {
  const server = await start(testConfig(dir, { dbPath }));
  try {
    const res = await fetch(server.url + BIG, { headers: { 'accept-encoding': 'identity' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-length'), null, 'streamed (chunked)');
    const text = await res.text();
    const body = JSON.parse(text) as {
      packets: { id: number }[];
      total: number;
      limit: number;
      offset: number;
    };
    assert.equal(body.packets.length, 10_000);
    assert.equal(body.total, transmissions);
    assert.deepEqual([body.limit, body.offset], [10_000, 0]);
    assert.match(text, /^\{"packets":\[\{"id":\d+,/);
    assert.ok(text.endsWith(`],"total":${transmissions},"limit":10000,"offset":0}`));
    // Compressed, the stream goes through gzip with the same back-pressure and the same bytes.
    const gzipped = await fetch(server.url + BIG, { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(gzipped.headers.get('content-encoding'), 'gzip');
    assert.ok((await gzipped.text()) === text, 'the gzip answer decodes to the same text');
    // Pages of 40 (one chunk: sent whole, with Content-Length) at offsets that straddle the
    // ~64 KiB chunk joins of the big answer: each page's list is the same bytes inside it.
    for (const offset of [0, 60, 70, 150, 9_960]) {
      const page = await fetch(`${server.url}/api/packets?limit=40&offset=${offset}`, {
        headers: { 'accept-encoding': 'identity' },
      });
      assert.ok(Number(page.headers.get('content-length')) > 0);
      const pageText = await page.text();
      const list = pageText.slice('{"packets":['.length, pageText.indexOf(`],"total":`));
      assert.ok(text.includes(list), `page at offset ${offset} is a substring of the big answer`);
      const ids = (JSON.parse(pageText) as typeof body).packets.map((p) => p.id);
      assert.deepEqual(
        ids,
        body.packets.slice(offset, offset + 40).map((p) => p.id),
      );
    }
    // /api/nodes goes the same way (small here: one chunk).
    const nodes = (await (await fetch(server.url + '/api/nodes?limit=2000')).json()) as {
      nodes: unknown[];
      total: number;
    };
    assert.equal(nodes.nodes.length, nodes.total);
  } finally {
    await server.stop();
  }
});

test('over http.heavyConcurrency heavy requests queue briefly, then get 503 MESHLENS_ERR_BUSY; stalled readers are cut', async () => {
  const server = await start(
    testConfig(dir, {
      dbPath,
      http: {
        heavyConcurrency: 2,
        heavyQueue: 1,
        heavyQueueTimeoutMs: 800,
        heavyRetryAfterSec: 3,
        heavyStallTimeoutMs: 2500,
      },
    }),
  );
  const heavy = () => server.app.meshlens.heavy.stats();
  const sockets: Socket[] = [];
  try {
    for (let i = 0; i < 2; i++) sockets.push(await nonReader(server, BIG));
    // Both slots held by stalled streams: the next heavy request waits 800 ms, then 503.
    const res = await until(
      async () => {
        const r = await fetch(server.url + '/api/nodes');
        return r.status === 503 ? r : null;
      },
      { what: 'a 503 while two streams hold the slots', timeoutMs: 5000 },
    );
    assert.equal(res.headers.get('retry-after'), '3');
    assert.deepEqual(await res.json(), {
      error: 'too many heavy requests in progress (2); retry in 3 s',
      code: 'MESHLENS_ERR_BUSY',
    });
    // One waits in the queue; with the queue full the next is turned away at once.
    const queued = fetch(server.url + '/api/nodes?limit=3');
    await until(() => heavy().queued === 1, { what: 'one request queued' });
    assert.equal((await fetch(server.url + '/api/nodes')).status, 503);
    // Light routes are not gated.
    assert.equal((await fetch(server.url + '/api/stats')).status, 200);
    // A slot freed by a client going away passes to the queued request.
    sockets[0].destroy();
    const answer = await queued;
    assert.equal(answer.status, 200);
    assert.equal(((await answer.json()) as { limit: number }).limit, 3);
    // A reader that takes nothing is cut off after heavyStallTimeoutMs: its slot comes back.
    await until(() => heavy().inProgress === 0, { what: 'the stalled answer cut' });
    assert.equal((await fetch(server.url + '/api/packets?limit=5')).status, 200);
    assert.deepEqual(heavy(), {
      inProgress: 0,
      max: 2,
      queued: 0,
      rejectedBusy: 2,
      rateLimited: 0,
      stalled: 1,
    });
    // The same counters in /api/health.
    const health = (await (await fetch(server.url + '/api/health')).json()) as { http: unknown };
    // Beside them, the turns of the other API requests (none of this test's had to wait).
    assert.deepEqual(health.http, {
      ...heavy(),
      turns: { limit: 4, inProgress: 0, queued: 0, waited: 0 },
    });
  } finally {
    for (const s of sockets) s.destroy();
    await server.stop();
  }
});
