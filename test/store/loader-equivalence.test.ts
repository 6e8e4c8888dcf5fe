// The bulk load (worker batches + batch-append) must build the same store as the record path it
// replaced (record readers + appendTransmission/appendObservation, the previous loader), on
// awkward rows included: stale, uppercase and invalid hashes, duplicate frames, bad hex, enum
// columns NULL or out of range, unknown observers, every path_json shape, text and NULL times.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contentHash } from '../../src/protocol/hash.js';
import { StoreLoader } from '../../src/store/load/loader.js';
import { StoreError } from '../../src/store/memory/errors.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { migrate, openDatabase, type Db } from '../../src/store/sqlite/index.js';
import {
  newReadStats,
  nodeChunks,
  observationChunks,
  observerChunks,
  transmissionChunks,
} from '../../src/store/sqlite/readers.js';
import { FIXTURE_DB } from '../support/fixture.js';

const SMALL = {
  chunkRows: { tx: 16, obs: 32, nodes: 8, observers: 4 },
  heapChunkBytes: { raw: 256, json: 1024, path: 64 },
};

/** The previous loader: record readers and single appends (the oracle). */
function recordLoad(db: Db, store: MemoryStore, rehash: boolean) {
  const stats = newReadStats();
  const rejected: Record<string, number> = {};
  let rehashed = 0;
  const tryIt = (f: () => void) => {
    try {
      f();
    } catch (err) {
      if (!(err instanceof StoreError)) throw err;
      rejected[err.code] = (rejected[err.code] ?? 0) + 1;
    }
  };
  for (const c of observerChunks(db, { stats })) for (const o of c) tryIt(() => store.upsertObserver(o));
  for (const c of nodeChunks(db, { stats })) for (const n of c) tryIt(() => store.upsertNode(n));
  for (const c of transmissionChunks(db, { stats }))
    for (const t of c)
      tryIt(() => {
        if (rehash) {
          const h = contentHash(t.rawHex).toLowerCase();
          if (h !== t.hash && /^[0-9a-f]{16}$/.test(h) && store.txRowByHash(h) === -1) {
            t.hash = h;
            rehashed++;
          }
        }
        store.appendTransmission(t);
      });
  for (const c of observationChunks(db, { stats }))
    for (const o of c) tryIt(() => store.appendObservation(o));
  store.compact();
  return { stats, rejected, rehashed };
}

/** Everything a reader can see: records of every row, hash lookups, index lists. */
function snapshot(store: MemoryStore) {
  const ix = store.indexes;
  const lists = (k: typeof ix.byHop) =>
    [...k.keys()].sort((a, b) => a - b).map((key) => [key, [...k.get(key)!.rows()]]);
  return {
    tx: Array.from({ length: store.transmissionCount }, (_, r) => store.transmission(r)),
    obs: Array.from({ length: store.observationCount }, (_, r) => store.observation(r)),
    obsLists: Array.from({ length: store.transmissionCount }, (_, r) => store.observationRows(r)),
    advertTs: Array.from({ length: store.transmissionCount }, (_, r) => store.tx.get('advertTs', r)),
    nodes: store.nodeRows().map((r) => store.node(r)),
    observers: store.observerRows().map((r) => store.observer(r)),
    byHash: Array.from({ length: store.transmissionCount }, (_, r) =>
      store.txRowByHash(store.transmission(r).hash),
    ),
    indexes: {
      txAll: [...ix.txAll.rows()],
      byType: lists(ix.byType),
      byRoute: lists(ix.byRoute),
      byChannel: lists(ix.byChannel),
      byAdvertNode: lists(ix.byAdvertNode),
      byHop: lists(ix.byHop),
      txByObserver: lists(ix.txByObserver),
      txByRegion: lists(ix.txByRegion),
      obsByObserver: lists(ix.obsByObserver),
    },
    txTimeOrdered: store.txTimeOrdered(),
  };
}

/** The fixture plus rows that exercise every conversion and rejection rule. */
function awkwardDb(dir: string): string {
  const file = join(dir, 'awkward.db');
  copyFileSync(FIXTURE_DB, file);
  const db = openDatabase(file);
  migrate(db);
  db.pragma('foreign_keys = OFF');
  const tx = db.prepare(
    `INSERT INTO transmissions (id, raw_hex, hash, first_seen, route_type, payload_type, payload_version,
       decoded_json, from_pubkey, last_seen, channel_hash, scope_name, ml_last_seen_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const frame = (n: number) => `1500${n.toString(16).padStart(2, '0')}AABBCCDD`;
  const good = (n: number) => contentHash(frame(n)).toLowerCase();
  const t = '2026-05-17T10:00:00Z';
  // [id, raw, hash, first_seen, route, type, version, decoded, from, last_seen, channel, scope, ml_last]
  const rows: unknown[][] = [
    [9001, frame(1), good(1), t, null, null, null, null, null, null, null, null, null],
    [9002, frame(2), good(2).toUpperCase(), t, 1, 5, 0, '{"a":1}', '', 1779012000, '', '#x', null],
    [
      9003,
      frame(3),
      'not-a-hash',
      'garbage time',
      null,
      null,
      null,
      'é✓',
      'AbCd',
      null,
      'enc_AB',
      null,
      1779012000123,
    ],
    // Same frame as 9001: the recomputed hash is taken, so the stored one is kept.
    [9004, frame(1), 'aaaaaaaaaaaaaaaa', t, null, null, null, null, null, null, null, null, null],
    // Rehashed to good(8); then 9012 stores good(8) in upper case: a duplicate hash.
    [9005, frame(8), 'dddddddddddddddd', t, null, null, null, null, null, null, null, null, null],
    [9012, frame(8), good(8).toUpperCase(), t, null, null, null, null, null, null, null, null, null],
    [9006, 'NOTHEX', 'bbbbbbbbbbbbbbbb', t, null, null, null, null, null, null, null, null, null],
    [9007, 'ABC', 'cccccccccccccccc', t, null, null, null, null, null, null, null, null, null],
    [9008, frame(4), good(4), t, 1, 300, 0, null, null, null, null, null, null],
    [9009, frame(5), 'zz', t, null, null, null, null, null, null, null, null, null],
    [
      9010,
      '11' + '00'.repeat(40),
      good(6),
      t,
      null,
      4,
      null,
      '{"payload":{"timestamp":1779000000}}',
      'ab'.repeat(32),
      null,
      null,
      null,
      null,
    ],
    [9011, '0a', good(7), '', null, null, null, null, null, null, null, null, null],
  ];
  for (const r of rows) tx.run(...r.map((v, i) => (i === 9 && v === null ? 0 : v)));
  const obs = db.prepare(
    `INSERT INTO observations (id, transmission_id, observer_idx, direction, snr, rssi, score, path_json, timestamp,
       ml_rx_ms, ml_uploader_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const paths = [
    '[]',
    null,
    '',
    'not json',
    '["AB", "CD"]',
    '["ABC"]',
    '["AB","CDEF"]',
    '["abcdef","012345"]',
    '[1,2]',
    '{"a":1}',
    JSON.stringify(Array.from({ length: 256 }, () => 'AA')),
    JSON.stringify(Array.from({ length: 255 }, (_, i) => (i & 0xff).toString(16).padStart(2, '0'))),
    '["A\\u0042","CD"]',
    '["AB","C"]',
    '["AB",]',
    '["", "AB"]',
    '["G1"]',
    '["AB","CD"]',
    '["1234"]',
  ];
  const observerIdx = [1, 2, null, 999, 3];
  const directions = [null, 'rx', 'tx', '', 'RX'];
  const txIds = [9001, 9002, 9003, 9004, 9005, 9006, 9010, 9011, 12345, 5, 100];
  let id = 20000;
  for (let i = 0; i < 120; i++) {
    obs.run(
      ++id,
      txIds[i % txIds.length],
      observerIdx[i % observerIdx.length],
      directions[i % directions.length],
      [5.25, null, 'abc', -7.5, 1e6][i % 5],
      [-101, null, -120.5][i % 3],
      [null, 3, 2.5][i % 3],
      paths[i % paths.length],
      [1779012000, '2026-05-17 10:00:00', 'bad'][i % 3],
      i % 4 === 0 ? null : 1779012000000 + i,
      i % 3 === 0 ? null : 1779011999000 + i,
    );
  }
  db.close();
  return file;
}

test('bulk load == record load, on the fixture plus awkward rows (in-thread and workers, small pages)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshlens-loader-eq-'));
  try {
    const file = awkwardDb(dir);
    for (const rehash of [true, false]) {
      const db = openDatabase(file);
      const oracle = new MemoryStore(SMALL);
      const expected = recordLoad(db, oracle, rehash);
      const want = snapshot(oracle);
      for (const [workers, chunkSize] of [
        [0, 7],
        [2, 16],
        [3, undefined],
      ] as const) {
        const store = new MemoryStore(SMALL);
        const res = await new StoreLoader(db, store, { rehash, workers, chunkSize }).run();
        const label = `rehash ${rehash}, ${workers} workers, chunk ${chunkSize}`;
        assert.equal(res.workers, workers, label);
        assert.deepEqual(res.rejected, expected.rejected, label);
        assert.equal(res.rehashed, expected.rehashed, label);
        assert.deepEqual(res.readStats, expected.stats, label);
        assert.deepEqual(snapshot(store), want, label);
      }
      db.close();
      if (rehash) {
        // The rows above hit the rules they were written for (not only "both paths agree").
        assert.ok(expected.rehashed >= 145 + 3, `rehashed ${expected.rehashed}`);
        for (const code of [
          'STORE_ERR_DUPLICATE_HASH',
          'STORE_ERR_BAD_ID',
          'STORE_ERR_BAD_PATH',
          'STORE_ERR_UNKNOWN_TRANSMISSION',
        ])
          assert.ok(expected.rejected[code] > 0, code);
        assert.ok(expected.stats.badPathJson > 0 && expected.stats.unknownObserver > 0);
        assert.ok(expected.stats.badTimes > 0);
        assert.ok(want.advertTs.includes(1779000000));
      } else assert.ok(expected.rejected.STORE_ERR_BAD_HASH > 0);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
