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
  const m = adjNode.length;
  const betweenness = new Float64Array(n);
  const harmonic = new Float64Array(n);
  // Edge lengths once (the same doubles as 1 / weight computed per relaxation).
  const len = new Float64Array(m);
  for (let j = 0; j < m; j++) len[j] = 1 / adjWeight[j];
  const dist = new Float64Array(n).fill(Infinity);
  const sigma = new Float64Array(n);
  const delta = new Float64Array(n);
  const done = new Uint8Array(n);
  const order = new Int32Array(n);
  // Predecessor lists: per node a slice of an edge-sized buffer (at most deg(v) predecessors).
  const predStart = adjStart;
  const predCount = new Int32Array(n);
  const pred = new Int32Array(m);
  // Binary min-heap of node ids keyed by distance, lazy deletion (stale entries skipped), reused
  // by every source. A source pushes at most once per improvement, i.e. ≤ 1 + (directed edges).
  const heapIds = new Int32Array(m + 1);
  const heapKeys = new Float64Array(m + 1);
  for (let s = 0; s < n; s++) {
    if (adjStart[s + 1] === adjStart[s]) continue;
    let visited = 0;
    let reach = 0;
    dist[s] = 0;
    sigma[s] = 1;
    heapIds[0] = s;
    heapKeys[0] = 0;
    let size = 1;
    while (size > 0) {
      // Pop the minimum, bottom-up: the hole left at the root walks down the path of smaller
      // children to a leaf, then the last entry sifts up from there. Same final layout as the
      // textbook sift-down (which stops at the first child ≥ the moved key) with about half the
      // comparisons, so nodes settle in exactly the same order.
      const u = heapIds[0];
      const uKey = heapKeys[0];
      const last = --size;
      if (last > 0) {
        const id = heapIds[last];
        const key = heapKeys[last];
        heapKeys[last] = Infinity; // sentinel: a lone left child is always the smaller
        let i = 0;
        let c = 1;
        while (c < last) {
          if (heapKeys[c + 1] < heapKeys[c]) c++;
          heapIds[i] = heapIds[c];
          heapKeys[i] = heapKeys[c];
          i = c;
          c = 2 * i + 1;
        }
        while (i > 0) {
          const p = (i - 1) >> 1;
          if (heapKeys[p] < key) break;
          heapIds[i] = heapIds[p];
          heapKeys[i] = heapKeys[p];
          i = p;
        }
        heapIds[i] = id;
        heapKeys[i] = key;
      }
      if (done[u] === 1 || uKey > dist[u]) continue;
      done[u] = 1;
      order[visited++] = u;
      const du = dist[u];
      if (u !== s) reach += 1 / du;
      const su = sigma[u];
      for (let j = adjStart[u], end = adjStart[u + 1]; j < end; j++) {
        const v = adjNode[j];
        if (done[v] === 1) continue;
        const alt = du + len[j];
        const dv = dist[v];
        const tol = REL_EPS * dv;
        // dv = Infinity: dv - tol is NaN, so the comparison fails and v is reached first here.
        if (alt >= dv - tol) {
          if (Math.abs(alt - dv) <= tol) {
            sigma[v] += su;
            pred[predStart[v] + predCount[v]++] = u;
          }
          continue;
        }
        dist[v] = alt;
        sigma[v] = su;
        pred[predStart[v]] = u;
        predCount[v] = 1;
        // Push (v, alt).
        let i = size++;
        while (i > 0) {
          const p = (i - 1) >> 1;
          if (heapKeys[p] <= alt) break;
          heapIds[i] = heapIds[p];
          heapKeys[i] = heapKeys[p];
          i = p;
        }
        heapIds[i] = v;
        heapKeys[i] = alt;
      }
    }
    harmonic[s] = reach;
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
