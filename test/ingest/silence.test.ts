// The silence rule of one source (silence.ts): threshold = max(floor, factor x expected gap),
// the gap from its own rate; escalation resubscribe -> reconnect (every threshold); a message
// clears it; a source that never delivered is not judged; a fresh subscription gets a full
// threshold.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SilenceWatch } from '../../src/ingest/silence.js';

test('silence: threshold from the own rate, escalation, recovery', () => {
  const w = new SilenceWatch({ floorMs: 1000, factor: 10 });
  assert.equal(w.check(100_000, 0), 'none', 'never delivered: not judged');
  assert.equal(w.thresholdMs(), null);
  // One message every 500 ms for a minute: expected gap 500 ms, threshold 10 x 500 = 5 s.
  let t = 0;
  for (let i = 1; i <= 120; i++) w.message((t = i * 500), i);
  assert.equal(w.thresholdMs(), 5000);
  assert.equal(w.check(t + 4900, 0), 'none');
  assert.equal(w.check(t + 5100, 0), 'resubscribe');
  assert.equal(w.silent, true);
  assert.equal(w.silentSinceMs, t + 5000);
  assert.equal(w.check(t + 6000, 0), 'none', 'one threshold after the resubscription');
  assert.equal(w.check(t + 10_200, 0), 'reconnect');
  assert.equal(w.check(t + 15_300, t + 10_500), 'reconnect', 'again every threshold while silent');
  assert.deepEqual([w.resubscribes, w.reconnects], [1, 2]);
  w.message(t + 16_000, 1);
  assert.equal(w.silent, false);
  assert.equal(w.check(t + 16_500, t + 10_500), 'none');
});

test('silence: the floor bounds a fast source; a fresh subscription gets a full threshold', () => {
  const w = new SilenceWatch({ floorMs: 2000, factor: 3 });
  for (let i = 1; i <= 1000; i++) w.message(i * 10, i);
  assert.equal(w.thresholdMs(), 2000, '3 x 10 ms is under the floor');
  // Reconnected (after an outage) at 20 s: judged from the SUBACK, not from the last message.
  assert.equal(w.check(21_000, 20_000), 'none');
  assert.equal(w.check(22_100, 20_000), 'resubscribe');
});

test('silence: a sparse source (fewer than 5 messages in the window) is never judged', () => {
  const w = new SilenceWatch({ floorMs: 60_000, factor: 10 });
  // One advert every 10 minutes: the 5-minute window never holds more than one message.
  for (let i = 1; i <= 6; i++) {
    w.message(i * 600_000, 1);
    assert.equal(w.thresholdMs(), null);
    assert.equal(w.check(i * 600_000 + 599_000, 0), 'none');
  }
  assert.equal(w.silent, false);
  // Four in the window is still no rate; the fifth gives one: 4 gaps over the 5-minute window.
  for (let i = 1; i <= 4; i++) w.message(4_000_000 + i * 1000, i);
  assert.equal(w.thresholdMs(), null);
  w.message(4_005_000, 5);
  assert.equal(w.thresholdMs(), 750_000);
});
