// The typed-array centrality (shared/graph-centrality.ts) against plain reference implementations
// on random small graphs: Brandes betweenness and harmonic reach from a textbook
// "settle the nearest unsettled node" Dijkstra over adjacency lists, articulation points and
// stranded counts by deleting each node and counting the pieces left.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  articulationPoints,
  betweennessAndHarmonic,
  csrFromEdges,
} from '../../src/analytics/shared/graph-centrality.js';

interface Graph {
  n: number;
  edges: Array<[number, number, number]>;
}

/** Adjacency lists as the CSR sees them: weight ≤ 0 and self-loops dropped, parallel edges kept. */
function adjacency(g: Graph): Array<Array<[number, number]>> {
  const adj: Array<Array<[number, number]>> = Array.from({ length: g.n }, () => []);
  for (const [a, b, w] of g.edges) {
    if (!(w > 0) || a === b) continue;
    adj[a].push([b, 1 / w]);
    adj[b].push([a, 1 / w]);
  }
  return adj;
}

const EPS = 1e-9;
const tied = (x: number, y: number): boolean => Math.abs(x - y) <= EPS * Math.max(x, y);

function referenceCentrality(g: Graph): { betweenness: number[]; harmonic: number[] } {
  const adj = adjacency(g);
  const betweenness = new Array<number>(g.n).fill(0);
  const harmonic = new Array<number>(g.n).fill(0);
  for (let s = 0; s < g.n; s++) {
    const dist = new Array<number>(g.n).fill(Infinity);
    const settled = new Array<boolean>(g.n).fill(false);
    dist[s] = 0;
    const order: number[] = [];
    for (;;) {
      let u = -1;
      for (let v = 0; v < g.n; v++)
        if (!settled[v] && dist[v] < Infinity && (u < 0 || dist[v] < dist[u])) u = v;
      if (u < 0) break;
      settled[u] = true;
      order.push(u);
      for (const [v, len] of adj[u]) if (dist[u] + len < dist[v]) dist[v] = dist[u] + len;
    }
    for (const v of order) if (v !== s) harmonic[s] += 1 / dist[v];
    // Shortest-path DAG: u precedes v when d(u) + len = d(v) (within the tie tolerance).
    const preds = (v: number): number[] =>
      adj[v].filter(([u, len]) => dist[u] < dist[v] && tied(dist[u] + len, dist[v])).map(([u]) => u);
    const sigma = new Array<number>(g.n).fill(0);
    sigma[s] = 1;
    for (const v of order) if (v !== s) for (const u of preds(v)) sigma[v] += sigma[u];
    const delta = new Array<number>(g.n).fill(0);
    for (const w of [...order].reverse()) {
      for (const u of preds(w)) delta[u] += (sigma[u] / sigma[w]) * (1 + delta[w]);
      if (w !== s) betweenness[w] += delta[w] / 2;
    }
  }
  return { betweenness, harmonic };
}

/** Sizes of the connected pieces `nodes` fall into once `removed` is deleted. */
function pieces(adj: Array<Array<[number, number]>>, nodes: number[], removed: number): number[] {
  const seen = new Set<number>([removed]);
  const out: number[] = [];
  for (const start of nodes) {
    if (seen.has(start)) continue;
    let size = 0;
    const stack = [start];
    seen.add(start);
    while (stack.length > 0) {
      const u = stack.pop()!;
      size++;
      for (const [v] of adj[u]) if (!seen.has(v)) (seen.add(v), stack.push(v));
    }
    out.push(size);
  }
  return out;
}

function referenceArticulation(g: Graph) {
  const adj = adjacency(g);
  const cut: number[] = [];
  const stranded: number[] = [];
  const componentSize: number[] = [];
  for (let v = 0; v < g.n; v++) {
    const component = componentOf(adj, v);
    componentSize.push(component.length);
    const rest = pieces(adj, component, v);
    const isCut = rest.length >= 2;
    cut.push(isCut ? 1 : 0);
    stranded.push(isCut ? component.length - 1 - Math.max(...rest) : 0);
  }
  return { cut, stranded, componentSize };
}

function componentOf(adj: Array<Array<[number, number]>>, v: number): number[] {
  const seen = new Set<number>([v]);
  const stack = [v];
  while (stack.length > 0)
    for (const [w] of adj[stack.pop()!]) if (!seen.has(w)) (seen.add(w), stack.push(w));
  return [...seen];
}

const close = (a: number, b: number): boolean =>
  Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

/** Random graphs; weights from {1, 2, 4} (lengths exact binary fractions: many exact ties) or any positive. */
const graphArb = fc.integer({ min: 1, max: 14 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    edges: fc.array(
      fc.tuple(
        fc.integer({ min: 0, max: n - 1 }),
        fc.integer({ min: 0, max: n - 1 }),
        fc.oneof(fc.constantFrom(1, 2, 4, 0), fc.double({ min: 0.01, max: 10, noNaN: true })),
      ),
      { maxLength: 3 * n },
    ),
  }),
);

function csr(g: Graph) {
  return csrFromEdges(
    g.n,
    g.edges.map((e) => e[0]),
    g.edges.map((e) => e[1]),
    g.edges.map((e) => e[2]),
  );
}

test('betweenness and harmonic reach agree with a reference Dijkstra/Brandes on random graphs', () => {
  fc.assert(
    fc.property(graphArb, (g) => {
      const got = betweennessAndHarmonic(csr(g));
      const want = referenceCentrality(g);
      for (let v = 0; v < g.n; v++) {
        assert.ok(
          close(got.betweenness[v], want.betweenness[v]),
          `betweenness[${v}] ${got.betweenness[v]} vs ${want.betweenness[v]}`,
        );
        assert.ok(
          close(got.harmonic[v], want.harmonic[v]),
          `harmonic[${v}] ${got.harmonic[v]} vs ${want.harmonic[v]}`,
        );
      }
    }),
    { numRuns: 400, seed: 9 },
  );
});

test('articulation points, stranded counts and component sizes agree with node deletion on random graphs', () => {
  fc.assert(
    fc.property(graphArb, (g) => {
      const got = articulationPoints(csr(g));
      const want = referenceArticulation(g);
      assert.deepEqual([...got.cut], want.cut);
      assert.deepEqual([...got.stranded], want.stranded);
      assert.deepEqual([...got.componentSize], want.componentSize);
    }),
    { numRuns: 400, seed: 9 },
  );
});
