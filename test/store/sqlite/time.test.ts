import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { openDatabase } from '../../../src/store/sqlite/open.js';
import {
  parseTimeMs,
  sqlTimeMs,
  toEpochSeconds,
  toRfc3339,
  toSqliteDatetime,
} from '../../../src/store/sqlite/time.js';

test('parseTimeMs reads every CoreScope time format', () => {
  assert.equal(parseTimeMs('2026-03-20T09:06:21.535Z'), Date.UTC(2026, 2, 20, 9, 6, 21, 535));
  assert.equal(parseTimeMs('2026-05-17T16:05:57Z'), Date.UTC(2026, 4, 17, 16, 5, 57));
  assert.equal(parseTimeMs('2026-03-29 17:37:40'), Date.UTC(2026, 2, 29, 17, 37, 40));
  assert.equal(parseTimeMs('2026-05-17T16:05:57+02:00'), Date.UTC(2026, 4, 17, 14, 5, 57));
  assert.equal(parseTimeMs('2026-05-17T16:05:57.123456-0130'), Date.UTC(2026, 4, 17, 17, 35, 57, 123));
  assert.equal(parseTimeMs(1779041349), 1779041349000);
  assert.equal(parseTimeMs('1779041349'), 1779041349000);
  assert.equal(parseTimeMs(1779041349123), 1779041349123);
});

test('parseTimeMs rejects what is not a time', () => {
  for (const v of [
    null,
    undefined,
    '',
    'yesterday',
    '2026-13-01T00:00:00Z',
    '2026-05-17T25:00:00Z',
    0,
    -5,
    NaN,
    {},
  ]) {
    assert.equal(parseTimeMs(v), null, String(v));
  }
});

test('writes produce CoreScope formats', () => {
  const ms = Date.UTC(2026, 4, 17, 18, 13, 27, 535);
  assert.equal(toRfc3339(ms), '2026-05-17T18:13:27.535Z');
  assert.equal(toEpochSeconds(ms), 1779041607);
  assert.equal(toSqliteDatetime(ms), '2026-05-17 18:13:27');
});

test('RFC3339 round trip and SQL expression agree with parseTimeMs (property)', () => {
  const db = openDatabase(':memory:');
  const stmt = db.prepare(`SELECT ${sqlTimeMs('v')} AS ms FROM (SELECT ? AS v)`);
  fc.assert(
    fc.property(fc.integer({ min: 946_684_800_000, max: 4_102_444_800_000 }), (ms) => {
      assert.equal(parseTimeMs(toRfc3339(ms)), ms);
      assert.equal((stmt.get(toRfc3339(ms)) as { ms: number }).ms, ms);
      const sec = toEpochSeconds(ms);
      assert.equal((stmt.get(sec) as { ms: number }).ms, parseTimeMs(sec));
      const text = toSqliteDatetime(ms);
      assert.equal((stmt.get(text) as { ms: number }).ms, parseTimeMs(text));
    }),
  );
  db.close();
});
