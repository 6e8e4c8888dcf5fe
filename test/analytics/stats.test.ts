// ValueTally (src/analytics/shared/stats.ts) against plain list statistics: min, max, median and
// histogram exactly, mean and stddev to rounding, in quarter mode and after a non-quarter value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ValueTally, histogram, topK } from '../../src/analytics/shared/stats.js';

function oracle(values: number[]) {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  const avg = s.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(s.reduce((a, v) => a + (v - avg) ** 2, 0) / n);
  return { min: s[0], max: s[n - 1], median: s[n >> 1], avg, sd };
}

const quarter = fc.integer({ min: -600, max: 600 }).map((q) => q / 4);

test('ValueTally equals list statistics for quarter values and for mixed values', () => {
  for (const value of [quarter, fc.oneof(quarter, fc.double({ min: -150, max: 50, noNaN: true }))]) {
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 400 }), (generated) => {
        // Signed zero is not observable in the JSON output (-0 serializes as 0); the tally keeps
        // one zero bucket, so compare over values with -0 folded into 0.
        const values = generated.map((v) => v + 0);
        const t = new ValueTally();
        for (const v of values) t.add(v);
        const o = oracle(values);
        const st = t.stats();
        assert.deepEqual([st.min, st.max, st.median], [o.min, o.max, o.median]);
        assert.ok(Math.abs(st.avg - o.avg) < 1e-9 && Math.abs(st.stddev - o.sd) < 1e-9);
        assert.deepEqual(t.histogram(20), histogram(Float64Array.from(values), values.length, 20));
        assert.equal(t.n, values.length);
      }),
      { numRuns: 200 },
    );
  }
  assert.deepEqual(new ValueTally().histogram(20), { bins: [], min: 0, max: 0 });
});

test('topK returns the first k in order, ties in index order', () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 200 }),
      fc.integer({ min: 1, max: 30 }),
      (xs, k) => {
        const want = xs
          .map((_, i) => i)
          .sort((a, b) => xs[b] - xs[a] || a - b)
          .slice(0, k);
        assert.deepEqual(
          topK(xs.length, k, (a, b) => xs[a] > xs[b]),
          want,
        );
      },
    ),
  );
});
