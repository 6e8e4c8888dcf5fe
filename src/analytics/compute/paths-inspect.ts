// POST /api/paths/inspect (spec ingest-store-api §4.2): the full-key paths that best explain a
// list of hop prefixes, by beam search over the neighbour graph of the shared HopResolver
// (path-context.ts; the same graph tier-1 resolution and the neighbor-graph route use; no second
// graph is built: an edge index over its edges is derived once per snapshot).
//
// Hop i's candidates are the resolver's relay-role nodes whose key starts with prefix i. A step
// from the previous hop p to candidate c scores
//   h = 0.5·link + 0.2·geo + 0.3·selectivity, floored at 0.01, where
//   link = 0.5 + 0.5·edgeScore when p–c is a graph edge, else 0 (first hop: 0.5, no evidence);
//   geo = 1 within 50 km, 50/d beyond (≥ 0.05), 0.5 when either end has no GPS;
//   selectivity = 1 / (number of candidates of the prefix).
// When `context.observerId` names an observer that is a known node, the path ends at it: one more
// step from the last hop to that node (selectivity 1). A node appears at most once in a path (a
// repeater relays a flood once). The path score is the geometric mean of its step scores (0..1);
// a path is `speculative` when some step has no graph edge behind it. Beam width 32.
import type { AnalyticsInput } from '../inputs/input.js';
import type { PathContext } from '../shared/path-context.js';
import { hasGps, haversineKm } from '../shared/geo.js';

export interface InspectRequest {
  /** Hop prefixes, 1-3 bytes of hex each, as sent (validated by the route). */
  prefixes: string[];
  observerId: string | null;
  sinceMs: number | null;
  untilMs: number | null;
  limit: number;
}

export interface HopEvidence {
  prefix: string;
  candidatesConsidered: number;
  chosen: string;
  name: string | null;
  /** Neighbour-graph edge score between the previous hop and this one (0: no edge; null: first hop). */
  edgeWeight: number | null;
  /** Sightings behind that edge. */
  edgeCount: number;
  distanceKm: number | null;
  hopScore: number;
  /** The prefix's other candidates scored from the same previous hop, best first (≤ 5). */
  alternatives: Array<{ publicKey: string; name: string | null; score: number }>;
}

export interface PathCandidate {
  path: string[];
  names: Array<string | null>;
  score: number;
  speculative: boolean;
  evidence: {
    perHop: HopEvidence[];
    /** The step into the observer's node, when the context names one. */
    observer: {
      publicKey: string;
      edgeWeight: number;
      edgeCount: number;
      distanceKm: number | null;
      hopScore: number;
    } | null;
  };
}

export interface InspectResponse {
  candidates: PathCandidate[];
  input: {
    prefixes: string[];
    hops: number;
    context: { observerId: string | null; since: string | null; until: string | null };
  };
  stats: {
    beamWidth: number;
    expansions: number;
    candidatesPerHop: number[];
    /** Hops whose prefix matches no relay-capable node (then there is no candidate path). */
    unmatchedHops: number[];
    /** The observer's node key when the path was anchored at it, else null. */
    anchor: string | null;
    graphEdges: number;
  };
}

const BEAM_WIDTH = 32;
const GEO_KM = 50;
const FLOOR = 0.01;
const r3 = (x: number): number => Math.round(x * 1000) / 1000;

/** Edge lookup and key index derived from the shared graph, once per PathContext (snapshot). */
interface GraphIndex {
  n: number;
  edges: Map<number, { score: number; count: number }>;
  byKey: Map<string, number>;
}
const indexes = new WeakMap<PathContext, GraphIndex>();

function graphIndex(input: AnalyticsInput, paths: PathContext): GraphIndex {
  let g = indexes.get(paths);
  if (g) return g;
  const n = input.nodes.count;
  const edges = new Map<number, { score: number; count: number }>();
  for (const [a, b, count, score] of paths.resolver.neighborEdges()) edges.set(a * n + b, { score, count });
  const byKey = new Map<string, number>();
  for (let i = 0; i < n; i++) byKey.set(input.nodes.publicKey(i).toLowerCase(), i);
  g = { n, edges, byKey };
  indexes.set(paths, g);
  return g;
}

interface Step {
  score: number;
  edge: { score: number; count: number } | null;
  km: number | null;
}

function step(paths: PathContext, g: GraphIndex, prev: number, c: number, nCands: number): Step {
  const { lat, lon } = paths.resolver;
  let link = 0.5;
  let edge: Step['edge'] = null;
  let km: number | null = null;
  let geo = 0.5;
  if (prev >= 0) {
    edge = g.edges.get(prev < c ? prev * g.n + c : c * g.n + prev) ?? null;
    link = edge ? 0.5 + 0.5 * edge.score : 0;
    if (hasGps(lat[prev], lon[prev]) && hasGps(lat[c], lon[c])) {
      km = haversineKm(lat[prev], lon[prev], lat[c], lon[c]);
      geo = km <= GEO_KM ? 1 : Math.max(0.05, GEO_KM / km);
    }
  }
  return { score: Math.max(FLOOR, 0.5 * link + 0.2 * geo + 0.3 / nCands), edge, km };
}

interface Beam {
  nodes: number[];
  logSum: number;
}

function observerNode(input: AnalyticsInput, paths: PathContext, g: GraphIndex, id: string | null): number {
  if (id === null) return -1;
  const want = id.trim().toLowerCase();
  const { observers } = input;
  for (let o = 0; o < observers.count; o++) {
    if (observers.id(o).toLowerCase() === want) return paths.resolver.observerNode[o] ?? -1;
  }
  return g.byKey.get(want) ?? -1;
}

export function computePathsInspect(
  input: AnalyticsInput,
  paths: PathContext,
  req: InspectRequest,
): InspectResponse {
  const g = graphIndex(input, paths);
  const resolver = paths.resolver;
  const prefixes = req.prefixes.map((p) => p.trim().toLowerCase());
  const cands = prefixes.map((p) => resolver.candidates(p.toUpperCase()));
  const unmatchedHops = cands.flatMap((c, i) => (c.length === 0 ? [i] : []));
  const anchor = observerNode(input, paths, g, req.observerId);
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const out: InspectResponse = {
    candidates: [],
    input: {
      prefixes,
      hops: prefixes.length,
      context: { observerId: req.observerId, since: iso(req.sinceMs), until: iso(req.untilMs) },
    },
    stats: {
      beamWidth: BEAM_WIDTH,
      expansions: 0,
      candidatesPerHop: cands.map((c) => c.length),
      unmatchedHops,
      anchor: anchor >= 0 ? input.nodes.publicKey(anchor) : null,
      graphEdges: g.edges.size,
    },
  };
  if (unmatchedHops.length > 0) return out;

  // Pass 1: the beam over hops (log scores, so the geometric mean is a mean of logs).
  let beam: Beam[] = [{ nodes: [], logSum: 0 }];
  for (let i = 0; i < cands.length; i++) {
    const next: Beam[] = [];
    for (const b of beam) {
      const prev = b.nodes.length > 0 ? b.nodes[b.nodes.length - 1] : -1;
      for (const c of cands[i]) {
        if (b.nodes.includes(c)) continue;
        out.stats.expansions++;
        next.push({
          nodes: [...b.nodes, c],
          logSum: b.logSum + Math.log(step(paths, g, prev, c, cands[i].length).score),
        });
      }
    }
    next.sort((a, b) => b.logSum - a.logSum);
    beam = next.slice(0, BEAM_WIDTH);
    if (beam.length === 0) return out;
  }
  // Pass 2: the observer step, then ranking by geometric mean.
  const steps = cands.length + (anchor >= 0 ? 1 : 0);
  const ranked = beam
    .filter((b) => anchor < 0 || !b.nodes.includes(anchor))
    .map((b) => {
      const last = b.nodes[b.nodes.length - 1];
      const obsStep = anchor >= 0 ? step(paths, g, last, anchor, 1) : null;
      return { b, obsStep, score: Math.exp((b.logSum + (obsStep ? Math.log(obsStep.score) : 0)) / steps) };
    })
    .sort((x, y) => y.score - x.score || cmpKeys(input, x.b.nodes, y.b.nodes))
    .slice(0, req.limit);
  // Pass 3: evidence per hop of the kept paths.
  const { nodes } = input;
  for (const { b, obsStep, score } of ranked) {
    let speculative = obsStep !== null && obsStep.edge === null;
    const perHop: HopEvidence[] = b.nodes.map((c, i) => {
      const prev = i > 0 ? b.nodes[i - 1] : -1;
      const s = step(paths, g, prev, c, cands[i].length);
      if (i > 0 && s.edge === null) speculative = true;
      const alternatives = cands[i]
        .filter((a) => a !== c)
        .map((a) => ({
          publicKey: nodes.publicKey(a),
          name: nodes.name(a),
          score: r3(step(paths, g, prev, a, cands[i].length).score),
        }))
        .sort((x, y) => y.score - x.score || (x.publicKey < y.publicKey ? -1 : 1))
        .slice(0, 5);
      return {
        prefix: prefixes[i],
        candidatesConsidered: cands[i].length,
        chosen: nodes.publicKey(c),
        name: nodes.name(c),
        edgeWeight: i === 0 ? null : r3(s.edge?.score ?? 0),
        edgeCount: s.edge?.count ?? 0,
        distanceKm: s.km === null ? null : Math.round(s.km * 10) / 10,
        hopScore: r3(s.score),
        alternatives,
      };
    });
    out.candidates.push({
      path: b.nodes.map((c) => nodes.publicKey(c)),
      names: b.nodes.map((c) => nodes.name(c)),
      score: r3(score),
      speculative,
      evidence: {
        perHop,
        observer:
          obsStep === null
            ? null
            : {
                publicKey: nodes.publicKey(anchor),
                edgeWeight: r3(obsStep.edge?.score ?? 0),
                edgeCount: obsStep.edge?.count ?? 0,
                distanceKm: obsStep.km === null ? null : Math.round(obsStep.km * 10) / 10,
                hopScore: r3(obsStep.score),
              },
      },
    });
  }
  return out;
}

function cmpKeys(input: AnalyticsInput, a: number[], b: number[]): number {
  for (let i = 0; i < a.length && i < b.length; i++) {
    const ka = input.nodes.publicKey(a[i]);
    const kb = input.nodes.publicKey(b[i]);
    if (ka !== kb) return ka < kb ? -1 : 1;
  }
  return a.length - b.length;
}
