import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, openDatabase } from '../../../src/store/sqlite/index.js';
import {
  OBS_RAW_COLUMNS,
  observerIdsByRowid,
  rawObservationPages,
  rawTransmissionPages,
  stridedObservationPages,
} from '../../../src/store/sqlite/readers.js';

function withDb(f: (db: ReturnType<typeof openDatabase>) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'meshlens-readers-raw-'));
  const db = openDatabase(join(dir, 'x.db'));
  try {
    migrate(db);
    db.pragma('foreign_keys = OFF');
    f(db);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('strided pages: every stride/first split reads each observation once, with global page numbers', () => {
  withDb((db) => {
    const ins = db.prepare(
      'INSERT INTO observations (id, transmission_id, observer_idx, path_json, timestamp) VALUES (?, ?, 1, ?, 1779012000)',
    );
    // Sparse ids (gaps as retention leaves them).
    const ids: number[] = [];
    for (let i = 1; i <= 103; i++) ids.push(i * 3 + (i % 7 === 0 ? 1000 : 0));
    for (const id of ids) ins.run(id, id, '["AB"]');
    ids.sort((a, b) => a - b);
    const all = [...rawObservationPages(db, { chunkSize: 10 })].flat().map((r) => r[0]);
    assert.deepEqual(all, ids);
    for (const size of [1, 10, 103, 200]) {
      for (const stride of [1, 2, 3]) {
        const byPage = new Map<number, unknown[]>();
        for (let first = 0; first < stride; first++) {
          for (const { page, rows } of stridedObservationPages(db, { chunkSize: size, stride, first })) {
            assert.equal(page % stride, first);
            assert.ok(!byPage.has(page));
            byPage.set(
              page,
              rows.map((r) => r[0]),
            );
          }
        }
        const pages = [...byPage.keys()].sort((a, b) => a - b);
        assert.deepEqual(
          pages,
          Array.from({ length: Math.ceil(ids.length / size) }, (_, p) => p),
          `${size}/${stride}`,
        );
        assert.deepEqual(
          pages.flatMap((p) => byPage.get(p)!),
          ids,
          `${size}/${stride}`,
        );
      }
    }
  });
});

test('raw pages: column order as declared, observer rowid map', () => {
  withDb((db) => {
    db.prepare(
      "INSERT INTO observers (id, name, first_seen, last_seen) VALUES ('OBS1', 'a', 'x', 'x')",
    ).run();
    db.prepare(
      "INSERT INTO transmissions (id, raw_hex, hash, first_seen) VALUES (4, '0500', 'aaaaaaaaaaaaaaaa', '2026-05-17T10:00:00Z')",
    ).run();
    db.prepare(
      `INSERT INTO observations (id, transmission_id, observer_idx, direction, snr, rssi, score, path_json, timestamp, ml_rx_ms, ml_uploader_ms)
       VALUES (9, 4, 1, 'rx', 5.25, -100, 2, '[]', 1779012000, 1779012000123, 1779012000100)`,
    ).run();
    const [obs] = [...rawObservationPages(db)].flat();
    assert.deepEqual(Object.fromEntries(OBS_RAW_COLUMNS.map((c, i) => [c, obs[i]])), {
      id: 9,
      transmission_id: 4,
      observer_idx: 1,
      direction: 'rx',
      snr: 5.25,
      rssi: -100,
      score: 2,
      path_json: '[]',
      timestamp: 1779012000,
      ml_rx_ms: 1779012000123,
      ml_uploader_ms: 1779012000100,
    });
    const [tx] = [...rawTransmissionPages(db)].flat();
    assert.deepEqual(tx.slice(0, 4), [4, '0500', 'aaaaaaaaaaaaaaaa', '2026-05-17T10:00:00Z']);
    assert.deepEqual(observerIdsByRowid(db), new Map([[1, 'OBS1']]));
  });
});
