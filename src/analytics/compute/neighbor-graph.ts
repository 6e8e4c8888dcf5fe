// The neighbour graph (spec analytics §7.5; t2): which nodes hear each other, from the paths
// meshlens has seen. The edges come from the snapshot's one tally (shared/hop-resolver.ts
// `EdgeTally`, built with the path context): adjacent path entries whose ends resolve uniquely
// (advert originator, relays, the observer's own node), and edges to a hop prefix with several
// candidates, reported as `prefix:<hex>` with `ambiguous: true` instead of guessed.
//
// Passes: `regionEdges` (region queries only: which edges a region observer contributed to) →
// `keptEdges` (count, score, role, region filters; geographically impossible edges rejected and
// counted) → `graphNodes` → `neighborGraphResponse`.
//
// Score = min(1, count/100) · exp(−ln2 · h / 168), h = hours since the edge was last seen (a
// 7-day half-life). Unlike CoreScope, `avg_snr` is the mean SNR of the sightings where the edge
// is the final link (relay → observer), the only hop whose SNR an observation measures; null
// when there is none.
import type { AnalyticsInput } from '../inputs/input.js';
import type { AnalyticsQuery } from '../shared/query.js';
import { regionObservers } from '../shared/query.js';
import type { PathContext } from '../shared/path-context.js';
import type { HopResolver } from '../shared/hop-resolver.js';
import { EDGE_OBSERVER_SLOTS, type EdgeTally } from '../shared/neighbor-tally.js';
import { hasGps, haversineKm } from '../shared/geo.js';
import { HOUR_MS } from '../shared/time-format.js';

export interface NeighborGraphParams {
  minCount: number;
  minScore: number;
  /** Keep an edge when either end has this role (case-insensitive); null = any. */
  role: string | null;
  /** Reject edges whose two GPS ends are farther apart (km); negative disables. */
  maxEdgeKm: number;
}

export const NEIGHBOR_GRAPH_DEFAULTS: NeighborGraphParams = {
  minCount: 5,
  minScore: 0.1,
  role: null,
  maxEdgeKm: 500,
};

export interface NeighborGraphEdge {
  source: string;
  target: string;
  weight: number;
  score: number;
  bidirectional: boolean;
  avg_snr: number | null;
  ambiguous: boolean;
}

export interface NeighborGraphNode {
  pubkey: string;
  name: string | null;
  role: string | null;
  neighbor_count: number;
}

export interface NeighborGraphResponse {
  nodes: NeighborGraphNode[];
  edges: NeighborGraphEdge[];
  stats: {
    total_nodes: number;
    total_edges: number;
    ambiguous_edges: number;
    avg_cluster_size: number;
    rejected_edges_geo_far: number;
  };
}

const HALF_LIFE_HOURS = 168;

/** The spec's edge score (7-day half-life). */
export function edgeScore(count: number, lastMs: number, nowMs: number): number {
  const hours = Math.max(0, (nowMs - lastMs) / HOUR_MS);
  return Math.min(1, count / 100) * Math.exp((-Math.LN2 * hours) / HALF_LIFE_HOURS);
}

const round = (x: number, dp: number): number => Math.round(x * 10 ** dp) / 10 ** dp;

/** Hop code (hop-code.ts: `(size << 24) | bytes`) as lower-case hex. */
export function hopCodeHex(code: number): string {
  const size = code >>> 24;
  return (code & 0xffffff).toString(16).padStart(2 * size, '0');
}

/** Reads the neighbor-graph parameters from a query (the registry's `extra.parse` fills them). */
export function neighborGraphParams(query: AnalyticsQuery): NeighborGraphParams {
  const p = query.params ?? {};
  const num = (k: string, d: number): number => (typeof p[k] === 'number' ? (p[k] as number) : d);
  const role = p.role;
  return {
    minCount: num('min_count', NEIGHBOR_GRAPH_DEFAULTS.minCount),
    minScore: num('min_score', NEIGHBOR_GRAPH_DEFAULTS.minScore),
    role: typeof role === 'string' && role !== '' ? role.toLowerCase() : null,
    maxEdgeKm: num('maxEdgeKm', NEIGHBOR_GRAPH_DEFAULTS.maxEdgeKm),
  };
}

/**
 * Pass 1 (region queries): per edge and per ambiguous edge, 1 when an observation from a region
 * observer contributed to it. Re-walks those observations with the tally's rules.
 */
function regionEdges(
  input: AnalyticsInput,
  resolver: HopResolver,
  tally: EdgeTally,
  mask: Uint8Array,
): { edge: Uint8Array; amb: Uint8Array } {
  const { tx, obs } = input;
  const edge = new Uint8Array(tally.ea.length);
  const amb = new Uint8Array(tally.ambNode.length);
  for (let r = 0, nObs = obs.count; r < nObs; r++) {
    const observer = obs.observer(r);
    if (observer < 0 || mask[observer] !== 1) continue;
    const t = obs.txRow(r);
    if (t < 0 || t >= tx.count) continue;
    const hops = obs.hopCount(r);
    const route = tx.routeType(t);
    const observerEnd = route === 0 || route === 1 || hops === 0;
    let prev = tx.advertNode(t);
    let prevCode = -1;
    for (let k = 0; k < hops; k++) {
      const code = obs.hopCode(r, k);
      const cands = code < 0 ? [] : resolver.candidatesCode(code);
      const u = cands.length === 1 ? cands[0] : -1;
      if (prev >= 0 && u >= 0) mark(edge, tally.edgeId(prev, u));
      else if (prev >= 0 && cands.length > 1) mark(amb, tally.ambiguousId(prev, code));
      else if (u >= 0 && prevCode >= 0) mark(amb, tally.ambiguousId(u, prevCode));
      prev = u;
      prevCode = cands.length > 1 ? code : -1;
    }
    const on = observer < resolver.observerNode.length ? resolver.observerNode[observer] : -1;
    if (on >= 0 && observerEnd) {
      if (prev >= 0) mark(edge, tally.edgeId(prev, on));
      else if (prevCode >= 0) mark(amb, tally.ambiguousId(on, prevCode));
    }
  }
  return { edge, amb };
}

function mark(arr: Uint8Array, id: number): void {
  if (id >= 0) arr[id] = 1;
}

interface Kept {
  edges: NeighborGraphEdge[];
  /** Per node: kept edges touching it. */
  degree: Map<number, number>;
  rejectedGeoFar: number;
}

/** Pass 2: the edges that pass the filters, geographically impossible ones counted apart. */
function keptEdges(
  input: AnalyticsInput,
  resolver: HopResolver,
  tally: EdgeTally,
  p: NeighborGraphParams,
  region: { edge: Uint8Array; amb: Uint8Array } | null,
): Kept {
  const { nodes, nowMs } = input;
  const roleOk = (i: number): boolean => p.role === null || (nodes.role(i) ?? '').toLowerCase() === p.role;
  const edges: NeighborGraphEdge[] = [];
  const degree = new Map<number, number>();
  const bump = (i: number) => degree.set(i, (degree.get(i) ?? 0) + 1);
  let rejectedGeoFar = 0;
  for (let e = 0; e < tally.ea.length; e++) {
    const count = tally.count[e];
    if (count === 0 || count < p.minCount) continue;
    if (region !== null && region.edge[e] === 0) continue;
    const a = tally.ea[e];
    const b = tally.eb[e];
    if (!roleOk(a) && !roleOk(b)) continue;
    const score = edgeScore(count, tally.last[e], nowMs);
    if (score < p.minScore) continue;
    const la = resolver.lat[a];
    const lb = resolver.lat[b];
    if (
      p.maxEdgeKm >= 0 &&
      hasGps(la, resolver.lon[a]) &&
      hasGps(lb, resolver.lon[b]) &&
      haversineKm(la, resolver.lon[a], lb, resolver.lon[b]) > p.maxEdgeKm
    ) {
      rejectedGeoFar++;
      continue;
    }
    // Oriented the way most sightings went (origin side first); ties: lower key first.
    const ka = resolver.publicKey(a);
    const kb = resolver.publicKey(b);
    const forward = tally.fwd[e] > tally.rev[e] || (tally.fwd[e] === tally.rev[e] && ka < kb);
    edges.push({
      source: forward ? ka : kb,
      target: forward ? kb : ka,
      weight: count,
      score: round(score, 4),
      bidirectional: tally.fwd[e] > 0 && tally.rev[e] > 0,
      avg_snr: tally.snrN[e] > 0 ? round(tally.snrSum[e] / tally.snrN[e], 1) : null,
      ambiguous: false,
    });
    bump(a);
    bump(b);
  }
  for (let e = 0; e < tally.ambNode.length; e++) {
    const count = tally.ambCount[e];
    if (count < p.minCount) continue;
    if (region !== null && region.amb[e] === 0) continue;
    const a = tally.ambNode[e];
    if (!roleOk(a)) continue;
    const score = edgeScore(count, tally.ambLast[e], nowMs);
    if (score < p.minScore) continue;
    edges.push({
      source: resolver.publicKey(a),
      target: `prefix:${hopCodeHex(tally.ambCode[e])}`,
      weight: count,
      score: round(score, 4),
      bidirectional: false,
      avg_snr: null,
      ambiguous: true,
    });
    bump(a);
  }
  edges.sort(
    (x, y) =>
      y.score - x.score ||
      y.weight - x.weight ||
      (x.source < y.source ? -1 : x.source > y.source ? 1 : x.target < y.target ? -1 : 1),
  );
  return { edges, degree, rejectedGeoFar };
}

/** Pass 3: the nodes of the kept edges, most neighbours first. */
function graphNodes(input: AnalyticsInput, resolver: HopResolver, degree: Map<number, number>) {
  const out: NeighborGraphNode[] = [];
  for (const [i, d] of degree) {
    out.push({
      pubkey: resolver.publicKey(i),
      name: input.nodes.name(i),
      role: input.nodes.role(i),
      neighbor_count: d,
    });
  }
  out.sort((x, y) => y.neighbor_count - x.neighbor_count || (x.pubkey < y.pubkey ? -1 : 1));
  return out;
}

export function computeNeighborGraph(
  input: AnalyticsInput,
  query: AnalyticsQuery,
  paths: PathContext,
): NeighborGraphResponse {
  const { resolver } = paths;
  const tally = resolver.neighborTally();
  const p = neighborGraphParams(query);
  const empty = { edges: [], degree: new Map<number, number>(), rejectedGeoFar: 0 };
  let kept: Kept = empty;
  if (tally !== null) {
    const mask = regionObservers(input.observers, query);
    const region = mask === null ? null : regionEdges(input, resolver, tally, mask);
    kept = keptEdges(input, resolver, tally, p, region);
  }
  const nodes = graphNodes(input, resolver, kept.degree);
  const ambiguous = kept.edges.reduce((n, e) => n + (e.ambiguous ? 1 : 0), 0);
  return {
    nodes,
    edges: kept.edges,
    stats: {
      total_nodes: nodes.length,
      total_edges: kept.edges.length,
      ambiguous_edges: ambiguous,
      avg_cluster_size: nodes.length === 0 ? 0 : round((2 * kept.edges.length) / nodes.length, 2),
      rejected_edges_geo_far: kept.rejectedGeoFar,
    },
  };
}

/**
 * The compact neighbour table the main thread keeps (t2: /api/nodes/:pubkey/neighbors,
 * /api/debug/affinity, the affinity tier of /api/resolve-hops): every tallied edge with its
 * count, last sighting, score, direction and up to 4 observer ids, geographically impossible
 * edges left out. Numbers in flat arrays so the main thread parses it quickly.
 */
export interface NeighborTable {
  nowMs: number;
  /** Node public keys (lower case) referenced below by index. */
  keys: string[];
  names: (string | null)[];
  roles: (string | null)[];
  /** Observer ids referenced below by index. */
  observerIds: string[];
  /** Per edge: a, b, count, lastMs, fwd, rev (6 numbers). */
  edges: number[];
  /** Per edge: EDGE_OBSERVER_SLOTS observer indexes into observerIds (-1 empty). */
  edgeObservers: number[];
  /** Per ambiguous edge: node, count, lastMs (3 numbers) and its prefix in `ambPrefixes`. */
  amb: number[];
  ambPrefixes: string[];
  ambObservers: number[];
  /** Edges left out as geographically impossible. */
  rejectedGeoFar: number;
}

export function computeNeighborTable(
  input: AnalyticsInput,
  paths: PathContext,
  maxEdgeKm: number,
): NeighborTable {
  const { resolver } = paths;
  const tally = resolver.neighborTally();
  const table: NeighborTable = {
    nowMs: input.nowMs,
    keys: [],
    names: [],
    roles: [],
    observerIds: [],
    edges: [],
    edgeObservers: [],
    amb: [],
    ambPrefixes: [],
    ambObservers: [],
    rejectedGeoFar: 0,
  };
  if (tally === null) return table;
  const nodeIdx = new Map<number, number>();
  const obsIdx = new Map<number, number>();
  const node = (i: number): number => {
    let j = nodeIdx.get(i);
    if (j === undefined) {
      j = table.keys.length;
      nodeIdx.set(i, j);
      table.keys.push(resolver.publicKey(i));
      table.names.push(input.nodes.name(i));
      table.roles.push(input.nodes.role(i));
    }
    return j;
  };
  const observer = (o: number): number => {
    if (o < 0) return -1;
    let j = obsIdx.get(o);
    if (j === undefined) {
      j = table.observerIds.length;
      obsIdx.set(o, j);
      table.observerIds.push(input.observers.id(o));
    }
    return j;
  };
  for (let e = 0; e < tally.ea.length; e++) {
    if (tally.count[e] === 0) continue;
    const a = tally.ea[e];
    const b = tally.eb[e];
    if (
      maxEdgeKm >= 0 &&
      hasGps(resolver.lat[a], resolver.lon[a]) &&
      hasGps(resolver.lat[b], resolver.lon[b]) &&
      haversineKm(resolver.lat[a], resolver.lon[a], resolver.lat[b], resolver.lon[b]) > maxEdgeKm
    ) {
      table.rejectedGeoFar++;
      continue;
    }
    table.edges.push(node(a), node(b), tally.count[e], tally.last[e], tally.fwd[e], tally.rev[e]);
    for (let k = 0; k < EDGE_OBSERVER_SLOTS; k++)
      table.edgeObservers.push(observer(tally.observers[e * EDGE_OBSERVER_SLOTS + k]));
  }
  for (let e = 0; e < tally.ambNode.length; e++) {
    table.amb.push(node(tally.ambNode[e]), tally.ambCount[e], tally.ambLast[e]);
    table.ambPrefixes.push(hopCodeHex(tally.ambCode[e]));
    for (let k = 0; k < EDGE_OBSERVER_SLOTS; k++)
      table.ambObservers.push(observer(tally.ambObservers[e * EDGE_OBSERVER_SLOTS + k]));
  }
  return table;
}
