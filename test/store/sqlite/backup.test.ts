import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../../../src/store/sqlite/open.js';
import { migrate } from '../../../src/store/sqlite/migrate.js';
import { SqliteWriter } from '../../../src/store/sqlite/writer.js';
import { backupTo } from '../../../src/store/sqlite/backup.js';
import { observationChunks, readCounts, readMaxIds } from '../../../src/store/sqlite/readers.js';
import { obs, tempDir, tx } from './helpers.js';
import { fixtureCopy } from '../../support/fixture.js';

test('backupTo writes a readable copy with the same rows, observer rowids included', (t) => {
  const tmp = tempDir();
  t.after(tmp.cleanup);
  const db = openDatabase(fixtureCopy(tmp));
  migrate(db);
  const w = new SqliteWriter(db);
  w.insertTransmission(tx(501, { hash: 'feedfeedfeedfeed' }));
  w.insertObservation(obs(501, 501, { observerId: 'CC'.repeat(32) }));
  // Leave a rowid gap among observers: VACUUM may renumber rowids of tables without an INTEGER
  // PRIMARY KEY, which would break observations.observer_idx.
  w.flush();
  assert.equal(db.prepare('DELETE FROM observers WHERE rowid = 7').run().changes, 1);
  const target = tmp.path('backups/meshlens-backup.db');
  const { ms } = backupTo(db, target);
  assert.ok(ms >= 0);
  const copy = openDatabase(target, { readonly: true });
  assert.deepEqual(readCounts(copy), readCounts(db));
  assert.deepEqual(readMaxIds(copy), { transmissionId: 501, observationId: 501 });
  assert.deepEqual(
    copy.prepare('SELECT rowid, id FROM observers ORDER BY rowid').all(),
    db.prepare('SELECT rowid, id FROM observers ORDER BY rowid').all(),
  );
  assert.deepEqual([...observationChunks(copy)].flat(), [...observationChunks(db)].flat());
  assert.equal(copy.pragma('integrity_check', { simple: true }), 'ok');
  copy.close();
  assert.throws(() => backupTo(db, target), /exists/);
  w.close();
  db.close();
});
