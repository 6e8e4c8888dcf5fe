import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { openDatabase, type Db } from '../../../src/store/sqlite/open.js';
import { migrate } from '../../../src/store/sqlite/migrate.js';
import { SqliteWriter } from '../../../src/store/sqlite/writer.js';
import { SqliteWriterThread } from '../../../src/store/sqlite/writer-thread.js';
import { until } from '../../support/until.js';
import {
  newReadStats,
  nodeChunks,
  observationChunks,
  observerChunks,
  readCounts,
  readMaxIds,
  transmissionChunks,
} from '../../../src/store/sqlite/readers.js';
import { OBSERVER_A, OBSERVER_B, obs, tempDir, tx, type TempDir } from './helpers.js';

type Ops = Pick<
  SqliteWriter,
  | 'insertTransmission'
  | 'insertObservation'
  | 'raiseTransmissionLastSeen'
  | 'lowerTransmissionFirstSeen'
  | 'fillObservationSignal'
  | 'upsertNode'
  | 'upsertObserverFromPacket'
  | 'upsertObserverFromStatus'
  | 'insertObserverMetrics'
  | 'recordDroppedPacket'
>;

const T0 = 1_779_000_000_000;

/**
 * Every operation kind, the non-idempotent ones included (explicit-id inserts, packet_count and
 * advert_count increments, dropped_packets rows), observations `from`..`to`.
 */
function workload(w: Ops, from: number, to: number): void {
  for (let i = from; i <= to; i++) {
    const observerId = i % 3 === 0 ? OBSERVER_B : OBSERVER_A;
    const rxMs = T0 + i * 10;
    w.upsertObserverFromPacket({ id: observerId, name: `Obs ${observerId[0]}`, iata: 'sjc', seenMs: rxMs });
    const txId = Math.ceil(i / 2);
    if (i % 2 === 1) w.insertTransmission(tx(txId, { firstSeenMs: rxMs, lastSeenMs: rxMs }));
    else w.raiseTransmissionLastSeen(txId, rxMs);
    w.insertObservation(
      obs(i, txId, { observerId, rxMs, snr: i % 4 === 0 ? null : 3.5, path: [`${i % 2}A`] }),
    );
    if (i % 4 === 0) w.fillObservationSignal({ observationId: i, snr: 9.75, rssi: null, score: null });
    if (i % 5 === 0) w.lowerTransmissionFirstSeen(txId, rxMs - 5000);
    if (i % 7 === 0) {
      w.upsertNode({
        publicKey: (i % 11).toString(16).padStart(64, 'c'),
        name: `node ${i % 11}`,
        role: 'repeater',
        lat: 37.25,
        lon: -122.5,
        seenMs: rxMs,
        isNewAdvert: true,
        batteryMv: null,
        temperatureC: null,
        foreign: null,
        defaultScope: null,
      });
    }
    if (i % 50 === 0) {
      w.upsertObserverFromStatus({
        id: observerId,
        name: null,
        iata: null,
        seenMs: rxMs,
        model: 'Heltec V3',
        firmware: `1.${i}`,
        clientVersion: null,
        radio: null,
        batteryMv: 4000,
        uptimeSecs: i,
        noiseFloor: -110,
      });
      w.insertObserverMetrics({
        observerId,
        atMs: rxMs,
        noiseFloor: -110,
        txAirSecs: i,
        rxAirSecs: 2 * i,
        recvErrors: 0,
        batteryMv: 4000,
        packetsSent: i,
        packetsRecv: i,
      });
    }
    if (i % 13 === 0) {
      w.recordDroppedPacket({
        reason: 'invalid_raw',
        hash: null,
        rawHex: 'ZZ',
        observerId,
        observerName: null,
        nodePubkey: null,
        nodeName: null,
        droppedAtMs: rxMs,
      });
    }
  }
}

function newDb(tmp: TempDir, name: string): { db: Db; path: string } {
  const path = tmp.path(name);
  const db = openDatabase(path);
  migrate(db);
  return { db, path };
}

/** Everything a reader sees, plus the tables the readers do not cover. */
function snapshot(db: Db): unknown {
  const rs = newReadStats();
  return {
    transmissions: [...transmissionChunks(db, { stats: rs })].flat(),
    observations: [...observationChunks(db, { stats: rs })].flat(),
    nodes: [...nodeChunks(db, { stats: rs })].flat(),
    observers: [...observerChunks(db, { stats: rs })].flat(),
    metrics: db.prepare('SELECT * FROM observer_metrics ORDER BY observer_id, timestamp').all(),
    dropped: db
      .prepare('SELECT reason, raw_hex, observer_id, ml_dropped_at_ms FROM dropped_packets ORDER BY id')
      .all(),
    readStats: rs,
  };
}

/** The same operations through the main-thread SqliteWriter, as the reference. */
function reference(tmp: TempDir, from: number, to: number): unknown {
  const { db } = newDb(tmp, 'reference.db');
  const w = new SqliteWriter(db);
  workload(w, from, to);
  w.close();
  const snap = snapshot(db);
  db.close();
  return snap;
}

function setup(t: { after(fn: () => Promise<void> | void): void }, options = {}) {
  const tmp = tempDir();
  const { db, path } = newDb(tmp, 'thread.db');
  const logs: string[] = [];
  const w = new SqliteWriterThread(path, { log: (m) => logs.push(m), checkpointPeriodMs: 50, ...options });
  t.after(async () => {
    await w.close();
    db.close();
    tmp.cleanup();
  });
  return { tmp, db, path, w, logs };
}

test('round trip: what the thread writes reads back equal to the main-thread writer', async (t) => {
  const { tmp, db, w, logs } = setup(t);
  workload(w, 1, 3000);
  await w.flush();
  const got = snapshot(db) as { observations: unknown[]; nodes: { advertCount: number }[] };
  assert.deepEqual(got, reference(tmp, 1, 3000));
  assert.equal(got.observations.length, 3000);
  assert.equal(
    got.nodes.reduce((n, x) => n + x.advertCount, 0),
    Math.floor(3000 / 7),
  );
  const s = w.stats();
  assert.equal(s.writeErrors, 0);
  assert.deepEqual(logs, []);
});

test('flush resolves once everything queued before it is committed, and only then', async (t) => {
  const { db, w } = setup(t, { batchIntervalMs: 10_000, batchMaxOps: 100_000 });
  w.insertTransmission(tx(1));
  await w.flush();
  assert.deepEqual(readMaxIds(db), { transmissionId: 1, observationId: 0 });
  w.insertObservation(obs(1, 1));
  // The long batch interval keeps the ops on the main thread until flush() posts them.
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(readCounts(db).observations, 0);
  assert.equal(w.stats().queuedOps, 1);
  const flushed = w.flush();
  w.insertObservation(obs(2, 1, { observerId: OBSERVER_B }));
  await flushed;
  assert.deepEqual(readMaxIds(db), { transmissionId: 1, observationId: 1 });
  await w.flush();
  assert.deepEqual(readMaxIds(db), { transmissionId: 1, observationId: 2 });
  assert.equal(w.stats().pendingOps, 0);
});

test('writes commit on the timer without flush, in batches of at most batchMaxOps', async (t) => {
  const { db, w } = setup(t, { batchIntervalMs: 5, batchMaxOps: 500 });
  for (let i = 1; i <= 2000; i++) w.insertTransmission(tx(i));
  await until(() => readCounts(db).transmissions >= 2000, { what: 'the timer commits', timeoutMs: 10_000 });
  assert.equal(readCounts(db).transmissions, 2000);
  const s = w.stats();
  assert.equal(s.batchesPosted, 4);
  assert.equal(s.opsWritten, 2000);
  assert.equal(s.lastBatchOps, 500);
});

test('close is idempotent, flushes, checkpoints the WAL and refuses later writes', async (t) => {
  const { db, path, w } = setup(t);
  workload(w, 1, 500);
  const a = w.close();
  const b = w.close();
  assert.equal(a, b);
  await a;
  await w.close();
  assert.equal(readCounts(db).observations, 500);
  assert.equal(statSync(`${path}-wal`).size, 0);
  assert.throws(() => w.insertTransmission(tx(9999)), /closed/);
  await assert.rejects(w.backup(path + '.bak'), /closed/);
});

test('backup in the worker writes a readable copy with the same counts', async (t) => {
  const { tmp, db, w } = setup(t);
  workload(w, 1, 1000);
  const target = tmp.path('backups/copy.db');
  const { ms } = await w.backup(target);
  assert.ok(ms >= 0);
  const copy = openDatabase(target, { readonly: true });
  assert.deepEqual(readCounts(copy), readCounts(db));
  assert.equal(readCounts(copy).observations, 1000);
  assert.deepEqual(snapshot(copy), snapshot(db));
  copy.close();
  await assert.rejects(w.backup(target), /exists/);
  // The worker is still writing after a failed call.
  w.insertTransmission(tx(5000));
  await w.flush();
  assert.equal(readMaxIds(db).transmissionId, 5000);
});

test('retention in the worker deletes old packets and returns their transmission ids', async (t) => {
  const { db, w } = setup(t);
  const DAY = 86_400_000;
  const now = T0 + 100 * DAY;
  for (let id = 1; id <= 6; id++) {
    const seen = id <= 4 ? now - 40 * DAY + id : now - DAY;
    w.insertTransmission(tx(id, { firstSeenMs: seen, lastSeenMs: seen }));
    w.insertObservation(obs(id, id, { rxMs: seen }));
  }
  const r = await w.applyRetention({ packetDays: 30 }, { nowMs: now, chunk: 3 });
  assert.deepEqual(r.transmissionIds, [1, 2, 3, 4]);
  assert.equal(r.transmissions, 4);
  assert.equal(r.observations, 4);
  assert.deepEqual(readCounts(db).transmissions, 2);
  assert.deepEqual(db.prepare('SELECT id FROM observations ORDER BY id').all(), [{ id: 5 }, { id: 6 }]);
});

test('a worker that dies after committing a batch, before acknowledging it: nothing applied twice', async (t) => {
  const { tmp, db, w, logs } = setup(t, { batchMaxOps: 1000, crashAfterCommitSeq: 3 });
  workload(w, 1, 4000);
  await w.flush();
  assert.deepEqual(snapshot(db), reference(tmp, 1, 4000));
  const s = w.stats();
  assert.equal(s.workerRestarts, 1);
  assert.equal(s.recoveredBatches, 1, 'batch 3 was found committed, not re-sent');
  assert.ok(s.resentBatches >= 1, 'batch 4 was in flight and re-sent');
  assert.equal(s.writeErrors, 0);
  assert.ok(logs.some((m) => /worker exited \(code 1\), restarting/.test(m)));
});

test('a worker terminated mid-stream is restarted; every op committed exactly once', async (t) => {
  const { tmp, db, w, logs } = setup(t, { batchMaxOps: 400, maxInFlightBatches: 8 });
  const N = 6000;
  let killed = 0;
  workload(w, 1, 500);
  await w.flush();
  for (let from = 501; from <= N; from += 500) {
    // The second kill hits the replacement worker once it is up and writing.
    if (from === 4001) await w.flush();
    workload(w, from, from + 499);
    if (from === 1501 || from === 4001) {
      // Kill while batches are in flight (posted, some possibly being committed).
      assert.ok(w.stats().inFlightBatches > 0);
      await w.terminateWorkerForTest();
      killed++;
    }
    await new Promise((r) => setImmediate(r));
  }
  await w.flush();
  assert.equal(killed, 2);
  assert.deepEqual(snapshot(db), reference(tmp, 1, N));
  const s = w.stats();
  assert.equal(s.workerRestarts, 2);
  assert.ok(s.recoveredBatches + s.resentBatches >= 2, 'each kill left batches to recover');
  assert.equal(s.writeErrors, 0);
  assert.equal(s.pendingOps, 0);
  assert.ok(logs.filter((m) => /restarting/.test(m)).length === 2);
});

test('stats: writer counters, queue depth, batches in flight and lag', async (t) => {
  const { w } = setup(t, { batchIntervalMs: 10_000, batchMaxOps: 100_000 });
  await w.ready();
  assert.equal(w.stats().workerRestarts, 0);
  workload(w, 1, 100);
  let s = w.stats();
  assert.equal(s.queuedOps, s.pendingOps);
  assert.ok(s.queuedOps > 200);
  assert.equal(s.inFlightBatches, 0);
  assert.equal(s.workerLagMs, 0);
  const queued = s.queuedOps;
  await w.flush();
  s = w.stats();
  assert.equal(s.queuedOps, 0);
  assert.equal(s.inFlightBatches, 0);
  assert.equal(s.batchesPosted, 1);
  assert.equal(s.batches, 1, 'one batch, one transaction');
  assert.equal(s.opsWritten, queued);
  assert.equal(s.maxQueuedOps, queued);
  assert.ok(s.maxRoundTripMs > 0);
  assert.equal(s.overloaded, false);
  assert.equal(s.droppedOps, 0);
  assert.equal(s.failed, false);
});

test('overload is reported and counted; past the hard cap writes are refused and counted', async (t) => {
  const { db, w, logs } = setup(t, {
    batchIntervalMs: 10_000,
    batchMaxOps: 100_000,
    highWaterOps: 50,
    maxQueuedOps: 80,
  });
  for (let i = 1; i <= 100; i++) w.insertTransmission(tx(i));
  let s = w.stats();
  assert.equal(s.overloaded, true);
  assert.equal(s.overloadEvents, 1);
  assert.equal(s.droppedOps, 20);
  assert.equal(s.queuedOps, 80);
  assert.ok(logs.some((m) => /worker behind/.test(m)));
  assert.ok(logs.some((m) => /queue full/.test(m)));
  await w.flush();
  s = w.stats();
  assert.equal(s.overloaded, false);
  assert.equal(readCounts(db).transmissions, 80);
});
