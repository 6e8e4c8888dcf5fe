// Route patterns (spec analytics §7.1): GET /api/analytics/subpaths, /subpaths-bulk and
// /subpath-detail. The counts come from a SubpathIndex (shared/subpath-index.ts): the default
// one over every transmission is built once per snapshot (registry ComputeContext.subpaths()) and
// serves the default list, every minLen/maxLen/limit shape and the bulk groups; a region or
// window builds one filtered index for the request (one scan for all bulk groups).
//
// Ranking (pass `rankSubpaths`): the raw subpaths in [minLen, maxLen] are summed by their named
// form (equal names merge, spec §7.1), ranked by count (ties by path text), truncated; the
// representative `rawHops` of a merged entry is its raw subpath with the highest count (the
// first counted on ties). Subpaths through a hidden node (blacklist, hidden name prefix) are
// left out, as subpath-detail answers 404 for them.
import type { AnalyticsInput } from '../inputs/input.js';
import { regionObservers, type AnalyticsQuery } from '../shared/query.js';
import { inWindow } from '../shared/query-filters.js';
import { regionTransmissions, type PathContext } from '../shared/path-context.js';
import { hasGps } from '../shared/geo.js';
import { round1 } from '../shared/stats.js';
import { rfc3339 } from '../shared/time-format.js';
import { hopText } from '../shared/hop-code.js';
import {
  buildSubpathIndex,
  hiddenNodes,
  hopHex,
  MAX_SUBPATH,
  MIN_SUBPATH,
  type NodeVisibility,
  type SubpathIndex,
} from '../shared/subpath-index.js';

export interface SubpathArgs {
  minLen: number;
  maxLen: number;
  limit: number;
}

/** The default shape (spec §7.1: minLen=2, maxLen=8, limit=100), the recomputer's snapshot. */
export const DEFAULT_SUBPATH_ARGS: Readonly<SubpathArgs> = Object.freeze({
  minLen: MIN_SUBPATH,
  maxLen: MAX_SUBPATH,
  limit: 100,
});

export interface SubpathItem {
  path: string;
  rawHops: string[];
  count: number;
  hops: number;
  pct: number;
}

export interface SubpathsResponse {
  subpaths: SubpathItem[];
  totalPaths: number;
}

export interface SubpathDetailResponse {
  hops: string[];
  nodes: Array<{
    hop: string;
    name: string | null;
    lat: number | null;
    lon: number | null;
    pubkey: string | null;
  }>;
  totalMatches: number;
  firstSeen: string | null;
  lastSeen: string | null;
  signal: { avgSnr: number | null; avgRssi: number | null; samples: number };
  hourDistribution: number[];
  parentPaths: Array<{ path: string; count: number }>;
  observers: Array<{ name: string; count: number }>;
}

const TOP_PARENT_PATHS = 15;
const TOP_OBSERVERS = 10;
const ARROW = ' → ';

/** Whether the query filters transmissions (region or window); area does not apply here. */
function filtered(query: AnalyticsQuery): boolean {
  return query.regions !== null || query.fromMs !== null || query.toMs !== null;
}

/**
 * The index a query reads: the snapshot's default one, or one built for its region/window
 * (window on the transmission's first_seen, a region when any observation came from it).
 */
export function subpathIndexFor(
  input: AnalyticsInput,
  query: AnalyticsQuery,
  paths: PathContext,
  defaultIndex: () => SubpathIndex,
): SubpathIndex {
  if (!filtered(query)) return defaultIndex();
  const inRegion = regionTransmissions(input, regionObservers(input.observers, query));
  const tx = input.tx;
  return buildSubpathIndex(input, paths.best, paths.resolver, (t) => {
    if (inRegion !== null && inRegion[t] === 0) return false;
    return inWindow(tx.firstSeenMs(t), query);
  });
}

/** Pass: the top `limit` named subpaths with `minLen..maxLen` hops (see the header). */
export function rankSubpaths(
  input: AnalyticsInput,
  index: SubpathIndex,
  args: SubpathArgs,
  visibility: NodeVisibility,
): SubpathsResponse {
  const named = index.named(visibility);
  const raw = index.trie;
  const len = raw.length.data;
  const count = index.count;
  const nNamed = named.trie.size;
  const sum = new Int32Array(nNamed);
  const rep = new Int32Array(nNamed).fill(-1);
  const touched: number[] = [];
  const lo = Math.max(MIN_SUBPATH, args.minLen);
  const hi = Math.min(MAX_SUBPATH, args.maxLen);
  for (let id = 0, n = raw.size; id < n; id++) {
    const l = len[id];
    const c = count[id];
    if (l < lo || l > hi || c === 0 || named.hidden[id] === 1) continue;
    const k = named.namedOf[id];
    if (rep[k] < 0) {
      touched.push(k);
      rep[k] = id;
    } else if (c > count[rep[k]]) rep[k] = id;
    sum[k] += c;
  }
  const limit = Math.max(0, args.limit);
  // Everything at or above the limit-th count, then ties broken by path text.
  const counts = touched.map((k) => sum[k]).sort((a, b) => b - a);
  const floor = counts.length > limit ? counts[limit - 1] : 0;
  const chosen = touched
    .filter((k) => limit > 0 && sum[k] >= floor)
    .map((k) => ({
      k,
      path: named.trie
        .symbols(k)
        .map((tok) => named.tokens[tok])
        .join(ARROW),
    }))
    .sort((a, b) => sum[b.k] - sum[a.k] || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .slice(0, limit);
  const total = index.totalPaths;
  return {
    subpaths: chosen.map(({ k, path }) => ({
      path,
      rawHops: raw.symbols(rep[k]).map((h) => hopHex(index, h)),
      count: sum[k],
      hops: named.trie.length.data[k],
      pct: total > 0 ? round1((sum[k] / total) * 100) : 0,
    })),
    totalPaths: total,
  };
}

/** GET /api/analytics/subpaths. */
export function computeSubpaths(
  input: AnalyticsInput,
  query: AnalyticsQuery,
  paths: PathContext,
  defaultIndex: () => SubpathIndex,
  args: SubpathArgs | null,
  visibility: NodeVisibility,
): SubpathsResponse {
  const index = subpathIndexFor(input, query, paths, defaultIndex);
  return rankSubpaths(input, index, args ?? DEFAULT_SUBPATH_ARGS, visibility);
}

/** GET /api/analytics/subpaths-bulk: one index (one scan at most) for every group. */
export function computeSubpathsBulk(
  input: AnalyticsInput,
  query: AnalyticsQuery,
  paths: PathContext,
  defaultIndex: () => SubpathIndex,
  groups: readonly SubpathArgs[],
  visibility: NodeVisibility,
): { results: SubpathsResponse[] } {
  const index = subpathIndexFor(input, query, paths, defaultIndex);
  return { results: groups.map((g) => rankSubpaths(input, index, g, visibility)) };
}

function byCountThenName<T extends { count: number }>(key: (x: T) => string) {
  return (a: T, b: T) => b.count - a.count || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
}

/**
 * GET /api/analytics/subpath-detail: the transmissions whose best path contains exactly the hop
 * codes `codes` contiguously. Null (404) when a hop resolves to a hidden node.
 */
export function computeSubpathDetail(
  input: AnalyticsInput,
  paths: PathContext,
  index: SubpathIndex,
  codes: readonly number[],
  visibility: NodeVisibility,
): SubpathDetailResponse | null {
  const { tx, obs, nodes, observers } = input;
  const hidden = hiddenNodes(input, visibility);
  const hopsText = codes.map((c) => hopText(c).toLowerCase());
  // The requested hops against the aggregate context of every transmission (as the list).
  const nodeList: SubpathDetailResponse['nodes'] = [];
  for (let j = 0; j < codes.length; j++) {
    const node = index.agg.resolveCode(codes[j]);
    if (node >= 0 && hidden[node] === 1) return null;
    if (node < 0) nodeList.push({ hop: hopsText[j], name: null, lat: null, lon: null, pubkey: null });
    else {
      const lat = nodes.lat(node);
      const lon = nodes.lon(node);
      const gps = hasGps(lat, lon);
      nodeList.push({
        hop: hopsText[j],
        name: nodes.name(node),
        lat: gps ? lat : null,
        lon: gps ? lon : null,
        pubkey: nodes.publicKey(node),
      });
    }
  }
  const k = codes.length;
  const best = paths.best;
  const resolver = paths.resolver;
  const txCtx = resolver.newContext();
  const hours = new Array<number>(24).fill(0);
  const parentCounts = new Map<string, number>();
  const observerCounts = new Map<string, number>();
  let matches = 0;
  let first = Infinity;
  let last = -Infinity;
  let snrSum = 0;
  let snrN = 0;
  let rssiSum = 0;
  let rssiN = 0;
  const path: number[] = [];
  for (let t = 0; t < tx.count; t++) {
    const r = best[t];
    if (r < 0) continue;
    const n = obs.hopCount(r);
    if (n < k) continue;
    let found = false;
    for (let i = 0; i + k <= n && !found; i++) {
      let j = 0;
      while (j < k && obs.hopCode(r, i + j) === codes[j]) j++;
      found = j === k;
    }
    if (!found) continue;
    matches++;
    const ms = tx.firstSeenMs(t);
    if (!Number.isNaN(ms)) {
      if (ms < first) first = ms;
      if (ms > last) last = ms;
      hours[new Date(ms).getUTCHours()]++;
    }
    const snr = obs.snr(r);
    if (!Number.isNaN(snr)) {
      snrSum += snr;
      snrN++;
    }
    const rssi = obs.rssi(r);
    if (!Number.isNaN(rssi)) {
      rssiSum += rssi;
      rssiN++;
    }
    const o = obs.observer(r);
    if (o >= 0) {
      const name = observers.name(o) ?? observers.id(o);
      observerCounts.set(name, (observerCounts.get(name) ?? 0) + 1);
    }
    // The whole path resolved in this transmission's own context (spec §7.1 "per-tx resolved").
    txCtx.clear();
    txCtx.add(tx.advertNode(t));
    if (o >= 0 && o < resolver.observerNode.length) txCtx.add(resolver.observerNode[o]);
    path.length = 0;
    for (let q = 0; q < n; q++) {
      const code = obs.hopCode(r, q);
      path.push(code);
      if (code >= 0) txCtx.add(resolver.uniqueCode(code));
    }
    const text = path
      .map((code) => {
        const node = code >= 0 ? resolver.resolveCode(code, txCtx) : -1;
        const name = node >= 0 && hidden[node] === 0 ? nodes.name(node) : null;
        return name !== null && name !== '' ? name : hopText(code).toLowerCase();
      })
      .join(ARROW);
    parentCounts.set(text, (parentCounts.get(text) ?? 0) + 1);
  }
  return {
    hops: hopsText,
    nodes: nodeList,
    totalMatches: matches,
    firstSeen: matches > 0 && first !== Infinity ? rfc3339(first) : null,
    lastSeen: matches > 0 && last !== -Infinity ? rfc3339(last) : null,
    signal: {
      avgSnr: snrN > 0 ? round1(snrSum / snrN) : null,
      avgRssi: rssiN > 0 ? round1(rssiSum / rssiN) : null,
      samples: snrN,
    },
    hourDistribution: hours,
    parentPaths: [...parentCounts]
      .map(([p, count]) => ({ path: p, count }))
      .sort(byCountThenName((x) => x.path))
      .slice(0, TOP_PARENT_PATHS),
    observers: [...observerCounts]
      .map(([name, count]) => ({ name, count }))
      .sort(byCountThenName((x) => x.name))
      .slice(0, TOP_OBSERVERS),
  };
}
