import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { openDatabase } from '../../../src/store/sqlite/open.js';
import { migrate } from '../../../src/store/sqlite/migrate.js';
import { SqliteWriter } from '../../../src/store/sqlite/writer.js';
import { WalCheckpointer } from '../../../src/store/sqlite/checkpointer-thread.js';
import { tempDir, tx } from './helpers.js';

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
  const deadline = Date.now() + 5000;
  while (statSync(path).size <= sizeBefore && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 20));
  assert.ok(statSync(path).size > sizeBefore, 'database file grew from checkpoints');
  await cp.stop();
  await cp.stop();
  assert.ok(cp.stats.runs >= 1);
  assert.equal(cp.stats.errors, 0);
  w.close();
  db.close();
});
