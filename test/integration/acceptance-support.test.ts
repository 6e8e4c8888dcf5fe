// The acceptance tests' own tools: the golden-shape comparison (test/support/golden-shape.ts)
// and the fixture freshening (test/support/fresh-fixture.ts), on hand-built inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { compareShape, type GoldenShape } from '../support/golden-shape.js';
import { freshFixtureCopy, shiftTime } from '../support/fresh-fixture.js';
import { FIXTURE_NOW_MS } from '../support/fixture.js';
import { tempDir } from './harness.js';

const shape: GoldenShape = {
  type: 'object',
  keys: {
    n: { type: 'number' },
    s: { type: 'string' },
    b: { type: 'boolean' },
    any: { type: 'nullable' },
    nn: { type: 'nullable_number' },
    list: { type: 'array', elementShape: { type: 'object', keys: { id: { type: 'number' } } } },
    map: { type: 'object', dynamicKeys: true, valueShape: { type: 'number' } },
  },
};

test('compareShape: keys, types, nullable, first array element, dynamic maps, empties', () => {
  const good = {
    n: 1,
    s: 'x',
    b: false,
    any: { whatever: 1 },
    nn: null,
    list: [{ id: 1 }, {}],
    map: { a: 1 },
    extra: 1,
  };
  assert.deepEqual(compareShape(shape, good), { mismatches: [], emptyArrays: [], emptyMaps: [] });
  const bad = { n: '1', b: null, any: null, nn: 'x', list: [{ id: '1' }], map: { a: 1, b: 'two' } };
  assert.deepEqual(compareShape(shape, bad).mismatches, [
    { path: '$.n', expected: 'number', actual: 'string' },
    { path: '$.s', expected: 'string', actual: 'missing' },
    { path: '$.b', expected: 'boolean', actual: 'null' },
    { path: '$.nn', expected: 'number|null', actual: 'string' },
    { path: '$.list[0].id', expected: 'number', actual: 'string' },
    { path: '$.map["b"]', expected: 'number', actual: 'string' },
  ]);
  const empty = compareShape(shape, { ...good, list: [], map: {} });
  assert.deepEqual(empty, { mismatches: [], emptyArrays: ['$.list'], emptyMaps: ['$.map'] });
  assert.deepEqual(compareShape(shape, [good]).mismatches, [
    { path: '$', expected: 'object', actual: 'array' },
  ]);
});

test('shiftTime keeps each stored format', () => {
  const day = 86_400_000;
  assert.equal(shiftTime('2026-05-17T18:13:27Z', day), '2026-05-18T18:13:27Z');
  assert.equal(shiftTime('2026-03-17T21:29:49.055Z', day), '2026-03-18T21:29:49.055Z');
  assert.equal(shiftTime('2026-03-29 17:37:40', day), '2026-03-30 17:37:40');
  assert.equal(shiftTime(1779041349, day), 1779041349 + 86_400);
  assert.equal(shiftTime(null, day), null);
  assert.throws(() => shiftTime('17 May 2026', day), /unexpected time format/);
});

test('freshFixtureCopy moves every time by one delta: the newest lands on now', () => {
  const dir = tempDir('meshlens-fresh-');
  try {
    const now = Date.parse('2026-12-01T12:00:00Z');
    const { path, deltaMs } = freshFixtureCopy(dir, now);
    assert.equal(deltaMs, now - FIXTURE_NOW_MS);
    const db = new Database(path, { readonly: true });
    try {
      const one = (sql: string) => Object.values(db.prepare(sql).get() as object)[0];
      assert.equal(one('SELECT max(first_seen) FROM transmissions'), '2026-12-01T12:00:00Z');
      assert.equal(one('SELECT max(last_seen) FROM nodes'), '2026-12-01T12:00:00Z');
      // 18:09:09 in the fixture, 4 min 18 s before its newest time; still integer seconds.
      assert.equal(one('SELECT max(timestamp) FROM observations'), (now - 258_000) / 1000);
      assert.equal(one("SELECT count(*) FROM observations WHERE typeof(timestamp) <> 'integer'"), 0);
      assert.equal(one('SELECT min(first_seen) FROM observers'), '2026-10-01T15:14:32.015Z');
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
