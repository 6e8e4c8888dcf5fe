import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { openDatabase } from '../../../src/store/sqlite/open.js';
import { migrate } from '../../../src/store/sqlite/migrate.js';
import { readCounts, readMaxIds } from '../../../src/store/sqlite/readers.js';
import { TABLES } from '../../../src/store/sqlite/schema.js';
import type { Db } from '../../../src/store/sqlite/open.js';
import { tempDir } from './helpers.js';
import { fixtureCopy } from '../../support/fixture.js';

const columns = (db: Db, table: string): string[] =>
  (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((r) => r.name);
const names = (db: Db, type: string): string[] =>
  (
    db.prepare('SELECT name FROM sqlite_master WHERE type = ? ORDER BY name').all(type) as { name: string }[]
  ).map((r) => r.name);

test('a missing file (and directory) gets the full current schema in WAL mode', (t) => {
  const tmp = tempDir();
  t.after(tmp.cleanup);
  const path = tmp.path('nested/dir/meshlens.db');
  const db = openDatabase(path);
  const report = migrate(db);
  assert.ok(existsSync(path));
  assert.equal(report.createdTables.length, TABLES.length);
  assert.deepEqual(report.addedColumns, []);
  assert.equal(report.observationDedupUnique, true);
  for (const table of TABLES)
    assert.deepEqual(
      columns(db, table.name),
      table.columns.map((c) => c.name),
    );
  assert.deepEqual(names(db, 'view'), ['packets_v']);
  assert.ok(names(db, 'index').includes('idx_observations_dedup'));
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(db.pragma('synchronous', { simple: true }), 1);
  assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
  assert.equal(db.pragma('auto_vacuum', { simple: true }), 2);
  assert.deepEqual(readMaxIds(db), { transmissionId: 0, observationId: 0 });
  db.close();
});

test('the CoreScope fixture migrates without losing a row, idempotently, and re-opens', (t) => {
  const tmp = tempDir();
  t.after(tmp.cleanup);
  const path = fixtureCopy(tmp);
  const before = openDatabase(path, { readonly: true });
  const oldColumns = Object.fromEntries(TABLES.map((tb) => [tb.name, columns(before, tb.name)]));
  const observationsBefore = before.prepare('SELECT * FROM observations ORDER BY id').all();
  const observerRowids = before.prepare('SELECT rowid, id FROM observers ORDER BY rowid').all();
  before.close();

  const db = openDatabase(path);
  const first = migrate(db);
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  assert.deepEqual(readCounts(db), { transmissions: 499, observations: 500, nodes: 200, observers: 31 });
  assert.deepEqual(first.createdTables.sort(), [
    '_async_migrations',
    '_migrations',
    'client_observers',
    'client_receptions',
    'dropped_packets',
    'inactive_nodes',
    'observer_metrics',
  ]);
  for (const c of [
    'transmissions.last_seen',
    'transmissions.scope_name',
    'transmissions.ml_last_seen_ms',
    'observations.raw_hex',
    'observations.ml_rx_ms',
    'observations.ml_uploader_ms',
    'nodes.multibyte_sup',
    'observers.can_relay',
  ]) {
    assert.ok(first.addedColumns.includes(c), c);
  }
  // Old columns keep their position and values; new ones are appended.
  for (const tb of TABLES) {
    const now = columns(db, tb.name);
    assert.deepEqual(now.slice(0, oldColumns[tb.name].length), oldColumns[tb.name]);
    assert.deepEqual(now.sort(), tb.columns.map((c) => c.name).sort(), tb.name);
  }
  // The duplicate observation of transmission 85 keeps the dedup index non-unique, and is kept.
  assert.equal(first.observationDedupUnique, false);
  assert.equal(first.duplicateObservations, 1);
  assert.equal(
    (db.prepare('SELECT count(*) AS n FROM observations WHERE transmission_id = 85').get() as { n: number })
      .n,
    2,
  );
  const oldObsColumns = oldColumns.observations.join(', ');
  assert.deepEqual(
    db.prepare(`SELECT ${oldObsColumns} FROM observations ORDER BY id`).all(),
    observationsBefore,
  );
  assert.deepEqual(db.prepare('SELECT rowid, id FROM observers ORDER BY rowid').all(), observerRowids);
  // last_seen backfilled from the observations (epoch seconds), as CoreScope does.
  assert.equal(
    (db.prepare('SELECT count(*) AS n FROM transmissions WHERE last_seen = 0').get() as { n: number }).n,
    0,
  );
  assert.equal(
    (db.prepare('SELECT last_seen FROM transmissions WHERE id = 1').get() as { last_seen: number }).last_seen,
    1779041349,
  );
  assert.equal((db.prepare('SELECT count(*) AS n FROM packets_v').get() as { n: number }).n, 500);

  const second = migrate(db);
  assert.deepEqual(second, { ...first, createdTables: [], addedColumns: [], applied: [] });
  db.close();

  const reopened = openDatabase(path);
  const third = migrate(reopened);
  assert.deepEqual(third.applied, []);
  assert.deepEqual(readCounts(reopened), {
    transmissions: 499,
    observations: 500,
    nodes: 200,
    observers: 31,
  });
  assert.deepEqual(readMaxIds(reopened), { transmissionId: 500, observationId: 500 });
  assert.deepEqual(
    (reopened.prepare('SELECT name FROM _migrations ORDER BY name').all() as { name: string }[]).map(
      (r) => r.name,
    ),
    ['meshlens_schema_v1', 'transmissions_last_seen_backfill_v1'],
  );
  reopened.close();
});

test('the dedup index becomes UNIQUE once the duplicate is gone', (t) => {
  const tmp = tempDir();
  t.after(tmp.cleanup);
  const db = openDatabase(fixtureCopy(tmp));
  migrate(db);
  db.prepare('DELETE FROM observations WHERE id = 294').run();
  const report = migrate(db);
  assert.equal(report.observationDedupUnique, true);
  assert.equal(report.duplicateObservations, 0);
  assert.throws(
    () =>
      db
        .prepare(
          'INSERT INTO observations (transmission_id, observer_idx, path_json, timestamp) SELECT transmission_id, observer_idx, path_json, timestamp FROM observations WHERE id = 85',
        )
        .run(),
    /UNIQUE/,
  );
  db.close();
});

test('read-only open refuses writes and a missing file', (t) => {
  const tmp = tempDir();
  t.after(tmp.cleanup);
  const ro = openDatabase(fixtureCopy(tmp), { readonly: true });
  assert.equal(readCounts(ro).transmissions, 499);
  assert.throws(() => ro.prepare('DELETE FROM nodes').run(), /readonly/);
  ro.close();
  assert.throws(() => openDatabase(tmp.path('absent.db'), { readonly: true }));
});
