// t3: repeater enrichment and usefulness (spec analytics §7.7; ingest-store-api §4.2 Nodes; issue
// 10 item 3), one background analytic over the shared path context. For every repeater and room:
// relay liveness (counts, last relay, scopes carried) and the four usefulness axes, combined into
// `usefulness_score` / `usefulness_grade`. The main thread keeps the latest result as a per-node
// table (engine/repeater-table.ts) that `/api/nodes` reads per row.
//
// Passes:
//   1. `countRelays`: per transmission, the union of the relays named by the paths of all its
//      observations (the shared PathContext.txRelays(), shared/tx-relays.ts, `flood*` view). Only FLOOD routes (0 TRANSPORT_FLOOD, 1 FLOOD) count: there each hop appended
//      itself after relaying (spec packet-format §4); a DIRECT path lists the hops still to go,
//      and a TRACE path carries SNR bytes. A hop is attributed when the HopResolver resolves it
//      with evidence: a unique prefix, or neighbour affinity (tier 1) relative to the
//      observation's context (sender, observer, uniquely resolved hops). Hops with no candidate
//      count as `unresolvedHops`; ambiguous hops left to the GPS/advert-count tiers (a guess) are
//      not attributed and count as `ambiguousHops`.
//   2. `graphAxes`: over the HopResolver's neighbour graph (shared, built once per snapshot; edge
//      weight = its score, i.e. §7.5's count·recency score × the observer-diversity confidence
//      min(1, distinctObservers/3)): Brandes betweenness and harmonic reach in one all-sources
//      Dijkstra, articulation points by Tarjan (shared/graph-centrality.ts).
//   3. `combine`: axes in [0, 1] and the weighted score and grade.
//
// Axes (all in [0, 1], higher = more useful):
//   traffic_share_score = transmissions it relayed in the last 7 days / transmissions with any
//                         attributed relay in those 7 days (the share of relayed traffic it carried);
//   bridge_score        = betweenness / the largest betweenness among repeaters and rooms;
//   coverage_score      = harmonic reach / the largest among repeaters and rooms;
//   redundancy_score    = for a cut vertex, the nodes its removal strands outside the largest
//                         remaining piece of its component / (component size − 1); 0 when the
//                         mesh has a way around it (it is redundant).
// usefulness_score = 0.4·traffic + 0.25·bridge + 0.15·coverage + 0.2·redundancy (3 decimals);
// usefulness_grade: ≥ 0.5 critical, ≥ 0.25 important, ≥ 0.1 useful, else redundant.
import type { AnalyticsInput } from '../inputs/input.js';
import type { AnalyticsQuery } from '../shared/query.js';
import type { PathContext } from '../shared/path-context.js';
import { isRelayRole } from '../shared/hop-resolver.js';
import { articulationPoints, betweennessAndHarmonic, csrFromEdges } from '../shared/graph-centrality.js';

const HOUR_MS = 3_600_000;
const TRAFFIC_WINDOW_MS = 7 * 24 * HOUR_MS;
export const USEFULNESS_WEIGHTS = { traffic: 0.4, bridge: 0.25, coverage: 0.15, redundancy: 0.2 } as const;
/** Lower bounds of the grades, highest first; below the last: 'redundant'. */
export const USEFULNESS_GRADES = [
  { grade: 'critical', min: 0.5 },
  { grade: 'important', min: 0.25 },
  { grade: 'useful', min: 0.1 },
] as const;
export type UsefulnessGrade = 'critical' | 'important' | 'useful' | 'redundant';

export interface RepeaterUsefulnessRow {
  pubkey: string;
  name: string | null;
  role: string | null;
  /** ISO time of the newest transmission it relayed, null when none. */
  last_relayed: string | null;
  relay_count_1h: number;
  relay_count_24h: number;
  /** Relayed in the last 24 h without a transport scope (scope_name NULL). */
  unscoped_relay_count_24h: number;
  relay_count_7d: number;
  /** Over every transmission in memory. */
  relay_count_total: number;
  /** Named scopes ('#name') of transmissions it relayed (all in memory), most relayed first. */
  transported_scopes: string[];
  traffic_share_score: number;
  bridge_score: number;
  coverage_score: number;
  redundancy_score: number;
  /** Its removal disconnects part of the observed neighbour graph. */
  cut_vertex: boolean;
  usefulness_score: number;
  usefulness_grade: UsefulnessGrade;
}

export interface RepeaterUsefulnessResponse {
  /** Every repeater and room, usefulness descending, then public key. */
  nodes: RepeaterUsefulnessRow[];
  stats: {
    repeaters: number;
    floodTransmissions: number;
    /** Flood transmissions in the last 7 days with at least one attributed relay (traffic share denominator). */
    relayedTransmissions7d: number;
    attributedHops: number;
    /** Flood hops whose prefix matches no repeater/room. */
    unresolvedHops: number;
    /** Flood hops with several candidates that only a guess (GPS/advert tiers) would pick. */
    ambiguousHops: number;
    graphNodes: number;
    graphEdges: number;
    cutVertices: number;
  };
  weights: typeof USEFULNESS_WEIGHTS;
  grades: typeof USEFULNESS_GRADES;
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

export function usefulnessGrade(score: number): UsefulnessGrade {
  for (const g of USEFULNESS_GRADES) if (score >= g.min) return g.grade;
  return 'redundant';
}

export function usefulnessScore(
  traffic: number,
  bridge: number,
  coverage: number,
  redundancy: number,
): number {
  const w = USEFULNESS_WEIGHTS;
  return round3(w.traffic * traffic + w.bridge * bridge + w.coverage * coverage + w.redundancy * redundancy);
}

/** Per node relay tallies (pass 1). */
interface RelayTally {
  lastMs: Float64Array;
  c1h: Int32Array;
  c24h: Int32Array;
  unscoped24h: Int32Array;
  c7d: Int32Array;
  total: Int32Array;
  scopes: Map<string, number>[];
  floodTx: number;
  relayed7d: number;
  attributed: number;
  unresolved: number;
  ambiguous: number;
}

function countRelays(input: AnalyticsInput, paths: PathContext): RelayTally {
  const { tx, nodes, nowMs } = input;
  const n = nodes.count;
  const tally: RelayTally = {
    lastMs: new Float64Array(n).fill(-Infinity),
    c1h: new Int32Array(n),
    c24h: new Int32Array(n),
    unscoped24h: new Int32Array(n),
    c7d: new Int32Array(n),
    total: new Int32Array(n),
    scopes: [],
    floodTx: 0,
    relayed7d: 0,
    attributed: 0,
    unresolved: 0,
    ambiguous: 0,
  };
  const scopes = new Map<number, Map<string, number>>();
  const rel = paths.txRelays();
  const { floodStart, floodNode } = rel;
  tally.floodTx = rel.floodTx;
  tally.attributed = rel.attributedHops;
  tally.unresolved = rel.unresolvedHops;
  tally.ambiguous = rel.ambiguousHops;
  const h1 = nowMs - HOUR_MS;
  const h24 = nowMs - 24 * HOUR_MS;
  const d7 = nowMs - TRAFFIC_WINDOW_MS;
  for (let t = 0; t < tx.count; t++) {
    const from = floodStart[t];
    const to = floodStart[t + 1];
    if (from === to) continue;
    const at = tx.firstSeenMs(t);
    const scope = tx.scopeName(t);
    if (at >= d7) tally.relayed7d++;
    for (let j = from; j < to; j++) {
      const v = floodNode[j];
      tally.total[v]++;
      if (at > tally.lastMs[v]) tally.lastMs[v] = at;
      if (at >= d7) tally.c7d[v]++;
      if (at >= h24) {
        tally.c24h[v]++;
        if (scope === null) tally.unscoped24h[v]++;
      }
      if (at >= h1) tally.c1h[v]++;
      if (scope !== null && scope !== '') {
        let m = scopes.get(v);
        if (!m) scopes.set(v, (m = new Map()));
        m.set(scope, (m.get(scope) ?? 0) + 1);
      }
    }
  }
  tally.scopes = new Array<Map<string, number>>(n);
  for (const [v, m] of scopes) tally.scopes[v] = m;
  return tally;
}

interface GraphAxes {
  betweenness: Float64Array;
  harmonic: Float64Array;
  cut: Uint8Array;
  stranded: Int32Array;
  componentSize: Int32Array;
  graphNodes: number;
  graphEdges: number;
}

function graphAxes(input: AnalyticsInput, paths: PathContext): GraphAxes {
  const n = input.nodes.count;
  const edges = paths.resolver.neighborEdges();
  const ea = new Int32Array(edges.length);
  const eb = new Int32Array(edges.length);
  const w = new Float64Array(edges.length);
  for (let e = 0; e < edges.length; e++) {
    ea[e] = edges[e][0];
    eb[e] = edges[e][1];
    w[e] = edges[e][3];
  }
  const g = csrFromEdges(n, ea, eb, w);
  const { betweenness, harmonic } = betweennessAndHarmonic(g);
  const { cut, stranded, componentSize } = articulationPoints(g);
  let graphNodes = 0;
  for (let i = 0; i < n; i++) if (g.adjStart[i + 1] > g.adjStart[i]) graphNodes++;
  return {
    betweenness,
    harmonic,
    cut,
    stranded,
    componentSize,
    graphNodes,
    graphEdges: g.adjNode.length / 2,
  };
}

export function computeRepeaterUsefulness(
  input: AnalyticsInput,
  _query: AnalyticsQuery,
  paths: PathContext,
): RepeaterUsefulnessResponse {
  const { nodes } = input;
  const tally = countRelays(input, paths);
  const axes = graphAxes(input, paths);
  const relaysIdx: number[] = [];
  let maxB = 0;
  let maxH = 0;
  for (let i = 0; i < nodes.count; i++) {
    if (!isRelayRole(nodes.role(i))) continue;
    relaysIdx.push(i);
    if (axes.betweenness[i] > maxB) maxB = axes.betweenness[i];
    if (axes.harmonic[i] > maxH) maxH = axes.harmonic[i];
  }
  let cutVertices = 0;
  const rows: RepeaterUsefulnessRow[] = relaysIdx.map((i) => {
    const traffic = tally.relayed7d > 0 ? tally.c7d[i] / tally.relayed7d : 0;
    const bridge = maxB > 0 ? axes.betweenness[i] / maxB : 0;
    const coverage = maxH > 0 ? axes.harmonic[i] / maxH : 0;
    const others = axes.componentSize[i] - 1;
    const redundancy = axes.cut[i] === 1 && others > 0 ? axes.stranded[i] / others : 0;
    if (axes.cut[i] === 1) cutVertices++;
    const score = usefulnessScore(traffic, bridge, coverage, redundancy);
    const scopes = tally.scopes[i];
    return {
      pubkey: nodes.publicKey(i),
      name: nodes.name(i),
      role: nodes.role(i),
      last_relayed: tally.total[i] > 0 ? new Date(tally.lastMs[i]).toISOString() : null,
      relay_count_1h: tally.c1h[i],
      relay_count_24h: tally.c24h[i],
      unscoped_relay_count_24h: tally.unscoped24h[i],
      relay_count_7d: tally.c7d[i],
      relay_count_total: tally.total[i],
      transported_scopes: scopes
        ? [...scopes.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([s]) => s)
        : [],
      traffic_share_score: round3(traffic),
      bridge_score: round3(bridge),
      coverage_score: round3(coverage),
      redundancy_score: round3(redundancy),
      cut_vertex: axes.cut[i] === 1,
      usefulness_score: score,
      usefulness_grade: usefulnessGrade(score),
    };
  });
  rows.sort(
    (a, b) =>
      b.usefulness_score - a.usefulness_score || (a.pubkey < b.pubkey ? -1 : a.pubkey > b.pubkey ? 1 : 0),
  );
  return {
    nodes: rows,
    stats: {
      repeaters: rows.length,
      floodTransmissions: tally.floodTx,
      relayedTransmissions7d: tally.relayed7d,
      attributedHops: tally.attributed,
      unresolvedHops: tally.unresolved,
      ambiguousHops: tally.ambiguous,
      graphNodes: axes.graphNodes,
      graphEdges: axes.graphEdges,
      cutVertices,
    },
    weights: USEFULNESS_WEIGHTS,
    grades: USEFULNESS_GRADES,
  };
}
