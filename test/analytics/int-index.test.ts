// IntIndex (src/analytics/shared/int-index.ts) against a Map oracle, through growth.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { IntIndex } from '../../src/analytics/shared/int-index.js';

test('IntIndex agrees with a Map for any sequence of sets and gets', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: 1e6 })), {
        maxLength: 3000,
      }),
      (ops) => {
        const idx = new IntIndex();
        const oracle = new Map<number, number>();
        for (const [k, v] of ops) {
          idx.set(k, v);
          oracle.set(k, v);
        }
        assert.equal(idx.size, oracle.size);
        for (const [k, v] of oracle) assert.equal(idx.get(k), v);
        for (const [k] of ops) assert.equal(idx.get(k + 1), oracle.get(k + 1) ?? -1);
      },
    ),
    { numRuns: 50 },
  );
});
