// t3: repeater enrichment and usefulness (spec analytics §7.7): the graph algorithms on small
// hand-worked graphs, relay counting and the axes on hand-built stores, the main-thread table
// and the node rendering (null before the first compute, relay_active from the threshold).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import {
  articulationPoints,
  betweennessAndHarmonic,
  csrFromEdges,
} from '../../src/analytics/shared/graph-centrality.js';
import {
  computeRepeaterUsefulness,
  usefulnessGrade,
  usefulnessScore,
  type RepeaterUsefulnessRow,
} from '../../src/analytics/compute/repeater-usefulness.js';
import { buildPathContext } from '../../src/analytics/shared/path-context.js';
import { DEFAULT_QUERY } from '../../src/analytics/shared/query.js';
import { RepeaterTable } from '../../src/analytics/engine/repeater-table.js';
import { ReadyBody } from '../../src/analytics/engine/service.js';
import { nodeItemWithRelay } from '../../src/api/routes/render.js';
import type { NodeSummary } from '../../src/store/read-model.js';
import { key, node, observer, sighting, store, tx, NOW } from './small-store.js';

const close = (a: number, b: number, what: string) =>
  assert.ok(Math.abs(a - b) < 1e-9, `${what}: ${a} vs ${b}`);

function graph(n: number, edges: Array<[number, number, number?]>) {
  return csrFromEdges(
    n,
    edges.map((e) => e[0]),
    edges.map((e) => e[1]),
    edges.map((e) => e[2] ?? 1),
  );
}

test('Brandes on a path a-b-c-d: the inner nodes each lie on 2 of the 6 pairs; harmonic reach 1 + 1/2 + 1/3', () => {
  const { betweenness, harmonic } = betweennessAndHarmonic(
    graph(4, [
      [0, 1],
      [1, 2],
      [2, 3],
    ]),
  );
  // b is between (a,c) and (a,d); c between (a,d) and (b,d); the ends between nothing.
  assert.deepEqual([...betweenness], [0, 2, 2, 0]);
  close(harmonic[0], 1 + 1 / 2 + 1 / 3, 'H(a)');
  close(harmonic[1], 1 + 1 + 1 / 2, 'H(b)');
});

test('Brandes on a 4-cycle: each opposite pair has two shortest paths, so every node gets 1/2', () => {
  const { betweenness, harmonic } = betweennessAndHarmonic(
    graph(4, [
      [0, 1],
      [1, 2],
      [2, 3],
      [3, 0],
    ]),
  );
  assert.deepEqual([...betweenness], [0.5, 0.5, 0.5, 0.5]);
  for (let i = 0; i < 4; i++) close(harmonic[i], 1 + 1 + 1 / 2, `H(${i})`);
});

test('weighted: length = 1/weight, so a weak direct edge loses to a strong two-hop path', () => {
  // a-b and b-c weight 1 (length 1 each); a-c weight 0.25 (length 4): a→c goes through b.
  const weak = betweennessAndHarmonic(
    graph(3, [
      [0, 1, 1],
      [1, 2, 1],
      [0, 2, 0.25],
    ]),
  );
  assert.deepEqual([...weak.betweenness], [0, 1, 0]);
  close(weak.harmonic[0], 1 + 1 / 2, 'H(a), c at distance 2');
  // a-c weight 1: the direct edge is shortest, b lies on nothing.
  const strong = betweennessAndHarmonic(
    graph(3, [
      [0, 1, 1],
      [1, 2, 1],
      [0, 2, 1],
    ]),
  );
  assert.deepEqual([...strong.betweenness], [0, 0, 0]);
  // An isolated node (3) is skipped: 0 for both.
  const iso = betweennessAndHarmonic(graph(4, [[0, 1]]));
  assert.equal(iso.harmonic[3], 0);
  assert.equal(iso.betweenness[3], 0);
});

test('articulation points: star centre (as DFS root and not), path inner nodes, none in a cycle', () => {
  // Star with the centre at 0 (the DFS root): removing it leaves 3 single nodes; stranded 3 − 1.
  const star = articulationPoints(
    graph(4, [
      [0, 1],
      [0, 2],
      [0, 3],
    ]),
  );
  assert.deepEqual([...star.cut], [1, 0, 0, 0]);
  assert.deepEqual([...star.stranded], [2, 0, 0, 0]);
  // The same star with the centre at 2 (not the root).
  const star2 = articulationPoints(
    graph(4, [
      [2, 0],
      [2, 1],
      [2, 3],
    ]),
  );
  assert.deepEqual([...star2.cut], [0, 0, 1, 0]);
  assert.equal(star2.stranded[2], 2);
  // Path a-b-c-d: b and c; removing b leaves {a} and {c,d}: 1 node outside the largest piece.
  const path = articulationPoints(
    graph(4, [
      [0, 1],
      [1, 2],
      [2, 3],
    ]),
  );
  assert.deepEqual([...path.cut], [0, 1, 1, 0]);
  assert.deepEqual([...path.stranded], [0, 1, 1, 0]);
  assert.deepEqual([...path.componentSize], [4, 4, 4, 4]);
  // Two triangles {0,1,2} and {3,4,5} joined through node 6 (edges 2-6, 6-3): 2, 3 and 6 are cut;
  // removing 6 leaves two triangles: 3 nodes stranded outside the largest (size 3).
  const bow = articulationPoints(
    graph(7, [
      [0, 1],
      [1, 2],
      [2, 0],
      [3, 4],
      [4, 5],
      [5, 3],
      [2, 6],
      [6, 3],
    ]),
  );
  assert.deepEqual([...bow.cut], [0, 0, 1, 1, 0, 0, 1]);
  assert.equal(bow.stranded[6], 3);
  assert.equal(bow.stranded[2], 2); // {0,1} cut off from {6,3,4,5}
  assert.deepEqual(
    [
      ...articulationPoints(
        graph(4, [
          [0, 1],
          [1, 2],
          [2, 3],
          [3, 0],
        ]),
      ).cut,
    ],
    [0, 0, 0, 0],
  );
});

test('score and grade: the documented weights and bands', () => {
  assert.equal(usefulnessScore(1, 1, 1, 1), 1);
  assert.equal(usefulnessScore(0.5, 0, 0, 0), 0.2);
  assert.equal(usefulnessScore(0, 1, 0, 0), 0.25);
  assert.equal(usefulnessScore(0, 0, 1, 0), 0.15);
  assert.equal(usefulnessScore(0, 0, 0, 1), 0.2);
  assert.deepEqual([0.5, 0.49, 0.25, 0.1, 0.099, 0].map(usefulnessGrade), [
    'critical',
    'important',
    'important',
    'useful',
    'redundant',
    'redundant',
  ]);
});

// Repeaters A (AA11…), B (BB22…), C (CC33…); D1 (DD01…) and D2 (DD02…) share the 1-byte prefix DD.
const A = node('aa11');
const B = node('bb22');
const C = node('cc33');
const D1 = node('dd01', { lat: 37, lon: -122 });
const D2 = node('dd02', { lat: 37.1, lon: -122 });
const O1 = observer('F00D0001', 'SJC');
const O2 = observer('F00D0002', 'SJC');
const MIN = 60_000;
const HOUR = 3_600_000;

function rowsOf(input: ReturnType<typeof store>) {
  const r = computeRepeaterUsefulness(input, DEFAULT_QUERY, buildPathContext(input));
  return { ...r, by: new Map(r.nodes.map((n) => [n.pubkey, n])) };
}

test('relay counts: flood paths only, one per transmission across its observations, windows and scopes', () => {
  const input = store({
    nodes: [A, B, C, D1, D2],
    observers: [O1, O2],
    transmissions: [
      tx(1, 5, { firstSeenMs: NOW - 30 * MIN }), // FLOOD, unscoped
      tx(2, 5, { firstSeenMs: NOW - 3 * HOUR, routeType: 0, scopeName: '#west' }),
      tx(3, 2, { firstSeenMs: NOW - 10 * MIN, routeType: 2 }), // DIRECT: its path is the route to go
      tx(4, 5, { firstSeenMs: NOW - 2 * 24 * HOUR }),
      tx(5, 5, { firstSeenMs: NOW - 10 * 24 * HOUR, routeType: 0, scopeName: '' }), // unknown scope
      tx(6, 5, { firstSeenMs: NOW - 20 * MIN, routeType: 0, scopeName: '#west' }),
      tx(7, 5, { firstSeenMs: NOW - 40 * MIN, routeType: 0, scopeName: '#east' }),
    ],
    observations: [
      sighting(1, O1.id, ['AA', 'BB']),
      sighting(1, O2.id, ['AA']), // same transmission again: A counted once
      sighting(2, O1.id, ['BB']),
      sighting(3, O1.id, ['AA', 'CC']),
      sighting(4, O1.id, ['DD', '99']), // ambiguous, then no candidate at all
      sighting(5, O1.id, ['CC']),
      sighting(6, O2.id, ['BB']),
      sighting(7, O2.id, ['BB']),
    ],
  });
  const r = rowsOf(input);
  const a = r.by.get(key('aa11'))!;
  const b = r.by.get(key('bb22'))!;
  const c = r.by.get(key('cc33'))!;
  assert.deepEqual(
    [a.relay_count_1h, a.relay_count_24h, a.unscoped_relay_count_24h, a.relay_count_7d, a.relay_count_total],
    [1, 1, 1, 1, 1],
  );
  assert.equal(a.last_relayed, new Date(NOW - 30 * MIN).toISOString());
  // B: tx 1, 6, 7 within the hour; tx 2 within 24 h; only tx 1 unscoped.
  assert.deepEqual(
    [b.relay_count_1h, b.relay_count_24h, b.unscoped_relay_count_24h, b.relay_count_7d, b.relay_count_total],
    [3, 4, 1, 4, 4],
  );
  assert.deepEqual(b.transported_scopes, ['#west', '#east']); // 2 × #west, 1 × #east
  assert.equal(b.last_relayed, new Date(NOW - 20 * MIN).toISOString());
  // C: only tx 5 (10 days ago; the DIRECT tx 3 does not count); '' is no named scope.
  assert.deepEqual([c.relay_count_7d, c.relay_count_total, c.transported_scopes.length], [0, 1, 0]);
  assert.equal(r.stats.floodTransmissions, 6);
  assert.equal(r.stats.ambiguousHops, 1);
  assert.equal(r.stats.unresolvedHops, 1);
  for (const d of ['dd01', 'dd02']) assert.equal(r.by.get(key(d))!.relay_count_total, 0, `${d}: not guessed`);
  // Traffic share: 4 transmissions relayed in 7 days (1, 2, 6, 7): A 1/4, B 4/4, C 0.
  assert.equal(r.stats.relayedTransmissions7d, 4);
  assert.deepEqual([a.traffic_share_score, b.traffic_share_score, c.traffic_share_score], [0.25, 1, 0]);
  for (const n of r.nodes) {
    for (const v of [n.bridge_score, n.coverage_score, n.redundancy_score, n.usefulness_score])
      assert.ok(v >= 0 && v <= 1, `${n.pubkey}: ${v}`);
    assert.equal(n.usefulness_grade, usefulnessGrade(n.usefulness_score));
  }
  // The neighbour graph (best paths, DIRECT ones included: they are real adjacencies) is
  // C–A–B (tx 3: AA,CC; tx 1: AA,BB): A is the bridge and the cut vertex, B and C its leaves.
  // A: 0.4·0.25 + 0.25·1 + 0.15·1 + 0.2·0.5 = 0.6; B: 0.4·1 + 0.15·0.75 = 0.5125.
  assert.deepEqual([a.bridge_score, a.coverage_score, a.redundancy_score], [1, 1, 0.5]);
  assert.deepEqual([a.usefulness_score, a.usefulness_grade], [0.6, 'critical']);
  assert.deepEqual([b.usefulness_score, b.usefulness_grade], [0.513, 'critical']);
  assert.deepEqual(
    r.nodes.map((n) => n.pubkey.slice(0, 4)),
    ['aa11', 'bb22', 'cc33', 'dd01', 'dd02'],
  );
});

test('an ambiguous hop is attributed when the neighbour graph resolves it (tier 1), never by position', () => {
  // Three 2-byte paths AA11 → DD01 make D1 A's neighbour (3 sightings); then the 1-byte hop DD
  // next to AA resolves to D1 by affinity. D2 is nearer nobody in particular: never counted.
  const transmissions = [1, 2, 3, 4].map((id) => tx(id, 5, { firstSeenMs: NOW - id * MIN }));
  const observations = [
    sighting(1, O1.id, ['AA11', 'DD01']),
    sighting(2, O1.id, ['AA11', 'DD01']),
    sighting(3, O1.id, ['AA11', 'DD01']),
    sighting(4, O1.id, ['AA', 'DD']),
  ];
  const r = rowsOf(store({ nodes: [A, B, C, D1, D2], observers: [O1], transmissions, observations }));
  assert.equal(r.by.get(key('dd01'))!.relay_count_total, 4);
  assert.equal(r.by.get(key('dd02'))!.relay_count_total, 0);
  assert.equal(r.by.get(key('aa11'))!.relay_count_total, 4);
  assert.equal(r.stats.ambiguousHops, 0);
});

test('graph axes on a store: a chain A–B–C of unique hops makes B the bridge and the cut vertex', () => {
  // Paths AA→BB→CC seen by O1 (not a node): edges A–B and B–C, 3 sightings each.
  const transmissions = [1, 2, 3].map((id) => tx(id, 5, { firstSeenMs: NOW - id * MIN }));
  const observations = [1, 2, 3].map((id) => sighting(id, O1.id, ['AA', 'BB', 'CC']));
  const r = rowsOf(store({ nodes: [A, B, C], observers: [O1], transmissions, observations }));
  const [a, b, c] = ['aa11', 'bb22', 'cc33'].map((p) => r.by.get(key(p))!);
  assert.deepEqual([a.bridge_score, b.bridge_score, c.bridge_score], [0, 1, 0]);
  assert.deepEqual([a.cut_vertex, b.cut_vertex, c.cut_vertex], [false, true, false]);
  // Removing B leaves {A} and {C}: 1 of the 2 others is outside the largest piece.
  assert.deepEqual([a.redundancy_score, b.redundancy_score, c.redundancy_score], [0, 0.5, 0]);
  // Equal edge weights: harmonic reach B = 2w, A = C = w + w/2, normalised by B's.
  assert.deepEqual([a.coverage_score, b.coverage_score, c.coverage_score], [0.75, 1, 0.75]);
  assert.equal(r.stats.graphEdges, 2);
  assert.equal(r.stats.cutVertices, 1);
});

// ---- main-thread table and rendering

function summary(publicKey: string, role: string): NodeSummary {
  return {
    node: {
      publicKey,
      name: 'n',
      role,
      lat: null,
      lon: null,
      firstSeenMs: NOW,
      lastSeenMs: NOW,
      advertCount: 1,
      batteryMv: null,
      temperatureC: null,
      foreign: false,
      defaultScope: null,
    },
    lastHeardMs: NOW,
    packetCount: 0,
    hashSize: 1,
    hashSizeInconsistent: false,
    hashSizesSeen: [1],
    floodAdvertCount7d: 0,
  } as unknown as NodeSummary;
}

function row(pubkey: string, lastRelayedMs: number | null): RepeaterUsefulnessRow {
  return {
    pubkey,
    name: 'n',
    role: 'repeater',
    last_relayed: lastRelayedMs === null ? null : new Date(lastRelayedMs).toISOString(),
    relay_count_1h: 1,
    relay_count_24h: 2,
    unscoped_relay_count_24h: 1,
    relay_count_7d: 3,
    relay_count_total: 4,
    transported_scopes: ['#west'],
    traffic_share_score: 0.5,
    bridge_score: 1,
    coverage_score: 0.75,
    redundancy_score: 0.5,
    cut_vertex: true,
    usefulness_score: 0.6,
    usefulness_grade: 'critical',
  };
}

function body(rows: RepeaterUsefulnessRow[], computedAtMs: number): ReadyBody {
  const gz = gzipSync(Buffer.from(JSON.stringify({ nodes: rows })));
  return new ReadyBody({
    gzip: gz.buffer.slice(gz.byteOffset, gz.byteOffset + gz.length) as ArrayBuffer,
    jsonBytes: 0,
    computedAtMs,
    durationMs: 1,
    cpuMs: 1,
    counts: { tx: 0, obs: 0, nodes: 0, observers: 0 },
    dataVersion: 1,
    empty: false,
  });
}

test('nodes render: null relay fields before the first compute, the table row after; companions get none', async () => {
  let listener: ((b: ReadyBody) => void) | null = null;
  const table = new RepeaterTable({ onSnapshot: (_name, fn) => void (listener = fn) });
  const rep = key('aa11');
  const relay = { lookup: table, relayActiveHours: 24, nowMs: NOW };
  const before = nodeItemWithRelay(summary(rep, 'repeater'), relay) as Record<string, unknown>;
  assert.equal(before.last_relayed, null);
  assert.equal(before.relay_active, null);
  assert.equal(before.usefulness_score, null);
  assert.equal(before.usefulness_grade, null);
  const companion = nodeItemWithRelay(summary(key('cc33'), 'companion'), relay) as Record<string, unknown>;
  assert.equal('usefulness_score' in companion, false);

  listener!(body([row(rep, NOW - 2 * HOUR), row(key('bb22'), NOW - 30 * HOUR)], NOW));
  await table.settled();
  const after = nodeItemWithRelay(summary(rep, 'repeater'), relay) as Record<string, unknown>;
  assert.equal(after.relay_active, true); // 2 h ago, threshold 24 h
  assert.equal(after.relay_count_24h, 2);
  assert.deepEqual(after.transported_scopes, ['#west']);
  assert.equal(after.usefulness_grade, 'critical');
  const stale = nodeItemWithRelay(summary(key('bb22'), 'room'), relay) as Record<string, unknown>;
  assert.equal(stale.relay_active, false); // 30 h ago
  const strict = nodeItemWithRelay(summary(rep, 'repeater'), { ...relay, relayActiveHours: 1 });
  assert.equal((strict as Record<string, unknown>).relay_active, false);
  // An older snapshot arriving late never replaces a newer one.
  await table.accept(body([], NOW - 60_000));
  assert.equal(table.size, 2);
});
