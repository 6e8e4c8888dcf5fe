import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { migrate, openDatabase } from '../../src/store/sqlite/index.js';
import { StoreLoader, type LoadProgress } from '../../src/store/load/loader.js';
import { loadFixture } from '../support/fixture.js';

test('fixture: every table loads, hashes recomputed, progress reaches done', async () => {
  const seen: LoadProgress[] = [];
  const { store, result, loader } = await loadFixture({
    chunkSize: 64,
    onProgress: (p) => seen.push({ ...p }),
  });
  assert.deepEqual(result.counts, { observers: 31, nodes: 200, transmissions: 499, observations: 500 });
  assert.deepEqual(result.rejected, {});
  // fixtures/README.md caveat 2: 354/499 stored hashes are the correct content hash.
  assert.equal(result.rehashed, 145);
  assert.equal(store.txIdAt(store.txRowByHash('57c39fa4e9ec65a6')), 5);
  assert.equal(store.txRowByHash('0200331f69b5655c'), -1);
  assert.equal(store.transmissionCount, 499);
  assert.equal(store.observationCount, 500);
  // Phases in order, chunked (64 rows), rows counted up to the total.
  const phases = [...new Set(seen.map((p) => p.phase))];
  assert.deepEqual(phases, ['observers', 'nodes', 'transmissions', 'observations', 'compact', 'done']);
  assert.ok(seen.filter((p) => p.phase === 'observations').length >= 8);
  const last = seen[seen.length - 1];
  assert.equal(last.rowsTotal, 31 + 200 + 499 + 500);
  assert.equal(last.rowsLoaded, last.rowsTotal);
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i].rowsLoaded >= seen[i - 1].rowsLoaded);
  assert.deepEqual(loader.status(), {
    ready: true,
    loadedRows: 1230,
    progress: { phase: 'done', rowsLoaded: 1230, rowsTotal: 1230 },
  });
  assert.ok(result.maxChunkMs >= 0 && result.totalMs >= result.maxChunkMs);
});

test('rehash: false keeps the stored hash column', async () => {
  const { store, result } = await loadFixture({ rehash: false });
  assert.equal(result.rehashed, 0);
  assert.equal(store.txIdAt(store.txRowByHash('0200331f69b5655c')), 5);
});

test('the event loop runs between chunks: a timer fires during the load', async () => {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 0);
  let sawTickWhileLoading = false;
  await loadFixture({
    chunkSize: 20,
    onProgress: (p) => {
      if (p.phase === 'observations' && ticks > 0) sawTickWhileLoading = true;
    },
  });
  clearInterval(timer);
  assert.ok(sawTickWhileLoading);
});

test('bad rows are counted, not fatal: observation of a missing transmission, bad raw_hex', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshlens-loader-bad-'));
  try {
    const db = openDatabase(join(dir, 'x.db'));
    migrate(db);
    db.prepare(
      "INSERT INTO observers (id, name, iata, first_seen, last_seen) VALUES ('AA', 'o', 'sjc', ?, ?)",
    ).run('2026-05-17T10:00:00Z', '2026-05-17T10:00:00Z');
    const insTx = db.prepare(
      'INSERT INTO transmissions (id, raw_hex, hash, first_seen, route_type, payload_type) VALUES (?, ?, ?, ?, 1, 0)',
    );
    insTx.run(1, '0500AABB', 'aaaaaaaaaaaaaaaa', '2026-05-17T10:00:00Z');
    insTx.run(2, 'NOTHEX', 'bbbbbbbbbbbbbbbb', '2026-05-17T10:00:01Z');
    const insObs = db.prepare(
      "INSERT INTO observations (id, transmission_id, observer_idx, path_json, timestamp) VALUES (?, ?, 1, '[]', 1779012000)",
    );
    db.pragma('foreign_keys = OFF');
    insObs.run(1, 1);
    insObs.run(2, 2);
    insObs.run(3, 99);
    const store = new MemoryStore();
    const loader = new StoreLoader(db, store);
    const result = await loader.run();
    db.close();
    assert.deepEqual(result.counts, { observers: 1, nodes: 0, transmissions: 1, observations: 1 });
    assert.deepEqual(result.rejected, { STORE_ERR_BAD_ID: 1, STORE_ERR_UNKNOWN_TRANSMISSION: 2 });
    assert.equal(loader.status().ready, true);
    assert.equal(store.observer(store.observerRow('AA')).iata, 'SJC');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a failing database reports phase failed and rejects', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshlens-loader-fail-'));
  try {
    const db = openDatabase(join(dir, 'x.db'));
    migrate(db);
    db.exec('DROP VIEW IF EXISTS packets_v; DROP TABLE observations');
    const loader = new StoreLoader(db, new MemoryStore());
    await assert.rejects(loader.run(), /no such table: observations/);
    db.close();
    assert.equal(loader.status().ready, false);
    assert.equal(loader.status().progress.phase, 'failed');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
