// GET /api/analytics/distance (spec analytics §3.3): lengths of the radio links transmissions
// took, from GPS positions of the sender and the resolved relays of each best path.
import type { AnalyticsInput } from '../inputs/input.js';
import { regionObservers, type AnalyticsQuery } from '../shared/query.js';
import { IntIndex } from '../shared/int-index.js';
import { HopCodeIndex } from '../shared/hop-code.js';
import { buildPathContext, regionTransmissions, type PathContext } from '../shared/path-context.js';
import { hasGps, haversineKm } from '../shared/geo.js';
import { areaNodeMask, inWindow } from '../shared/query-filters.js';
import {
  EMPTY_HISTOGRAM,
  FloatList,
  histogram,
  round1,
  round2,
  selectKth,
  topK,
  type Histogram,
} from '../shared/stats.js';
import { HOUR_MS, hourLabel, rfc3339 } from '../shared/time-format.js';

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

export function computeDistance(
  input: AnalyticsInput,
  query: AnalyticsQuery,
  paths: PathContext = buildPathContext(input),
): DistanceResponse {
  const { tx, obs, nodes } = input;
  const best = paths.best;
  const inRegion = regionTransmissions(input, regionObservers(input.observers, query));
  const resolver = paths.resolver;
  const area = areaNodeMask(input, query);
  const isRepeater = new Uint8Array(nodes.count);
  for (let i = 0; i < nodes.count; i++)
    isRepeater[i] = nodes.role(i)?.toLowerCase().includes('repeater') ? 1 : 0;
  const gps = new Uint8Array(nodes.count);
  for (let i = 0; i < nodes.count; i++) gps[i] = hasGps(resolver.lat[i], resolver.lon[i]) ? 1 : 0;
  const ctx = resolver.newContext();
  const chain: number[] = [];
  let codes = new Int32Array(64);
  // A resolution depends only on the hop and the context's member set. Most per-transmission
  // contexts are at most two nodes (observer, sender) and recur across thousands of
  // transmissions, so those resolutions are memoised by (member pair, hop code).
  // Keys: member pair -> context index (< 2^15), hop code -> code index (< 2^16), and
  // (context index, code index) -> resolved node + 1, all int32 in typed tables.
  const ctxOf = new IntIndex();
  const codeOf = new HopCodeIndex();
  let codeCount = 0;
  const memo = new IntIndex();
  const n1 = nodes.count + 1;
  const memoOk = n1 * n1 < 2 ** 31;

  /** The GPS chain of a transmission: sender (if a GPS node), then resolved GPS relays. */
  const buildChain = (t: number, r: number): void => {
    chain.length = 0;
    ctx.clear();
    const sender = tx.advertNode(t);
    ctx.add(sender);
    const o = obs.observer(r);
    if (o >= 0 && o < resolver.observerNode.length) ctx.add(resolver.observerNode[o]);
    const n = obs.hopCount(r);
    if (codes.length < n) codes = new Int32Array(n * 2);
    for (let k = 0; k < n; k++) {
      codes[k] = obs.hopCode(r, k);
      ctx.add(resolver.uniqueCode(codes[k]));
    }
    if (sender >= 0 && gps[sender] === 1) chain.push(sender);
    const m = ctx.members;
    let ctxIdx = -1;
    if (memoOk && m.length <= 2) {
      const a = m.length > 0 ? m[0] + 1 : 0;
      const b = m.length > 1 ? m[1] + 1 : 0;
      const pair = a < b ? a * n1 + b : b * n1 + a;
      ctxIdx = ctxOf.get(pair);
      if (ctxIdx < 0) ctxOf.set(pair, (ctxIdx = ctxOf.size));
      if (ctxIdx >= 32768) ctxIdx = -1;
    }
    for (let k = 0; k < n; k++) {
      const code = codes[k];
      let node: number;
      let codeIdx = ctxIdx >= 0 ? codeOf.get(code) : -1;
      if (ctxIdx >= 0 && codeIdx < 0 && code >= 0 && codeCount < 65536)
        codeOf.set(code, (codeIdx = codeCount++));
      if (codeIdx >= 0) {
        const key = ctxIdx * 65536 + codeIdx;
        const hit = memo.get(key);
        if (hit < 0) {
          node = resolver.resolveCode(code, ctx);
          memo.set(key, node + 1);
        } else node = hit - 1;
      } else node = resolver.resolveCode(code, ctx);
      if (node >= 0 && gps[node] === 1) chain.push(node);
    }
  };
  const dist = (a: number, b: number): number =>
    round2(haversineKm(resolver.lat[a], resolver.lon[a], resolver.lat[b], resolver.lon[b]));
  const linkType = (a: number, b: number): number => isRepeater[a] + isRepeater[b]; // 2 R↔R, 1 C↔R, 0 C↔C

  const all = new FloatList(4096);
  const byCat = [new FloatList(1024), new FloatList(1024), new FloatList(1024)]; // index = 2 - linkType
  // Per unordered node pair (id in `pairOf`): the longest record and how many records. The
  // SNRs of every record are kept as (pair id, snr) lists and gathered for the top pairs only.
  const pairOf = nodes.count < 46_000 ? new IntIndex() : null; // a * n + b must fit an int32
  const pairOfWide = new Map<number, number>();
  const pFrom: number[] = [];
  const pTo: number[] = [];
  const pDist: number[] = [];
  const pTx: number[] = [];
  const pCount: number[] = [];
  const snrPair = new FloatList(4096);
  const snrValue = new FloatList(4096);
  // Per hour: link distance sum and count (a tx's links share its hour; the Map is hit per tx).
  const hourIdx = new Map<number, number>();
  const hourKey: number[] = [];
  const hourSum: number[] = [];
  const hourCount: number[] = [];
  const pathTx: number[] = [];
  const pathDist: number[] = [];
  let maxDist = 0;
  for (let t = 0; t < tx.count; t++) {
    const r = best[t];
    if (r < 0 || obs.hopCount(r) === 0) continue;
    if (inRegion !== null && inRegion[t] === 0) continue;
    if (!inWindow(tx.firstSeenMs(t), query)) continue;
    if (area !== null) {
      const s = tx.advertNode(t);
      if (s < 0 || area[s] === 0) continue;
    }
    buildChain(t, r);
    if (chain.length < 2) continue;
    const snr = obs.snr(r);
    const hour = Math.floor(tx.firstSeenMs(t) / HOUR_MS);
    let hi = hourIdx.get(hour);
    if (hi === undefined) {
      hi = hourKey.length;
      hourIdx.set(hour, hi);
      hourKey.push(hour);
      hourSum.push(0);
      hourCount.push(0);
    }
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
      hourSum[hi] += d;
      hourCount[hi]++;
      const key = a < b ? a * nodes.count + b : b * nodes.count + a;
      let p = pairOf !== null ? pairOf.get(key) : (pairOfWide.get(key) ?? -1);
      if (p < 0) {
        p = pFrom.length;
        if (pairOf !== null) pairOf.set(key, p);
        else pairOfWide.set(key, p);
        pFrom.push(a);
        pTo.push(b);
        pDist.push(d);
        pTx.push(t);
        pCount.push(1);
      } else {
        pCount[p]++;
        if (d > pDist[p]) {
          pDist[p] = d;
          pFrom[p] = a;
          pTo[p] = b;
          pTx[p] = t;
        }
      }
      if (!Number.isNaN(snr)) {
        snrPair.push(p);
        snrValue.push(snr);
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
  // Top pairs by distance (ties: earlier transmission first), kept in a small sorted list.
  const before = (x: number, y: number) => pDist[x] > pDist[y] || (pDist[x] === pDist[y] && pTx[x] < pTx[y]);
  const top = topK(pFrom.length, TOP_HOPS, before);
  const topSnrs = new Map<number, number[]>(top.map((p) => [p, []]));
  for (let i = 0; i < snrPair.length; i++) topSnrs.get(snrPair.data[i])?.push(snrValue.data[i]);
  const topHops: DistanceHop[] = top.map((p) => {
    const snrs = topSnrs.get(p)!;
    return {
      fromName: name(pFrom[p]),
      fromPk: pk(pFrom[p]),
      toName: name(pTo[p]),
      toPk: pk(pTo[p]),
      dist: pDist[p],
      type: CATEGORIES[2 - linkType(pFrom[p], pTo[p])],
      bestSnr: snrs.length ? Math.max(...snrs) : null,
      medianSnr: median(snrs),
      obsCount: pCount[p],
      hash: tx.hash(pTx[p]),
      timestamp: rfc3339(tx.firstSeenMs(pTx[p])),
    };
  });

  const pathBefore = (x: number, y: number) =>
    pathDist[x] > pathDist[y] || (pathDist[x] === pathDist[y] && pathTx[x] < pathTx[y]);
  const topPaths = topK(pathTx.length, TOP_PATHS, pathBefore).map((i) => {
    const t = pathTx[i];
    buildChain(t, best[t]); // deterministic: the same chain as in the main pass
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
    distOverTime: hourKey
      .map((h, i) => ({ h, i }))
      .filter(({ i }) => hourCount[i] > 0)
      .sort((a, b) => a.h - b.h)
      .map(({ h, i }) => ({
        hour: hourLabel(h),
        avg: round2(hourSum[i] / hourCount[i]),
        count: hourCount[i],
      })),
  };
}
