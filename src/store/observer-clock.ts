// "Naive clock" observers (spec analytics §6.7): the rules ingest applies when an observer's
// envelope timestamp is naive (no zone) and more than 15 min off server time, and the 24 h
// read-time decay the API applies. Pure functions over the observer record, shared by ingest
// (which records the events) and the read model (which derives `clock_naive`).
import type { ObserverRecord } from './records.js';

/** An event older than this resets the count; a last event older than this reads as decayed. */
export const NAIVE_CLOCK_WINDOW_MS = 24 * 3600_000;

/**
 * Records one naive-clock event on `rec` (mutates it): the signed offset (ms, observer time
 * minus server time; negative = observer behind UTC) seen at server time `atMs`. The count is
 * reset to 1 when the previous event is older than 24 h (or there was none), else incremented.
 */
export function recordNaiveClockEvent(rec: ObserverRecord, skewMs: number, atMs: number): void {
  const last = rec.clockLastNaiveAtMs;
  const fresh = last !== null && Number.isFinite(last) && atMs - last <= NAIVE_CLOCK_WINDOW_MS;
  rec.clockSkewCount24h = fresh ? rec.clockSkewCount24h + 1 : 1;
  rec.clockSkewSeconds = Math.round(skewMs / 1000);
  // An event delivered out of order never moves the last-event time backwards.
  if (last === null || !Number.isFinite(last) || atMs > last) rec.clockLastNaiveAtMs = atMs;
}

/** What the API shows at `nowMs`: the recorded values while the last event is within 24 h. */
export interface ObserverClock {
  naive: boolean;
  skewSeconds: number | null;
  count24h: number;
  lastNaiveAtMs: number | null;
}

/** The read-time decay: once the last event is more than 24 h old, false/null/0/null. */
export function observerClockAt(rec: ObserverRecord, nowMs: number): ObserverClock {
  const last = rec.clockLastNaiveAtMs;
  if (last === null || !Number.isFinite(last) || nowMs - last > NAIVE_CLOCK_WINDOW_MS)
    return { naive: false, skewSeconds: null, count24h: 0, lastNaiveAtMs: null };
  return {
    naive: true,
    skewSeconds: rec.clockSkewSeconds,
    count24h: rec.clockSkewCount24h,
    lastNaiveAtMs: last,
  };
}
