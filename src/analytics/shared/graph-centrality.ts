// t3: centrality over an undirected weighted graph in CSR form (spec analytics §7.7, issue 10
// item 3): the usefulness axes' graph algorithms, pure and allocation-light.
//
// - Brandes betweenness and harmonic reach share one all-sources Dijkstra: each source's
//   shortest-path DAG gives both its dependency accumulation (Brandes 2001) and Σ 1/d(s, v)
//   (harmonic centrality). Edge *length* is 1 / weight, so a strong edge is a short one.
//   Equal-length paths are compared with a relative tolerance, so hand-built graphs with equal
//   weights count every tied shortest path (float sums of 1/w would otherwise break ties).
//   Undirected: every unordered pair {s, t} is counted once (the ordered sum halved).
// - Articulation points (Tarjan, iterative DFS, low-links), with for each cut vertex the number of
//   nodes its removal strands outside the largest remaining piece of its component.

/** Undirected graph: edges of node i are adjStart[i]..adjStart[i+1] (each edge listed at both ends). */
export interface CsrGraph {
  adjStart: Int32Array;
  adjNode: Int32Array;
  /** Edge weight > 0 (stronger = more likely path). */
  adjWeight: Float64Array;
}

/** Builds a CSR graph over `n` nodes from undirected edges (a, b, weight); weight ≤ 0 edges are dropped. */
export function csrFromEdges(
  n: number,
  ea: ArrayLike<number>,
  eb: ArrayLike<number>,
  w: ArrayLike<number>,
): CsrGraph {
  const m = ea.length;
  const adjStart = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) {
    if (!(w[e] > 0) || ea[e] === eb[e]) continue;
    adjStart[ea[e] + 1]++;
    adjStart[eb[e] + 1]++;
  }
  for (let i = 0; i < n; i++) adjStart[i + 1] += adjStart[i];
  const fill = adjStart.slice(0, n);
  const adjNode = new Int32Array(adjStart[n]);
  const adjWeight = new Float64Array(adjStart[n]);
  for (let e = 0; e < m; e++) {
    if (!(w[e] > 0) || ea[e] === eb[e]) continue;
    let at = fill[ea[e]]++;
    adjNode[at] = eb[e];
    adjWeight[at] = w[e];
    at = fill[eb[e]]++;
    adjNode[at] = ea[e];
    adjWeight[at] = w[e];
  }
  return { adjStart, adjNode, adjWeight };
}

const REL_EPS = 1e-9;

/** Binary min-heap of node ids keyed by a distance array (lazy deletion: stale entries skipped). */
class DistHeap {
  private ids: Int32Array;
  private keys: Float64Array;
  size = 0;
  constructor(cap: number) {
    this.ids = new Int32Array(Math.max(16, cap));
    this.keys = new Float64Array(Math.max(16, cap));
  }
  push(id: number, key: number): void {
    if (this.size === this.ids.length) {
      const ids = new Int32Array(this.ids.length * 2);
      ids.set(this.ids);
      const keys = new Float64Array(this.keys.length * 2);
      keys.set(this.keys);
      this.ids = ids;
      this.keys = keys;
    }
    let i = this.size++;
    const { ids, keys } = this;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (keys[p] <= key) break;
      ids[i] = ids[p];
      keys[i] = keys[p];
      i = p;
    }
    ids[i] = id;
    keys[i] = key;
  }
  /** Pops the minimum; its key is left in `lastKey`. */
  lastKey = 0;
  pop(): number {
    const { ids, keys } = this;
    const top = ids[0];
    this.lastKey = keys[0];
    const n = --this.size;
    if (n > 0) {
      const id = ids[n];
      const key = keys[n];
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && keys[c + 1] < keys[c]) c++;
        if (keys[c] >= key) break;
        ids[i] = ids[c];
        keys[i] = keys[c];
        i = c;
      }
      ids[i] = id;
      keys[i] = key;
    }
    return top;
  }
}

export interface Centrality {
  /** Brandes betweenness per node (unordered pairs, raw, not normalised). */
  betweenness: Float64Array;
  /** Harmonic reach per node: Σ over reachable v ≠ s of 1 / d(s, v), d in edge lengths 1/weight. */
  harmonic: Float64Array;
}

/**
 * Betweenness and harmonic reach from every node with at least one edge (all-sources Dijkstra,
 * O(V·(E + V)·log V)). Isolated nodes get 0 for both.
 */
export function betweennessAndHarmonic(g: CsrGraph): Centrality {
  const n = g.adjStart.length - 1;
  const { adjStart, adjNode, adjWeight } = g;
  const betweenness = new Float64Array(n);
  const harmonic = new Float64Array(n);
  const dist = new Float64Array(n).fill(Infinity);
  const sigma = new Float64Array(n);
  const delta = new Float64Array(n);
  const done = new Uint8Array(n);
  const order = new Int32Array(n);
  // Predecessor lists: per node a slice of a per-source edge-sized buffer.
  const predStart = adjStart;
  const predCount = new Int32Array(n);
  const pred = new Int32Array(adjNode.length);
  const heap = new DistHeap(adjNode.length + 1);
  for (let s = 0; s < n; s++) {
    if (adjStart[s + 1] === adjStart[s]) continue;
    let visited = 0;
    dist[s] = 0;
    sigma[s] = 1;
    heap.push(s, 0);
    while (heap.size > 0) {
      const u = heap.pop();
      if (done[u] === 1 || heap.lastKey > dist[u]) continue;
      done[u] = 1;
      order[visited++] = u;
      const du = dist[u];
      if (u !== s) harmonic[s] += 1 / du;
      for (let j = adjStart[u]; j < adjStart[u + 1]; j++) {
        const v = adjNode[j];
        if (done[v] === 1) continue;
        const alt = du + 1 / adjWeight[j];
        const dv = dist[v];
        if (alt < dv - REL_EPS * dv || dv === Infinity) {
          dist[v] = alt;
          sigma[v] = sigma[u];
          pred[predStart[v]] = u;
          predCount[v] = 1;
          heap.push(v, alt);
        } else if (Math.abs(alt - dv) <= REL_EPS * dv) {
          sigma[v] += sigma[u];
          pred[predStart[v] + predCount[v]++] = u;
        }
      }
    }
    // Dependency accumulation in reverse settle order.
    for (let k = visited - 1; k >= 0; k--) {
      const w = order[k];
      const coeff = (1 + delta[w]) / sigma[w];
      for (let p = predStart[w], end = p + predCount[w]; p < end; p++) {
        const v = pred[p];
        delta[v] += sigma[v] * coeff;
      }
      if (w !== s) betweenness[w] += delta[w];
    }
    for (let k = 0; k < visited; k++) {
      const w = order[k];
      dist[w] = Infinity;
      sigma[w] = 0;
      delta[w] = 0;
      done[w] = 0;
      predCount[w] = 0;
    }
  }
  // Each unordered pair was counted from both ends.
  for (let i = 0; i < n; i++) betweenness[i] /= 2;
  return { betweenness, harmonic };
}

export interface ArticulationResult {
  /** 1 for a cut vertex (its removal disconnects its component), else 0. */
  cut: Uint8Array;
  /**
   * Per node: nodes of its component, other than itself, that are no longer in the largest
   * remaining piece once it is removed (0 unless a cut vertex).
   */
  stranded: Int32Array;
  /** Per node: the size of its connected component (1 for an isolated node). */
  componentSize: Int32Array;
}

/** Articulation points by Tarjan's low-link DFS (iterative: meshes can be deep chains). */
export function articulationPoints(g: CsrGraph): ArticulationResult {
  const n = g.adjStart.length - 1;
  const { adjStart, adjNode } = g;
  const disc = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const parent = new Int32Array(n).fill(-1);
  const sub = new Int32Array(n);
  const edgeAt = new Int32Array(n);
  const cut = new Uint8Array(n);
  const stranded = new Int32Array(n);
  const componentSize = new Int32Array(n);
  // Per node: Σ sizes of child subtrees separated by it, and the largest such subtree.
  const sepSum = new Int32Array(n);
  const sepMax = new Int32Array(n);
  const rootChildren = new Int32Array(n);
  const stack = new Int32Array(n);
  const members: number[] = [];
  let time = 0;
  for (let root = 0; root < n; root++) {
    if (disc[root] !== -1) continue;
    members.length = 0;
    let sp = 0;
    stack[sp++] = root;
    disc[root] = low[root] = time++;
    edgeAt[root] = adjStart[root];
    sub[root] = 1;
    members.push(root);
    while (sp > 0) {
      const u = stack[sp - 1];
      if (edgeAt[u] < adjStart[u + 1]) {
        const v = adjNode[edgeAt[u]++];
        if (disc[v] === -1) {
          parent[v] = u;
          disc[v] = low[v] = time++;
          edgeAt[v] = adjStart[v];
          sub[v] = 1;
          members.push(v);
          stack[sp++] = v;
        } else if (v !== parent[u] && disc[v] < low[u]) low[u] = disc[v];
        continue;
      }
      sp--;
      const p = parent[u];
      if (p < 0) continue;
      sub[p] += sub[u];
      if (low[u] < low[p]) low[p] = low[u];
      if (p === root) rootChildren[p]++;
      if (low[u] >= disc[p]) {
        // u's subtree hangs on p alone.
        sepSum[p] += sub[u];
        if (sub[u] > sepMax[p]) sepMax[p] = sub[u];
      }
    }
    const size = members.length;
    for (const v of members) {
      componentSize[v] = size;
      const isCut = v === root ? rootChildren[v] >= 2 : sepSum[v] > 0;
      if (!isCut) continue;
      cut[v] = 1;
      // Pieces after removing v: each separated subtree, and the rest (for a non-root, the part
      // containing its parent). For the root every child subtree is separated.
      const rest = size - 1 - sepSum[v];
      const largest = Math.max(sepMax[v], rest);
      stranded[v] = size - 1 - largest;
    }
  }
  return { cut, stranded, componentSize };
}
