// The clock-skew engine (spec analytics §6.1-6.2): one pass over ADVERT observations that
// calibrates observers and reduces every advert to a per-hash skew. Observers clock-skew, nodes
// clock-skew (fleet and single node) and roles all read its result.
//
// meshlens stores two times per observation: the server receive time (rxMs, our trusted clock,
// late by the upload latency) and the uploader's own stamp (uploaderMs, taken when the radio
// heard the packet, wrong by the observer's clock offset). Observer calibration therefore has
// two methods:
// - "uploader-clock": offset = P90 of (uploaderMs − rxMs) over all of the observer's
//   observations (every payload type). uploaderMs − rxMs = clockOffset − latency, and latency is
//   one-sided (≥ 0, long-tailed: MQTT buffering), so the upper tail estimates the clock offset at
//   the fastest deliveries; a median would fold the typical latency into the offset. We do not
//   compare uploader stamps across observers of one transmission: observers hear a flood at
//   different hops, seconds apart, which would bias far observers.
// - "ingest-latency" (observers that send no stamp): CoreScope's method on server times, i.e.
//   the median deviation of the observer's rxMs from the median best time of the same advert
//   (groups with ≥ 2 observations). This is relative upload latency, not a clock error (§6.1).
// An observation's best observed time is uploaderMs − offset when the observer is
// uploader-calibrated, else rxMs − latency offset when latency-calibrated, else rxMs.
import type { AnalyticsInput } from '../inputs/input.js';
import { medianInPlace, quantileInPlace } from './robust-stats.js';
import { FloatList } from './stats.js';

export type ClockSeverity = 'ok' | 'warning' | 'critical' | 'absurd' | 'no_clock' | 'bimodal_clock';
export type CalibrationMethod = 'uploader-clock' | 'ingest-latency';

/** |skew| thresholds (§6.1): ok < 5 min ≤ warning < 1 h ≤ critical < 30 d ≤ absurd < 365 d ≤ no_clock. */
export function severityOf(absSkewSec: number): ClockSeverity {
  if (absSkewSec < 300) return 'ok';
  if (absSkewSec < 3600) return 'warning';
  if (absSkewSec < 30 * 86400) return 'critical';
  if (absSkewSec < 365 * 86400) return 'absurd';
  return 'no_clock';
}

/** A "good" recent sample (§6.1). */
export const GOOD_MAX_SEC = 3600;
/** Advert clocks accepted at all: [1970, 2100). CoreScope drops pre-2020 clocks; we keep them so a
 * node whose clock restarted at 0 reports `no_clock` instead of having no data. */
const MAX_ADVERT_SEC = 4102444800;
/** Upper-tail quantile of uploader − server differences taken as the observer clock offset. */
const UPLOADER_OFFSET_QUANTILE = 0.9;

export interface ClockSkewEngine {
  readonly input: AnalyticsInput;
  /** Per observer: calibration method (null = uncalibrated), offset (ms) and sample count. */
  readonly observerMethod: (CalibrationMethod | null)[];
  readonly observerOffsetMs: Float64Array;
  readonly observerSamples: Int32Array;
  /** Per advert ("hash") index h, in tx row order. */
  readonly hashCount: number;
  readonly hashTx: Int32Array;
  readonly hashNode: Int32Array;
  readonly hashAdvertSec: Float64Array;
  readonly hashMedianSkew: Float64Array;
  readonly hashMeanSkew: Float64Array;
  readonly hashLastSkew: Float64Array;
  /** Latest best observed time of the advert (epoch s). */
  readonly hashObservedSec: Float64Array;
  readonly hashSamples: Int32Array;
  readonly hashCalibrated: Uint8Array;
  /** Observation rows of hash h: obsRows[obsStart[h] .. obsStart[h+1]). */
  readonly obsStart: Int32Array;
  readonly obsRows: Int32Array;
  /** Hashes of node i, sorted by observed time: nodeHashes[nodeStart[i] .. nodeStart[i+1]). */
  readonly nodeStart: Int32Array;
  readonly nodeHashes: Int32Array;
}

/** Best observed time of one observation (ms), per the observer's calibration. */
export function bestObservedMs(e: ClockSkewEngine, obsRow: number): number {
  const obs = e.input.obs;
  const o = obs.observer(obsRow);
  const method = o >= 0 ? e.observerMethod[o] : null;
  if (method === 'uploader-clock') {
    const u = obs.uploaderMs(obsRow);
    if (Number.isFinite(u)) return u - e.observerOffsetMs[o];
    return obs.rxMs(obsRow);
  }
  if (method === 'ingest-latency') return obs.rxMs(obsRow) - e.observerOffsetMs[o];
  return obs.rxMs(obsRow);
}

/** Whether the observation's time was corrected by a calibration. */
export function isCalibrated(e: ClockSkewEngine, obsRow: number): boolean {
  const o = e.input.obs.observer(obsRow);
  const method = o >= 0 ? e.observerMethod[o] : null;
  if (method === 'uploader-clock') return Number.isFinite(e.input.obs.uploaderMs(obsRow));
  return method === 'ingest-latency';
}

function calibrateUploaders(
  input: AnalyticsInput,
  method: (CalibrationMethod | null)[],
  offset: Float64Array,
  samples: Int32Array,
): void {
  const { obs } = input;
  const nObs = obs.count;
  const nObservers = input.observers.count;
  // One scan collects (observer, uploader - rx) pairs; a bucket pass groups them by observer.
  const pairObs: number[] = [];
  const pairDiff = new FloatList(1024);
  const spans = obs.spans?.();
  if (spans) {
    for (const { start, end, observer, rxMs, uploaderDeltaMs } of spans) {
      for (let i = 0, n = end - start; i < n; i++) {
        const rx = rxMs[i];
        const u = rx + uploaderDeltaMs[i]; // exactly the accessor's uploaderMs
        if (!Number.isFinite(u)) continue;
        pairObs.push(observer[i]);
        pairDiff.push(u - rx);
      }
    }
  } else {
    for (let r = 0; r < nObs; r++) {
      const u = obs.uploaderMs(r);
      if (!Number.isFinite(u)) continue;
      const o = obs.observer(r);
      if (o < 0) continue;
      pairObs.push(o);
      pairDiff.push(u - obs.rxMs(r));
    }
  }
  if (pairObs.length === 0) return;
  const start = new Int32Array(nObservers + 1);
  for (const o of pairObs) start[o + 1]++;
  for (let o = 0; o < nObservers; o++) start[o + 1] += start[o];
  const fill = start.slice(0, nObservers);
  const diffs = new Float64Array(pairObs.length);
  for (let i = 0; i < pairObs.length; i++) diffs[fill[pairObs[i]]++] = pairDiff.data[i];
  for (let o = 0; o < nObservers; o++) {
    const n = start[o + 1] - start[o];
    if (n === 0) continue;
    method[o] = 'uploader-clock';
    offset[o] = quantileInPlace(diffs, UPLOADER_OFFSET_QUANTILE, start[o], start[o + 1]);
    samples[o] = n;
  }
}

/**
 * Observation rows per advert hash, in row order: obsRows[obsStart[h] .. obsStart[h+1]). From the
 * store's per-transmission lists when the input has them (adverts are a fraction of all
 * transmissions: no pass over every observation), else counted and filled in two scans.
 */
function advertObservations(
  input: AnalyticsInput,
  hashOfTx: Int32Array,
  hashTxList: number[],
): { obsStart: Int32Array; obsRows: Int32Array } {
  const { tx, obs } = input;
  const hashCount = hashTxList.length;
  const obsStart = new Int32Array(hashCount + 1);
  if (tx.firstObs && obs.nextOfTx) {
    const rows = new FloatList(1024);
    for (let h = 0; h < hashCount; h++) {
      for (let r = tx.firstObs(hashTxList[h]); r >= 0; r = obs.nextOfTx(r)) rows.push(r);
      obsStart[h + 1] = rows.length;
    }
    return { obsStart, obsRows: Int32Array.from(rows.data.subarray(0, rows.length)) };
  }
  for (let r = 0; r < obs.count; r++) {
    const t = obs.txRow(r);
    if (t >= 0 && hashOfTx[t] >= 0) obsStart[hashOfTx[t] + 1]++;
  }
  for (let h = 0; h < hashCount; h++) obsStart[h + 1] += obsStart[h];
  const obsRows = new Int32Array(obsStart[hashCount]);
  const fill = obsStart.slice(0, hashCount);
  for (let r = 0; r < obs.count; r++) {
    const t = obs.txRow(r);
    if (t >= 0 && hashOfTx[t] >= 0) obsRows[fill[hashOfTx[t]]++] = r;
  }
  return { obsStart, obsRows };
}

/**
 * Adverts with a usable sender clock, attributed to their advertiser only (§9.4: never to
 * nodes that merely relayed them): hash index per tx row (-1 = none) and tx row per hash.
 */
function advertHashes(input: AnalyticsInput): { hashOfTx: Int32Array; hashTxList: number[] } {
  const tx = input.tx;
  const hashOfTx = new Int32Array(tx.count).fill(-1);
  const hashTxList: number[] = [];
  for (let r = 0; r < tx.count; r++) {
    if (tx.payloadType(r) !== 4 || tx.advertNode(r) < 0) continue;
    const ts = tx.advertTimestampSec(r);
    if (!(ts >= 0 && ts < MAX_ADVERT_SEC)) continue;
    hashOfTx[r] = hashTxList.length;
    hashTxList.push(r);
  }
  return { hashOfTx, hashTxList };
}

type EngineUnderConstruction = { -readonly [K in keyof ClockSkewEngine]: ClockSkewEngine[K] };

/**
 * Latency calibration for observers without uploader stamps (§6.2 step 2, on best times): the
 * median deviation of their rxMs from each advert's median best time.
 */
function calibrateLatency(e: EngineUnderConstruction, obsStart: Int32Array, obsRows: Int32Array): void {
  const obs = e.input.obs;
  const { observerMethod, observerOffsetMs, observerSamples } = e;
  const nObservers = observerMethod.length;
  const devs: number[][] = new Array(nObservers);
  let scratch = new Float64Array(64);
  for (let h = 0; h + 1 < obsStart.length; h++) {
    const a = obsStart[h];
    const n = obsStart[h + 1] - a;
    if (n < 2) continue;
    let needed = false;
    for (let k = 0; k < n; k++) {
      const o = obs.observer(obsRows[a + k]);
      if (o >= 0 && observerMethod[o] === null) needed = true;
    }
    if (!needed) continue;
    if (scratch.length < n) scratch = new Float64Array(n * 2);
    for (let k = 0; k < n; k++) scratch[k] = bestObservedMs(e, obsRows[a + k]);
    const ref = medianInPlace(scratch, 0, n);
    for (let k = 0; k < n; k++) {
      const r = obsRows[a + k];
      const o = obs.observer(r);
      if (o < 0 || observerMethod[o] !== null) continue;
      (devs[o] ??= []).push(obs.rxMs(r) - ref);
    }
  }
  for (let o = 0; o < nObservers; o++) {
    const d = devs[o];
    if (!d) continue;
    observerMethod[o] = 'ingest-latency';
    observerOffsetMs[o] = medianInPlace(d);
    observerSamples[o] = d.length;
  }
}

/**
 * Per-hash skews (§6.2 step 3) on best observed times, into `e`'s hash columns. Returns the
 * per-node hash counts shifted by one (nodeStart before its prefix sum).
 */
function hashSkews(e: EngineUnderConstruction, hashTxList: number[]): Int32Array {
  const tx = e.input.tx;
  const { obsStart, obsRows } = e;
  const hashCount = hashTxList.length;
  const nodeStart = new Int32Array(e.input.nodes.count + 1);
  let scratch = new Float64Array(64);
  for (let h = 0; h < hashCount; h++) {
    const r = hashTxList[h];
    const node = tx.advertNode(r);
    const adv = tx.advertTimestampSec(r);
    e.hashNode[h] = node;
    e.hashAdvertSec[h] = adv;
    const a = obsStart[h];
    const n = obsStart[h + 1] - a;
    e.hashSamples[h] = n;
    if (n === 0) {
      e.hashObservedSec[h] = NaN;
      continue;
    }
    nodeStart[node + 1]++;
    if (scratch.length < n) scratch = new Float64Array(n * 2);
    let sum = 0;
    let latest = -Infinity;
    let calibrated = 0;
    for (let k = 0; k < n; k++) {
      const row = obsRows[a + k];
      const t = bestObservedMs(e, row);
      const skew = adv - t / 1000;
      scratch[k] = skew;
      sum += skew;
      if (t > latest) latest = t;
      if (isCalibrated(e, row)) calibrated = 1;
    }
    e.hashLastSkew[h] = scratch[n - 1];
    e.hashMeanSkew[h] = sum / n;
    e.hashMedianSkew[h] = medianInPlace(scratch, 0, n);
    e.hashObservedSec[h] = latest / 1000;
    e.hashCalibrated[h] = calibrated;
  }
  return nodeStart;
}

/** Hashes grouped per node (counts in `nodeStart`, shifted by one), each node's by observed time. */
function groupByNode(e: EngineUnderConstruction, nodeStart: Int32Array): void {
  const nNodes = nodeStart.length - 1;
  for (let i = 0; i < nNodes; i++) nodeStart[i + 1] += nodeStart[i];
  const nodeHashes = new Int32Array(nodeStart[nNodes]);
  const nodeFill = nodeStart.slice(0, nNodes);
  for (let h = 0; h < e.hashCount; h++) if (e.hashSamples[h] > 0) nodeHashes[nodeFill[e.hashNode[h]]++] = h;
  const observed = e.hashObservedSec;
  for (let i = 0; i < nNodes; i++) {
    const a = nodeStart[i];
    const b = nodeStart[i + 1];
    if (b - a > 1) {
      const sorted = Array.from(nodeHashes.subarray(a, b)).sort((x, y) => observed[x] - observed[y] || x - y);
      nodeHashes.set(sorted, a);
    }
  }
  e.nodeStart = nodeStart;
  e.nodeHashes = nodeHashes;
}

export function buildClockSkewEngine(input: AnalyticsInput): ClockSkewEngine {
  const nObservers = input.observers.count;
  const observerMethod: (CalibrationMethod | null)[] = new Array(nObservers).fill(null);
  const observerOffsetMs = new Float64Array(nObservers);
  const observerSamples = new Int32Array(nObservers);
  calibrateUploaders(input, observerMethod, observerOffsetMs, observerSamples);

  const { hashOfTx, hashTxList } = advertHashes(input);
  const hashCount = hashTxList.length;
  const { obsStart, obsRows } = advertObservations(input, hashOfTx, hashTxList);
  // Built in steps: calibration first (best times depend on it), then the per-hash columns.
  const e = { input, observerMethod, observerOffsetMs, observerSamples } as EngineUnderConstruction;
  calibrateLatency(e, obsStart, obsRows);

  e.hashCount = hashCount;
  e.hashTx = Int32Array.from(hashTxList);
  e.hashNode = new Int32Array(hashCount);
  e.hashAdvertSec = new Float64Array(hashCount);
  e.hashMedianSkew = new Float64Array(hashCount);
  e.hashMeanSkew = new Float64Array(hashCount);
  e.hashLastSkew = new Float64Array(hashCount);
  e.hashObservedSec = new Float64Array(hashCount);
  e.hashSamples = new Int32Array(hashCount);
  e.hashCalibrated = new Uint8Array(hashCount);
  e.obsStart = obsStart;
  e.obsRows = obsRows;
  groupByNode(e, hashSkews(e, hashTxList));
  return e;
}
