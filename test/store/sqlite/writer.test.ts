import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase, type Db } from '../../../src/store/sqlite/open.js';
import { migrate } from '../../../src/store/sqlite/migrate.js';
import { SqliteWriter } from '../../../src/store/sqlite/writer.js';
import {
  newReadStats,
  nodeChunks,
  observationChunks,
  observerChunks,
  readMaxIds,
  transmissionChunks,
} from '../../../src/store/sqlite/readers.js';
import type { NodeUpsert } from '../../../src/store/records.js';
import { OBSERVER_A, OBSERVER_B, obs, tempDir, tx, type TempDir } from './helpers.js';

function setup(
  t: { after(fn: () => void): void },
  options = {},
): { db: Db; w: SqliteWriter; tmp: TempDir; logs: string[] } {
  const tmp = tempDir();
  const db = openDatabase(tmp.path('w.db'));
  migrate(db);
  const logs: string[] = [];
  const w = new SqliteWriter(db, { log: (m) => logs.push(m), ...options });
  t.after(() => {
    w.close();
    db.close();
    tmp.cleanup();
  });
  return { db, w, tmp, logs };
}

const seen = (ms: number) => ({ id: OBSERVER_A, name: 'Obs A', iata: 'sjc', seenMs: ms });

test('transmissions and observations round-trip exactly, ms times and nulls included', (t) => {
  const { db, w } = setup(t);
  w.upsertObserverFromPacket(seen(1_779_000_000_000));
  w.upsertObserverFromPacket({ ...seen(1_779_000_000_500), id: OBSERVER_B.toLowerCase() });
  const txs = [
    tx(1),
    tx(2, { fromPubkey: 'ab'.repeat(32), channelHash: null, scopeName: '', payloadType: 4 }),
    tx(3, { scopeName: '#sf', decodedJson: '{"type":"TRACE"}' }),
  ];
  const observations = [
    obs(1, 1),
    obs(2, 1, {
      observerId: OBSERVER_B,
      path: [],
      snr: null,
      rssi: null,
      score: null,
      direction: null,
      uploaderMs: null,
    }),
    obs(3, 2, { path: ['C0FFEE'] }),
    obs(4, 3),
  ];
  for (const r of txs) w.insertTransmission(r);
  for (const r of observations) w.insertObservation(r);
  w.flush();
  const stats = newReadStats();
  assert.deepEqual([...transmissionChunks(db, { chunkSize: 2, stats })], [txs.slice(0, 2), txs.slice(2)]);
  assert.deepEqual(
    [...observationChunks(db, { chunkSize: 3, stats })],
    [observations.slice(0, 3), observations.slice(3)],
  );
  assert.deepEqual(stats, { badPathJson: 0, badTimes: 0, unknownObserver: 0 });
  assert.deepEqual(readMaxIds(db), { transmissionId: 3, observationId: 4 });
  // CoreScope's own columns carry CoreScope's formats.
  assert.deepEqual(db.prepare('SELECT first_seen, last_seen FROM transmissions WHERE id = 1').get(), {
    first_seen: '2026-05-17T06:40:01.123Z',
    last_seen: 1779000001,
  });
  assert.deepEqual(
    db.prepare('SELECT timestamp, path_json, observer_idx FROM observations WHERE id = 3').get(),
    {
      timestamp: 1779000000,
      path_json: '["C0FFEE"]',
      observer_idx: 1,
    },
  );
  assert.equal(w.getStats().writeErrors, 0);
  assert.equal(w.getStats().rowsWritten, 9);
});

test('last_seen only rises, first_seen only falls', (t) => {
  const { db, w } = setup(t);
  w.insertTransmission(tx(1));
  const base = tx(1);
  w.raiseTransmissionLastSeen(1, base.lastSeenMs - 10);
  w.raiseTransmissionLastSeen(1, base.lastSeenMs + 2500);
  w.lowerTransmissionFirstSeen(1, base.firstSeenMs + 10);
  w.lowerTransmissionFirstSeen(1, base.firstSeenMs - 3007);
  w.flush();
  const [got] = [...transmissionChunks(db)][0];
  assert.equal(got.lastSeenMs, base.lastSeenMs + 2500);
  assert.equal(got.firstSeenMs, base.firstSeenMs - 3007);
});

test('a re-delivery fills only the signal values still NULL', (t) => {
  const { db, w } = setup(t);
  w.insertTransmission(tx(1));
  w.insertObservation(obs(1, 1, { snr: null, rssi: -90, score: null }));
  w.fillObservationSignal({ observationId: 1, snr: 5.5, rssi: -120, score: null });
  w.fillObservationSignal({ observationId: 1, snr: 9, rssi: null, score: 400 });
  w.flush();
  const [o] = [...observationChunks(db)][0];
  assert.deepEqual([o.snr, o.rssi, o.score], [5.5, -90, 400]);
});

test('node upsert: non-null overwrites, advert_count counts new adverts, seen times widen', (t) => {
  const { db, w } = setup(t);
  const key = 'AB'.repeat(32);
  const advert = (o: Partial<NodeUpsert>): NodeUpsert => ({
    publicKey: key,
    name: 'Node 1',
    role: 'repeater',
    lat: 37.5,
    lon: -122.25,
    seenMs: 1_779_000_000_000,
    isNewAdvert: true,
    batteryMv: null,
    temperatureC: null,
    foreign: null,
    defaultScope: null,
    ...o,
  });
  w.upsertNode(advert({ foreign: false }));
  // Flagged foreign with a scope; the next upsert (null, null) keeps both.
  w.upsertNode(
    advert({
      name: null,
      role: null,
      lat: null,
      lon: null,
      seenMs: 1_779_000_060_000,
      batteryMv: 3900,
      foreign: true,
      defaultScope: '#sf',
    }),
  );
  w.upsertNode(
    advert({ name: 'Renamed', isNewAdvert: false, seenMs: 1_778_999_000_000, temperatureC: 21.5 }),
  );
  w.flush();
  assert.deepEqual([...nodeChunks(db)][0], [
    {
      publicKey: key.toLowerCase(),
      name: 'Renamed',
      role: 'repeater',
      lat: 37.5,
      lon: -122.25,
      firstSeenMs: 1_778_999_000_000,
      lastSeenMs: 1_779_000_060_000,
      advertCount: 2,
      batteryMv: 3900,
      temperatureC: 21.5,
      foreign: true,
      defaultScope: '#sf',
    },
  ]);
});

test('observer upserts: packets count packets, status messages only metadata', (t) => {
  const { db, w } = setup(t);
  w.upsertObserverFromPacket(seen(1_779_000_000_000));
  w.upsertObserverFromPacket({ ...seen(1_779_000_001_000), name: null, iata: null });
  const status = {
    id: OBSERVER_A.toLowerCase(),
    name: 'Obs A2',
    iata: 'oak',
    seenMs: 1_779_000_002_000,
    model: 'Heltec V3',
    firmware: 'v1.17.1',
    clientVersion: 'meshcoretomqtt/1.0.6',
    radio: '910.525,62.5,7,5',
    batteryMv: 4100,
    uptimeSecs: 3600,
    noiseFloor: -112.5,
  };
  w.upsertObserverFromStatus(status);
  w.upsertObserverFromStatus({ ...status, model: null, batteryMv: null, seenMs: 1_779_000_000_500 });
  w.upsertObserverFromStatus({ ...status, id: OBSERVER_B, iata: null });
  w.flush();
  const [a, b] = [...observerChunks(db)][0];
  assert.deepEqual(a, {
    id: OBSERVER_A,
    name: 'Obs A2',
    iata: 'OAK',
    firstSeenMs: 1_779_000_000_000,
    lastSeenMs: 1_779_000_002_000,
    packetCount: 2,
    model: 'Heltec V3',
    firmware: 'v1.17.1',
    clientVersion: 'meshcoretomqtt/1.0.6',
    radio: '910.525,62.5,7,5',
    batteryMv: 4100,
    uptimeSecs: 3600,
    noiseFloor: -112.5,
    lastPacketAtMs: 1_779_000_001_000,
    // No naive-clock event and no `repeat` in these statuses.
    clockSkewSeconds: null,
    clockSkewCount24h: 0,
    clockLastNaiveAtMs: null,
    canRelay: null,
  });
  assert.equal(b.id, OBSERVER_B);
  assert.equal(b.packetCount, 0);
  assert.equal(b.lastPacketAtMs, null);
});

test('an observation from an observer never upserted still gets a valid observer_idx', (t) => {
  const { db, w } = setup(t);
  w.insertTransmission(tx(1));
  w.insertObservation(obs(1, 1, { observerId: OBSERVER_B.toLowerCase() }));
  w.flush();
  assert.equal([...observationChunks(db)][0][0].observerId, OBSERVER_B);
});

test('observer metrics are bucketed and replaced within a bucket', (t) => {
  const { db, w } = setup(t, { metricsBucketMs: 60_000 });
  const sample = {
    observerId: OBSERVER_A.toLowerCase(),
    atMs: Date.UTC(2026, 4, 17, 18, 0, 10),
    noiseFloor: -110,
    txAirSecs: 1,
    rxAirSecs: 2,
    recvErrors: 0,
    batteryMv: 4000,
    packetsSent: 5,
    packetsRecv: 6,
  };
  w.insertObserverMetrics(sample);
  w.insertObserverMetrics({ ...sample, atMs: sample.atMs + 30_000, noiseFloor: -105 });
  w.insertObserverMetrics({ ...sample, atMs: sample.atMs + 60_000 });
  w.flush();
  assert.deepEqual(
    db.prepare('SELECT observer_id, timestamp, noise_floor FROM observer_metrics ORDER BY timestamp').all(),
    [
      { observer_id: OBSERVER_A, timestamp: '2026-05-17T18:00:00.000Z', noise_floor: -105 },
      { observer_id: OBSERVER_A, timestamp: '2026-05-17T18:01:00.000Z', noise_floor: -110 },
    ],
  );
});

test('dropped_packets keeps only the newest N rows', (t) => {
  const { db, w } = setup(t, { maxDroppedPackets: 5 });
  for (let i = 0; i < 12; i++) {
    w.recordDroppedPacket({
      reason: i % 2 ? 'bad_signature' : 'invalid_hex',
      hash: null,
      rawHex: `0${i}`,
      observerId: OBSERVER_A,
      observerName: null,
      nodePubkey: null,
      nodeName: null,
      droppedAtMs: 1_779_000_000_000 + i,
    });
    if (i === 3) w.flush();
  }
  w.flush();
  const rows = db
    .prepare('SELECT raw_hex, dropped_at, ml_dropped_at_ms FROM dropped_packets ORDER BY id')
    .all() as {
    raw_hex: string;
    dropped_at: string;
    ml_dropped_at_ms: number;
  }[];
  assert.deepEqual(
    rows.map((r) => r.raw_hex),
    ['07', '08', '09', '010', '011'],
  );
  assert.equal(rows[0].dropped_at, '2026-05-17 06:40:00');
  assert.equal(rows[4].ml_dropped_at_ms, 1_779_000_000_011);
  assert.equal(w.getStats().droppedPacketsTrimmed, 7);
});

test('a failing statement is counted and the rest of its batch is committed', (t) => {
  const { db, w, logs } = setup(t);
  w.insertTransmission(tx(1));
  w.insertTransmission(tx(1, { hash: 'ffffffffffffffff' }));
  w.insertObservation(obs(1, 99));
  w.insertTransmission(tx(2));
  w.insertObservation(obs(2, 2));
  w.flush();
  const s = w.getStats();
  assert.equal(s.writeErrors, 2);
  assert.deepEqual(s.errorsByCode, { SQLITE_CONSTRAINT_PRIMARYKEY: 1, SQLITE_CONSTRAINT_FOREIGNKEY: 1 });
  assert.equal(logs.length, 2);
  assert.match(logs[0], /insertTransmission failed/);
  assert.deepEqual(
    [...transmissionChunks(db)][0].map((r) => r.id),
    [1, 2],
  );
  assert.deepEqual(
    [...observationChunks(db)][0].map((r) => r.id),
    [2],
  );
  assert.equal(s.batches, 1);
});

test('transactions are bounded by operation count and time budget', (t) => {
  const { db, w } = setup(t, { maxOpsPerTransaction: 100, transactionBudgetMs: 1000 });
  for (let i = 1; i <= 250; i++) w.insertTransmission(tx(i));
  w.flush();
  let s = w.getStats();
  assert.equal(s.batches, 3);
  assert.equal(s.lastBatchOps, 50);
  assert.equal(s.opsWritten, 250);

  // A zero budget still makes progress, one clock check (32 operations) per transaction.
  const { w: w2 } = setup(t, { transactionBudgetMs: 0 });
  for (let i = 1; i <= 100; i++) w2.insertTransmission(tx(i));
  w2.flush();
  s = w2.getStats();
  assert.equal(s.batches, 4);
  assert.equal(s.opsWritten, 100);
  assert.ok(s.maxBatchMs >= s.lastBatchMs && s.maxBatchMs > 0);
  assert.equal((db.prepare('SELECT count(*) AS n FROM transmissions').get() as { n: number }).n, 250);
});

test('the timer flushes on its own and drain() waits for the queue to empty', async (t) => {
  const { db, w } = setup(t, { flushIntervalMs: 5, flushAtOps: 1_000_000 });
  w.insertTransmission(tx(1));
  assert.equal(w.pending(), 1);
  await new Promise((r) => setTimeout(r, 40));
  assert.equal(w.pending(), 0);
  assert.equal((db.prepare('SELECT count(*) AS n FROM transmissions').get() as { n: number }).n, 1);

  const { db: db2, w: w2 } = setup(t, { flushAtOps: 10, maxOpsPerTransaction: 10 });
  for (let i = 1; i <= 95; i++) w2.insertTransmission(tx(i));
  await w2.drain();
  assert.equal((db2.prepare('SELECT count(*) AS n FROM transmissions').get() as { n: number }).n, 95);
  assert.equal(w2.getStats().batches, 10);
});

test('flush and close are idempotent; a closed writer refuses work', (t) => {
  const { db, w } = setup(t);
  w.insertTransmission(tx(1));
  w.flush();
  w.flush();
  w.close();
  w.close();
  assert.equal(w.getStats().batches, 1);
  assert.equal((db.prepare('SELECT count(*) AS n FROM transmissions').get() as { n: number }).n, 1);
  assert.throws(() => w.insertTransmission(tx(2)), /closed/);
});

test('bad path_json in the database reads as an empty path and is counted', (t) => {
  const { db, w } = setup(t);
  w.insertTransmission(tx(1));
  w.insertObservation(obs(1, 1));
  w.insertObservation(obs(2, 1, { observerId: OBSERVER_B }));
  w.flush();
  db.prepare('UPDATE observations SET path_json = \'["A1",\' WHERE id = 1').run();
  db.prepare("UPDATE observations SET path_json = '[1,2]' WHERE id = 2").run();
  const stats = newReadStats();
  const rows = [...observationChunks(db, { stats })][0];
  assert.deepEqual(
    rows.map((r) => r.path),
    [[], []],
  );
  assert.equal(stats.badPathJson, 2);
});

test('packet sightings coalesce per transaction without changing the result', (t) => {
  const { db, w } = setup(t);
  for (let i = 0; i < 10; i++) {
    w.upsertObserverFromPacket({
      id: OBSERVER_A,
      name: i === 3 ? 'Named' : null,
      iata: null,
      seenMs: 1_779_000_000_000 + i,
    });
  }
  w.flush();
  const [a] = [...observerChunks(db)][0];
  assert.deepEqual(
    [a.name, a.packetCount, a.firstSeenMs, a.lastSeenMs, a.lastPacketAtMs],
    ['Named', 10, 1_779_000_000_000, 1_779_000_000_009, 1_779_000_000_009],
  );
  assert.equal(w.getStats().rowsWritten, 1);
  assert.equal(w.getStats().opsWritten, 10);
});
