// observer_metrics samples -> the series of /api/observers/:id/metrics (spec ingest-store-api
// §4.2 "Observers"). The radio's counters (tx/rx airtime, packets sent/received, receive errors)
// are cumulative since boot, so each point carries the delta since the previous sample, as a
// percentage of wall time for airtime. A reboot is the uptime going backwards between two
// samples; for samples without an uptime (CoreScope's rows) any counter going backwards. Across a
// reboot no delta is computed (the new sample is the baseline) and the sample is flagged.
// Hour and day resolutions aggregate those interval values per UTC bucket.
import type { ObserverMetricPoint } from '../read-model.js';
import type { ObserverMetricsSample } from '../records.js';

/** Interval values between a sample and the one before it. */
interface Interval {
  atMs: number;
  /** Wall time since the previous sample (s); 0 without a usable baseline. */
  dtS: number;
  noiseFloor: number | null;
  batteryMv: number | null;
  dTxAir: number | null;
  dRxAir: number | null;
  dSent: number | null;
  dRecv: number | null;
  dErrors: number | null;
  reboot: boolean;
}

type Counter = 'txAirSecs' | 'rxAirSecs' | 'packetsSent' | 'packetsRecv' | 'recvErrors';
const COUNTERS: readonly Counter[] = ['txAirSecs', 'rxAirSecs', 'packetsSent', 'packetsRecv', 'recvErrors'];

/** True when `cur` was taken after a reboot that followed `prev`. */
export function isReboot(prev: ObserverMetricsSample, cur: ObserverMetricsSample): boolean {
  const a = prev.uptimeSecs ?? null;
  const b = cur.uptimeSecs ?? null;
  if (a !== null && b !== null) return b < a;
  return COUNTERS.some((k) => prev[k] !== null && cur[k] !== null && cur[k]! < prev[k]!);
}

function delta(prev: ObserverMetricsSample | null, cur: ObserverMetricsSample, k: Counter): number | null {
  if (prev === null || prev[k] === null || cur[k] === null) return null;
  return cur[k]! - prev[k]!;
}

function intervals(
  previous: ObserverMetricsSample | null,
  samples: readonly ObserverMetricsSample[],
): Interval[] {
  const out: Interval[] = [];
  let prev = previous;
  for (const cur of samples) {
    const reboot = prev !== null && isReboot(prev, cur);
    const base = reboot ? null : prev;
    out.push({
      atMs: cur.atMs,
      dtS: base === null ? 0 : (cur.atMs - base.atMs) / 1000,
      noiseFloor: cur.noiseFloor,
      batteryMv: cur.batteryMv,
      dTxAir: delta(base, cur, 'txAirSecs'),
      dRxAir: delta(base, cur, 'rxAirSecs'),
      dSent: delta(base, cur, 'packetsSent'),
      dRecv: delta(base, cur, 'packetsRecv'),
      dErrors: delta(base, cur, 'recvErrors'),
      reboot,
    });
    prev = cur;
  }
  return out;
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

/** Sum of the non-null values and the wall time of the intervals that had one; null when none. */
function sumWithTime(
  items: readonly Interval[],
  pick: (i: Interval) => number | null,
): [number, number] | null {
  let sum = 0;
  let time = 0;
  let any = false;
  for (const i of items) {
    const v = pick(i);
    if (v === null || i.dtS <= 0) continue;
    sum += v;
    time += i.dtS;
    any = true;
  }
  return any ? [sum, time] : null;
}

function mean(items: readonly Interval[], pick: (i: Interval) => number | null): number | null {
  let sum = 0;
  let n = 0;
  for (const i of items) {
    const v = pick(i);
    if (v === null) continue;
    sum += v;
    n++;
  }
  return n === 0 ? null : sum / n;
}

function point(atMs: number, items: readonly Interval[]): ObserverMetricPoint {
  const pct = (pick: (i: Interval) => number | null) => {
    const st = sumWithTime(items, pick);
    return st === null || st[1] <= 0 ? null : round((st[0] / st[1]) * 100, 2);
  };
  const total = (pick: (i: Interval) => number | null) => sumWithTime(items, pick)?.[0] ?? null;
  const recv = total((i) => i.dRecv);
  const errors = total((i) => i.dErrors);
  const nf = mean(items, (i) => i.noiseFloor);
  const battery = mean(items, (i) => i.batteryMv);
  return {
    atMs,
    noiseFloor: nf === null ? null : round(nf, 1),
    txAirtimePct: pct((i) => i.dTxAir),
    rxAirtimePct: pct((i) => i.dRxAir),
    packetsSent: total((i) => i.dSent),
    packetsRecv: recv,
    recvErrors: errors,
    recvErrorRate:
      recv === null || errors === null || recv + errors === 0
        ? null
        : round((errors / (recv + errors)) * 100, 2),
    batteryMv: battery === null ? null : Math.round(battery),
    isRebootSample: items.some((i) => i.reboot),
  };
}

/**
 * The series of `samples` (oldest first, within the window) at `resolutionMs`: each stored sample
 * when it is 5 minutes or less, else one point per UTC bucket. `previous` is the sample before
 * the window (the first delta's baseline), or null.
 */
export function metricsSeries(
  previous: ObserverMetricsSample | null,
  samples: readonly ObserverMetricsSample[],
  resolutionMs: number,
): { points: ObserverMetricPoint[]; reboots: number[] } {
  const items = intervals(previous, samples);
  const reboots = items.filter((i) => i.reboot).map((i) => i.atMs);
  if (resolutionMs <= 300_000) return { points: items.map((i) => point(i.atMs, [i])), reboots };
  const points: ObserverMetricPoint[] = [];
  let start = 0;
  while (start < items.length) {
    const bucket = Math.floor(items[start].atMs / resolutionMs) * resolutionMs;
    let end = start + 1;
    while (end < items.length && items[end].atMs < bucket + resolutionMs) end++;
    points.push(point(bucket, items.slice(start, end)));
    start = end;
  }
  return { points, reboots };
}
