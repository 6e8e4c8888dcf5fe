// iso and isoJsonArray (api/routes/render.ts) write exactly what toISOString (in JSON.stringify)
// writes, for any time Date accepts: the per-day prefix cache must not change a single character.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { iso, isoJsonArray } from '../../src/api/routes/render.js';

const reference = (times: number[]) => JSON.stringify(times.map((ms) => new Date(ms).toISOString()));

test('isoJsonArray equals toISOString per element (sorted and unsorted, fractions, day edges)', () => {
  const day = 86_400_000;
  const edges = [0, -1, 1, day - 1, day, -day, -0.5, 0.5, 1_779_000_000_000.9, 253_402_300_799_999];
  assert.equal(isoJsonArray(edges), reference(edges));
  assert.equal(isoJsonArray([]), '[]');
  // Outside years 0..9999 toISOString writes a signed six-digit year: still identical.
  assert.equal(
    isoJsonArray([253_402_300_800_000, -62_167_219_200_001]),
    reference([253_402_300_800_000, -62_167_219_200_001]),
  );
  const time = fc.double({ min: -8.64e15, max: 8.64e15, noNaN: true });
  fc.assert(
    fc.property(fc.array(time, { maxLength: 50 }), (times) => {
      assert.equal(isoJsonArray(times), reference(times));
      const sorted = [...times].sort((a, b) => a - b);
      assert.equal(isoJsonArray(sorted), reference(sorted));
    }),
    { numRuns: 2000 },
  );
});

test('iso equals toISOString for any time (its day cache shared across calls), null when not finite', () => {
  const time = fc.double({ min: -8.64e15, max: 8.64e15, noNaN: true });
  fc.assert(
    fc.property(fc.array(time, { minLength: 1, maxLength: 20 }), (times) => {
      for (const t of times) assert.equal(iso(t), new Date(t).toISOString());
    }),
    { numRuns: 2000 },
  );
  assert.deepEqual([iso(NaN), iso(Infinity)], [null, null]);
});
