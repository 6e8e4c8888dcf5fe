// Issue 13 #5: observers that never sent a valid packet are deleted (with their metrics) once
// first seen more than observerNoPacketHours ago; an observer with packets, with observations
// (a CoreScope database may have packet_count 0 there), or first seen recently is kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../../../src/store/sqlite/open.js';
import { migrate } from '../../../src/store/sqlite/migrate.js';
import { applyRetention } from '../../../src/store/sqlite/retention.js';
import { tempDir } from './helpers.js';

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();

test('observerNoPacketHours deletes packetless observers and their metrics, and nothing else', async (t) => {
  const tmp = tempDir();
  t.after(tmp.cleanup);
  const db = openDatabase(tmp.path('packetless.db'));
  migrate(db);
  const ins = db.prepare(
    'INSERT INTO observers (id, first_seen, last_seen, packet_count, last_packet_at) VALUES (?,?,?,?,?)',
  );
  ins.run('FAKE_OLD', iso(NOW - 7 * HOUR), iso(NOW - 1000), 0, null); // status only, still talking: goes
  ins.run('FAKE_NEW', iso(NOW - 5 * HOUR), iso(NOW - 5 * HOUR), 0, null); // younger than 6 h: stays
  ins.run('REAL', iso(NOW - 70 * HOUR), iso(NOW - HOUR), 12, iso(NOW - HOUR)); // packets: stays
  ins.run('IMPORTED', iso(NOW - 70 * HOUR), iso(NOW - HOUR), 0, null); // has an observation: stays
  const idx = db.prepare('SELECT rowid FROM observers WHERE id = ?').pluck().get('IMPORTED');
  db.prepare(
    "INSERT INTO transmissions (id, raw_hex, hash, first_seen) VALUES (1, '1200', 'aaaaaaaaaaaaaaaa', ?)",
  ).run(iso(NOW - HOUR));
  db.prepare('INSERT INTO observations (transmission_id, observer_idx, timestamp) VALUES (1, ?, ?)').run(
    idx,
    Math.floor((NOW - HOUR) / 1000),
  );
  const m = db.prepare('INSERT INTO observer_metrics (observer_id, timestamp, noise_floor) VALUES (?,?,?)');
  m.run('FAKE_OLD', iso(NOW - HOUR), -110);
  m.run('REAL', iso(NOW - HOUR), -100);

  const off = await applyRetention(db, { observerNoPacketHours: 0 }, { nowMs: NOW });
  assert.deepEqual([off.observersRemoved, off.removedObserverIds], [0, []]);
  const r = await applyRetention(db, { observerNoPacketHours: 6 }, { nowMs: NOW, chunk: 1 });
  assert.deepEqual([r.observersRemoved, r.removedObserverIds], [1, ['FAKE_OLD']]);
  assert.deepEqual(db.prepare('SELECT id FROM observers ORDER BY id').pluck().all(), [
    'FAKE_NEW',
    'IMPORTED',
    'REAL',
  ]);
  assert.deepEqual(db.prepare('SELECT observer_id FROM observer_metrics').pluck().all(), ['REAL']);
  db.close();
});
