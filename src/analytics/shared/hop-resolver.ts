// Hop-prefix resolution (spec analytics §0): maps a path hop (1-3 byte prefix of a relay's
// public key, uppercase hex) to the node that most plausibly relayed it.
//
// Candidates are nodes whose role contains "repeater"/"room_server" or equals "room"; a prefix
// with exactly one candidate is "unique". Ambiguous prefixes go through four tiers, each
// relative to a *context* (a set of nodes known to be involved: the sender, the observer,
// the uniquely resolved hops):
//   1. neighbour affinity: the candidate with the strongest edge to a context node wins if its
//      score is ≥ 3× the runner-up's and the edge rests on ≥ 3 sightings;
//   2. the GPS candidate nearest (equirectangular) to the centroid of the GPS context nodes;
//   3. the GPS candidate with the most adverts, ties to the lowest public key;
//   4. the same over all candidates.
//
// Tier 1's neighbour graph is derived from the input itself (CoreScope reads an ingestor-owned
// table): an edge joins two nodes seen adjacent in a transmission's best path where both ends
// resolve *uniquely* (hop–hop, advertiser–first hop, last hop–observer, advertiser–observer for a
// zero-hop advert). Only unique resolutions feed it, so the graph never feeds on its own guesses.
import type { AnalyticsInput } from '../inputs/input.js';
import { equirectSq, hasGps } from './geo.js';
import { HopCodeIndex, hopCodeOf } from './hop-code.js';
import { EdgeTally, hashSlot, neighborGraph, type NeighborGraph } from './neighbor-tally.js';

export type ResolveTier =
  'unresolved' | 'unique_prefix' | 'neighbor_affinity' | 'gps_centroid' | 'advert_count_gps' | 'advert_count';

const TIERS: ResolveTier[] = [
  'unresolved',
  'unique_prefix',
  'neighbor_affinity',
  'gps_centroid',
  'advert_count_gps',
  'advert_count',
];

/** Longest prefix the map indexes (spec §0: "every prefix of length 2..8 hex chars"). */
const MAX_PREFIX = 8;
const AFFINITY_RATIO = 3;
const AFFINITY_MIN_COUNT = 3;
const NONE: readonly number[] = Object.freeze([]);

export function isRelayRole(role: string | null): boolean {
  if (role === null) return false;
  const r = role.toLowerCase();
  return r.includes('repeater') || r.includes('room_server') || r === 'room';
}

/** A set of context nodes with their GPS centroid; reusable across transmissions via clear(). */
export class HopContext {
  readonly mark: Uint8Array;
  readonly members: number[] = [];
  latSum = 0;
  lonSum = 0;
  gpsCount = 0;
  constructor(
    private readonly lat: Float64Array,
    private readonly lon: Float64Array,
  ) {
    this.mark = new Uint8Array(lat.length);
  }
  add(node: number): void {
    if (node < 0 || this.mark[node] === 1) return;
    this.mark[node] = 1;
    this.members.push(node);
    const la = this.lat[node];
    const lo = this.lon[node];
    if (hasGps(la, lo)) {
      this.latSum += la;
      this.lonSum += lo;
      this.gpsCount++;
    }
  }
  clear(): void {
    for (const n of this.members) this.mark[n] = 0;
    this.members.length = 0;
    this.latSum = this.lonSum = 0;
    this.gpsCount = 0;
  }
}

/** p1: (candidate, context member, edge score, edge count) rows; reused via `length = 0`. */
export class AffinityEdges {
  cand = new Int32Array(256);
  member = new Int32Array(256);
  score = new Float64Array(256);
  count = new Int32Array(256);
  length = 0;
  push(c: number, m: number, score: number, count: number): void {
    if (this.length === this.cand.length) {
      const size = 2 * this.length;
      const grow = <T extends Int32Array | Float64Array>(a: T, b: T): T => (b.set(a), b);
      this.cand = grow(this.cand, new Int32Array(size));
      this.member = grow(this.member, new Int32Array(size));
      this.score = grow(this.score, new Float64Array(size));
      this.count = grow(this.count, new Int32Array(size));
    }
    const i = this.length++;
    this.cand[i] = c;
    this.member[i] = m;
    this.score[i] = score;
    this.count[i] = count;
  }
}

export class HopResolver {
  /** Per node: latitude/longitude (NaN when absent). */
  readonly lat: Float64Array;
  readonly lon: Float64Array;
  /** Per observer: its node index when the observer id is a known node's key, else -1. */
  readonly observerNode: Int32Array;
  private readonly prefixes = new Map<string, number[]>();
  // Candidates by hop code (hop-code.ts) for 1-3 byte hops: arrays for 1 and 2 bytes, a Map for 3.
  private readonly cand1: (readonly number[] | undefined)[] = new Array(256);
  private readonly cand2: (readonly number[] | undefined)[] = new Array(65536);
  private readonly cand3 = new Map<number, readonly number[]>();
  private readonly advertCount: Float64Array;
  private readonly keys: string[];
  private graph: NeighborGraph | null = null;
  private tally: EdgeTally | null = null;
  // Scratch per node for tier 1 when walking the context's edges (reset after each use).
  private candScore = new Float64Array(0);
  private candCount = new Int32Array(0);
  private candMark = new Uint8Array(0);

  constructor(private readonly input: AnalyticsInput) {
    const { nodes, observers } = input;
    this.lat = new Float64Array(nodes.count);
    this.lon = new Float64Array(nodes.count);
    this.keys = new Array<string>(nodes.count);
    this.advertCount = new Float64Array(nodes.count);
    const byKey = new Map<string, number>();
    for (let i = 0; i < nodes.count; i++) {
      this.lat[i] = nodes.lat(i);
      this.lon[i] = nodes.lon(i);
      this.advertCount[i] = nodes.advertCount(i);
      const key = nodes.publicKey(i).toLowerCase();
      this.keys[i] = key;
      byKey.set(key, i);
      if (!isRelayRole(nodes.role(i))) continue;
      const upper = key.toUpperCase();
      for (let len = 2; len <= MAX_PREFIX && len <= upper.length; len++) {
        const p = upper.slice(0, len);
        const list = this.prefixes.get(p);
        if (list) list.push(i);
        else this.prefixes.set(p, [i]);
      }
    }
    // Candidates in public-key order make every tie-break below "lowest pubkey first".
    for (const [p, list] of this.prefixes) {
      if (list.length > 1) list.sort((a, b) => this.cmpKey(a, b));
      if (p.length > 6) continue;
      const code = hopCodeOf(p);
      if (code < 0) continue;
      if (p.length === 2) this.cand1[code & 255] = list;
      else if (p.length === 4) this.cand2[code & 0xffff] = list;
      else this.cand3.set(code, list);
    }
    this.observerNode = new Int32Array(observers.count).fill(-1);
    for (let o = 0; o < observers.count; o++) {
      const id = observers.id(o);
      // spec §0: the observer id is context only when it looks like a key (≥ 4 hex chars).
      if (id.length >= 4 && /^[0-9a-fA-F]+$/.test(id))
        this.observerNode[o] = byKey.get(id.toLowerCase()) ?? -1;
    }
  }

  private cmpKey(a: number, b: number): number {
    return this.keys[a] < this.keys[b] ? -1 : this.keys[a] > this.keys[b] ? 1 : 0;
  }

  newContext(): HopContext {
    return new HopContext(this.lat, this.lon);
  }

  /** Candidate nodes for a hop, in public-key order (empty when none). */
  candidates(hop: string): readonly number[] {
    return this.prefixes.get(hop.length > MAX_PREFIX ? hop.slice(0, MAX_PREFIX) : hop) ?? NONE;
  }

  /** Candidate nodes for a hop code (hop-code.ts), in public-key order (empty when none). */
  candidatesCode(code: number): readonly number[] {
    const size = code >>> 24;
    const c =
      size === 1 ? this.cand1[code & 255] : size === 2 ? this.cand2[code & 0xffff] : this.cand3.get(code);
    return c ?? NONE;
  }

  /** The node when the hop code has exactly one candidate, else -1. */
  uniqueCode(code: number): number {
    const c = this.candidatesCode(code);
    return c.length === 1 ? c[0] : -1;
  }

  /** The node when the hop has exactly one candidate, else -1. */
  uniqueNode(hop: string): number {
    const c = this.candidates(hop);
    return c.length === 1 ? c[0] : -1;
  }

  /**
   * Builds tier 1's neighbour graph from the transmissions' best observations (`best[txRow]`,
   * see best-observation.ts). Without it, resolution starts at tier 2.
   */
  buildNeighborGraph(best: Int32Array): void {
    const { tx, obs, nodes, nowMs } = this.input;
    const n = nodes.count;
    const edges = new EdgeTally(n);
    const nTx = best.length;
    // t2: every observation feeds the neighbour graph; the best one of each tx also feeds the
    // resolver's view (the rules it always had).
    for (let r = 0, nObs = obs.count; r < nObs; r++) {
      const t = obs.txRow(r);
      if (t < 0 || t >= nTx) continue;
      const isBest = best[t] === r;
      const observer = obs.observer(r);
      const at = obs.rxMs(r);
      const hops = obs.hopCount(r);
      const origin = tx.advertNode(t);
      const route = tx.routeType(t);
      // A flood path ends at the transmitter the observer heard; a zero-hop packet was heard
      // from its originator. A DIRECT path lists the hops still to go.
      const observerEnd = route === 0 || route === 1 || hops === 0;
      let prev = origin;
      let prevCode = -1;
      for (let k = 0; k < hops; k++) {
        const code = obs.hopCode(r, k);
        const cands = code < 0 ? NONE : this.candidatesCode(code);
        const u = cands.length === 1 ? cands[0] : -1;
        if (prev >= 0 && u >= 0) {
          edges.add(prev, u, observer, at, NaN);
          if (isBest) edges.addBest(prev, u, observer, at);
        } else if (prev >= 0 && cands.length > 1) edges.addAmbiguous(prev, code, observer, at);
        else if (u >= 0 && prevCode >= 0 && this.candidatesCode(prevCode).length > 1)
          edges.addAmbiguous(u, prevCode, observer, at);
        prev = u;
        prevCode = cands.length > 1 ? code : -1;
      }
      const on = observer >= 0 && observer < this.observerNode.length ? this.observerNode[observer] : -1;
      if (on >= 0) {
        if (prev >= 0) {
          if (observerEnd) edges.add(prev, on, observer, at, obs.snr(r));
          if (isBest) edges.addBest(prev, on, observer, at);
        } else if (prevCode >= 0 && observerEnd) edges.addAmbiguous(on, prevCode, observer, at);
      }
    }
    this.tally = edges;
    this.graph = neighborGraph(edges, n, nowMs);
    this.candScore = new Float64Array(n);
    this.candCount = new Int32Array(n);
    this.candMark = new Uint8Array(n);
  }

  /** t2: the neighbour-graph tally of this snapshot (null before buildNeighborGraph). */
  neighborTally(): EdgeTally | null {
    return this.tally;
  }

  /** t2: the public key (lower case) of node i. */
  publicKey(i: number): string {
    return this.keys[i];
  }

  /** Edges of the derived neighbour graph (for tests and diagnostics): [a, b, count, score]. */
  neighborEdges(): Array<[number, number, number, number]> {
    const g = this.graph;
    if (g === null) return [];
    const out: Array<[number, number, number, number]> = [];
    for (let a = 0; a + 1 < g.adjStart.length; a++) {
      for (let j = g.adjStart[a]; j < g.adjStart[a + 1]; j++) {
        if (a < g.adjNode[j]) out.push([a, g.adjNode[j], g.adjCount[j], g.adjScore[j]]);
      }
    }
    return out;
  }

  /** Resolves a hop to a node index (-1 = unresolved) relative to `ctx`. */
  resolve(hop: string, ctx: HopContext): number {
    const packed = this.resolvePacked(this.candidates(hop), ctx);
    return (packed >> 3) - 1;
  }

  /** Resolves a hop code (hop-code.ts) to a node index (-1 = unresolved) relative to `ctx`. */
  resolveCode(code: number, ctx: HopContext): number {
    return (this.resolvePacked(this.candidatesCode(code), ctx) >> 3) - 1;
  }

  resolveWithTier(hop: string, ctx: HopContext): { node: number; tier: ResolveTier } {
    const packed = this.resolvePacked(this.candidates(hop), ctx);
    return { node: (packed >> 3) - 1, tier: TIERS[packed & 7] };
  }

  /**
   * p1: tier 1 for many contexts inside one context `ctx` (a transmission's observations):
   * appends every neighbour edge between a candidate of `code` and a node of `ctx` to `buf`;
   * `affinityFrom` then answers tier 1 (the affinity winner, else -1) for any sub-context of `ctx` from those rows.
   */
  collectAffinityEdges(code: number, ctx: HopContext, buf: AffinityEdges): void {
    const g = this.graph;
    if (g === null) return;
    const cands = this.candidatesCode(code);
    let candDeg = 0;
    for (const c of cands) candDeg += g.adjStart[c + 1] - g.adjStart[c];
    // As scoreCandidates: probe candidate × member pairs when cheaper than walking edge lists.
    if (g.edgeKey !== null && 4 * cands.length * ctx.members.length < candDeg) {
      const keys = g.edgeKey;
      const mask = g.edgeMask;
      const n = this.lat.length;
      for (const c of cands) {
        for (const m of ctx.members) {
          if (m === c) continue;
          const key = c < m ? c * n + m : m * n + c;
          for (let h = hashSlot(key, mask); keys[h] !== -1; h = (h + 1) & mask) {
            if (keys[h] !== key) continue;
            buf.push(c, m, g.edgeScore[h], g.edgeCount[h]);
            break;
          }
        }
      }
      return;
    }
    for (const c of cands) {
      for (let j = g.adjStart[c]; j < g.adjStart[c + 1]; j++) {
        if (ctx.mark[g.adjNode[j]] === 1) buf.push(c, g.adjNode[j], g.adjScore[j], g.adjCount[j]);
      }
    }
  }

  /**
   * p1: the tier-1 winner of `code` relative to `sub` (-1 when only a guess would pick), where `sub` ⊆ the context the rows [from, to) of `buf` were
   * collected against (collectAffinityEdges) and `mark` marks sub's members.
   */
  affinityFrom(code: number, buf: AffinityEdges, from: number, to: number, mark: Uint8Array): number {
    if (from === to) return -1;
    const score = this.candScore;
    const cnt = this.candCount;
    for (let j = from; j < to; j++) {
      if (mark[buf.member[j]] !== 1) continue;
      const c = buf.cand[j];
      if (buf.score[j] > score[c]) {
        score[c] = buf.score[j];
        cnt[c] = buf.count[j];
      }
    }
    return (this.affinityWinner(this.candidatesCode(code)) >> 3) - 1;
  }

  /**
   * p1: resolveCode(code, ctx) for a code with several candidates, given its edges into `ctx`
   * (rows [from, to) of `buf`, from collectAffinityEdges against the same ctx).
   */
  resolveFromEdges(code: number, buf: AffinityEdges, from: number, to: number, ctx: HopContext): number {
    const node = this.affinityFrom(code, buf, from, to, ctx.mark);
    if (node >= 0) return node;
    return (this.resolveByGpsOrAdverts(this.candidatesCode(code), ctx) >> 3) - 1;
  }

  /** (node + 1) << 3 | tier index: one number, no allocation in hot loops. */
  private resolvePacked(cands: readonly number[], ctx: HopContext): number {
    if (cands.length === 0) return 0;
    if (cands.length === 1) return ((cands[0] + 1) << 3) | 1;
    const g = this.graph;
    if (g !== null) {
      this.scoreCandidates(cands, ctx, g);
      const packed = this.affinityWinner(cands);
      if (packed !== 0) return packed;
    }
    return this.resolveByGpsOrAdverts(cands, ctx);
  }

  /**
   * Tier 1, step 1: each candidate's strongest edge into the context, into candScore/candCount.
   * Walks whichever edge lists are shorter: the candidates' (checking context marks) or the
   * context members' (checking candidate marks); both give the same maxima.
   */
  private scoreCandidates(cands: readonly number[], ctx: HopContext, g: NeighborGraph): void {
    const score = this.candScore;
    const cnt = this.candCount;
    let candDeg = 0;
    for (const c of cands) candDeg += g.adjStart[c + 1] - g.adjStart[c];
    let ctxDeg = 0;
    for (const m of ctx.members) {
      ctxDeg += g.adjStart[m + 1] - g.adjStart[m];
      if (ctxDeg > candDeg) break;
    }
    // Probing costs a few steps per candidate × member pair; walking, one per edge.
    const probes = g.edgeKey !== null ? 4 * cands.length * ctx.members.length : Infinity;
    if (probes < candDeg && probes < ctxDeg) {
      const keys = g.edgeKey!;
      const mask = g.edgeMask;
      const n = this.lat.length;
      for (const c of cands) {
        for (const m of ctx.members) {
          if (m === c) continue;
          const key = c < m ? c * n + m : m * n + c;
          for (let h = hashSlot(key, mask); keys[h] !== -1; h = (h + 1) & mask) {
            if (keys[h] !== key) continue;
            if (g.edgeScore[h] > score[c]) {
              score[c] = g.edgeScore[h];
              cnt[c] = g.edgeCount[h];
            }
            break;
          }
        }
      }
    } else if (candDeg <= ctxDeg) {
      for (const c of cands) {
        for (let j = g.adjStart[c]; j < g.adjStart[c + 1]; j++) {
          if (ctx.mark[g.adjNode[j]] === 1 && g.adjScore[j] > score[c]) {
            score[c] = g.adjScore[j];
            cnt[c] = g.adjCount[j];
          }
        }
      }
    } else {
      for (const c of cands) this.candMark[c] = 1;
      for (const m of ctx.members) {
        for (let j: number = g.adjStart[m]; j < g.adjStart[m + 1]; j++) {
          const nb: number = g.adjNode[j];
          if (this.candMark[nb] === 1 && g.adjScore[j] > score[nb]) {
            score[nb] = g.adjScore[j];
            cnt[nb] = g.adjCount[j];
          }
        }
      }
      for (const c of cands) this.candMark[c] = 0;
    }
  }

  /** Tier 1, step 2: the clear winner of the scores (packed), or 0; resets the scratch. */
  private affinityWinner(cands: readonly number[]): number {
    const score = this.candScore;
    const cnt = this.candCount;
    let win = -1;
    let winScore = 0;
    let winCount = 0;
    let runnerUp = 0;
    for (const c of cands) {
      const sc = score[c];
      if (sc > winScore) {
        runnerUp = winScore;
        win = c;
        winScore = sc;
        winCount = cnt[c];
      } else if (sc > runnerUp) runnerUp = sc;
      score[c] = 0;
      cnt[c] = 0;
    }
    if (win >= 0 && winScore >= AFFINITY_RATIO * runnerUp && winCount >= AFFINITY_MIN_COUNT) {
      return ((win + 1) << 3) | 2;
    }
    return 0;
  }

  /** Tiers 2-4: nearest GPS candidate to the context centroid, else the most adverts (packed). */
  private resolveByGpsOrAdverts(cands: readonly number[], ctx: HopContext): number {
    if (ctx.gpsCount > 0) {
      const cLat = ctx.latSum / ctx.gpsCount;
      const cLon = ctx.lonSum / ctx.gpsCount;
      let nearest = -1;
      let nearestD = Infinity;
      for (const c of cands) {
        if (!hasGps(this.lat[c], this.lon[c])) continue;
        const d = equirectSq(cLat, cLon, this.lat[c], this.lon[c]);
        if (d < nearestD) {
          nearestD = d;
          nearest = c;
        }
      }
      if (nearest >= 0) return ((nearest + 1) << 3) | 3;
    }
    const adverts = this.advertCount;
    let top = -1;
    for (const c of cands) {
      if (hasGps(this.lat[c], this.lon[c]) && (top < 0 || adverts[c] > adverts[top])) top = c;
    }
    if (top >= 0) return ((top + 1) << 3) | 4;
    for (const c of cands) if (top < 0 || adverts[c] > adverts[top]) top = c;
    return ((top + 1) << 3) | 5;
  }
}

/**
 * Resolution against one aggregate context, cached per hop string (spec §0: aggregate analytics
 * union the context of all considered transmissions and resolve each distinct hop once).
 */
export class AggregateResolver {
  private readonly cache = new Map<string, number>();
  /** Per hop code: resolved node + 1 (0 = unresolved); -1 = not resolved yet. */
  private readonly codeCache = new HopCodeIndex();
  constructor(
    readonly resolver: HopResolver,
    readonly ctx: HopContext,
  ) {}
  resolve(hop: string): number {
    let v = this.cache.get(hop);
    if (v === undefined) {
      v = this.resolver.resolve(hop, this.ctx);
      this.cache.set(hop, v);
    }
    return v;
  }
  resolveCode(code: number): number {
    const v = this.codeCache.get(code);
    if (v >= 0) return v - 1;
    const node = this.resolver.resolveCode(code, this.ctx);
    this.codeCache.set(code, node + 1);
    return node;
  }
}
