import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseIsoTime, resolveUploaderTime } from '../../src/ingest/uploader-time.js';

const now = Date.parse('2026-05-17T12:00:00Z');
const H = 3600_000;

test('zoned values: trusted, offsets applied, slight future clamped to now', () => {
  assert.deepEqual(resolveUploaderTime('2026-05-17T13:00:00+02:00', now), {
    status: 'accepted',
    timestampMs: now - H,
    naive: false,
    skewMs: -H,
  });
  assert.deepEqual(resolveUploaderTime('2026-05-17T14:00:00Z', now), {
    status: 'clamped',
    timestampMs: now,
    naive: false,
    skewMs: 2 * H,
  });
});

test('bounds: more than 14 h ahead or 30 days back is rejected, skew still reported', () => {
  assert.deepEqual(resolveUploaderTime('2026-05-18T02:00:01Z', now), {
    status: 'too_far_future',
    timestampMs: null,
    naive: false,
    skewMs: 14 * H + 1000,
  });
  assert.equal(resolveUploaderTime('2026-05-18T02:00:00Z', now).status, 'clamped');
  assert.equal(resolveUploaderTime('2026-04-17T11:59:59Z', now).status, 'too_far_past');
  assert.equal(resolveUploaderTime('2026-04-17T12:00:00Z', now).status, 'accepted');
});

test('naive values: read as UTC, clamped beyond 15 min with the skew recorded', () => {
  assert.deepEqual(resolveUploaderTime('2026-05-17T12:10:00', now), {
    status: 'accepted',
    timestampMs: now + 10 * 60_000,
    naive: true,
    skewMs: 10 * 60_000,
  });
  assert.deepEqual(resolveUploaderTime('2026-05-17T05:00:00.123456', now), {
    status: 'clamped',
    timestampMs: now,
    naive: true,
    skewMs: -7 * H + 123,
  });
});

test('absent, unparseable and numeric epochs', () => {
  assert.equal(resolveUploaderTime(undefined, now).status, 'absent');
  assert.equal(resolveUploaderTime('', now).status, 'absent');
  assert.equal(resolveUploaderTime('yesterday', now).status, 'unparseable');
  assert.equal(resolveUploaderTime('2026-02-30T00:00:00Z', now).status, 'unparseable');
  assert.equal(resolveUploaderTime({}, now).status, 'unparseable');
  assert.equal(resolveUploaderTime((now - 5000) / 1000, now).timestampMs, now - 5000);
  assert.equal(resolveUploaderTime(now - 5000, now).timestampMs, now - 5000);
});

test('property: any Date round-trips through its ISO string', () => {
  fc.assert(
    fc.property(fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }), (d) => {
      assert.deepEqual(parseIsoTime(d.toISOString()), { ms: d.getTime(), naive: false });
    }),
  );
});
