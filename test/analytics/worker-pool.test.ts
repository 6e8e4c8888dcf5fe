// The worker pool reads the owner's SharedArrayBuffers (no copy): a byte the main thread writes
// after the worker started is visible to the worker, chunks allocated later reach it as
// deltas, and a compute's result comes back as gzip bytes in a transferred ArrayBuffer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { WorkerPool, defaultPoolSize } from '../../src/analytics/engine/analytics-thread.js';
import type { ProbeResult, ResultBody } from '../../src/analytics/engine/analytics-protocol.js';
import { DEFAULT_QUERY } from '../../src/analytics/shared/query.js';
import { fixtureRecords, loadInto } from '../support/fixture.js';

const SMALL = { chunkRows: { tx: 64, obs: 64 } };

test('workers read the store through the same SharedArrayBuffers, including chunks added later', async () => {
  const records = fixtureRecords();
  const store = new MemoryStore(SMALL);
  for (const o of records.observers) store.upsertObserver(o);
  for (const n of records.nodes) store.upsertNode(n);
  const first = records.transmissions.slice(0, 10);
  for (const t of first) store.appendTransmission(t);
  const firstIds = new Set(first.map((t) => t.id));
  for (const o of records.observations) if (firstIds.has(o.transmissionId)) store.appendObservation(o);
  assert.ok(store.observationCount > 0 && store.observationCount < 63);
  const pool = new WorkerPool(store, { size: 2, niceness: 0 });
  try {
    // Row 63 of chunk 0 is not written yet; poke a byte there from the main thread.
    const obs0 = store.obs.chunks[0];
    assert.ok(obs0 instanceof SharedArrayBuffer);
    const at = obs0.byteLength - 1;
    new Uint8Array(obs0)[at] = 0xa5;
    for (let w = 0; w < 2; w++) {
      const p = (await pool.run({ kind: 'probe', table: 'obs', chunk: 0, byteOffset: at }, w)) as ProbeResult;
      assert.equal(p.value, 0xa5, `worker ${w} sees the main thread's write`);
      assert.equal(p.shared, true);
    }
    new Uint8Array(obs0)[at] = 0x5a;
    const again = (await pool.run({ kind: 'probe', table: 'obs', chunk: 0, byteOffset: at })) as ProbeResult;
    assert.equal(again.value, 0x5a);

    // Load the rest: new tx and obs chunks are allocated after the workers started.
    const rest = {
      observers: [],
      nodes: [],
      transmissions: records.transmissions.slice(10),
      observations: records.observations.filter((o) => !firstIds.has(o.transmissionId)),
    };
    loadInto(store, rest);
    assert.ok(store.obs.chunks.length >= 8);
    const last = store.obs.chunks.length - 1;
    new Uint8Array(store.obs.chunks[last])[5] = 0x77;
    const probe = (await pool.run({
      kind: 'probe',
      table: 'obs',
      chunk: last,
      byteOffset: 5,
    })) as ProbeResult;
    assert.equal(probe.value, 0x77);
    // The worker maps exactly the store's shared memory: same byte count, nothing extra copied.
    assert.equal(probe.viewBytes, store.memory().sharedBytes);

    const r = (await pool.run({
      kind: 'analytic',
      name: 'rf',
      query: DEFAULT_QUERY,
      nowMs: Date.now(),
    })) as ResultBody;
    assert.ok(r.gzip instanceof ArrayBuffer && !(r.gzip instanceof SharedArrayBuffer));
    const body = JSON.parse(gunzipSync(Buffer.from(r.gzip)).toString()) as { totalTransmissions: number };
    assert.equal(
      body.totalTransmissions,
      499,
      'the compute saw every row appended after the workers started',
    );
    assert.equal(r.counts.obs, 500);
    assert.equal(r.jsonBytes, gunzipSync(Buffer.from(r.gzip)).length);
    const s = pool.stats();
    assert.equal(s.size, 2);
    assert.equal(s.completed, 5);
    assert.equal(s.failed, 0);
  } finally {
    await pool.close();
    await pool.close();
  }
});

test('a failing task rejects without killing the pool; a closed pool rejects new work', async () => {
  const store = new MemoryStore();
  const pool = new WorkerPool(store, { size: 1, niceness: 0 });
  await assert.rejects(
    pool.run({ kind: 'analytic', name: 'no-such' as 'rf', query: DEFAULT_QUERY, nowMs: 0 }),
    /unknown analytic no-such/,
  );
  const ok = (await pool.run({
    kind: 'analytic',
    name: 'roles',
    query: DEFAULT_QUERY,
    nowMs: 0,
  })) as ResultBody;
  const roles = JSON.parse(gunzipSync(Buffer.from(ok.gzip)).toString()) as {
    totalNodes: number;
    roles: unknown[];
  };
  assert.equal(roles.totalNodes, 0);
  assert.deepEqual(roles.roles, []);
  assert.equal(pool.stats().failed, 1);
  await pool.close();
  await assert.rejects(pool.run({ kind: 'probe', table: 'tx', chunk: 0, byteOffset: 0 }), /closed/);
});

test('default pool size leaves a core for the event loop', () => {
  const n = defaultPoolSize();
  assert.ok(n >= 1 && n <= 2);
});

test('a recompute round shares one snapshot: each default-query analytic reuses it once, then a new one is taken', async () => {
  const records = fixtureRecords();
  const store = new MemoryStore(SMALL);
  const half = Math.floor(records.transmissions.length / 2);
  const firstIds = new Set(records.transmissions.slice(0, half).map((t) => t.id));
  loadInto(store, {
    observers: records.observers,
    nodes: records.nodes,
    transmissions: records.transmissions.slice(0, half),
    observations: records.observations.filter((o) => firstIds.has(o.transmissionId)),
  });
  const pool = new WorkerPool(store, { size: 1, niceness: 0 });
  const run = async (name: 'rf' | 'channels', niceness?: number) =>
    (await pool.run({
      kind: 'analytic',
      name,
      query: DEFAULT_QUERY,
      nowMs: Date.now(),
      reuseMs: 60_000,
      niceness,
    })) as ResultBody;
  const rfTotal = (r: ResultBody) =>
    (JSON.parse(gunzipSync(Buffer.from(r.gzip)).toString()) as { totalTransmissions: number })
      .totalTransmissions;
  try {
    const a = await run('rf');
    assert.equal(rfTotal(a), half);
    // New data arrives; channels has not used this snapshot yet, so it reuses it (same round).
    loadInto(store, {
      observers: [],
      nodes: [],
      transmissions: records.transmissions.slice(half),
      observations: records.observations.filter((o) => !firstIds.has(o.transmissionId)),
    });
    const b = await run('channels', 0);
    assert.equal(b.computedAtMs, a.computedAtMs);
    assert.equal(b.dataVersion, a.dataVersion);
    // rf comes round again: it already used that snapshot, so it gets a new one with all rows.
    const c = await run('rf');
    assert.ok(c.dataVersion > a.dataVersion);
    assert.equal(rfTotal(c), records.transmissions.length);
    // Nothing changed since: a repeat reuses the snapshot whoever asks.
    const d = await run('rf');
    assert.equal(d.computedAtMs, c.computedAtMs);
  } finally {
    await pool.close();
  }
});
