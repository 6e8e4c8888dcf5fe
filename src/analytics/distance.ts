// GET /api/analytics/distance (spec analytics §3.3): lengths of the radio links transmissions
// took, from GPS positions of the sender and the resolved relays of each best path.
import type { AnalyticsInput } from './input.js';
import { regionObservers, type AnalyticsQuery } from './query.js';
import { scanObservations } from './best-observation.js';
import { HopResolver } from './hop-resolver.js';
import { hasGps, haversineKm } from './geo.js';
import { areaNodeMask, inWindow } from './query-filters.js';
import { EMPTY_HISTOGRAM, FloatList, histogram, round1, round2, selectKth, type Histogram } from './stats.js';
import { HOUR_MS, hourLabel, rfc3339 } from './time-format.js';

export type LinkType = 'R↔R' | 'C↔R' | 'C↔C';

export interface DistanceHop {
  fromName: string;
  fromPk: string;
  toName: string;
  toPk: string;
  dist: number;
  type: LinkType;
  bestSnr: number | null;
  medianSnr: number | null;
  obsCount: number;
  hash: string;
  timestamp: string;
}

export interface DistancePathHop {
  fromName: string;
  fromPk: string;
  toName: string;
  toPk: string;
  dist: number;
}

export interface CategoryStats {
  count: number;
  avg: number;
  median: number;
  min: number;
  max: number;
}

export interface DistanceResponse {
  summary: { totalHops: number; totalPaths: number; avgDist: number; maxDist: number };
  topHops: DistanceHop[];
  topPaths: Array<{
    hash: string;
    totalDist: number;
    hopCount: number;
    timestamp: string;
    hops: DistancePathHop[];
  }>;
  catStats: Record<LinkType, CategoryStats>;
  distHistogram: Histogram;
  distOverTime: Array<{ hour: string; avg: number; count: number }>;
}

/** Links longer than this are treated as hop-resolution errors and dropped (spec §3.3). */
export const MAX_LINK_KM = 300;
const TOP_HOPS = 20;
const TOP_PATHS = 20;
const HISTOGRAM_BINS = 25;
const CATEGORIES: LinkType[] = ['R↔R', 'C↔R', 'C↔C'];

/** Per unordered node pair: the longest record, how many records, and their SNRs. */
interface PairGroup {
  from: number;
  to: number;
  dist: number;
  txRow: number;
  count: number;
  snrs: number[];
}

export function computeDistance(input: AnalyticsInput, query: AnalyticsQuery): DistanceResponse {
  const { tx, obs, nodes } = input;
  const scan = scanObservations(input, regionObservers(input.observers, query));
  const resolver = new HopResolver(input);
  resolver.buildNeighborGraph(scan.best);
  const area = areaNodeMask(input, query);
  const isRepeater = new Uint8Array(nodes.count);
  for (let i = 0; i < nodes.count; i++)
    isRepeater[i] = nodes.role(i)?.toLowerCase().includes('repeater') ? 1 : 0;
  const gps = new Uint8Array(nodes.count);
  for (let i = 0; i < nodes.count; i++) gps[i] = hasGps(resolver.lat[i], resolver.lon[i]) ? 1 : 0;
  const ctx = resolver.newContext();
  const chain: number[] = [];

  /** The GPS chain of a transmission: sender (if a GPS node), then resolved GPS relays. */
  const buildChain = (t: number, r: number): void => {
    chain.length = 0;
    ctx.clear();
    const sender = tx.advertNode(t);
    ctx.add(sender);
    const o = obs.observer(r);
    if (o >= 0 && o < resolver.observerNode.length) ctx.add(resolver.observerNode[o]);
    const n = obs.hopCount(r);
    for (let k = 0; k < n; k++) ctx.add(resolver.uniqueNode(obs.hop(r, k)));
    if (sender >= 0 && gps[sender] === 1) chain.push(sender);
    for (let k = 0; k < n; k++) {
      const node = resolver.resolve(obs.hop(r, k), ctx);
      if (node >= 0 && gps[node] === 1) chain.push(node);
    }
  };
  const dist = (a: number, b: number): number =>
    round2(haversineKm(resolver.lat[a], resolver.lon[a], resolver.lat[b], resolver.lon[b]));
  const linkType = (a: number, b: number): number => isRepeater[a] + isRepeater[b]; // 2 R↔R, 1 C↔R, 0 C↔C

  const all = new FloatList(4096);
  const byCat = [new FloatList(1024), new FloatList(1024), new FloatList(1024)]; // index = 2 - linkType
  const pairs = new Map<number, PairGroup>();
  const hourSum = new Map<number, number>();
  const hourCount = new Map<number, number>();
  const pathTx: number[] = [];
  const pathDist: number[] = [];
  let maxDist = 0;
  for (let t = 0; t < tx.count; t++) {
    const r = scan.best[t];
    if (r < 0 || obs.hopCount(r) === 0) continue;
    if (scan.inRegion !== null && scan.inRegion[t] === 0) continue;
    if (!inWindow(tx.firstSeenMs(t), query)) continue;
    if (area !== null) {
      const s = tx.advertNode(t);
      if (s < 0 || area[s] === 0) continue;
    }
    buildChain(t, r);
    if (chain.length < 2) continue;
    const snr = obs.snr(r);
    const hour = Math.floor(tx.firstSeenMs(t) / HOUR_MS);
    let total = 0;
    let kept = 0;
    for (let i = 0; i + 1 < chain.length; i++) {
      const a = chain[i];
      const b = chain[i + 1];
      const d = dist(a, b);
      if (d > MAX_LINK_KM) continue;
      kept++;
      total += d;
      all.push(d);
      if (d > maxDist) maxDist = d;
      byCat[2 - linkType(a, b)].push(d);
      hourSum.set(hour, (hourSum.get(hour) ?? 0) + d);
      hourCount.set(hour, (hourCount.get(hour) ?? 0) + 1);
      const key = a < b ? a * nodes.count + b : b * nodes.count + a;
      const g = pairs.get(key);
      if (g === undefined) {
        pairs.set(key, { from: a, to: b, dist: d, txRow: t, count: 1, snrs: Number.isNaN(snr) ? [] : [snr] });
      } else {
        g.count++;
        if (!Number.isNaN(snr)) g.snrs.push(snr);
        if (d > g.dist) {
          g.dist = d;
          g.from = a;
          g.to = b;
          g.txRow = t;
        }
      }
    }
    if (kept > 0) {
      pathTx.push(t);
      pathDist.push(round2(total));
    }
  }

  const name = (i: number): string => nodes.name(i) ?? '';
  const pk = (i: number): string => nodes.publicKey(i).toLowerCase();
  const median = (v: number[]): number | null => {
    if (v.length === 0) return null;
    const s = v.slice().sort((x, y) => x - y);
    const m = s.length >> 1;
    return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
  };
  const topHops: DistanceHop[] = [...pairs.values()]
    .sort((x, y) => y.dist - x.dist || x.txRow - y.txRow)
    .slice(0, TOP_HOPS)
    .map((g) => ({
      fromName: name(g.from),
      fromPk: pk(g.from),
      toName: name(g.to),
      toPk: pk(g.to),
      dist: g.dist,
      type: CATEGORIES[2 - linkType(g.from, g.to)],
      bestSnr: g.snrs.length ? Math.max(...g.snrs) : null,
      medianSnr: median(g.snrs),
      obsCount: g.count,
      hash: tx.hash(g.txRow),
      timestamp: rfc3339(tx.firstSeenMs(g.txRow)),
    }));

  const order = pathTx.map((_, i) => i).sort((x, y) => pathDist[y] - pathDist[x] || pathTx[x] - pathTx[y]);
  const topPaths = order.slice(0, TOP_PATHS).map((i) => {
    const t = pathTx[i];
    buildChain(t, scan.best[t]); // deterministic: the same chain as in the main pass
    const hops: DistancePathHop[] = [];
    for (let k = 0; k + 1 < chain.length; k++) {
      const d = dist(chain[k], chain[k + 1]);
      if (d > MAX_LINK_KM) continue;
      hops.push({
        fromName: name(chain[k]),
        fromPk: pk(chain[k]),
        toName: name(chain[k + 1]),
        toPk: pk(chain[k + 1]),
        dist: d,
      });
    }
    return {
      hash: tx.hash(t),
      totalDist: pathDist[i],
      hopCount: hops.length,
      timestamp: rfc3339(tx.firstSeenMs(t)),
      hops,
    };
  });

  const catStats = {} as Record<LinkType, CategoryStats>;
  CATEGORIES.forEach((cat, i) => {
    const list = byCat[i];
    const n = list.length;
    if (n === 0) {
      catStats[cat] = { count: 0, avg: 0, median: 0, min: 0, max: 0 };
      return;
    }
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let j = 0; j < n; j++) {
      const v = list.data[j];
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    // median(upper) = sorted[⌊n/2⌋] (spec §3.3).
    const med = selectKth(list.data, n, n >> 1);
    catStats[cat] = {
      count: n,
      avg: round2(sum / n),
      median: round2(med),
      min: round2(min),
      max: round2(max),
    };
  });

  let sumAll = 0;
  for (let i = 0; i < all.length; i++) sumAll += all.data[i];
  return {
    summary: {
      totalHops: all.length,
      totalPaths: pathTx.length,
      avgDist: all.length ? round2(sumAll / all.length) : 0,
      maxDist: round2(maxDist),
    },
    topHops,
    topPaths,
    catStats,
    distHistogram: all.length
      ? histogram(all.data, all.length, HISTOGRAM_BINS, round1)
      : { ...EMPTY_HISTOGRAM, bins: [] },
    distOverTime: [...hourCount.keys()]
      .sort((a, b) => a - b)
      .map((h) => ({
        hour: hourLabel(h),
        avg: round2(hourSum.get(h)! / hourCount.get(h)!),
        count: hourCount.get(h)!,
      })),
  };
}
