// The neighbour tally of a snapshot (spec analytics §0 and §7.5): undirected edges between
// adjacent path entries, counted once, with the two views the resolver's tier 1 and the
// neighbour-graph analytic read, and the scored CSR graph tier 1 probes.
import { HOUR_MS } from './time-format.js';
import { IntIndex, mix32 } from './int-index.js';

const HALF_LIFE_HOURS = 168;

/** The neighbour graph in CSR form: edges of node i are adjStart[i]..adjStart[i+1]. */
export interface NeighborGraph {
  adjStart: Int32Array;
  adjNode: Int32Array;
  adjScore: Float64Array;
  adjCount: Int32Array;
  /**
   * Open-addressing table of undirected edges keyed by `min * n + max` (null when n² would not
   * fit an int32): lets tier 1 probe candidate × context pairs directly when both are few (a
   * per-transmission context), instead of walking long edge lists.
   */
  edgeKey: Int32Array | null;
  edgeScore: Float64Array;
  edgeCount: Int32Array;
  edgeMask: number;
}

export const hashSlot = (key: number, mask: number): number => mix32(key) & mask;

/** Observers kept per edge for diagnostics (/api/debug/affinity). */
export const EDGE_OBSERVER_SLOTS = 4;

/**
 * Undirected edges between adjacent path entries, tallied once per snapshot (spec analytics §0
 * and §7.5; t2: this is THE neighbour graph, shared by hop resolution and the neighbor-graph
 * analytic). Two views of one tally:
 * - the resolver's (tier 1, unchanged rules): best observations only, both ends resolved
 *   uniquely, the last hop joined to the observer on every route: `bestCount`, `bestLast`,
 *   `seenBy` (3 distinct observers);
 * - the neighbour graph's: every observation, flood routes only for the observer end (a DIRECT
 *   path lists the hops still to go, so its last hop is not the transmitter): `count`, `last`,
 *   `fwd`/`rev` (sightings with `ea` first / `eb` first), SNR of the final link (observer end),
 *   up to 4 observers. Pairs with one end ambiguous (≥ 2 candidates) are tallied per
 *   (node, hop code) in `amb*`, never guessed.
 */
export class EdgeTally {
  readonly ea: number[] = [];
  readonly eb: number[] = [];
  readonly bestCount: number[] = [];
  readonly bestLast: number[] = [];
  /** Up to 3 distinct observers per edge (best observations), 3 slots each. */
  readonly seenBy: number[] = [];
  readonly count: number[] = [];
  readonly last: number[] = [];
  readonly fwd: number[] = [];
  readonly rev: number[] = [];
  readonly snrSum: number[] = [];
  readonly snrN: number[] = [];
  /** EDGE_OBSERVER_SLOTS observer rows per edge (-1 = empty). */
  readonly observers: number[] = [];
  // Ambiguous edges: node ↔ hop code.
  readonly ambNode: number[] = [];
  readonly ambCode: number[] = [];
  readonly ambCount: number[] = [];
  readonly ambLast: number[] = [];
  readonly ambObservers: number[] = [];
  private readonly ambOf = new Map<number, number>();
  // Edge ids by node-pair key: a typed open-addressing table while n² fits an int32.
  private readonly small: boolean;
  private readonly edgeIdx = new IntIndex();
  private readonly edgeOf = new Map<number, number>();

  constructor(readonly n: number) {
    this.small = n * n < 2 ** 31;
  }

  /** The edge id of the pair, -1 when never tallied. */
  edgeId(a: number, b: number): number {
    const n = this.n;
    const key = a < b ? a * n + b : b * n + a;
    return this.small ? this.edgeIdx.get(key) : (this.edgeOf.get(key) ?? -1);
  }

  private edge(a: number, b: number): number {
    let e = this.edgeId(a, b);
    if (e >= 0) return e;
    const n = this.n;
    const key = a < b ? a * n + b : b * n + a;
    e = this.ea.length;
    if (this.small) this.edgeIdx.set(key, e);
    else this.edgeOf.set(key, e);
    this.ea.push(a);
    this.eb.push(b);
    this.bestCount.push(0);
    this.bestLast.push(-Infinity);
    this.seenBy.push(-1, -1, -1);
    this.count.push(0);
    this.last.push(-Infinity);
    this.fwd.push(0);
    this.rev.push(0);
    this.snrSum.push(0);
    this.snrN.push(0);
    for (let k = 0; k < EDGE_OBSERVER_SLOTS; k++) this.observers.push(-1);
    return e;
  }

  /** A best-observation sighting of a → b for the resolver's view. */
  addBest(a: number, b: number, observer: number, at: number): void {
    if (a === b) return;
    const e = this.edge(a, b);
    const { bestCount, bestLast, seenBy } = this;
    bestCount[e]++;
    if (at > bestLast[e]) bestLast[e] = at;
    const s = e * 3;
    if (seenBy[s] !== observer && seenBy[s + 1] !== observer && seenBy[s + 2] !== observer) {
      if (seenBy[s] < 0) seenBy[s] = observer;
      else if (seenBy[s + 1] < 0) seenBy[s + 1] = observer;
      else if (seenBy[s + 2] < 0) seenBy[s + 2] = observer;
    }
  }

  /** A sighting of a → b (a nearer the origin) for the neighbour graph; snr NaN unless final link. */
  add(a: number, b: number, observer: number, at: number, snr: number): void {
    if (a === b) return;
    const e = this.edge(a, b);
    this.count[e]++;
    if (at > this.last[e]) this.last[e] = at;
    if (a === this.ea[e]) this.fwd[e]++;
    else this.rev[e]++;
    if (snr === snr) {
      this.snrSum[e] += snr;
      this.snrN[e]++;
    }
    keepObserver(this.observers, e * EDGE_OBSERVER_SLOTS, observer);
  }

  /** A sighting between a known node and an ambiguous hop (code, hop-code.ts). */
  addAmbiguous(node: number, code: number, observer: number, at: number): void {
    const key = code * this.n + node;
    let e = this.ambOf.get(key);
    if (e === undefined) {
      e = this.ambNode.length;
      this.ambOf.set(key, e);
      this.ambNode.push(node);
      this.ambCode.push(code);
      this.ambCount.push(0);
      this.ambLast.push(-Infinity);
      for (let k = 0; k < EDGE_OBSERVER_SLOTS; k++) this.ambObservers.push(-1);
    }
    this.ambCount[e]++;
    if (at > this.ambLast[e]) this.ambLast[e] = at;
    keepObserver(this.ambObservers, e * EDGE_OBSERVER_SLOTS, observer);
  }

  /** The ambiguous edge id of (node, code), -1 when never tallied. */
  ambiguousId(node: number, code: number): number {
    return this.ambOf.get(code * this.n + node) ?? -1;
  }
}

function keepObserver(slots: number[], s: number, observer: number): void {
  if (observer < 0) return;
  for (let k = 0; k < EDGE_OBSERVER_SLOTS; k++) {
    const v = slots[s + k];
    if (v === observer) return;
    if (v < 0) {
      slots[s + k] = observer;
      return;
    }
  }
}

/** The scored graph in CSR form, plus the probe table while n² fits an int32. */
export function neighborGraph(edges: EdgeTally, n: number, nowMs: number): NeighborGraph {
  // The resolver's view: edges with best-observation sightings (t2: the tally holds more).
  const ea: number[] = [];
  const eb: number[] = [];
  const count: number[] = [];
  const last: number[] = [];
  const seenBy: number[] = [];
  for (let e = 0; e < edges.ea.length; e++) {
    if (edges.bestCount[e] === 0) continue;
    ea.push(edges.ea[e]);
    eb.push(edges.eb[e]);
    count.push(edges.bestCount[e]);
    last.push(edges.bestLast[e]);
    seenBy.push(edges.seenBy[e * 3], edges.seenBy[e * 3 + 1], edges.seenBy[e * 3 + 2]);
  }
  const m = ea.length;
  const adjStart = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) {
    adjStart[ea[e] + 1]++;
    adjStart[eb[e] + 1]++;
  }
  for (let i = 0; i < n; i++) adjStart[i + 1] += adjStart[i];
  const fill = adjStart.slice(0, n);
  let edgeMask = 15;
  while (edgeMask + 1 < 4 * m) edgeMask = edgeMask * 2 + 1;
  const edgeKey = n * n < 2 ** 31 ? new Int32Array(edgeMask + 1).fill(-1) : null;
  const edgeScore = new Float64Array(edgeKey ? edgeMask + 1 : 0);
  const edgeCount = new Int32Array(edgeKey ? edgeMask + 1 : 0);
  const adjNode = new Int32Array(2 * m);
  const adjScore = new Float64Array(2 * m);
  const adjCount = new Int32Array(2 * m);
  for (let e = 0; e < m; e++) {
    const hours = Math.max(0, (nowMs - last[e]) / HOUR_MS);
    const distinct =
      (seenBy[e * 3] >= 0 ? 1 : 0) + (seenBy[e * 3 + 1] >= 0 ? 1 : 0) + (seenBy[e * 3 + 2] >= 0 ? 1 : 0);
    // spec §0: min(1,count/100)·exp(−ln2·h/168)·min(1,distinctObservers/3)
    const score =
      Math.min(1, count[e] / 100) *
      Math.exp((-Math.LN2 * hours) / HALF_LIFE_HOURS) *
      Math.min(1, distinct / 3);
    if (edgeKey !== null) {
      const key = ea[e] < eb[e] ? ea[e] * n + eb[e] : eb[e] * n + ea[e];
      let h = hashSlot(key, edgeMask);
      while (edgeKey[h] !== -1) h = (h + 1) & edgeMask;
      edgeKey[h] = key;
      edgeScore[h] = score;
      edgeCount[h] = count[e];
    }
    for (let side = 0; side < 2; side++) {
      const from = side === 0 ? ea[e] : eb[e];
      const to = side === 0 ? eb[e] : ea[e];
      const at = fill[from]++;
      adjNode[at] = to;
      adjScore[at] = score;
      adjCount[at] = count[e];
    }
  }
  return { adjStart, adjNode, adjScore, adjCount, edgeKey, edgeScore, edgeCount, edgeMask };
}
