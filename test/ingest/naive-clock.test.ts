// "Naive clock" observers (spec analytics §6.7) on hand-built MQTT messages: which envelope
// timestamps make a naive-clock event and with which signed offset, the `repeat` flag of status
// messages, and the record rules (count reset after 24 h, read-time decay after 24 h).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  admission,
  packetSighting,
  parseObserverMessage,
  type ObserverMessage,
} from '../../src/ingest/observer-message.js';
import { naiveClockSkewMs } from '../../src/ingest/uploader-time.js';
import { observerClockAt, recordNaiveClockEvent } from '../../src/store/observer-clock.js';
import { newObserverRecord } from '../../src/store/records.js';

const OBS = 'AB'.repeat(32);
const NOW = Date.parse('2026-05-17T12:00:00Z');
const H = 3600_000;
const ctx = { nowMs: NOW, admission: admission({}) };
const RAW = '1100AABBCCDD';

function parse(kind: 'packets' | 'status', body: Record<string, unknown>): ObserverMessage {
  const m = parseObserverMessage(`meshcore/SEA/${OBS}/${kind}`, JSON.stringify(body), ctx);
  assert.ok(m.ok, JSON.stringify(m));
  return m;
}

/** The naive-clock offset (ms) a packet message with this envelope timestamp records, or null. */
function packetEvent(timestamp: unknown): number | null {
  const m = parse('packets', { raw: RAW, timestamp });
  assert.equal(m.kind, 'packets');
  if (m.kind !== 'packets') return null;
  return packetSighting(m, 'test', NOW, `meshcore/SEA/${OBS}/packets`).naiveSkewMs ?? null;
}

/** The same for a status message. */
function statusEvent(timestamp: unknown): number | null {
  const m = parse('status', { status: 'online', timestamp });
  assert.equal(m.kind, 'status');
  return m.kind === 'status' ? naiveClockSkewMs(m.status.uploaderTime) : null;
}

test('a naive timestamp 2 h ahead of UTC (a UTC+2 uploader) is an event of +7200 s', () => {
  // Python isoformat() of local time in UTC+2: 14:00 while it is 12:00 UTC.
  assert.equal(packetEvent('2026-05-17T14:00:00.000000'), 2 * H);
  assert.equal(statusEvent('2026-05-17T14:00:00'), 2 * H);
  // A UTC-7 uploader is behind UTC: negative.
  assert.equal(packetEvent('2026-05-17T05:00:00.250000'), -7 * H + 250);
  assert.equal(statusEvent('2026-05-17T05:00:00'), -7 * H);
});

test('no event: naive within 15 min, beyond the 14 h / 30 day bounds, absent or unparseable', () => {
  assert.equal(packetEvent('2026-05-17T12:15:00'), null, 'exactly 15 min is tolerated');
  assert.equal(packetEvent('2026-05-17T11:45:00'), null);
  assert.equal(packetEvent('2026-05-17T12:15:01'), 15 * 60_000 + 1000);
  // Rejected by the earlier rules (ingest time used), so not recorded as a naive offset.
  assert.equal(packetEvent('2026-05-18T02:00:01'), null, 'more than 14 h ahead');
  assert.equal(packetEvent('2026-04-17T11:59:59'), null, 'more than 30 days back');
  assert.equal(packetEvent(undefined), null);
  assert.equal(packetEvent('yesterday'), null);
  assert.equal(statusEvent(undefined), null);
});

test('zone-aware timestamps are never flagged, however far off', () => {
  for (const ts of [
    '2026-05-17T14:00:00+02:00', // = now
    '2026-05-17T09:00:00Z', // 3 h behind: accepted as is
    '2026-05-17T14:00:00Z', // 2 h ahead: clamped to now, not naive
    '2026-05-17T05:00:00-07:00', // = now
    '2026-05-17T12:00:00.123456+00:00',
  ]) {
    assert.equal(packetEvent(ts), null, ts);
    assert.equal(statusEvent(ts), null, ts);
  }
  // Epoch numbers carry no zone ambiguity either.
  assert.equal(packetEvent(NOW / 1000 - 7 * 3600), null);
});

test('status `repeat`: on/off/true/false/1/0 and absent (null: not stated)', () => {
  const relay = (body: Record<string, unknown>) => {
    const m = parse('status', { status: 'online', ...body });
    return m.kind === 'status' ? m.status.canRelay : undefined;
  };
  assert.equal(relay({ repeat: 'on' }), true);
  assert.equal(relay({ repeat: true }), true);
  assert.equal(relay({ repeat: 1 }), true);
  assert.equal(relay({ repeat: 'off' }), false);
  assert.equal(relay({ repeat: false }), false);
  assert.equal(relay({ repeat: '0' }), false);
  assert.equal(relay({}), null);
  assert.equal(relay({ repeat: 'maybe' }), null);
});

test('events: count increments within 24 h, resets to 1 after; last time and signed skew kept', () => {
  const rec = newObserverRecord(OBS, NOW);
  recordNaiveClockEvent(rec, 2 * H, NOW);
  assert.deepEqual([rec.clockSkewSeconds, rec.clockSkewCount24h, rec.clockLastNaiveAtMs], [7200, 1, NOW]);
  recordNaiveClockEvent(rec, 2 * H + 400, NOW + H);
  assert.deepEqual([rec.clockSkewSeconds, rec.clockSkewCount24h, rec.clockLastNaiveAtMs], [7200, 2, NOW + H]);
  // Exactly 24 h after the previous event still counts as within the window.
  recordNaiveClockEvent(rec, 2 * H, NOW + 25 * H);
  assert.deepEqual([rec.clockSkewCount24h, rec.clockLastNaiveAtMs], [3, NOW + 25 * H]);
  // More than 24 h after the previous event: reset to 1; the new offset replaces the old one.
  recordNaiveClockEvent(rec, -7 * H, NOW + 49 * H + 1);
  assert.deepEqual(
    [rec.clockSkewSeconds, rec.clockSkewCount24h, rec.clockLastNaiveAtMs],
    [-25200, 1, NOW + 49 * H + 1],
  );
});

test('read-time decay: naive while the last event is within 24 h, then false/null/0/null', () => {
  const rec = newObserverRecord(OBS, NOW);
  assert.deepEqual(observerClockAt(rec, NOW), {
    naive: false,
    skewSeconds: null,
    count24h: 0,
    lastNaiveAtMs: null,
  });
  recordNaiveClockEvent(rec, -2 * H, NOW);
  recordNaiveClockEvent(rec, -2 * H, NOW + 60_000);
  const live = { naive: true, skewSeconds: -7200, count24h: 2, lastNaiveAtMs: NOW + 60_000 };
  assert.deepEqual(observerClockAt(rec, NOW + 60_000), live);
  assert.deepEqual(observerClockAt(rec, NOW + 60_000 + 24 * H), live);
  assert.deepEqual(observerClockAt(rec, NOW + 60_000 + 24 * H + 1), {
    naive: false,
    skewSeconds: null,
    count24h: 0,
    lastNaiveAtMs: null,
  });
  // The record itself is untouched (no sweeper): a new event later counts from 1 again.
  assert.equal(rec.clockSkewCount24h, 2);
  recordNaiveClockEvent(rec, -2 * H, NOW + 30 * H);
  assert.equal(rec.clockSkewCount24h, 1);
});
