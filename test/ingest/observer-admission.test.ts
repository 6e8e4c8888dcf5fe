// Issue 13 #5: the token bucket of new observers per source.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ObserverAdmission } from '../../src/ingest/observer-admission.js';

test('a burst per source, then newPerMinute; sources are independent; 0 = no limit', () => {
  let now = 1_000_000;
  const a = new ObserverAdmission({ newPerMinute: 60, burst: 3 }, () => now);
  assert.deepEqual(
    [1, 2, 3, 4].map(() => a.take('mqtt')),
    [true, true, true, false],
  );
  assert.equal(a.take('api'), true);
  now += 999;
  assert.equal(a.take('mqtt'), false);
  now += 1;
  assert.equal(a.take('mqtt'), true); // one token a second
  now += 3_600_000;
  assert.deepEqual(
    [1, 2, 3, 4].map(() => a.take('mqtt')),
    [true, true, true, false],
  ); // refills up to the burst only
  assert.equal(a.refused, 3);
  const off = new ObserverAdmission({ newPerMinute: 0, burst: 1 }, () => now);
  assert.ok(Array.from({ length: 1000 }, () => off.take('x')).every(Boolean));
});
