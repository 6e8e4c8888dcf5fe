// Per-node clock skew (spec analytics §6.4-6.6): the fleet list GET /api/nodes/clock-skew and
// the single node GET /api/nodes/:pubkey/clock-skew. A node's series is its *own* adverts only
// (advertiser == node, §9.4), each reduced by the engine to the median of its corrected skews.
//
// Differences from CoreScope, all on purpose (docs/compatibility.md "Analytics"):
// - Recent window: the last 5 adverts within 24 h of the latest (CoreScope: within 1 h, i.e. a
//   single advert for any node advertising less than hourly).
// - Severity: recent values are split into good (|skew| ≤ 1 h) and not good. All of one kind,
//   or one step between kinds (a clock that was reset, or fixed: the values after the step
//   win), is classified by the threshold class of the median, so `critical` and `absurd` are
//   reachable; two or more alternations are `bimodal_clock` (median of the good values).
// - Reset detection (`clockReset`): the advert clock went backwards by over an hour to more than a
//   day behind, or the latest advert clock sits just after a default epoch of RTC-less nodes.
// - Drift: Theil–Sen over the newest segment without a jump > 60 s, ≥ 5 adverts over ≥ 12 h
//   (advert clocks have 1 s resolution: shorter spans give noise, not drift).
import {
  buildClockSkewEngine,
  bestObservedMs,
  isCalibrated,
  severityOf,
  GOOD_MAX_SEC,
} from '../shared/clock-skew-engine.js';
import type { ClockSeverity, ClockSkewEngine } from '../shared/clock-skew-engine.js';
import type { AnalyticsInput } from '../inputs/input.js';
import { inPolygon } from '../../config/areas.js';
import type { AnalyticsQuery } from '../shared/query.js';
import { median, medianInPlace, round, theilSenSlope } from '../shared/robust-stats.js';

const RECENT_MAX = 5;
const RECENT_SPAN_SEC = 24 * 3600;
const DRIFT_MIN_POINTS = 5;
const DRIFT_MIN_SPAN_SEC = 12 * 3600;
const DRIFT_MAX_POINTS = 64;
const DRIFT_JUMP_SEC = 60;
const EVIDENCE_HASHES = 10;
/** Default epochs of RTC-less nodes: 2023-01-01 (seen in the fixture and simulator) and MeshCore's
 * volatile clock start (2024-05-15 10:52:31Z). A clock within 180 days after one is a restart. */
const DEFAULT_EPOCHS_SEC = [1672531200, 1715770351];
const RESET_UPTIME_SEC = 180 * 86400;

export interface RecentBadSample {
  hash: string;
  advertTS: number;
  skewSec: number;
}

export interface NodeClockSkewSummary {
  pubkey: string;
  meanSkewSec: number;
  medianSkewSec: number;
  lastSkewSec: number;
  recentMedianSkewSec: number;
  driftPerDaySec: number;
  severity: ClockSeverity;
  sampleCount: number;
  calibrated: boolean;
  lastAdvertTS: number;
  lastObservedTS: number;
  goodFraction: number;
  recentBadSampleCount: number;
  recentSampleCount: number;
  recentBadSamples: RecentBadSample[];
  /** meshlens addition: the clock restarted (went backwards, or sits at a default epoch). */
  clockReset: boolean;
}

export interface FleetClockSkewEntry extends NodeClockSkewSummary {
  nodeName: string | null;
  nodeRole: string | null;
}

export type NodesClockSkewResponse = FleetClockSkewEntry[];

export interface HashEvidenceObserver {
  observerID: string;
  observerName: string;
  rawSkewSec: number;
  correctedSkewSec: number;
  observerOffsetSec: number;
  calibrated: boolean;
}

export interface NodeClockSkewResponse extends NodeClockSkewSummary {
  samples: Array<{ ts: number; skew: number }>;
  recentHashEvidence: Array<{
    hash: string;
    timestamp: number;
    medianCorrectedSkewSec: number;
    observers: HashEvidenceObserver[];
  }>;
  calibrationSummary: { totalSamples: number; calibratedSamples: number; uncalibratedSamples: number };
}

function isDefaultEpochClock(advertSec: number): boolean {
  for (const e of DEFAULT_EPOCHS_SEC) if (advertSec >= e && advertSec < e + RESET_UPTIME_SEC) return true;
  return false;
}

const driftScratch = new Float64Array((DRIFT_MAX_POINTS * (DRIFT_MAX_POINTS - 1)) / 2);
const xs = new Float64Array(DRIFT_MAX_POINTS);
const ys = new Float64Array(DRIFT_MAX_POINTS);

/** Over all of a node's adverts (hash slots a..b-1): sum, samples, calibration, clock resets. */
function wholeSeries(e: ClockSkewEngine, a: number, b: number) {
  const n = b - a;
  const H = e.nodeHashes;
  const skew = e.hashMedianSkew;
  let sum = 0;
  let sampleCount = 0;
  let calibrated = false;
  let clockReset = false;
  const all = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const h = H[a + k];
    sum += skew[h];
    all[k] = skew[h];
    sampleCount += e.hashSamples[h];
    if (e.hashCalibrated[h]) calibrated = true;
    // Went backwards to a clock over a day behind: a restart, not a correction of a fast clock.
    if (k > 0 && e.hashAdvertSec[h] < e.hashAdvertSec[H[a + k - 1]] - 3600 && skew[h] < -86400)
      clockReset = true;
  }
  if (isDefaultEpochClock(e.hashAdvertSec[H[b - 1]])) clockReset = true;
  return { sum, sampleCount, calibrated, clockReset, all };
}

/** Recent window: newest first, at most RECENT_MAX within RECENT_SPAN_SEC of the latest. */
function recentWindow(e: ClockSkewEngine, a: number, b: number) {
  const H = e.nodeHashes;
  const skew = e.hashMedianSkew;
  const ts = e.hashObservedSec;
  const last = H[b - 1];
  let r0 = b - 1;
  while (r0 > a && b - r0 < RECENT_MAX && ts[H[r0 - 1]] >= ts[last] - RECENT_SPAN_SEC) r0--;
  const recent: number[] = [];
  const good: number[] = [];
  const bad: RecentBadSample[] = [];
  let transitions = 0;
  let stepAt = r0;
  for (let k = r0; k < b; k++) {
    const h = H[k];
    const v = skew[h];
    recent.push(v);
    const isGood = Math.abs(v) <= GOOD_MAX_SEC;
    if (isGood) good.push(v);
    else bad.push({ hash: e.input.tx.hash(e.hashTx[h]), advertTS: e.hashAdvertSec[h], skewSec: round(v, 1) });
    if (k > r0 && isGood !== Math.abs(skew[H[k - 1]]) <= GOOD_MAX_SEC) {
      transitions++;
      stepAt = k;
    }
  }
  let severity: ClockSeverity;
  let recentMedian: number;
  if (transitions >= 2) {
    severity = 'bimodal_clock';
    recentMedian = median(good);
  } else {
    // Homogeneous (stepAt = r0) or one step: the values since the step describe the clock now.
    recentMedian = median(recent.slice(stepAt - r0));
    severity = severityOf(Math.abs(recentMedian));
  }
  return { recent, good, bad, severity, recentMedian };
}

/** Drift (s/day): Theil–Sen over the newest segment without a jump; 0 when too short. */
function driftPerDay(e: ClockSkewEngine, a: number, b: number): number {
  const H = e.nodeHashes;
  const skew = e.hashMedianSkew;
  const ts = e.hashObservedSec;
  // Newest segment without a jump (a re-sync or reset starts a new segment).
  let s0 = b - 1;
  while (s0 > a && b - s0 < DRIFT_MAX_POINTS && Math.abs(skew[H[s0]] - skew[H[s0 - 1]]) <= DRIFT_JUMP_SEC)
    s0--;
  const m = b - s0;
  if (m >= DRIFT_MIN_POINTS && ts[H[b - 1]] - ts[H[s0]] >= DRIFT_MIN_SPAN_SEC) {
    for (let k = 0; k < m; k++) {
      xs[k] = ts[H[s0 + k]];
      ys[k] = skew[H[s0 + k]];
    }
    const slope = theilSenSlope(xs, ys, m, driftScratch) * 86400;
    if (Number.isFinite(slope) && Math.abs(slope) <= 86400) return slope;
  }
  return 0;
}

/** The per-node estimate; null when the node has no observed advert with a clock. */
export function nodeSummary(e: ClockSkewEngine, node: number): NodeClockSkewSummary | null {
  const a = e.nodeStart[node];
  const b = e.nodeStart[node + 1];
  const n = b - a;
  if (n === 0) return null;
  const last = e.nodeHashes[b - 1];
  const whole = wholeSeries(e, a, b);
  const { recent, good, bad, severity, recentMedian } = recentWindow(e, a, b);
  const drift = severity !== 'no_clock' && severity !== 'bimodal_clock' ? driftPerDay(e, a, b) : 0;
  const nRecent = recent.length;
  return {
    pubkey: e.input.nodes.publicKey(node),
    meanSkewSec: round(whole.sum / n, 1),
    medianSkewSec: round(medianInPlace(whole.all), 1),
    lastSkewSec: round(e.hashMedianSkew[last], 1),
    recentMedianSkewSec: round(recentMedian, 1),
    driftPerDaySec: round(drift, 2),
    severity,
    sampleCount: whole.sampleCount,
    calibrated: whole.calibrated,
    lastAdvertTS: e.hashAdvertSec[last],
    lastObservedTS: round(e.hashObservedSec[last], 3),
    goodFraction: round(good.length / nRecent, 2),
    recentBadSampleCount: nRecent - good.length,
    recentSampleCount: nRecent,
    recentBadSamples: bad,
    clockReset: whole.clockReset,
  };
}

function nodeDetail(e: ClockSkewEngine, node: number, summary: NodeClockSkewSummary): NodeClockSkewResponse {
  const a = e.nodeStart[node];
  const b = e.nodeStart[node + 1];
  const { obs, observers, tx } = e.input;
  const samples: NodeClockSkewResponse['samples'] = [];
  for (let k = a; k < b; k++) {
    const h = e.nodeHashes[k];
    samples.push({ ts: round(e.hashObservedSec[h], 3), skew: round(e.hashMedianSkew[h], 1) });
  }
  const evidence: NodeClockSkewResponse['recentHashEvidence'] = [];
  let total = 0;
  let calibratedRows = 0;
  for (let k = b - 1; k >= a && evidence.length < EVIDENCE_HASHES; k--) {
    const h = e.nodeHashes[k];
    const adv = e.hashAdvertSec[h];
    const rows: HashEvidenceObserver[] = [];
    const kept: number[] = [];
    for (let j = e.obsStart[h]; j < e.obsStart[h + 1]; j++) {
      const r = e.obsRows[j];
      const o = obs.observer(r);
      const raw = adv - obs.rxMs(r) / 1000;
      const corrected = adv - bestObservedMs(e, r) / 1000;
      const cal = isCalibrated(e, r);
      if (Math.abs(corrected) <= 86400) kept.push(corrected);
      total++;
      if (cal) calibratedRows++;
      rows.push({
        observerID: o >= 0 ? observers.id(o) : '',
        observerName: (o >= 0 ? observers.name(o) : null) ?? (o >= 0 ? observers.id(o) : ''),
        rawSkewSec: round(raw, 1),
        correctedSkewSec: round(corrected, 1),
        observerOffsetSec: cal ? round(e.observerOffsetMs[o] / 1000, 1) : 0,
        calibrated: cal,
      });
    }
    evidence.push({
      hash: tx.hash(e.hashTx[h]),
      timestamp: round(e.hashObservedSec[h], 3),
      medianCorrectedSkewSec: kept.length ? round(median(kept), 1) : 0,
      observers: rows,
    });
  }
  return {
    ...summary,
    samples,
    recentHashEvidence: evidence,
    calibrationSummary: {
      totalSamples: total,
      calibratedSamples: calibratedRows,
      uncalibratedSamples: total - calibratedRows,
    },
  };
}

/** Fleet list from a built engine; `area` keeps nodes whose position is inside (§6.5). */
export function fleetFromEngine(e: ClockSkewEngine, query: AnalyticsQuery): NodesClockSkewResponse {
  const { nodes } = e.input;
  const out: FleetClockSkewEntry[] = [];
  for (let i = 0; i < nodes.count; i++) {
    if (e.nodeStart[i + 1] === e.nodeStart[i]) continue;
    if (query.area) {
      const lat = nodes.lat(i);
      const lon = nodes.lon(i);
      if (!Number.isFinite(lat) || !Number.isFinite(lon) || (lat === 0 && lon === 0)) continue;
      if (!inPolygon(lat, lon, query.area.polygon)) continue;
    }
    const s = nodeSummary(e, i);
    if (s) out.push({ ...s, nodeName: nodes.name(i), nodeRole: nodes.role(i) });
  }
  // Deterministic order (§9.6; CoreScope returns map order): by public key.
  out.sort((x, y) => (x.pubkey < y.pubkey ? -1 : x.pubkey > y.pubkey ? 1 : 0));
  return out;
}

export function computeNodesClockSkew(input: AnalyticsInput, query: AnalyticsQuery): NodesClockSkewResponse {
  return fleetFromEngine(buildClockSkewEngine(input), query);
}

/** Single node with series and evidence; null (-> 404) when the node has no advert clock data. */
export function computeNodeClockSkew(
  input: AnalyticsInput,
  pubkey: string,
  engine?: ClockSkewEngine,
): NodeClockSkewResponse | null {
  const key = pubkey.trim().toLowerCase();
  const { nodes } = input;
  let node = -1;
  for (let i = 0; i < nodes.count; i++) {
    if (nodes.publicKey(i) === key) {
      node = i;
      break;
    }
  }
  if (node < 0) return null;
  // A built engine (the worker's, per data version) makes a per-node miss cheap (spec §9 item 2).
  const e = engine ?? buildClockSkewEngine(input);
  const s = nodeSummary(e, node);
  return s ? nodeDetail(e, node, s) : null;
}
