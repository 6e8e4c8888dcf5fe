// GET /api/observers/clock-skew (spec analytics §6.3): one row per calibrated observer.
// offsetSec > 0 means the observer's timestamps are late/ahead. `method` (a meshlens addition)
// says whether the offset is a real clock offset ("uploader-clock") or, for observers that send
// no timestamp of their own, CoreScope's relative ingest latency ("ingest-latency"); see
// clock-skew.ts for both estimators.
import {
  buildClockSkewEngine,
  type CalibrationMethod,
  type ClockSkewEngine,
} from '../shared/clock-skew-engine.js';
import type { AnalyticsInput } from '../inputs/input.js';
import type { AnalyticsQuery } from '../shared/query.js';
import { round } from '../shared/robust-stats.js';

export interface ObserverClockSkew {
  observerID: string;
  observerName: string | null;
  offsetSec: number;
  samples: number;
  method: CalibrationMethod;
}

export type ObserversClockSkewResponse = ObserverClockSkew[];

export function observersClockSkewFromEngine(e: ClockSkewEngine): ObserversClockSkewResponse {
  const out: ObserverClockSkew[] = [];
  const { observers } = e.input;
  for (let o = 0; o < observers.count; o++) {
    const method = e.observerMethod[o];
    if (method === null) continue;
    out.push({
      observerID: observers.id(o),
      observerName: observers.name(o),
      offsetSec: round(e.observerOffsetMs[o] / 1000, 1),
      samples: e.observerSamples[o],
      method,
    });
  }
  // |offset| desc (§6.3), then id for a deterministic order (§9.6).
  out.sort(
    (a, b) =>
      Math.abs(b.offsetSec) - Math.abs(a.offsetSec) ||
      (a.observerID < b.observerID ? -1 : a.observerID > b.observerID ? 1 : 0),
  );
  return out;
}

/** No query parameters apply (§6.3); the query is accepted for the common signature. */
export function computeObserversClockSkew(
  input: AnalyticsInput,
  _query: AnalyticsQuery,
): ObserversClockSkewResponse {
  return observersClockSkewFromEngine(buildClockSkewEngine(input));
}
