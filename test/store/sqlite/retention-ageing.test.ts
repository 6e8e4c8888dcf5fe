// Node and observer ageing, client RX retention (spec ingest-store-api §1.10) and the geo-filter
// prune's node deletion, on hand-built rows in a migrated database. Times are written in
// CoreScope's mixed formats (RFC3339 with and without ms, SQLite datetime) around the cutoff.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../../../src/store/sqlite/open.js';
import { migrate } from '../../../src/store/sqlite/migrate.js';
import { applyRetention, deleteNodes } from '../../../src/store/sqlite/retention.js';
import { RetentionScheduler } from '../../../src/store/retention-scheduler.js';
import { tempDir } from './helpers.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();
const key = (n: number) => n.toString(16).padStart(64, '0');

function setup(t: { after(fn: () => void): void }) {
  const tmp = tempDir();
  t.after(tmp.cleanup);
  const db = openDatabase(tmp.path('age.db'));
  migrate(db);
  return db;
}

test('nodes not seen for nodeDays move to inactive_nodes with every column; newer and undated stay', async (t) => {
  const db = setup(t);
  const cutoff = NOW - 7 * DAY;
  const ins = db.prepare(
    'INSERT INTO nodes (public_key, name, role, lat, lon, last_seen, first_seen, advert_count, battery_mv, default_scope) VALUES (?,?,?,?,?,?,?,?,?,?)',
  );
  ins.run(
    key(1),
    'old',
    'repeater',
    37.1,
    -122.1,
    iso(cutoff - 30 * DAY),
    iso(cutoff - 60 * DAY),
    9,
    3900,
    'sf',
  );
  ins.run(
    key(2),
    'just-old',
    'companion',
    null,
    null,
    iso(cutoff - 1000).replace('.000Z', 'Z'),
    null,
    1,
    null,
    null,
  );
  ins.run(key(3), 'at-cutoff', 'room', 1, 2, iso(cutoff), null, 1, null, null);
  ins.run(
    key(4),
    'new',
    'repeater',
    1,
    2,
    new Date(NOW).toISOString().slice(0, 19).replace('T', ' '),
    null,
    1,
    null,
    null,
  );
  ins.run(key(5), 'undated', 'sensor', 1, 2, null, null, 0, null, null);

  const r = await applyRetention(db, { nodeDays: 7 }, { nowMs: NOW });
  assert.equal(r.nodesAged, 2);
  const left = db.prepare('SELECT name FROM nodes ORDER BY name').pluck().all();
  assert.deepEqual(left, ['at-cutoff', 'new', 'undated']);
  const moved = db.prepare('SELECT * FROM inactive_nodes ORDER BY name').all() as Array<
    Record<string, unknown>
  >;
  assert.deepEqual(
    moved.map((m) => [m.name, m.role, m.lat, m.advert_count, m.battery_mv, m.default_scope]),
    [
      ['just-old', 'companion', null, 1, null, null],
      ['old', 'repeater', 37.1, 9, 3900, 'sf'],
    ],
  );
  // Idempotent; nodeDays 0 is off.
  assert.equal((await applyRetention(db, { nodeDays: 7 }, { nowMs: NOW })).nodesAged, 0);
  assert.equal((await applyRetention(db, { nodeDays: 0 }, { nowMs: NOW + 365 * DAY })).nodesAged, 0);
});

test('observers not seen for observerDays get inactive = 1 and lose their metrics; -1 never ages', async (t) => {
  const db = setup(t);
  const cutoff = NOW - 14 * DAY;
  const ins = db.prepare('INSERT INTO observers (id, name, last_seen) VALUES (?,?,?)');
  ins.run('OBS_OLD', 'old', iso(cutoff - DAY));
  ins.run('OBS_NEW', 'new', iso(cutoff + DAY));
  const m = db.prepare('INSERT INTO observer_metrics (observer_id, timestamp, noise_floor) VALUES (?,?,?)');
  m.run('OBS_OLD', iso(NOW - DAY), -110);
  m.run('OBS_OLD', iso(NOW - 2 * DAY), -111);
  m.run('OBS_NEW', iso(NOW - DAY), -100);

  assert.deepEqual(
    await applyRetention(db, { observerDays: -1 }, { nowMs: NOW }).then((r) => r.observersAged),
    0,
  );
  const r = await applyRetention(db, { observerDays: 14 }, { nowMs: NOW });
  assert.equal(r.observersAged, 1);
  assert.equal(r.agedObserverMetrics, 2);
  assert.deepEqual(db.prepare('SELECT id, inactive FROM observers ORDER BY id').all(), [
    { id: 'OBS_NEW', inactive: 0 },
    { id: 'OBS_OLD', inactive: 1 },
  ]);
  assert.deepEqual(db.prepare('SELECT observer_id FROM observer_metrics').pluck().all(), ['OBS_NEW']);
  // An observer already inactive is not counted again.
  assert.equal((await applyRetention(db, { observerDays: 14 }, { nowMs: NOW })).observersAged, 0);
});

test('client_receptions older than clientRxDays are deleted by rx_at; 0 is off', async (t) => {
  const db = setup(t);
  const ins = db.prepare(
    'INSERT INTO client_receptions (rx_pubkey, heard_key, lat, lon, rx_at) VALUES (?,?,?,?,?)',
  );
  ins.run('a', 'h1', 1, 2, iso(NOW - 10 * DAY));
  ins.run('a', 'h2', 1, 2, iso(NOW - 2 * DAY));
  ins.run('a', 'h3', 1, 2, null);
  assert.equal((await applyRetention(db, { clientRxDays: 0 }, { nowMs: NOW })).clientReceptions, 0);
  assert.equal((await applyRetention(db, { clientRxDays: 3 }, { nowMs: NOW })).clientReceptions, 1);
  assert.deepEqual(db.prepare('SELECT heard_key FROM client_receptions ORDER BY 1').pluck().all(), [
    'h2',
    'h3',
  ]);
});

test('deleteNodes removes the given keys (any case) from nodes and inactive_nodes only', async (t) => {
  const db = setup(t);
  for (const n of [1, 2, 3])
    db.prepare('INSERT INTO nodes (public_key, name) VALUES (?, ?)').run(key(n), `n${n}`);
  db.prepare('INSERT INTO inactive_nodes (public_key, name) VALUES (?, ?)').run(key(2), 'n2-old');
  const r = await deleteNodes(db, [key(2).toUpperCase(), key(3), key(9)]);
  assert.deepEqual(r, { nodes: 2, inactiveNodes: 1 });
  assert.deepEqual(db.prepare('SELECT name FROM nodes').pluck().all(), ['n1']);
});

test('the scheduler is on when only node or observer ageing is configured', () => {
  const run = async () => {
    throw new Error('not run');
  };
  assert.equal(new RetentionScheduler({ config: { nodeDays: 7 }, run }).stats().enabled, true);
  assert.equal(new RetentionScheduler({ config: { observerDays: 14 }, run }).stats().enabled, true);
  assert.equal(new RetentionScheduler({ config: { clientRxDays: 1 }, run }).stats().enabled, true);
  assert.equal(
    new RetentionScheduler({
      config: { nodeDays: 0, observerDays: -1, packetDays: 0, metricsDays: 0 },
      run,
    }).stats().enabled,
    false,
  );
});
