import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { openDatabase } from '../../../src/store/sqlite/open.js';
import { migrate } from '../../../src/store/sqlite/migrate.js';
import { SqliteWriter } from '../../../src/store/sqlite/writer.js';
import { WalCheckpointer } from '../../../src/store/sqlite/checkpointer-thread.js';
import { tempDir, tx } from './helpers.js';
import { until } from '../../support/until.js';

test('the checkpoint thread moves WAL frames into the database file', async (t) => {
  const tmp = tempDir();
  t.after(tmp.cleanup);
  const path = tmp.path('c.db');
  const db = openDatabase(path);
  migrate(db);
  const cp = new WalCheckpointer(db, 20);
  assert.equal(db.pragma('wal_autocheckpoint', { simple: true }), 0);
  const w = new SqliteWriter(db);
  const sizeBefore = statSync(path).size;
  for (let i = 1; i <= 3000; i++) w.insertTransmission(tx(i));
  w.flush();
  await until(() => statSync(path).size > sizeBefore, {
    what: 'a checkpoint',
    timeoutMs: 5000,
    intervalMs: 20,
  });
  assert.ok(statSync(path).size > sizeBefore, 'database file grew from checkpoints');
  await cp.stop();
  await cp.stop();
  assert.ok(cp.stats.runs >= 1);
  assert.equal(cp.stats.errors, 0);
  w.close();
  db.close();
});
