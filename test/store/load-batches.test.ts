import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ObsBatchBuilder, TxBatchBuilder } from '../../src/store/load/load-batches.js';
import { BAD } from '../../src/store/memory/batch-append.js';
import { parsePath as hopBytes } from '../../src/store/memory/codec.js';
import { StoreError } from '../../src/store/memory/errors.js';
import { newReadStats, parsePath } from '../../src/store/sqlite/readers.js';
import { contentHash } from '../../src/protocol/hash.js';

/** One observation row (OBS_RAW_COLUMNS order) with this path_json. */
const obsRow = (id: number, pathJson: unknown) => [
  id,
  1,
  1,
  'rx',
  5.25,
  -100,
  null,
  pathJson,
  1779012000,
  null,
  null,
];

/** The record path's verdict for a path_json: hop bytes, or 'bad' (STORE_ERR_BAD_PATH). */
function oracle(json: string | null) {
  const stats = newReadStats();
  const hops = parsePath(json, stats);
  try {
    const p = hopBytes(hops);
    return {
      ok: true,
      hopSize: p.hopSize,
      hopCount: p.hopCount,
      bytes: [...p.bytes],
      badJson: stats.badPathJson,
    };
  } catch (err) {
    assert.ok(err instanceof StoreError);
    return { ok: false, hopSize: 0, hopCount: 0, bytes: [] as number[], badJson: stats.badPathJson };
  }
}

function built(jsons: (string | null)[]) {
  const stats = newReadStats();
  const b = new ObsBatchBuilder(jsons.length, new Map([[1, 'OBS']]), stats);
  jsons.forEach((j, i) => b.add(obsRow(i + 1, j)));
  const batch = b.take();
  return {
    rows: jsons.map((_, k) => ({
      ok: batch.bad[k] === BAD.ok,
      hopSize: batch.hopSize[k],
      hopCount: batch.hopCount[k],
      bytes: [
        ...batch.path.subarray(batch.pathOff[k], batch.pathOff[k] + batch.hopSize[k] * batch.hopCount[k]),
      ],
    })),
    badJson: stats.badPathJson,
  };
}

const hexHop = (size: number) =>
  fc
    .uint8Array({ minLength: size, maxLength: size })
    .chain((bytes) =>
      fc
        .boolean()
        .map((upper) => Buffer.from(bytes).toString('hex')[upper ? 'toUpperCase' : 'toLowerCase']()),
    );

/** path_json texts: mostly well-formed (compact or spaced), plus mutations and arbitrary JSON. */
const pathJson = fc.oneof(
  fc
    .integer({ min: 1, max: 3 })
    .chain((size) => fc.array(hexHop(size), { maxLength: 12 }))
    .chain((hops) =>
      fc.constantFrom(
        JSON.stringify(hops),
        JSON.stringify(hops, null, 1),
        `[${hops.map((h) => `"${h}"`).join(', ')}]`,
      ),
    ),
  fc
    .array(fc.oneof(hexHop(1), hexHop(2), fc.string({ maxLength: 5 })), { maxLength: 5 })
    .map((a) => JSON.stringify(a)),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 20 }),
  fc.constantFrom(
    null,
    '',
    '[]',
    '[',
    ']',
    '[""]',
    '["AB",]',
    '["AB""CD"]',
    '["A\\u0042"]',
    '["AB"] ',
    '[\n"AB"]',
  ),
  fc.integer({ min: 250, max: 260 }).map((n) => JSON.stringify(Array.from({ length: n }, () => 'AB'))),
);

test('path_json: the hand scanner and the JSON.parse fallback agree with the record path (property)', () => {
  fc.assert(
    fc.property(fc.array(pathJson, { minLength: 1, maxLength: 8 }), (jsons) => {
      const got = built(jsons);
      const want = jsons.map(oracle);
      assert.deepEqual(
        got.rows,
        want.map(({ ok, hopSize, hopCount, bytes }) => ({ ok, hopSize, hopCount, bytes })),
      );
      assert.equal(
        got.badJson,
        want.reduce((n, w) => n + w.badJson, 0),
      );
    }),
    { numRuns: 400 },
  );
});

test('observation rows: times, signal quarters, unknown observers, directions as dictionary entries', () => {
  const stats = newReadStats();
  const b = new ObsBatchBuilder(4, new Map([[1, 'AA']]), stats);
  b.add([1, 7, 1, 'rx', 5.3, -101, 3, '["AB"]', 1779012000, null, 1779012000500]);
  b.add([2, 7, 42, null, null, null, null, null, '2026-05-17T10:00:00Z', 1779012000123, null]);
  b.add([3, 7, null, 'tx', 'x', 1e9, null, '[]', 'bad', null, null]);
  b.add([-1, 2 ** 40, 1, 'rx', null, null, null, null, 1, null, null]);
  const batch = b.take();
  assert.equal(batch.n, 4);
  assert.deepEqual([...batch.rxMs], [1779012000000, 1779012000123, 0, 1000]);
  assert.deepEqual([...batch.uploaderDeltaMs].slice(0, 2), [500, NaN]);
  assert.deepEqual([...batch.snr], [21, -32768, -32768, -32768]);
  assert.deepEqual([...batch.rssi], [-404, -32768, -32768, -32768]);
  assert.deepEqual([...batch.score].slice(0, 2), [3, NaN]);
  // observer dictionary: 'AA', then '' for both the unknown rowid 42 and a NULL idx.
  assert.deepEqual(batch.dict.observers, ['AA', '']);
  assert.deepEqual([...batch.observer], [0, 1, 1, 0]);
  assert.deepEqual(batch.dict.directions, ['rx', 'tx']);
  assert.deepEqual([...batch.direction], [1, 0, 2, 1]);
  assert.deepEqual([...batch.bad], [BAD.ok, BAD.ok, BAD.ok, BAD.id]);
  assert.equal(batch.txId[3], 0xffffffff);
  assert.deepEqual(stats, { badPathJson: 0, badTimes: 1, unknownObserver: 2 });
  // The next batch carries only new dictionary entries.
  b.add([5, 7, 1, 'rx', null, null, null, null, 1, null, null]);
  assert.deepEqual(b.take().dict, {});
});

test('transmission rows: hex to bytes, header-derived enums, rehash with the stored hash kept aside', () => {
  const stats = newReadStats();
  const b = new TxBatchBuilder(4, { rehash: true, stats });
  const frame = '1500AABBCCDD';
  const good = contentHash(frame).toLowerCase();
  b.add([
    1,
    frame.toLowerCase(),
    'aaaaaaaaaaaaaaaa',
    '2026-05-17T10:00:00Z',
    null,
    null,
    null,
    '{"x":"é"}',
    'AB',
    0,
    'c',
    null,
    null,
  ]);
  b.add([2, frame, good, 1779012000, 2, 9, 1, null, '', 1779012001, null, '#s', 1779012001234]);
  b.add([3, 'ABC', 'zz', 'never', null, null, null, null, null, 0, null, null, null]);
  const batch = b.take();
  assert.deepEqual([...batch.rehashed], [1, 0, 0]);
  assert.equal(
    batch.hashHi[0].toString(16).padStart(8, '0') + batch.hashLo[0].toString(16).padStart(8, '0'),
    good,
  );
  assert.deepEqual([batch.oldHi[0], batch.oldLo[0], batch.oldValid[0]], [0xaaaaaaaa, 0xaaaaaaaa, 1]);
  assert.equal(
    Buffer.from(batch.raw.subarray(batch.rawOff[0], batch.rawOff[1])).toString('hex'),
    frame.toLowerCase(),
  );
  assert.equal(
    Buffer.from(batch.json.subarray(batch.jsonOff[0], batch.jsonOff[1])).toString('utf8'),
    '{"x":"é"}',
  );
  // header 0x15: route 1, type 5, version 0; explicit columns win; 'ABC' reads header 0xAB.
  assert.deepEqual([...batch.routeType], [1, 2, 3]);
  assert.deepEqual([...batch.payloadType], [5, 9, 10]);
  assert.deepEqual([...batch.payloadVersion], [0, 1, 2]);
  assert.deepEqual([...batch.firstSeenMs], [Date.parse('2026-05-17T10:00:00Z'), 1779012000000, 0]);
  assert.deepEqual([...batch.lastSeenMs].slice(0, 2), [Date.parse('2026-05-17T10:00:00Z'), 1779012001234]);
  assert.deepEqual(batch.dict, { pubkeys: ['AB'], channels: ['c'], names: ['#s'] });
  assert.deepEqual([...batch.fromNode], [0, -1, -1]);
  // 'ABC': odd hex, and 'zz' is no hash: the hash verdict comes first (as appendTransmission).
  assert.deepEqual([...batch.bad], [BAD.ok, BAD.ok, BAD.hash]);
  assert.equal(stats.badTimes, 1);
});
