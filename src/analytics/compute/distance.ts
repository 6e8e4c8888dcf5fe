// GET /api/analytics/distance (spec analytics §3.3): lengths of the radio links transmissions
// took, from GPS positions of the sender and the resolved relays of each best path.
import type { AnalyticsInput, NodeTable, ObsColumns, TxColumns } from '../inputs/input.js';
import { regionObservers, type AnalyticsQuery } from '../shared/query.js';
import { IntIndex } from '../shared/int-index.js';
import { HopCodeIndex } from '../shared/hop-code.js';
import type { HopContext, HopResolver } from '../shared/hop-resolver.js';
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

/**
 * The GPS chain of a transmission: sender (if a GPS node), then resolved GPS relays. A
 * resolution depends only on the hop and the context's member set. Most per-transmission
 * contexts are at most two nodes (observer, sender) and recur across thousands of
 * transmissions, so those resolutions are memoised by (member pair, hop code).
 */
class ChainBuilder {
  /** The chain `build` made last (reused). */
  readonly chain: number[] = [];
  private readonly ctx: HopContext;
  private codes = new Int32Array(64);
  // Keys: member pair -> context index (< 2^15), hop code -> code index (< 2^16), and
  // (context index, code index) -> resolved node + 1, all int32 in typed tables.
  private readonly ctxOf = new IntIndex();
  private readonly codeOf = new HopCodeIndex();
  private codeCount = 0;
  private readonly memo = new IntIndex();
  private readonly n1: number;
  private readonly memoOk: boolean;

  constructor(
    private readonly tx: TxColumns,
    private readonly obs: ObsColumns,
    private readonly resolver: HopResolver,
    private readonly gps: Uint8Array,
    nodeCount: number,
  ) {
    this.ctx = resolver.newContext();
    this.n1 = nodeCount + 1;
    this.memoOk = this.n1 * this.n1 < 2 ** 31;
  }

  build(t: number, r: number): void {
    const { chain, ctx, tx, obs, resolver, gps, ctxOf, codeOf, memo, n1 } = this;
    chain.length = 0;
    ctx.clear();
    const sender = tx.advertNode(t);
    ctx.add(sender);
    const o = obs.observer(r);
    if (o >= 0 && o < resolver.observerNode.length) ctx.add(resolver.observerNode[o]);
    const n = obs.hopCount(r);
    if (this.codes.length < n) this.codes = new Int32Array(n * 2);
    const codes = this.codes;
    for (let k = 0; k < n; k++) {
      codes[k] = obs.hopCode(r, k);
      ctx.add(resolver.uniqueCode(codes[k]));
    }
    if (sender >= 0 && gps[sender] === 1) chain.push(sender);
    const m = ctx.members;
    let ctxIdx = -1;
    if (this.memoOk && m.length <= 2) {
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
      if (ctxIdx >= 0 && codeIdx < 0 && code >= 0 && this.codeCount < 65536)
        codeOf.set(code, (codeIdx = this.codeCount++));
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
  }
}

function linkKm(resolver: HopResolver, a: number, b: number): number {
  return round2(haversineKm(resolver.lat[a], resolver.lon[a], resolver.lat[b], resolver.lon[b]));
}

/** The main pass's tallies over every kept link. */
interface LinkTally {
  all: FloatList;
  /** Index = 2 - link type (2 R↔R, 1 C↔R, 0 C↔C). */
  byCat: FloatList[];
  // Per unordered node pair: the longest record and how many records. The SNRs of every
  // record are kept as (pair id, snr) lists and gathered for the top pairs only.
  pFrom: number[];
  pTo: number[];
  pDist: number[];
  pTx: number[];
  pCount: number[];
  snrPair: FloatList;
  snrValue: FloatList;
  // Per hour: link distance sum and count (a tx's links share its hour; the Map is hit per tx).
  hourKey: number[];
  hourSum: number[];
  hourCount: number[];
  pathTx: number[];
  pathDist: number[];
  maxDist: number;
  /** Pair key -> pair id (`pairOfWide` when a * n + b would not fit an int32). */
  pairOf: IntIndex | null;
  pairOfWide: Map<number, number>;
  hourIdx: Map<number, number>;
}

function newLinkTally(nodeCount: number): LinkTally {
  return {
    all: new FloatList(4096),
    byCat: [new FloatList(1024), new FloatList(1024), new FloatList(1024)],
    pFrom: [],
    pTo: [],
    pDist: [],
    pTx: [],
    pCount: [],
    snrPair: new FloatList(4096),
    snrValue: new FloatList(4096),
    hourKey: [],
    hourSum: [],
    hourCount: [],
    pathTx: [],
    pathDist: [],
    maxDist: 0,
    pairOf: nodeCount < 46_000 ? new IntIndex() : null,
    pairOfWide: new Map(),
    hourIdx: new Map(),
  };
}

/** The index of an hour's distance sum and count (a tx's links share its hour). */
function hourSlot(lt: LinkTally, hour: number): number {
  let hi = lt.hourIdx.get(hour);
  if (hi === undefined) {
    hi = lt.hourKey.length;
    lt.hourIdx.set(hour, hi);
    lt.hourKey.push(hour);
    lt.hourSum.push(0);
    lt.hourCount.push(0);
  }
  return hi;
}

/** The links of each selected transmission's best path (spec §3.3), shorter than MAX_LINK_KM. */
function tallyLinks(
  input: AnalyticsInput,
  query: AnalyticsQuery,
  paths: PathContext,
  chains: ChainBuilder,
  isRepeater: Uint8Array,
): LinkTally {
  const { tx, obs, nodes } = input;
  const best = paths.best;
  const resolver = paths.resolver;
  const inRegion = regionTransmissions(input, regionObservers(input.observers, query));
  const area = areaNodeMask(input, query);
  const chain = chains.chain;
  const lt = newLinkTally(nodes.count);
  const { all, byCat, pairOf, pairOfWide, pFrom, pTo, pDist, pTx, pCount, snrPair, snrValue } = lt;
  const { hourSum, hourCount, pathTx, pathDist } = lt;
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
    chains.build(t, r);
    if (chain.length < 2) continue;
    const snr = obs.snr(r);
    const hi = hourSlot(lt, Math.floor(tx.firstSeenMs(t) / HOUR_MS));
    let total = 0;
    let kept = 0;
    for (let i = 0; i + 1 < chain.length; i++) {
      const a = chain[i];
      const b = chain[i + 1];
      const d = linkKm(resolver, a, b);
      if (d > MAX_LINK_KM) continue;
      kept++;
      total += d;
      all.push(d);
      if (d > maxDist) maxDist = d;
      byCat[2 - (isRepeater[a] + isRepeater[b])].push(d);
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
  lt.maxDist = maxDist;
  return lt;
}

function median(v: number[]): number | null {
  if (v.length === 0) return null;
  const s = v.slice().sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const nodeName = (nodes: NodeTable, i: number): string => nodes.name(i) ?? '';
const nodeKey = (nodes: NodeTable, i: number): string => nodes.publicKey(i).toLowerCase();

/** Top pairs by distance (ties: earlier transmission first), with their SNRs gathered. */
function topHops(input: AnalyticsInput, lt: LinkTally, isRepeater: Uint8Array): DistanceHop[] {
  const { tx, nodes } = input;
  const { pFrom, pTo, pDist, pTx, pCount, snrPair, snrValue } = lt;
  const before = (x: number, y: number) => pDist[x] > pDist[y] || (pDist[x] === pDist[y] && pTx[x] < pTx[y]);
  const top = topK(pFrom.length, TOP_HOPS, before);
  const topSnrs = new Map<number, number[]>(top.map((p) => [p, []]));
  for (let i = 0; i < snrPair.length; i++) topSnrs.get(snrPair.data[i])?.push(snrValue.data[i]);
  return top.map((p) => {
    const snrs = topSnrs.get(p)!;
    return {
      fromName: nodeName(nodes, pFrom[p]),
      fromPk: nodeKey(nodes, pFrom[p]),
      toName: nodeName(nodes, pTo[p]),
      toPk: nodeKey(nodes, pTo[p]),
      dist: pDist[p],
      type: CATEGORIES[2 - (isRepeater[pFrom[p]] + isRepeater[pTo[p]])],
      bestSnr: snrs.length ? Math.max(...snrs) : null,
      medianSnr: median(snrs),
      obsCount: pCount[p],
      hash: tx.hash(pTx[p]),
      timestamp: rfc3339(tx.firstSeenMs(pTx[p])),
    };
  });
}

/** The longest paths, their chains rebuilt (deterministic: the same chain as in the main pass). */
function topPaths(input: AnalyticsInput, paths: PathContext, lt: LinkTally, chains: ChainBuilder) {
  const { tx, nodes } = input;
  const { pathTx, pathDist } = lt;
  const chain = chains.chain;
  const pathBefore = (x: number, y: number) =>
    pathDist[x] > pathDist[y] || (pathDist[x] === pathDist[y] && pathTx[x] < pathTx[y]);
  return topK(pathTx.length, TOP_PATHS, pathBefore).map((i) => {
    const t = pathTx[i];
    chains.build(t, paths.best[t]);
    const hops: DistancePathHop[] = [];
    for (let k = 0; k + 1 < chain.length; k++) {
      const d = linkKm(paths.resolver, chain[k], chain[k + 1]);
      if (d > MAX_LINK_KM) continue;
      hops.push({
        fromName: nodeName(nodes, chain[k]),
        fromPk: nodeKey(nodes, chain[k]),
        toName: nodeName(nodes, chain[k + 1]),
        toPk: nodeKey(nodes, chain[k + 1]),
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
}

function categoryStats(byCat: FloatList[]): Record<LinkType, CategoryStats> {
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
  return catStats;
}

export function computeDistance(
  input: AnalyticsInput,
  query: AnalyticsQuery,
  paths: PathContext = buildPathContext(input),
): DistanceResponse {
  const { tx, obs, nodes } = input;
  const resolver = paths.resolver;
  const isRepeater = new Uint8Array(nodes.count);
  for (let i = 0; i < nodes.count; i++)
    isRepeater[i] = nodes.role(i)?.toLowerCase().includes('repeater') ? 1 : 0;
  const gps = new Uint8Array(nodes.count);
  for (let i = 0; i < nodes.count; i++) gps[i] = hasGps(resolver.lat[i], resolver.lon[i]) ? 1 : 0;
  const chains = new ChainBuilder(tx, obs, resolver, gps, nodes.count);
  const lt = tallyLinks(input, query, paths, chains, isRepeater);
  const hops = topHops(input, lt, isRepeater);
  const longest = topPaths(input, paths, lt, chains);
  const catStats = categoryStats(lt.byCat);

  const { all, hourKey, hourSum, hourCount } = lt;
  let sumAll = 0;
  for (let i = 0; i < all.length; i++) sumAll += all.data[i];
  return {
    summary: {
      totalHops: all.length,
      totalPaths: lt.pathTx.length,
      avgDist: all.length ? round2(sumAll / all.length) : 0,
      maxDist: round2(lt.maxDist),
    },
    topHops: hops,
    topPaths: longest,
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
