// GET /api/analytics/rf (spec analytics §3.2): SNR/RSSI statistics and histograms, packet sizes,
// per-hour activity and payload-type mix over the observations a query selects.
import { QUARTER_NULL, type AnalyticsInput, type ObsSpan } from '../inputs/input.js';
import { regionObservers, type AnalyticsQuery } from '../shared/query.js';
import { areaNodeMask, inWindow } from '../shared/query-filters.js';
import { payloadTypeName } from '../shared/payload-names.js';
import { FloatList, histogram, ValueTally, type Histogram } from '../shared/stats.js';
import { HOUR_MS, hourLabel } from '../shared/time-format.js';

export interface SignalStats {
  min: number;
  max: number;
  avg: number;
  median: number;
  stddev: number;
}

export interface RfResponse {
  totalPackets: number;
  totalAllPackets: number;
  totalTransmissions: number;
  snr: SignalStats;
  rssi: SignalStats;
  snrValues: Histogram;
  rssiValues: Histogram;
  packetSizes: Histogram;
  minPacketSize: number;
  maxPacketSize: number;
  avgPacketSize: number;
  packetsPerHour: Array<{ hour: string; count: number }>;
  payloadTypes: Array<{ type: number; name: string; count: number }>;
  snrByType: Array<{ name: string; count: number; avg: number; min: number; max: number }>;
  signalOverTime: Array<{ hour: string; count: number; avgSnr: number }>;
  scatterData: Array<{ snr: number; rssi: number }>;
  timeSpanHours: number;
}

const SNR_BINS = 20;
const RSSI_BINS = 20;
const SIZE_BINS = 25;
const SCATTER_TARGET = 500;

/** Per-hour counters over a growable dense range of hour numbers. */
class HourTable {
  base = 0;
  count = new Float64Array(0);
  snrSum = new Float64Array(0);
  snrCount = new Float64Array(0);
  private slot(hour: number): number {
    if (this.count.length === 0) {
      this.base = hour;
      this.grow(0, 64);
    }
    if (hour < this.base) this.grow(this.base - hour + 64, this.count.length);
    if (hour - this.base >= this.count.length) this.grow(0, hour - this.base + 64);
    return hour - this.base;
  }
  private grow(front: number, minLen: number): void {
    const len = Math.max(minLen, this.count.length) + front;
    for (const f of ['count', 'snrSum', 'snrCount'] as const) {
      const next = new Float64Array(len);
      next.set(this[f], front);
      this[f] = next;
    }
    this.base -= front;
  }
  addPacket(hour: number): void {
    const s = this.slot(hour); // before reading this.count: slot() may replace the array
    this.count[s]++;
  }
  addSnr(hour: number, snr: number): void {
    const s = this.slot(hour);
    this.snrSum[s] += snr;
    this.snrCount[s]++;
  }
}

/** Which transmissions may contribute at all (window on first_seen only without a region). */
function eligibleTransmissions(
  input: AnalyticsInput,
  query: AnalyticsQuery,
  regionMask: Uint8Array | null,
): { txOk: Uint8Array; txType: Uint8Array } {
  const tx = input.tx;
  const area = areaNodeMask(input, query);
  const txOk = new Uint8Array(tx.count);
  const txType = new Uint8Array(tx.count);
  for (let t = 0; t < tx.count; t++) {
    txType[t] = tx.payloadType(t);
    if (regionMask === null && !inWindow(tx.firstSeenMs(t), query)) continue;
    if (area !== null) {
      const a = tx.advertNode(t);
      if (a < 0 || area[a] === 0) continue;
    }
    txOk[t] = 1;
  }
  return { txOk, txType };
}

/** The observation pass's tallies. */
interface ObsTally {
  /** Per tx row: 1 once one of its observations counted. */
  visited: Uint8Array;
  hours: HourTable;
  snr: ValueTally;
  rssi: ValueTally;
  /** Rows with both SNR and RSSI, for the scatter plot. */
  scatterRows: FloatList;
  // SNR per payload type (0-255): count, sum, min, max.
  snrTypeCount: Float64Array;
  typeSum: Float64Array;
  typeMin: Float64Array;
  typeMax: Float64Array;
  totalAll: number;
  minTs: number;
  maxTs: number;
}

function newObsTally(txCount: number): ObsTally {
  return {
    visited: new Uint8Array(txCount),
    hours: new HourTable(),
    snr: new ValueTally(),
    rssi: new ValueTally(),
    scatterRows: new FloatList(1024),
    snrTypeCount: new Float64Array(256),
    typeSum: new Float64Array(256),
    typeMin: new Float64Array(256).fill(Infinity),
    typeMax: new Float64Array(256).fill(-Infinity),
    totalAll: 0,
    minTs: Infinity,
    maxTs: -Infinity,
  };
}

/** Every observation that counts (see computeRf), in one pass over the observation columns. */
function tallyObservations(
  input: AnalyticsInput,
  query: AnalyticsQuery,
  regionMask: Uint8Array | null,
  txOk: Uint8Array,
  txType: Uint8Array,
): ObsTally {
  const { tx, obs } = input;
  const ot = newObsTally(tx.count);
  const { visited, hours, snr, rssi, scatterRows, snrTypeCount, typeSum, typeMin, typeMax } = ot;
  const firstHour = new Float64Array(tx.count).fill(NaN);
  const extraHours = new Set<number>();
  let totalAll = 0;
  let minTs = Infinity;
  let maxTs = -Infinity;
  const nTx = tx.count;
  // Store spans when the input has them, else one accessor-read range; the per-row branch on
  // `span` is constant within a range, so both sources share this one loop body.
  const spans: readonly (ObsSpan | null)[] = obs.spans?.() ?? [null];
  for (const span of spans) {
    const start = span === null ? 0 : span.start;
    const end = span === null ? obs.count : span.end;
    for (let r = start; r < end; r++) {
      const i = r - start;
      const t = span === null ? obs.txRow(r) : span.txRow[i];
      if (t < 0 || t >= nTx || txOk[t] === 0) continue;
      const ts = span === null ? obs.rxMs(r) : span.rxMs[i];
      if (regionMask !== null) {
        const o = span === null ? obs.observer(r) : span.observer[i];
        if (o < 0 || regionMask[o] === 0 || !inWindow(ts, query)) continue;
      }
      totalAll++;
      visited[t] = 1;
      if (ts < minTs) minTs = ts;
      if (ts > maxTs) maxTs = ts;
      const hour = Math.floor(ts / HOUR_MS);
      // packetsPerHour counts distinct (transmission, hour); a tx's sightings nearly always share
      // one hour, so only the rare multi-hour ones touch the Set.
      if (Number.isNaN(firstHour[t])) {
        firstHour[t] = hour;
        hours.addPacket(hour);
      } else if (firstHour[t] !== hour) {
        const key = t * 1_048_576 + (hour - firstHour[t] + 524_288);
        if (!extraHours.has(key)) {
          extraHours.add(key);
          hours.addPacket(hour);
        }
      }
      let s: number;
      let q: number;
      if (span === null) {
        s = obs.snr(r);
        q = obs.rssi(r);
      } else {
        const sq = span.snrQ[i];
        const qq = span.rssiQ[i];
        s = sq === QUARTER_NULL ? NaN : sq / 4;
        q = qq === QUARTER_NULL ? NaN : qq / 4;
      }
      if (!Number.isNaN(q)) rssi.add(q);
      if (Number.isNaN(s)) continue;
      snr.add(s);
      hours.addSnr(hour, s);
      if (!Number.isNaN(q)) scatterRows.push(r);
      const type = txType[t];
      snrTypeCount[type]++;
      typeSum[type] += s;
      if (s < typeMin[type]) typeMin[type] = s;
      if (s > typeMax[type]) typeMax[type] = s;
    }
  }
  ot.totalAll = totalAll;
  ot.minTs = minTs;
  ot.maxTs = maxTs;
  return ot;
}

/** Transmission-level figures: each distinct transmission once. */
function transmissionFigures(
  input: AnalyticsInput,
  regionMask: Uint8Array | null,
  txOk: Uint8Array,
  txType: Uint8Array,
  visited: Uint8Array,
) {
  const tx = input.tx;
  const sizes = new FloatList(1024);
  const typeCount = new Map<number, number>();
  let totalTx = 0;
  let sizeSum = 0;
  for (let t = 0; t < tx.count; t++) {
    // Without a region a transmission in the window counts even with no sighting (legacy rows).
    if (visited[t] === 0 && !(regionMask === null && txOk[t] === 1)) continue;
    totalTx++;
    const len = tx.rawLength(t);
    sizes.push(len);
    sizeSum += len;
    const type = txType[t];
    typeCount.set(type, (typeCount.get(type) ?? 0) + 1);
  }
  let minSize = 0;
  let maxSize = 0;
  if (sizes.length > 0) {
    minSize = Infinity;
    maxSize = -Infinity;
    for (let i = 0; i < sizes.length; i++) {
      if (sizes.data[i] < minSize) minSize = sizes.data[i];
      if (sizes.data[i] > maxSize) maxSize = sizes.data[i];
    }
  }
  return { sizes, typeCount, totalTx, sizeSum, minSize, maxSize };
}

function hourSeries(hours: HourTable): Pick<RfResponse, 'packetsPerHour' | 'signalOverTime'> {
  const packetsPerHour: RfResponse['packetsPerHour'] = [];
  const signalOverTime: RfResponse['signalOverTime'] = [];
  for (let i = 0; i < hours.count.length; i++) {
    if (hours.count[i] > 0) packetsPerHour.push({ hour: hourLabel(hours.base + i), count: hours.count[i] });
    if (hours.snrCount[i] > 0) {
      signalOverTime.push({
        hour: hourLabel(hours.base + i),
        count: hours.snrCount[i],
        avgSnr: hours.snrSum[i] / hours.snrCount[i],
      });
    }
  }
  return { packetsPerHour, signalOverTime };
}

/** Keep every ⌊N/500⌋-th paired point when there are more than 500 (spec §3.2). */
function scatter(input: AnalyticsInput, scatterRows: FloatList): RfResponse['scatterData'] {
  const obs = input.obs;
  const scatterData: RfResponse['scatterData'] = [];
  const step = scatterRows.length > SCATTER_TARGET ? Math.floor(scatterRows.length / SCATTER_TARGET) : 1;
  for (let i = 0; i < scatterRows.length; i += step) {
    const r = scatterRows.data[i];
    scatterData.push({ snr: obs.snr(r), rssi: obs.rssi(r) });
  }
  return scatterData;
}

function snrByType(ot: ObsTally): RfResponse['snrByType'] {
  const { snrTypeCount, typeSum, typeMin, typeMax } = ot;
  return [...snrTypeCount.keys()]
    .filter((type) => snrTypeCount[type] > 0)
    .map((type) => ({
      name: payloadTypeName(type),
      count: snrTypeCount[type],
      avg: typeSum[type] / snrTypeCount[type],
      min: typeMin[type],
      max: typeMax[type],
    }))
    .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : 1));
}

/**
 * Without a region every observation of a transmission whose first_seen is in the window counts;
 * with a region only the region observers' observations count and the window is tested on each
 * observation's own time (spec §3.2). An area keeps transmissions whose advertiser is in it.
 */
export function computeRf(input: AnalyticsInput, query: AnalyticsQuery): RfResponse {
  const regionMask = regionObservers(input.observers, query);
  const { txOk, txType } = eligibleTransmissions(input, query, regionMask);
  const ot = tallyObservations(input, query, regionMask, txOk, txType);
  const txf = transmissionFigures(input, regionMask, txOk, txType, ot.visited);
  const { snr, rssi, totalAll } = ot;
  const { packetsPerHour, signalOverTime } = hourSeries(ot.hours);
  return {
    totalPackets: snr.n,
    totalAllPackets: totalAll,
    totalTransmissions: txf.totalTx,
    snr: snr.stats(),
    rssi: rssi.stats(),
    snrValues: snr.histogram(SNR_BINS),
    rssiValues: rssi.histogram(RSSI_BINS),
    packetSizes: histogram(txf.sizes.data, txf.sizes.length, SIZE_BINS),
    minPacketSize: txf.minSize,
    maxPacketSize: txf.maxSize,
    avgPacketSize: txf.totalTx > 0 ? Math.floor(txf.sizeSum / txf.totalTx) : 0,
    packetsPerHour,
    payloadTypes: [...txf.typeCount.entries()]
      .map(([type, count]) => ({ type, name: payloadTypeName(type), count }))
      .sort((a, b) => b.count - a.count || a.type - b.type),
    snrByType: snrByType(ot),
    signalOverTime,
    scatterData: scatter(input, ot.scatterRows),
    timeSpanHours: totalAll > 0 ? (ot.maxTs - ot.minTs) / HOUR_MS : 0,
  };
}
