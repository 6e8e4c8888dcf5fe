// t2: the neighbour graph on a hand-built store, every number reasoned below.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeNeighborGraph, computeNeighborTable } from '../../src/analytics/compute/neighbor-graph.js';
import { buildPathContext } from '../../src/analytics/shared/path-context.js';
import { parseNeighborGraphParams } from '../../src/analytics/registry.js';
import { QueryParamError, type AnalyticsQuery } from '../../src/analytics/shared/query.js';
import { NeighborIndex } from '../../src/analytics/engine/neighbor-index.js';
import { neighborEdgePersister } from '../../src/analytics/engine/neighbor-persist.js';
import { key, node, observer, sighting, store, tx, NOW } from './small-store.js';

// A, B, C relays near each other (37.0-37.2 N); D1/D2 share the hop prefix DD; F is in Norway
// (far beyond 500 km from A). Observer O1's id is C's key (C is the receiving node of its
// uploads); O2 is not a node.
const A = node('aa11', { lat: 37.0, lon: -122.0 });
const B = node('bb22', { lat: 37.1, lon: -122.0 });
const C = node('cc33', { lat: 37.2, lon: -122.0 });
const D1 = node('dd01', { lat: 37.3, lon: -122.0 });
const D2 = node('dd02', { lat: 37.4, lon: -122.0 });
const F = node('ff44', { lat: 60.0, lon: 10.0 });
const O1 = observer(key('cc33').toUpperCase(), 'SJC');
const O2 = observer('F00D0002', 'OAK');
const H = 3_600_000;

function graphStore() {
  const transmissions: ReturnType<typeof tx>[] = [];
  const observations: ReturnType<typeof sighting>[] = [];
  let id = 0;
  const add = (n: number, obsId: string, path: string[], rxMs: number, snr: number | null = null) => {
    for (let i = 0; i < n; i++) {
      transmissions.push(tx(++id, 2));
      observations.push(sighting(id, obsId, path, { rxMs, snr }));
    }
  };
  add(6, O1.id, ['AA', 'BB'], NOW, 8); // A→B ×6; B→C (final link, SNR 8) ×6
  add(5, O2.id, ['BB', 'AA'], NOW - 168 * H); // B→A ×5, a week old: A–B = 11, both ways
  add(5, O1.id, ['DD'], NOW); // DD (2 candidates) → C: ambiguous ×5
  add(10, O2.id, ['AA', 'FF'], NOW); // A–F ×10: 4,900 km apart
  return store({ nodes: [A, B, C, D1, D2, F], observers: [O1, O2], transmissions, observations });
}

const input = graphStore();
const paths = buildPathContext(input);
const q = (raw: Record<string, string>, extra: Partial<AnalyticsQuery> = {}): AnalyticsQuery => ({
  regions: null,
  fromMs: null,
  toMs: null,
  area: null,
  ...extra,
  params: { ...parseNeighborGraphParams(raw).params, maxEdgeKm: 500 },
});
const [kA, kB, kC] = [key('aa11'), key('bb22'), key('cc33')];

test('default shape (5, 0.1): only A–B passes; the far A–F edge is rejected and counted', () => {
  const g = computeNeighborGraph(input, q({}), paths);
  // A–B: 11 sightings, last now: score = min(1, 11/100) · e^0 = 0.11. Seen A→B 6×, B→A 5×.
  assert.deepEqual(g.edges, [
    { source: kA, target: kB, weight: 11, score: 0.11, bidirectional: true, avg_snr: null, ambiguous: false },
  ]);
  // B–C 0.06 and C–DD 0.05 are under 0.1; A–F scores exactly 0.1 but is 4,900 km long.
  assert.deepEqual(g.stats, {
    total_nodes: 2,
    total_edges: 1,
    ambiguous_edges: 0,
    avg_cluster_size: 1,
    rejected_edges_geo_far: 1,
  });
  assert.deepEqual(
    g.nodes.map((n) => [n.pubkey, n.neighbor_count, n.role]),
    [
      [kA, 1, 'repeater'],
      [kB, 1, 'repeater'],
    ],
  );
});

test('UI shape (1, 0): the final link carries the SNR; the ambiguous hop is a prefix, not a guess', () => {
  const g = computeNeighborGraph(input, q({ min_count: '1', min_score: '0' }), paths);
  assert.deepEqual(
    g.edges.map((e) => [e.source, e.target, e.weight, e.score, e.bidirectional, e.avg_snr, e.ambiguous]),
    [
      [kA, kB, 11, 0.11, true, null, false],
      [kB, kC, 6, 0.06, false, 8, false],
      [kC, 'prefix:dd', 5, 0.05, false, null, true],
    ],
  );
  // 2E/N = 6/3; B and C have two neighbours each (keys order the tie), A one.
  assert.deepEqual(g.stats, {
    total_nodes: 3,
    total_edges: 3,
    ambiguous_edges: 1,
    avg_cluster_size: 2,
    rejected_edges_geo_far: 1,
  });
  assert.deepEqual(
    g.nodes.map((n) => [n.pubkey, n.neighbor_count]),
    [
      [kB, 2],
      [kC, 2],
      [kA, 1],
    ],
  );
  // A negative maximum disables the distance check: A–F appears (10 sightings, 0.1).
  const all = computeNeighborGraph(
    input,
    { ...q({ min_count: '1', min_score: '0' }), params: { min_count: 1, min_score: 0, maxEdgeKm: -1 } },
    paths,
  );
  assert.equal(all.stats.rejected_edges_geo_far, 0);
  assert.ok(all.edges.some((e) => e.source === kA && e.target === key('ff44') && e.weight === 10));
});

test('region keeps edges a region observer contributed to; role needs one endpoint', () => {
  const ui = { min_count: '1', min_score: '0' };
  const sjc = computeNeighborGraph(input, q(ui, { regions: ['SJC'] }), paths);
  // O1 (SJC) saw A→B, B→C and DD→C; the A–B edge keeps its full count (11).
  assert.deepEqual(
    sjc.edges.map((e) => [e.target, e.weight]),
    [
      [kB, 11],
      [kC, 6],
      ['prefix:dd', 5],
    ],
  );
  const oak = computeNeighborGraph(input, q(ui, { regions: ['OAK'] }), paths);
  assert.deepEqual(
    oak.edges.map((e) => [e.source, e.target]),
    [[kA, kB]],
  );
  assert.equal(oak.stats.rejected_edges_geo_far, 1);
  assert.equal(computeNeighborGraph(input, q(ui, { regions: ['XXX'] }), paths).edges.length, 0);
  assert.equal(computeNeighborGraph(input, q({ ...ui, role: 'companion' }), paths).edges.length, 0);
  assert.equal(computeNeighborGraph(input, q({ ...ui, role: 'Repeater' }), paths).edges.length, 3);
});

test('parameters: defaults, cache key of non-defaults, errors name the parameter', () => {
  assert.deepEqual(parseNeighborGraphParams({}), { params: { min_count: 5, min_score: 0.1 }, key: null });
  assert.deepEqual(
    parseNeighborGraphParams({ min_count: '1', min_score: '0' }).key,
    'min_count=1&min_score=0',
  );
  for (const [name, value] of [
    ['min_count', '0'],
    ['min_count', 'x'],
    ['min_score', '1.5'],
    ['min_score', '-1'],
    ['role', '<script>'],
  ]) {
    assert.throws(
      () => parseNeighborGraphParams({ [name]: value }),
      (e: unknown) => e instanceof QueryParamError && e.parameter === name,
    );
  }
});

test('neighbour table and index: per node neighbours with counts, last seen, observers', () => {
  const table = JSON.parse(JSON.stringify(computeNeighborTable(input, paths, 500)));
  assert.equal(table.rejectedGeoFar, 1);
  const index = new NeighborIndex(table);
  const ofB = index.neighbors(kB.toUpperCase());
  assert.deepEqual(
    ofB.map((e) => [e.pubkey, e.count, e.lastSeenMs, e.bidirectional, e.observers]),
    [
      [kA, 11, NOW, true, [O1.id, O2.id]],
      [kC, 6, NOW, false, [O1.id]],
    ],
  );
  assert.deepEqual(
    index.neighbors(kC).map((e) => [e.pubkey, e.ambiguous]),
    [
      [kB, false],
      ['prefix:dd', true],
    ],
  );
  assert.equal(index.edge(kA, kB)?.count, 11);
  assert.equal(index.edge(kA, key('ff44')), null); // rejected edges are left out of the table
  // The persister writes each changed edge once, keys ordered, ambiguous edges not stored.
  const written: Array<[string, string, number]> = [];
  const persist = neighborEdgePersister((e) => written.push([e.nodeA, e.nodeB, e.count]));
  persist(table);
  persist(table);
  assert.deepEqual(written.sort(), [
    [kA, kB, 11],
    [kB, kC, 6],
  ]);
});

test('the resolver view is unchanged: best observations only', () => {
  // Each tx has one observation, so best = all; the resolver still skips nothing it used to.
  const edges = paths.resolver.neighborEdges();
  const iA = 0;
  const iB = 1;
  assert.ok(edges.some(([a, b, count]) => a === iA && b === iB && count === 11));
});

test('resolve-hops tier 1: the graph neighbour of a known hop wins at 3x the runner-up and 3+ sightings', async () => {
  const { chooseHopCandidate } = await import('../../src/analytics/shared/hop-choice.js');
  const near = { publicKey: 'dd01', lat: 37.3, lon: -122, advertCount: 1 };
  const far = { publicKey: 'dd02', lat: 37.0, lon: -122, advertCount: 9 };
  const ctx = [{ lat: 37.0, lon: -122 }];
  // Without affinity the centroid picks dd02 (at the context's position).
  assert.equal(chooseHopCandidate([near, far], ctx)?.pick.publicKey, 'dd02');
  const edges: Record<string, { score: number; count: number }> = {
    dd01: { score: 0.31, count: 31 },
    dd02: { score: 0.1, count: 10 },
  };
  assert.deepEqual(
    chooseHopCandidate([near, far], ctx, (c) => edges[c.publicKey] ?? null),
    {
      pick: near,
      tier: 'neighbor_affinity',
    },
  );
  // 0.29 < 3 × 0.1: not a clear winner, back to the centroid.
  edges.dd01 = { score: 0.29, count: 29 };
  assert.equal(chooseHopCandidate([near, far], ctx, (c) => edges[c.publicKey] ?? null)?.tier, 'gps_centroid');
  // A clear winner on 2 sightings is not trusted.
  assert.equal(
    chooseHopCandidate([near, far], ctx, (c) => (c === near ? { score: 0.02, count: 2 } : null))?.tier,
    'gps_centroid',
  );
});
