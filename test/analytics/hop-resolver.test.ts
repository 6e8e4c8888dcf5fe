import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HopResolver, isRelayRole } from '../../src/analytics/shared/hop-resolver.js';
import { scanObservations } from '../../src/analytics/shared/best-observation.js';
import { key, node, observer, sighting, store, tx, NOW } from './small-store.js';

// Nodes: A (AA11…) and B (BB22…) unique; "DD" is shared by D1 (near, 5 adverts) and D2 (far,
// 10 adverts); "EF" by two GPS-less nodes with equal advert counts; C is a companion (never a
// candidate). Observer O2's id is B's key, so B is context whenever O2 heard a packet.
const A = node('aa11', { lat: 37.0, lon: -122.0 });
const B = node('bb22', { lat: 37.1, lon: -122.0 });
const D1 = node('dd01', { lat: 37.05, lon: -122.0, advertCount: 5 });
const D2 = node('dd02', { lat: 40.0, lon: -100.0, advertCount: 10 });
const E1 = node('ef02', { advertCount: 3 });
const E2 = node('ef01', { advertCount: 3 });
const C = node('dd03', { role: 'companion', lat: 37.0, lon: -122.0 });
const nodes = [A, B, D1, D2, E1, E2, C];
const [iA, iB, iD1, iD2, , iE2] = [0, 1, 2, 3, 4, 5];
const O1 = observer('F00D0001', 'SJC');
const O2 = observer(key('bb22').toUpperCase(), 'OAK');

test('relay roles: repeater, room_server, room; not companion or sensor', () => {
  assert.deepEqual(
    ['repeater', 'Repeater', 'room_server', 'room', 'companion', 'sensor', 'chat_room', null].map(
      isRelayRole,
    ),
    [true, true, true, true, false, false, false, false],
  );
});

test('candidates: 2..8-char prefixes of relay nodes only, in public-key order', () => {
  const r = new HopResolver(store({ nodes }));
  assert.deepEqual(r.candidates('DD'), [iD1, iD2]); // the companion C (DD03…) is not a candidate
  assert.deepEqual(r.candidates('DD01'), [iD1]);
  assert.deepEqual(r.candidates('EF'), [iE2, 4]); // EF01… sorts before EF02…
  assert.deepEqual(r.candidates('99'), []);
  assert.equal(r.uniqueNode('AA'), iA);
  assert.equal(r.uniqueNode('DD'), -1);
  // O2's id is B's key (upper case) -> node B; O1 is not a known node.
  assert.deepEqual([...new HopResolver(store({ nodes, observers: [O1, O2] })).observerNode], [-1, iB]);
});

test('tiers without a neighbour graph: unique, centroid, advert count (GPS first), lowest key', () => {
  const r = new HopResolver(store({ nodes }));
  const ctx = r.newContext();
  assert.deepEqual(r.resolveWithTier('AA', ctx), { node: iA, tier: 'unique_prefix' });
  assert.deepEqual(r.resolveWithTier('99', ctx), { node: -1, tier: 'unresolved' });
  // Empty context: the GPS candidate with more adverts (D2, 10 > 5).
  assert.deepEqual(r.resolveWithTier('DD', ctx), { node: iD2, tier: 'advert_count_gps' });
  // Context {A} at (37.0,-122.0): D1 at (37.05,-122.0) is nearer than D2 at (40,-100).
  ctx.add(iA);
  assert.deepEqual(r.resolveWithTier('DD', ctx), { node: iD1, tier: 'gps_centroid' });
  // No GPS candidate: equal adverts, so the lowest public key (EF01…).
  assert.deepEqual(r.resolveWithTier('EF', ctx), { node: iE2, tier: 'advert_count' });
  ctx.clear();
  assert.equal(ctx.gpsCount, 0);
  assert.equal(r.resolve('DD', ctx), iD2);
});

function graphStore(sightingsOfD2: number) {
  // Each transmission's best path is [DD02, BB] heard by O1: a unique D2–B adjacency, plus
  // B–(nothing: O1 is not a node). One more tx is heard by O2 (= B) over path [AA]: edge A–B.
  const transmissions = [];
  const observations = [];
  for (let i = 1; i <= sightingsOfD2; i++) {
    transmissions.push(tx(i, 2));
    observations.push(sighting(i, O1.id, ['DD02', 'BB'], { rxMs: NOW }));
  }
  transmissions.push(tx(100, 2));
  observations.push(sighting(100, O2.id, ['AA'], { rxMs: NOW - 168 * 3_600_000 }));
  return store({ nodes, observers: [O1, O2], transmissions, observations });
}

test('neighbour graph: edges from unique adjacencies, scored count/100 × decay × observers/3', () => {
  const input = graphStore(3);
  const r = new HopResolver(input);
  r.buildNeighborGraph(scanObservations(input, null).best);
  const edges = r.neighborEdges().sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  // A–B: 1 sighting, a week old (one half-life), 1 observer: 0.01 × 0.5 × 1/3.
  // B–D2: 3 sightings now, 1 observer: 0.03 × 1 × 1/3 = 0.01.
  assert.equal(edges.length, 2);
  assert.deepEqual(edges[0].slice(0, 3), [iA, iB, 1]);
  assert.ok(Math.abs(edges[0][3] - (0.01 * 0.5) / 3) < 1e-12);
  assert.deepEqual(edges[1].slice(0, 3), [iB, iD2, 3]);
  assert.ok(Math.abs(edges[1][3] - 0.01) < 1e-12);
});

test('tier 1: a neighbour of the context wins over the centroid with ≥3 sightings, not with 2', () => {
  for (const [n, expected] of [
    [3, { node: iD2, tier: 'neighbor_affinity' }],
    // Only 2 sightings back the D2–B edge: affinity is not trusted, the centroid (B at
    // 37.1,-122.0) picks D1.
    [2, { node: iD1, tier: 'gps_centroid' }],
  ] as const) {
    const input = graphStore(n);
    const r = new HopResolver(input);
    r.buildNeighborGraph(scanObservations(input, null).best);
    const ctx = r.newContext();
    ctx.add(iB);
    assert.deepEqual(r.resolveWithTier('DD', ctx), expected);
  }
});

test('best observation: longest path, first one wins a tie; region = any sighting', () => {
  const input = store({
    nodes,
    observers: [O1, O2],
    transmissions: [tx(1, 2), tx(2, 2), tx(3, 2)],
    observations: [
      sighting(1, O1.id, ['AA']),
      sighting(1, O2.id, ['AA', 'BB']), // longer: best of tx 1
      sighting(2, O1.id, ['AA']), // first of two equal lengths: best of tx 2
      sighting(2, O2.id, ['BB']),
    ],
  });
  const scan = scanObservations(input, new Uint8Array([0, 1]));
  assert.deepEqual([...scan.best], [1, 2, -1]);
  assert.deepEqual([...scan.inRegion!], [1, 1, 0]);
});
