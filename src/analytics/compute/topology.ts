// GET /api/analytics/topology (spec analytics §3.1): hop-count distribution, busiest relays and
// relay pairs, and per-observer reach, over each transmission's best observation.
import type { AnalyticsInput, NodeTable } from '../inputs/input.js';
import { regionObservers, type AnalyticsQuery } from '../shared/query.js';
import { AggregateResolver, type HopResolver } from '../shared/hop-resolver.js';
import { HopCodeIndex, hopText } from '../shared/hop-code.js';
import { mix32 } from '../shared/int-index.js';
import { topK } from '../shared/stats.js';
import { buildPathContext, regionTransmissions, type PathContext } from '../shared/path-context.js';
import { areaNodeMask, inWindow } from '../shared/query-filters.js';

export interface TopologyResponse {
  uniqueNodes: number;
  avgHops: number;
  medianHops: number;
  maxHops: number;
  hopDistribution: Array<{ hops: number; count: number }>;
  topRepeaters: Array<{ hop: string; count: number; name: string | null; pubkey: string | null }>;
  topPairs: Array<{
    hopA: string;
    hopB: string;
    count: number;
    nameA: string | null;
    nameB: string | null;
    pubkeyA: string | null;
    pubkeyB: string | null;
  }>;
  hopsVsSnr: Array<{ hops: number; count: number; avgSnr: number }>;
  observers: Array<{ id: string; name: string }>;
  perObserverReach: Record<string, { observer_name: string; rings: ReachRing[] }>;
  multiObsNodes: Array<{
    hop: string;
    name: string | null;
    pubkey: string | null;
    observers: Array<{ observer_id: string; observer_name: string; minDist: number; count: number }>;
  }>;
  bestPathList: Array<{
    hop: string;
    name: string | null;
    pubkey: string | null;
    minDist: number;
    observer_id: string;
    observer_name: string;
  }>;
}

export interface ReachRing {
  hops: number;
  nodes: Array<{
    hop: string;
    name: string | null;
    pubkey: string | null;
    count: number;
    distRange: string | null;
  }>;
}

const MAX_HOP_DISTRIBUTION = 25;
const MAX_HOPS_VS_SNR = 20;
const MAX_REACH_RING = 15;
/**
 * Nodes listed per reach ring. CoreScope lists every node (unbounded: 60 observers × 2k nodes made
 * a 10 MB body at staging scale); meshlens keeps the most-heard ones (docs/compatibility.md).
 */
export const MAX_REACH_NODES = 10;
const TOP_REPEATERS = 20;
const TOP_PAIRS = 15;
const TOP_MULTI_OBS = 50;
const TOP_BEST_PATH = 50;
const UNIQUE_NODES_WINDOW_MS = 7 * 24 * 3_600_000;

/** Distinct (lo, hi) hop-id pairs with counts, in first-seen order (open addressing). */
class PairCounter {
  readonly lo: number[] = [];
  readonly hi: number[] = [];
  readonly count: number[] = [];
  private slots = new Int32Array(1024).fill(-1);
  private mask = 1023;

  get size(): number {
    return this.lo.length;
  }

  private slot(lo: number, hi: number): number {
    let h = mix32(Math.imul(lo, 0x9e3779b1) ^ hi) & this.mask;
    for (;;) {
      const p = this.slots[h];
      if (p < 0 || (this.lo[p] === lo && this.hi[p] === hi)) return h;
      h = (h + 1) & this.mask;
    }
  }

  add(lo: number, hi: number): void {
    const h = this.slot(lo, hi);
    const p = this.slots[h];
    if (p >= 0) {
      this.count[p]++;
      return;
    }
    this.slots[h] = this.lo.length;
    this.lo.push(lo);
    this.hi.push(hi);
    this.count.push(1);
    if (this.lo.length * 2 > this.mask) {
      this.mask = this.mask * 2 + 1;
      this.slots = new Int32Array(this.mask + 1).fill(-1);
      for (let q = 0; q < this.lo.length; q++) this.slots[this.slot(this.lo[q], this.hi[q])] = q;
    }
  }
}

/** Pass 2's tallies: hops interned by numeric code, pair counts, hop lengths, reach records. */
interface HopTally {
  hopId: HopCodeIndex;
  hopCode: number[];
  hopStr: string[];
  hopFreq: number[];
  /** Per hop id and observer: the reach record's index (-1 = none yet). */
  reachSlot: Int32Array[];
  nObs: number;
  pairFreq: PairCounter;
  hopCounts: Map<number, number>;
  /** Transmissions counted in the hop-length figures. */
  counted: number;
  snrSum: Map<number, number>;
  snrCount: Map<number, number>;
  observerOrder: number[];
  observerSeen: Uint8Array;
  reachHop: number[];
  reachObs: number[];
  reachMin: number[];
  reachMax: number[];
  reachCount: number[];
}

function newHopTally(observerCount: number): HopTally {
  return {
    hopId: new HopCodeIndex(),
    hopCode: [],
    hopStr: [],
    hopFreq: [],
    reachSlot: [],
    nObs: Math.max(1, observerCount),
    pairFreq: new PairCounter(),
    hopCounts: new Map(),
    counted: 0,
    snrSum: new Map(),
    snrCount: new Map(),
    observerOrder: [],
    observerSeen: new Uint8Array(observerCount),
    reachHop: [],
    reachObs: [],
    reachMin: [],
    reachMax: [],
    reachCount: [],
  };
}

function internHop(t: HopTally, code: number): number {
  let id = t.hopId.get(code);
  if (id < 0) {
    id = t.hopStr.length;
    t.hopId.set(code, id);
    t.hopCode.push(code);
    t.hopStr.push(hopText(code));
    t.hopFreq.push(0);
    t.reachSlot.push(new Int32Array(t.nObs).fill(-1));
  }
  return id;
}

/** Pass 1: candidate transmissions and their union hop context (spec §3.1 step 1). */
function candidateTransmissions(
  input: AnalyticsInput,
  query: AnalyticsQuery,
  paths: PathContext,
): { considered: number[]; agg: AggregateResolver } {
  const { tx, obs, observers } = input;
  const best = paths.best;
  const inRegion = regionTransmissions(input, regionObservers(observers, query));
  const resolver = paths.resolver;
  const ctx = resolver.newContext();
  const considered: number[] = [];
  for (let t = 0; t < tx.count; t++) {
    const r = best[t];
    if (r < 0 || !inWindow(tx.firstSeenMs(t), query)) continue;
    if (inRegion !== null && inRegion[t] === 0) continue;
    ctx.add(tx.advertNode(t));
    const o = obs.observer(r);
    if (o >= 0 && o < resolver.observerNode.length) ctx.add(resolver.observerNode[o]);
    const n = obs.hopCount(r);
    if (n === 0) continue;
    considered.push(t);
    for (let k = 0; k < n; k++) ctx.add(resolver.uniqueCode(obs.hopCode(r, k)));
  }
  return { considered, agg: new AggregateResolver(resolver, ctx) };
}

/** Pass 2: counts keyed by distinct raw hops (spec §3.1 step 2), interned by numeric hop code. */
function tallyHops(
  input: AnalyticsInput,
  best: Int32Array,
  considered: number[],
  agg: AggregateResolver,
  area: Uint8Array | null,
): HopTally {
  const obs = input.obs;
  const tl = newHopTally(input.observers.count);
  const { hopStr, hopFreq, reachSlot, pairFreq, hopCounts, snrSum, snrCount } = tl;
  const { observerOrder, observerSeen, reachHop, reachObs, reachMin, reachMax, reachCount } = tl;
  const ids = new Int32Array(64);
  const keep = new Uint8Array(64);
  for (const t of considered) {
    const r = best[t];
    const n = obs.hopCount(r);
    let ids_ = ids;
    let keep_ = keep;
    if (n > ids.length) {
      ids_ = new Int32Array(n);
      keep_ = new Uint8Array(n);
    }
    let any = area === null;
    for (let k = 0; k < n; k++) {
      const code = obs.hopCode(r, k);
      ids_[k] = internHop(tl, code);
      if (area === null) keep_[k] = 1;
      else {
        const node = agg.resolveCode(code);
        keep_[k] = node >= 0 && area[node] === 1 ? 1 : 0;
        if (keep_[k] === 1) any = true;
      }
    }
    if (!any) continue;
    hopCounts.set(n, (hopCounts.get(n) ?? 0) + 1);
    tl.counted++;
    const snr = obs.snr(r);
    if (!Number.isNaN(snr)) {
      snrSum.set(n, (snrSum.get(n) ?? 0) + snr);
      snrCount.set(n, (snrCount.get(n) ?? 0) + 1);
    }
    const o = obs.observer(r);
    if (o >= 0 && observerSeen[o] === 0) {
      observerSeen[o] = 1;
      observerOrder.push(o);
    }
    for (let k = 0; k < n; k++) {
      if (keep_[k] === 0) continue;
      const id = ids_[k];
      hopFreq[id]++;
      if (k + 1 < n && keep_[k + 1] === 1) {
        const a = id;
        const b = ids_[k + 1];
        if (hopStr[a] <= hopStr[b]) pairFreq.add(a, b);
        else pairFreq.add(b, a);
      }
      if (o < 0) continue;
      const d = n - k; // spec §3.1: the last hop is 1 away from the observer
      const ri = reachSlot[id][o];
      if (ri < 0) {
        reachSlot[id][o] = reachHop.length;
        reachHop.push(id);
        reachObs.push(o);
        reachMin.push(d);
        reachMax.push(d);
        reachCount.push(1);
      } else {
        if (d < reachMin[ri]) reachMin[ri] = d;
        if (d > reachMax[ri]) reachMax[ri] = d;
        reachCount[ri]++;
      }
    }
  }
  return tl;
}

const nodeName = (nodes: NodeTable, i: number): string | null => (i >= 0 ? nodes.name(i) : null);
const nodeKey = (nodes: NodeTable, i: number): string | null =>
  i >= 0 ? nodes.publicKey(i).toLowerCase() : null;

/**
 * Step 3: merge raw prefixes that name one node; ambiguous prefixes stay separate. Also returns
 * each unique node's label (its longest raw prefix), which the pairs reuse.
 */
function topRepeaters(
  tl: HopTally,
  resolver: HopResolver,
  agg: AggregateResolver,
  nodes: NodeTable,
): { topRepeaters: TopologyResponse['topRepeaters']; label: Map<number, string> } {
  const { hopStr, hopCode, hopFreq } = tl;
  const label = new Map<number, string>();
  const merged = new Map<string, { hop: string; count: number; node: number }>();
  for (let id = 0; id < hopStr.length; id++) {
    if (hopFreq[id] === 0) continue;
    const h = hopStr[id];
    const u = resolver.uniqueCode(hopCode[id]);
    if (u >= 0) {
      const prev = label.get(u);
      if (prev === undefined || h.length > prev.length) label.set(u, h);
    }
    const key = u >= 0 ? `n${u}` : `h${h}`;
    const g = merged.get(key);
    if (g) g.count += hopFreq[id];
    else merged.set(key, { hop: h, count: hopFreq[id], node: u >= 0 ? u : agg.resolveCode(hopCode[id]) });
  }
  for (const g of merged.values()) if (resolver.uniqueNode(g.hop) >= 0) g.hop = label.get(g.node)!;
  const byCountThenHop = (a: { count: number; hop: string }, b: { count: number; hop: string }) =>
    b.count - a.count || (a.hop < b.hop ? -1 : a.hop > b.hop ? 1 : 0);
  const top = [...merged.values()]
    .sort(byCountThenHop)
    .slice(0, TOP_REPEATERS)
    .map((g) => ({
      hop: g.hop,
      count: g.count,
      name: nodeName(nodes, g.node),
      pubkey: nodeKey(nodes, g.node),
    }));
  return { topRepeaters: top, label };
}

/** Pairs: raw pairs whose both ends are unique merge by node pair; the others stay as they are. */
function topPairs(
  tl: HopTally,
  resolver: HopResolver,
  agg: AggregateResolver,
  nodes: NodeTable,
  label: Map<number, string>,
): TopologyResponse['topPairs'] {
  const { hopStr, hopCode, pairFreq } = tl;
  const labelOf = (u: number, fallback: string) => label.get(u) ?? fallback;
  const groupOf = new Map<number, number>();
  const gA: string[] = [];
  const gB: string[] = [];
  const gNa: number[] = [];
  const gNb: number[] = [];
  const gCount: number[] = [];
  for (let p = 0; p < pairFreq.size; p++) {
    const lo = pairFreq.lo[p];
    const hi = pairFreq.hi[p];
    const count = pairFreq.count[p];
    const ua = resolver.uniqueCode(hopCode[lo]);
    const ub = resolver.uniqueCode(hopCode[hi]);
    if (ua >= 0 && ub >= 0) {
      const key = Math.min(ua, ub) * nodes.count + Math.max(ua, ub);
      const g = groupOf.get(key);
      if (g !== undefined) {
        gCount[g] += count;
        continue;
      }
      groupOf.set(key, gA.length);
      let a = labelOf(ua, hopStr[lo]);
      let b = labelOf(ub, hopStr[hi]);
      let na = ua;
      let nb = ub;
      if (a > b) [a, b, na, nb] = [b, a, ub, ua];
      gA.push(a);
      gB.push(b);
      gNa.push(na);
      gNb.push(nb);
    } else {
      gA.push(hopStr[lo]);
      gB.push(hopStr[hi]);
      gNa.push(agg.resolveCode(hopCode[lo]));
      gNb.push(agg.resolveCode(hopCode[hi]));
    }
    gCount.push(count);
  }
  const pairBefore = (x: number, y: number) =>
    gCount[x] > gCount[y] ||
    (gCount[x] === gCount[y] && (gA[x] < gA[y] || (gA[x] === gA[y] && gB[x] < gB[y])));
  return topK(gA.length, TOP_PAIRS, pairBefore).map((g) => ({
    hopA: gA[g],
    hopB: gB[g],
    count: gCount[g],
    nameA: nodeName(nodes, gNa[g]),
    nameB: nodeName(nodes, gNb[g]),
    pubkeyA: nodeKey(nodes, gNa[g]),
    pubkeyB: nodeKey(nodes, gNb[g]),
  }));
}

/** Hop-count summary from the per-length counts: mean, upper median (sorted[⌊len/2⌋]), max. */
function hopSummary(
  tl: HopTally,
): Pick<TopologyResponse, 'avgHops' | 'medianHops' | 'maxHops' | 'hopDistribution' | 'hopsVsSnr'> {
  const { hopCounts, snrSum, snrCount, counted } = tl;
  let sum = 0;
  let maxHops = 0;
  let medianHops = 0;
  let seen = 0;
  for (const n of [...hopCounts.keys()].sort((a, b) => a - b)) {
    const c = hopCounts.get(n)!;
    sum += n * c;
    maxHops = n;
    if (seen <= counted >> 1 && counted >> 1 < seen + c) medianHops = n;
    seen += c;
  }
  const hopDistribution = [...hopCounts.entries()]
    .filter(([h]) => h <= MAX_HOP_DISTRIBUTION)
    .sort((a, b) => a[0] - b[0])
    .map(([hops, count]) => ({ hops, count }));
  const hopsVsSnr = [...snrCount.entries()]
    .filter(([h]) => h <= MAX_HOPS_VS_SNR)
    .sort((a, b) => a[0] - b[0])
    .map(([hops, count]) => ({ hops, count, avgSnr: snrSum.get(hops)! / count }));
  return { avgHops: counted ? sum / counted : 0, medianHops, maxHops, hopDistribution, hopsVsSnr };
}

/** Observer ids and display names (the id when unnamed), by observer row. */
interface ObserverLabels {
  obsId: string[];
  obsName: string[];
}

/** Per-observer reach: rings by minimum distance, each with its most-heard nodes. */
function perObserverReach(
  tl: HopTally,
  agg: AggregateResolver,
  nodes: NodeTable,
  labels: ObserverLabels,
): TopologyResponse['perObserverReach'] {
  const { hopStr, hopCode, reachHop, reachObs, reachMin, reachMax, reachCount } = tl;
  const reachByObserver = new Map<number, number[]>();
  for (let i = 0; i < reachHop.length; i++) {
    const o = reachObs[i];
    const lo = reachByObserver.get(o);
    if (lo) lo.push(i);
    else reachByObserver.set(o, [i]);
  }
  const hopOf = (i: number): string => hopStr[reachHop[i]];
  const reach: TopologyResponse['perObserverReach'] = {};
  const byCountThenHopIdx = (a: number, b: number) =>
    reachCount[b] - reachCount[a] || (hopOf(a) < hopOf(b) ? -1 : hopOf(a) > hopOf(b) ? 1 : 0);
  for (const o of tl.observerOrder) {
    const rings = new Map<number, number[]>();
    for (const i of reachByObserver.get(o) ?? []) {
      const d = reachMin[i];
      if (d > MAX_REACH_RING) continue;
      const ring = rings.get(d);
      if (ring) ring.push(i);
      else rings.set(d, [i]);
    }
    reach[labels.obsId[o]] = {
      observer_name: labels.obsName[o],
      rings: [...rings.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([hops, list]) => ({
          hops,
          // Bounded (docs/compatibility.md): the most-heard nodes of each ring.
          nodes: list
            .sort(byCountThenHopIdx)
            .slice(0, MAX_REACH_NODES)
            .map((i) => {
              const node = agg.resolveCode(hopCode[reachHop[i]]);
              return {
                hop: hopOf(i),
                name: nodeName(nodes, node),
                pubkey: nodeKey(nodes, node),
                count: reachCount[i],
                distRange: reachMin[i] === reachMax[i] ? null : `${reachMin[i]}-${reachMax[i]}`,
              };
            }),
        })),
    };
  }
  return reach;
}

/** Nodes heard by several observers, and the best (closest) observer of every hop. */
function hopObservers(
  tl: HopTally,
  agg: AggregateResolver,
  nodes: NodeTable,
  labels: ObserverLabels,
): Pick<TopologyResponse, 'multiObsNodes' | 'bestPathList'> {
  const { hopStr, hopCode, reachHop, reachObs, reachMin, reachCount } = tl;
  const { obsId, obsName } = labels;
  const reachByHop = new Map<number, number[]>();
  for (let i = 0; i < reachHop.length; i++) {
    const id = reachHop[i];
    const lh = reachByHop.get(id);
    if (lh) lh.push(i);
    else reachByHop.set(id, [i]);
  }
  const multiObsNodes: TopologyResponse['multiObsNodes'] = [];
  const bestPathList: TopologyResponse['bestPathList'] = [];
  for (const [id, list] of reachByHop) {
    const h = hopStr[id];
    const node = agg.resolveCode(hopCode[id]);
    const sorted = list
      .slice()
      .sort(
        (a, b) =>
          reachMin[a] - reachMin[b] ||
          reachCount[b] - reachCount[a] ||
          (obsId[reachObs[a]] < obsId[reachObs[b]] ? -1 : 1),
      );
    const bestI = sorted[0];
    bestPathList.push({
      hop: h,
      name: nodeName(nodes, node),
      pubkey: nodeKey(nodes, node),
      minDist: reachMin[bestI],
      observer_id: obsId[reachObs[bestI]],
      observer_name: obsName[reachObs[bestI]],
    });
    if (list.length < 2) continue;
    multiObsNodes.push({
      hop: h,
      name: nodeName(nodes, node),
      pubkey: nodeKey(nodes, node),
      observers: sorted.map((i) => ({
        observer_id: obsId[reachObs[i]],
        observer_name: obsName[reachObs[i]],
        minDist: reachMin[i],
        count: reachCount[i],
      })),
    });
  }
  multiObsNodes.sort((a, b) => b.observers.length - a.observers.length || (a.hop < b.hop ? -1 : 1));
  bestPathList.sort((a, b) => a.minDist - b.minDist || (a.hop < b.hop ? -1 : 1));
  return {
    multiObsNodes: multiObsNodes.slice(0, TOP_MULTI_OBS),
    bestPathList: bestPathList.slice(0, TOP_BEST_PATH),
  };
}

export function computeTopology(
  input: AnalyticsInput,
  query: AnalyticsQuery,
  paths: PathContext = buildPathContext(input),
): TopologyResponse {
  const { nodes, observers } = input;
  const resolver = paths.resolver;
  const area = areaNodeMask(input, query);
  const { considered, agg } = candidateTransmissions(input, query, paths);
  const tl = tallyHops(input, paths.best, considered, agg, area);
  const repeaters = topRepeaters(tl, resolver, agg, nodes);
  const pairs = topPairs(tl, resolver, agg, nodes, repeaters.label);
  const summary = hopSummary(tl);

  const obsId = Array.from({ length: observers.count }, (_, o) => observers.id(o));
  const obsName = Array.from({ length: observers.count }, (_, o) => observers.name(o) ?? obsId[o]);
  const labels: ObserverLabels = { obsId, obsName };
  const reach = perObserverReach(tl, agg, nodes, labels);
  const { multiObsNodes, bestPathList } = hopObservers(tl, agg, nodes, labels);

  let uniqueNodes = 0;
  for (let i = 0; i < nodes.count; i++)
    if (nodes.lastSeenMs(i) >= input.nowMs - UNIQUE_NODES_WINDOW_MS) uniqueNodes++;

  return {
    uniqueNodes,
    avgHops: summary.avgHops,
    medianHops: summary.medianHops,
    maxHops: summary.maxHops,
    hopDistribution: summary.hopDistribution,
    topRepeaters: repeaters.topRepeaters,
    topPairs: pairs,
    hopsVsSnr: summary.hopsVsSnr,
    observers: tl.observerOrder.map((o) => ({ id: observers.id(o), name: obsName[o] })),
    perObserverReach: reach,
    multiObsNodes,
    bestPathList,
  };
}
