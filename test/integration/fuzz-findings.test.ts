// Defects the fuzz run (fuzz/, `npm run fuzz`) found, each reproduced against a real server
// (real SQLite file) with the input the fuzzer minimised.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { startServer } from '../../src/server/index.js';
import { until } from '../support/until.js';
import { API_KEY, simPackets, start, tempDir, testConfig } from './harness.js';

// A TRACE whose route uses 4-byte hops (trace flags & 3 = 2): the decoder accepts it, the
// memory store refuses the observation's path (hops of 1-3 bytes), after it had appended the
// new transmission. That transmission was in memory (served by the API) but never queued to
// SQLite: gone after a restart, and an observation of it would have had no parent row.
const TRACE_4_BYTE_HOPS = '2600' + '01020304' + '05060708' + '02' + 'AABBCCDD' + '11223344';

test('a sighting refused by the store leaves memory and SQLite with the same transmissions', async () => {
  const dir = tempDir();
  const config = testConfig(dir);
  const server = await start(config);
  try {
    const post = (hex = TRACE_4_BYTE_HOPS) =>
      fetch(`${server.url}/api/packets`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
        body: JSON.stringify({ hex }),
      });
    // A known observer (the dedup lookup only runs for one the store has seen).
    assert.equal((await post(simPackets(1)[0].payload.raw)).status, 200);
    // The second sighting finds the transmission and looked for a matching observation by
    // path: the store's path parse threw out of ingest (500 here; an uncounted consumer error
    // over MQTT).
    for (let i = 0; i < 2; i++) {
      const res = await post();
      const body = (await res.json()) as { code: string; reason: string };
      assert.equal(res.status, 400, `sighting ${i + 1}`);
      assert.equal(body.reason, 'store_bad_path');
    }
    assert.equal(server.rejections.count('store_bad_path'), 2);
    await server.writer.flush();
    const db = new Database(config.dbPath, { readonly: true });
    const sqliteTx = (db.prepare('SELECT count(*) AS n FROM transmissions').get() as { n: number }).n;
    db.close();
    assert.equal(sqliteTx, 2);
    assert.equal(server.store.memory().rows.transmissions, sqliteTx);
    assert.equal(server.pipeline.stats().transmissionsNew, sqliteTx);
  } finally {
    await server.stop();
  }
});

// The per-entity analytics routes answered 404 as `{"error":"Not found"}` (no `code`): the
// only 4xx bodies of the API outside the one error format (issue 13 item 8).
test('analytics: 404s carry the registry code, a window named like an Object.prototype key is a 400', async () => {
  const dir = tempDir();
  const server = await startServer(testConfig(dir), {});
  try {
    await server.loaded;
    const key = 'ab'.repeat(32);
    const cases: [string, string][] = [
      [`/api/nodes/${key}/paths`, 'MESHLENS_ERR_ANALYTIC_NOT_FOUND'],
      [`/api/nodes/${key}/analytics`, 'MESHLENS_ERR_ANALYTIC_NOT_FOUND'],
      [`/api/nodes/${key}/clock-skew`, 'MESHLENS_ERR_NO_CLOCK_SKEW'],
      [`/api/observers/${key.toUpperCase()}/analytics`, 'MESHLENS_ERR_OBSERVER_NOT_FOUND'],
    ];
    for (const [url, code] of cases) {
      // 503 while the analytics warm up (a registry error too), then the 404.
      const res = await until(
        async () => {
          const r = await fetch(server.url + url);
          return r.status === 503 ? null : r;
        },
        { what: `${url} out of warm-up` },
      );
      const body = (await res.json()) as { error?: unknown; code?: unknown };
      assert.equal(res.status, 404, url);
      assert.equal(body.code, code, url);
      assert.equal(typeof body.error, 'string', url);
    }
    // `window` was looked up in a plain object: `toString` passed for a window and the
    // compute failed (500 on the fleet summary; a NaN time range on the analytics).
    for (const url of [
      '/api/observers/metrics/summary?window=toString',
      '/api/analytics/rf?window=toString',
      '/api/analytics/topology?window=constructor',
    ]) {
      const res = await fetch(server.url + url);
      const body = (await res.json()) as { code?: unknown };
      assert.equal(res.status, 400, url);
      assert.equal(body.code, 'MESHLENS_ERR_BAD_QUERY_PARAMETER', url);
    }
  } finally {
    await server.stop();
  }
});

// GET /api/docs/toString looked the name up in a plain object: the inherited method passed for
// an asset, the file read failed, and the answer was a 500.
test('/api/docs/<file> answers 404 for names inherited from Object.prototype', async () => {
  const server = await start(testConfig(tempDir()));
  try {
    for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf']) {
      const res = await fetch(`${server.url}/api/docs/${name}`);
      const body = (await res.json()) as { code?: string };
      assert.equal(res.status, 404, name);
      assert.equal(body.code, 'MESHLENS_ERR_ROUTE_NOT_FOUND', name);
    }
    assert.equal((await fetch(`${server.url}/api/docs/swagger-ui.css`)).status, 200);
  } finally {
    await server.stop();
  }
});

// `until=999999999999999999999` parsed as a time of 1e21 ms, beyond what a Date holds: the
// route's `toISOString()` of it threw (500). Out-of-range times are a 400 naming the parameter.
test('a time parameter beyond the Date range is a 400, not a 500', async () => {
  const server = await start(testConfig(tempDir()));
  try {
    // A known observer: the metrics route renders its window back (`since`, `until`).
    const posted = await fetch(`${server.url}/api/packets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
      body: JSON.stringify({ hex: simPackets(1)[0].payload.raw, observer: 'FUZZOBS' }),
    });
    assert.equal(posted.status, 200);
    const id = 'FUZZOBS';
    for (const url of [
      `/api/observers/${id}/metrics?until=999999999999999999999`,
      `/api/observers/${id}/metrics?since=99999999999999999d`,
      '/api/packets/timestamps?since=999999999999999999999',
      '/api/packets?until=999999999999999999999',
    ]) {
      const res = await fetch(server.url + url);
      const body = (await res.json()) as { code?: string; error?: string };
      assert.equal(res.status, 400, url);
      assert.equal(body.code, 'MESHLENS_ERR_BAD_PARAMETER', url);
      assert.match(String(body.error), /out of range/, url);
    }
  } finally {
    await server.stop();
  }
});
