// Issue 13: transient write failures keep the batch queued and retry it (exactly once committed);
// only an operation's own permanent error skips that operation. SqliteWriter on a real file, a
// second connection of the test holding the write lock; and the writer thread's backlog signal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { openDatabase } from '../../../src/store/sqlite/open.js';
import { migrate } from '../../../src/store/sqlite/migrate.js';
import {
  isPermanentOpError,
  retryDelayMs,
  SqliteWriter,
  TransientWriteError,
} from '../../../src/store/sqlite/writer.js';
import { SqliteWriterThread, type WriterPressure } from '../../../src/store/sqlite/writer-thread.js';
import { readCounts } from '../../../src/store/sqlite/readers.js';
import { until } from '../../support/until.js';
import { obs, tempDir, tx } from './helpers.js';

test('backoff: 50 ms doubling, capped at 5 s', () => {
  assert.deepEqual(
    [1, 2, 3, 4, 5, 6, 7, 8, 20, 1000].map(retryDelayMs),
    [50, 100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000],
  );
});

test('error classes: data errors skip one operation; database conditions retry the batch', () => {
  const e = (code: string) => Object.assign(new Error(code), { code });
  for (const code of ['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT', 'SQLITE_MISMATCH', 'SQLITE_TOOBIG'])
    assert.equal(isPermanentOpError(e(code)), true, code);
  assert.equal(isPermanentOpError(new TypeError('bad binding')), true);
  for (const code of ['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_FULL', 'SQLITE_IOERR_WRITE', 'SQLITE_CANTOPEN'])
    assert.equal(isPermanentOpError(e(code)), false, code);
});

test('a batch failing on a lock stays queued, is reported degraded, and commits exactly once after', (t) => {
  const tmp = tempDir();
  const path = tmp.path('w.db');
  const setupDb = openDatabase(path);
  migrate(setupDb);
  setupDb.close();
  const db = openDatabase(path, { busyTimeoutMs: 20 });
  const logs: string[] = [];
  const w = new SqliteWriter(db, { log: (m) => logs.push(m), flushIntervalMs: 3_600_000 });
  const other = new Database(path, { timeout: 1000 });
  t.after(() => {
    w.close();
    db.close();
    other.close();
    tmp.cleanup();
  });
  other.exec('BEGIN IMMEDIATE');
  for (let i = 1; i <= 50; i++) {
    w.insertTransmission(tx(i));
    w.insertObservation(obs(i, i));
  }
  for (let attempt = 1; attempt <= 3; attempt++) {
    assert.throws(
      () => w.flush(),
      (err: unknown) => err instanceof TransientWriteError && err.code === 'SQLITE_BUSY',
    );
    const s = w.getStats();
    assert.equal(s.pendingOps, 100, 'nothing dropped');
    assert.equal(s.degraded?.code, 'SQLITE_BUSY');
    assert.equal(s.degraded?.retries, attempt);
    assert.equal(s.skippedOps, 0);
  }
  assert.equal(
    logs.filter((m) => /transaction failed \(SQLITE_BUSY\)/.test(m)).length,
    1,
    'logged once per streak',
  );
  other.exec('ROLLBACK');
  w.flush();
  const s = w.getStats();
  assert.equal(s.pendingOps, 0);
  assert.equal(s.degraded, null);
  assert.equal(s.recoveries, 1);
  assert.equal(s.retriesTotal, 3);
  assert.equal(s.opsWritten, 100);
  assert.equal(s.skippedOps, 0);
  const counts = readCounts(db);
  assert.equal(counts.transmissions, 50);
  assert.equal(counts.observations, 50);
  assert.ok(logs.some((m) => /recovered after 3 failed attempts/.test(m)));
});

test('the writer thread: a locked database turns backlogged and degraded, then both clear by themselves', async (t) => {
  const tmp = tempDir();
  const path = tmp.path('t.db');
  const setupDb = openDatabase(path);
  migrate(setupDb);
  setupDb.close();
  const logs: string[] = [];
  const w = new SqliteWriterThread(path, { busyTimeoutMs: 30, backlogOps: 100, log: (m) => logs.push(m) });
  const other = new Database(path, { timeout: 1000 });
  t.after(async () => {
    await w.close();
    other.close();
    tmp.cleanup();
  });
  await w.ready();
  const seen: WriterPressure[] = [];
  w.onPressure((p) => seen.push(p));
  other.exec('BEGIN IMMEDIATE');
  for (let i = 1; i <= 60; i++) {
    w.insertTransmission(tx(i));
    w.insertObservation(obs(i, i));
  }
  assert.equal(w.backlogged(), true, '120 ops queued >= backlogOps 100');
  await until(() => (w.degraded()?.retries ?? 0) >= 2, { what: 'degraded' });
  assert.equal(w.degraded()?.code, 'SQLITE_BUSY');
  const s = w.stats();
  assert.equal(s.degradedReason, 'SQLITE_BUSY');
  assert.equal(s.backlogged, true);
  other.exec('ROLLBACK');
  await w.flush();
  assert.equal(w.backlogged(), false);
  assert.equal(w.degraded(), null);
  assert.ok(seen.some((p) => p.backlogged));
  assert.ok(seen.some((p) => p.degraded?.code === 'SQLITE_BUSY'));
  assert.deepEqual(seen.at(-1), { backlogged: false, degraded: null });
  const after = w.stats();
  assert.equal(after.opsWritten, 120);
  assert.equal(after.skippedOps, 0);
  assert.equal(after.backlogEvents, 1);
  const check = new Database(path, { readonly: true });
  assert.equal((check.prepare('SELECT count(*) AS n FROM observations').get() as { n: number }).n, 60);
  check.close();
});
