// meshlens-test: serial (the last test measures POST latency)
// Issue 13 defect 1: a write that fails for a passing reason (the database locked by another
// process past busy_timeout, the disk full) is retried until it commits, never dropped; health
// and healthz say degraded meanwhile and recover by themselves. Real server, real SQLite file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { API_KEY, start, tempDir, testConfig } from './harness.js';
import { countRows, distinctFrame, holdWriteLock, postFrame } from './durability-support.js';
import { sighting } from '../ingest/hand-frames.js';
import { until } from '../support/until.js';
import type { RunningServer } from '../../src/server/index.js';

type Health = {
  status: string;
  degraded?: { writer: { code: string; retries: number } };
  writer: {
    degraded: { code: string; retries: number; sinceMs: number } | null;
    degradedReason: string | null;
    degradedSinceMs: number | null;
    retries: number;
    retriesTotal: number;
    recoveries: number;
    skippedOps: number;
    rejectedWrites: Record<string, number>;
  };
};

const health = async (s: RunningServer) => (await (await fetch(`${s.url}/api/health`)).json()) as Health;

/** Packets through the pipeline, as MQTT delivers them: ingest cannot refuse these. */
function ingest(server: RunningServer, from: number, n: number): void {
  for (let i = from; i < from + n; i++) {
    const outcome = server.pipeline.ingestPacket(sighting(distinctFrame(i), Date.now()));
    assert.ok(outcome.ok, `frame ${i} ingested`);
  }
}

async function settled(server: RunningServer): Promise<void> {
  await until(async () => (await health(server)).status === 'ok', {
    what: 'health ok again',
    timeoutMs: 20_000,
  });
  await server.writer.flush();
}

test('database write-locked by another process past busy_timeout: every packet stored, degraded meanwhile', async (t) => {
  const dir = tempDir('meshlens-lock-');
  const config = testConfig(dir, {
    broker: { enabled: false },
    // No MQTT here: readiness is the store and the writer (a default source would never connect).
    mqttIngest: { readyRequiresSources: false },
    writer: { busyTimeoutMs: 200, commitTimeoutMs: 400 },
  });
  const server = await start(config);
  t.after(() => server.stop());
  for (let i = 0; i < 5; i++)
    assert.equal((await postFrame(server.url, API_KEY, distinctFrame(i))).status, 200);
  assert.deepEqual(countRows(config.dbPath), { transmissions: 5, observations: 5 });

  const lock = await holdWriteLock(config.dbPath);
  const lockedAt = Date.now();
  t.after(() => lock.child.kill());
  ingest(server, 100, 200);
  // Accepted before the writer knew: queued, but no commit within commitTimeoutMs.
  const queued = await postFrame(server.url, API_KEY, distinctFrame(1000));
  assert.equal(queued.status, 503);
  assert.match(queued.body.code, /^MESHLENS_ERR_(NOT_DURABLE|WRITER_DEGRADED)$/);
  const queuedStored = queued.body.code === 'MESHLENS_ERR_NOT_DURABLE';

  // Held for more than 3x busy_timeout: several failed attempts, reported as degraded.
  const h = await until(
    async () => {
      const b = await health(server);
      return Date.now() - lockedAt > 600 && (b.writer.degraded?.retries ?? 0) >= 3 ? b : null;
    },
    { what: 'health degraded with 3 retries' },
  );
  assert.equal(h.status, 'degraded');
  assert.equal(h.writer.degradedReason, 'SQLITE_BUSY');
  assert.equal(h.degraded?.writer.code, 'SQLITE_BUSY');
  assert.ok(h.writer.degradedSinceMs! >= lockedAt - 50 && h.writer.degradedSinceMs! <= Date.now());
  const hz = await fetch(`${server.url}/api/healthz`);
  assert.equal(hz.status, 503);
  const hzBody = (await hz.json()) as {
    ready: boolean;
    reason: string;
    degraded: { writer: { code: string } };
  };
  assert.equal(hzBody.ready, false);
  assert.equal(hzBody.reason, 'degraded');
  assert.equal(hzBody.degraded.writer.code, 'SQLITE_BUSY');
  // While degraded POST refuses up front, with Retry-After, and stores nothing.
  const refused = await postFrame(server.url, API_KEY, distinctFrame(2000));
  assert.equal(refused.status, 503);
  assert.equal(refused.body.code, 'MESHLENS_ERR_WRITER_DEGRADED');
  assert.equal(refused.retryAfter, '5');
  ingest(server, 300, 100); // MQTT keeps arriving meanwhile
  assert.deepEqual(countRows(config.dbPath), { transmissions: 5, observations: 5 });

  await lock.release();
  await settled(server);
  const expected = 5 + 200 + 100 + (queuedStored ? 1 : 0);
  assert.deepEqual(countRows(config.dbPath), { transmissions: expected, observations: expected });
  const after = await health(server);
  assert.equal(after.writer.degraded, null);
  assert.equal(after.writer.retries, 0);
  assert.ok(after.writer.retriesTotal >= 3);
  assert.ok(after.writer.recoveries >= 1);
  assert.equal(after.writer.skippedOps, 0, 'no batch applied twice (a duplicate would fail UNIQUE)');
  assert.ok(after.writer.rejectedWrites.post_writer_degraded >= 1);
  assert.equal((await fetch(`${server.url}/api/healthz`)).status, 200);
  // The refused packet, posted again, is stored.
  assert.equal((await postFrame(server.url, API_KEY, distinctFrame(2000))).status, 200);
  assert.equal(countRows(config.dbPath).transmissions, expected + 1);
});

test('disk full (max_page_count on the writer connection): every packet stored once it is lifted', async (t) => {
  const dir = tempDir('meshlens-full-');
  const config = testConfig(dir, {
    broker: { enabled: false },
    // No MQTT here: readiness is the store and the writer (a default source would never connect).
    mqttIngest: { readyRequiresSources: false },
    writer: { commitTimeoutMs: 400 },
  });
  const server = await start(config);
  t.after(() => server.stop());
  ingest(server, 0, 10);
  await server.writer.flush();
  const [{ page_count: pages }] = (await server.writer.pragmaForTest('page_count')) as {
    page_count: number;
  }[];
  await server.writer.pragmaForTest(`max_page_count = ${pages}`);

  ingest(server, 10, 400);
  const h = await until(
    async () => {
      const b = await health(server);
      return (b.writer.degraded?.retries ?? 0) >= 2 ? b : null;
    },
    { what: 'health degraded (disk full)' },
  );
  assert.equal(h.status, 'degraded');
  assert.equal(h.writer.degradedReason, 'SQLITE_FULL');
  assert.equal((await fetch(`${server.url}/api/healthz`)).status, 503);
  const refused = await postFrame(server.url, API_KEY, distinctFrame(5000));
  assert.equal(refused.status, 503);
  assert.equal(refused.body.code, 'MESHLENS_ERR_WRITER_DEGRADED');
  assert.equal(countRows(config.dbPath).transmissions, 10);

  await server.writer.pragmaForTest('max_page_count = 1073741823');
  await settled(server);
  assert.deepEqual(countRows(config.dbPath), { transmissions: 410, observations: 410 });
  const after = await health(server);
  assert.equal(after.writer.skippedOps, 0);
  assert.ok(after.writer.recoveries >= 1);
  assert.equal((await fetch(`${server.url}/api/healthz`)).status, 200);
  assert.equal(join(dir, 'meshcore.db'), config.dbPath);
});

test('a backlogged writer: POST refuses up front with 503 + Retry-After, and accepts again once it drains', async (t) => {
  const dir = tempDir('meshlens-backlog-');
  // A long busy_timeout: the first attempt is still waiting (not degraded yet) while the queue grows.
  const config = testConfig(dir, {
    broker: { enabled: false },
    // No MQTT here: readiness is the store and the writer (a default source would never connect).
    mqttIngest: { readyRequiresSources: false },
    writer: { busyTimeoutMs: 4000, backlogOps: 100 },
  });
  const server = await start(config);
  t.after(() => server.stop());
  const lock = await holdWriteLock(config.dbPath);
  t.after(() => lock.child.kill());
  ingest(server, 0, 100);
  assert.equal(server.writer.backlogged(), true);
  const refused = await postFrame(server.url, API_KEY, distinctFrame(500));
  assert.equal(refused.status, 503);
  assert.equal(refused.body.code, 'MESHLENS_ERR_WRITER_BACKLOGGED');
  assert.match(refused.body.error, /writer is behind \(\d+ operations queued\)/);
  assert.equal(refused.retryAfter, '5');
  assert.equal((await health(server)).writer.rejectedWrites.post_writer_backlogged, 1);
  await lock.release();
  await until(() => !server.writer.backlogged(), { what: 'backlog drained' });
  assert.equal((await postFrame(server.url, API_KEY, distinctFrame(500))).status, 200);
  assert.equal(countRows(config.dbPath).transmissions, 101);
});

test('concurrent POSTs share commits (fewer transactions than POSTs); a lone POST answers in a few ms', async (t) => {
  const dir = tempDir('meshlens-coalesce-');
  const config = testConfig(dir, {
    broker: { enabled: false },
    // No MQTT here: readiness is the store and the writer (a default source would never connect).
    mqttIngest: { readyRequiresSources: false },
  });
  const server = await start(config);
  t.after(() => server.stop());
  const before = server.writer.stats().batchesPosted;
  const n = 400;
  const answers = await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const r = await postFrame(server.url, API_KEY, distinctFrame(i));
      return r.status === 200 ? 1 : (0 as number);
    }),
  );
  assert.equal(
    answers.reduce((a, b) => a + b, 0),
    n,
  );
  assert.equal(countRows(config.dbPath).transmissions, n);
  const batches = server.writer.stats().batchesPosted - before;
  // Adaptive group commit: while one commit runs the next batch fills (measured 1.8-3 POSTs per
  // transaction on an idle machine, 1.3 with CI's parallel load; one transaction per POST would
  // be 400 or more). How many share depends on the machine's load, so only sharing is asserted.
  assert.ok(batches < n, `${n} POSTs took ${batches} transactions`);
  // Sequential latency: a flush posts the batch at once (no wait for the 25 ms batch timer).
  const ms: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t0 = performance.now();
    assert.equal((await postFrame(server.url, API_KEY, distinctFrame(10_000 + i))).status, 200);
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  t.diagnostic(
    `concurrent: ${n} POSTs in ${batches} transactions; sequential POST p50 ${ms[15].toFixed(1)} ms`,
  );
  // The latency itself is a benchmark figure (timed assertions are flaky under CI's load); the
  // functional point is that a lone POST does not wait for the 25 ms batch timer every time.
  assert.ok(ms[0] < 25, `fastest sequential POST ${ms[0].toFixed(1)} ms`);
});
