import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../../../src/store/sqlite/open.js';
import { migrate } from '../../../src/store/sqlite/migrate.js';
import { SqliteWriter } from '../../../src/store/sqlite/writer.js';
import { applyRetention } from '../../../src/store/sqlite/retention.js';
import { readCounts } from '../../../src/store/sqlite/readers.js';
import { obs, tempDir, tx } from './helpers.js';
import { fixtureCopy } from '../../support/fixture.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);

test('packet retention deletes exactly the transmissions older than the cutoff, observations first', async (t) => {
  const tmp = tempDir();
  t.after(tmp.cleanup);
  const db = openDatabase(tmp.path('r.db'));
  migrate(db);
  const w = new SqliteWriter(db);
  const cutoff = NOW - 7 * DAY;
  // Around the cutoff: 1 ms before, exactly at, 1 ms after; plus old and new rows.
  const times = [cutoff - 30 * DAY, cutoff - 1, cutoff, cutoff + 1, NOW];
  times.forEach((ms, i) => {
    w.insertTransmission(tx(i + 1, { firstSeenMs: ms, lastSeenMs: ms }));
    w.insertObservation(obs(2 * i + 1, i + 1, { rxMs: ms }));
    w.insertObservation(obs(2 * i + 2, i + 1, { rxMs: ms, path: [] }));
  });
  w.close();
  // A CoreScope-written row without milliseconds in the same second as the cutoff, and one in
  // SQLite datetime format: formats that do not compare lexically with ours.
  db.prepare('UPDATE transmissions SET first_seen = ? WHERE id = 2').run(
    new Date(cutoff - 1000).toISOString().replace('.000Z', 'Z'),
  );
  db.prepare('UPDATE transmissions SET first_seen = ? WHERE id = 4').run(
    new Date(cutoff + 1000).toISOString().slice(0, 19).replace('T', ' '),
  );

  const off = await applyRetention(db, { packetDays: 0 }, { nowMs: NOW });
  assert.equal(off.transmissions, 0);

  const r = await applyRetention(db, { packetDays: 7 }, { nowMs: NOW, chunk: 1 });
  assert.deepEqual(r.transmissionIds, [1, 2]);
  assert.equal(r.transmissions, 2);
  assert.equal(r.observations, 4);
  assert.deepEqual(
    (db.prepare('SELECT id FROM transmissions ORDER BY id').all() as { id: number }[]).map((x) => x.id),
    [3, 4, 5],
  );
  assert.deepEqual(
    (
      db.prepare('SELECT DISTINCT transmission_id AS id FROM observations ORDER BY 1').all() as {
        id: number;
      }[]
    ).map((x) => x.id),
    [3, 4, 5],
  );
  const again = await applyRetention(db, { packetDays: 7 }, { nowMs: NOW });
  assert.equal(again.transmissions, 0);
  db.close();
});

test('retention on the fixture deletes nothing at its own time and everything a year later', async (t) => {
  const tmp = tempDir();
  t.after(tmp.cleanup);
  const db = openDatabase(fixtureCopy(tmp));
  migrate(db);
  const atCapture = await applyRetention(db, { packetDays: 1 }, { nowMs: Date.UTC(2026, 4, 18, 12) });
  assert.equal(atCapture.transmissions, 0);
  // 2026-05-17 16:05:57 to 18:13:27: a cutoff at 17:00 splits them.
  const split = await applyRetention(db, { packetDays: 1 }, { nowMs: Date.UTC(2026, 4, 18, 17) });
  const left = readCounts(db);
  assert.equal(split.transmissions + left.transmissions, 499);
  assert.ok(split.transmissions > 0 && left.transmissions > 0);
  const oldest = db.prepare('SELECT MIN(first_seen) AS f FROM transmissions').get() as { f: string };
  assert.ok(Date.parse(oldest.f) >= Date.UTC(2026, 4, 17, 17));
  await applyRetention(db, { packetDays: 1 }, { nowMs: Date.UTC(2027, 4, 18) });
  assert.deepEqual(readCounts(db), { transmissions: 0, observations: 0, nodes: 200, observers: 31 });
  db.close();
});

test('metrics retention removes old observer_metrics and dropped_packets rows only', async (t) => {
  const tmp = tempDir();
  t.after(tmp.cleanup);
  const db = openDatabase(tmp.path('m.db'));
  migrate(db);
  const w = new SqliteWriter(db, { metricsBucketMs: 1000 });
  for (const age of [40, 31, 29, 1]) {
    const at = NOW - age * DAY;
    w.insertObserverMetrics({
      observerId: 'AA',
      atMs: at,
      noiseFloor: -100 - age,
      txAirSecs: null,
      rxAirSecs: null,
      recvErrors: null,
      batteryMv: null,
      packetsSent: null,
      packetsRecv: null,
    });
    w.recordDroppedPacket({
      reason: `age${age}`,
      hash: null,
      rawHex: null,
      observerId: null,
      observerName: null,
      nodePubkey: null,
      nodeName: null,
      droppedAtMs: at,
    });
  }
  w.close();
  // A CoreScope-written dropped row (no ml_dropped_at_ms; default CURRENT_TIMESTAMP format).
  db.prepare(
    "INSERT INTO dropped_packets (reason, dropped_at) VALUES ('legacy', '2026-01-01 00:00:00')",
  ).run();
  const r = await applyRetention(db, { metricsDays: 30 }, { nowMs: NOW });
  assert.equal(r.observerMetrics, 2);
  assert.equal(r.droppedPackets, 3);
  assert.deepEqual(
    (
      db.prepare('SELECT noise_floor FROM observer_metrics ORDER BY timestamp').all() as {
        noise_floor: number;
      }[]
    ).map((x) => x.noise_floor),
    [-129, -101],
  );
  assert.deepEqual(
    (db.prepare('SELECT reason FROM dropped_packets ORDER BY id').all() as { reason: string }[]).map(
      (x) => x.reason,
    ),
    ['age29', 'age1'],
  );
  db.close();
});
