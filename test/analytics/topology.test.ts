import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeTopology, MAX_REACH_NODES } from '../../src/analytics/compute/topology.js';
import { DEFAULT_QUERY, type AnalyticsQuery } from '../../src/analytics/shared/query.js';
import { recordsInput } from '../../src/analytics/inputs/records-input.js';
import { key, node, observer, sighting, store, tx, at, NOW } from './small-store.js';
import { FIXTURE_NOW_MS, loadFixtureRecords } from '../support/fixture.js';

// 3 repeaters (A, B, C: unique 1-byte prefixes AA, BB, CC), 2 observers, 4 transmissions.
// O1 is not a node; O2's id is B's key. Best observation = longest path, first wins ties:
//   T1 [AA,BB] via O1 (snr 8)    (O2 also heard it over [AA])
//   T2 [CC,AA,BB] via O1 (snr 4)
//   T3 [CC,BB] via O2 (snr -2)   (O1 heard it first, over [BB])
//   T4 [CC] via O1 (no snr)      (O2 heard [AA]: same length, later, so not best)
const nodes = [
  node('aa11', { name: 'A' }),
  node('bb22', { name: 'B' }),
  node('cc33', { name: 'C', lastSeenMs: NOW - 8 * 86_400_000 }),
];
const O1 = observer('F00D0001', 'SJC', 'Obs One');
const O2 = observer(key('bb22').toUpperCase(), 'OAK'); // no name: falls back to its id
const input = store({
  nodes,
  observers: [O1, O2],
  transmissions: [
    tx(1, 4, { firstSeenMs: at('09:00') }),
    tx(2, 5, { firstSeenMs: at('10:00') }),
    tx(3, 0, { firstSeenMs: at('10:30') }),
    tx(4, 2, { firstSeenMs: at('11:00') }),
  ],
  observations: [
    sighting(1, O1.id, ['AA', 'BB'], { snr: 8 }),
    sighting(1, O2.id, ['AA'], { snr: 1 }),
    sighting(2, O1.id, ['CC', 'AA', 'BB'], { snr: 4 }),
    sighting(3, O1.id, ['BB']),
    sighting(3, O2.id, ['CC', 'BB'], { snr: -2 }),
    sighting(4, O1.id, ['CC']),
    sighting(4, O2.id, ['AA'], { snr: 3 }),
  ],
});
const pk = (p: string) => key(p);
const q = (o: Partial<AnalyticsQuery>): AnalyticsQuery => ({ ...DEFAULT_QUERY, ...o });

test('topology: hop counts, repeaters, pairs and SNR by hops on a hand-built mesh', () => {
  const r = computeTopology(input, DEFAULT_QUERY);
  // Path lengths 2,3,2,1: mean 8/4 = 2; sorted [1,2,2,3], element ⌊4/2⌋ = 2; max 3.
  assert.equal(r.avgHops, 2);
  assert.equal(r.medianHops, 2);
  assert.equal(r.maxHops, 3);
  assert.deepEqual(r.hopDistribution, [
    { hops: 1, count: 1 },
    { hops: 2, count: 2 },
    { hops: 3, count: 1 },
  ]);
  // BB in T1,T2,T3 = 3; CC in T2,T3,T4 = 3; AA in T1,T2 = 2 (ties by hop).
  assert.deepEqual(r.topRepeaters, [
    { hop: 'BB', count: 3, name: 'B', pubkey: pk('bb22') },
    { hop: 'CC', count: 3, name: 'C', pubkey: pk('cc33') },
    { hop: 'AA', count: 2, name: 'A', pubkey: pk('aa11') },
  ]);
  // Adjacent pairs: T1 AA|BB; T2 CC-AA, AA-BB; T3 CC-BB.
  assert.deepEqual(
    r.topPairs.map((p) => [p.hopA, p.hopB, p.count, p.nameA, p.nameB]),
    [
      ['AA', 'BB', 2, 'A', 'B'],
      ['AA', 'CC', 1, 'A', 'C'],
      ['BB', 'CC', 1, 'B', 'C'],
    ],
  );
  // SNR of the best observation: 2 hops -> T1 8, T3 -2 (avg 3); 3 hops -> T2 4; T4 has none.
  assert.deepEqual(r.hopsVsSnr, [
    { hops: 2, count: 2, avgSnr: 3 },
    { hops: 3, count: 1, avgSnr: 4 },
  ]);
  // C was last seen 8 days ago: outside the 7-day window.
  assert.equal(r.uniqueNodes, 2);
});

test('topology: per-observer reach, multi-observer nodes, best observer per hop', () => {
  const r = computeTopology(input, DEFAULT_QUERY);
  assert.deepEqual(r.observers, [
    { id: O1.id, name: 'Obs One' },
    { id: O2.id, name: O2.id },
  ]);
  // d = n − i. O1: T1 AA 2, BB 1; T2 CC 3, AA 2, BB 1; T4 CC 1 -> BB min 1 ×2, CC 1..3 ×2, AA 2 ×2.
  assert.deepEqual(r.perObserverReach[O1.id], {
    observer_name: 'Obs One',
    rings: [
      {
        hops: 1,
        nodes: [
          { hop: 'BB', name: 'B', pubkey: pk('bb22'), count: 2, distRange: null },
          { hop: 'CC', name: 'C', pubkey: pk('cc33'), count: 2, distRange: '1-3' },
        ],
      },
      { hops: 2, nodes: [{ hop: 'AA', name: 'A', pubkey: pk('aa11'), count: 2, distRange: null }] },
    ],
  });
  // O2: T3 CC 2, BB 1.
  assert.deepEqual(
    r.perObserverReach[O2.id].rings.map((ring) => [ring.hops, ring.nodes.map((n) => n.hop)]),
    [
      [1, ['BB']],
      [2, ['CC']],
    ],
  );
  // BB and CC are seen by both observers; BB's O1 entry has the larger count at equal minDist.
  assert.deepEqual(
    r.multiObsNodes.map((m) => [m.hop, m.observers.map((o) => [o.observer_id, o.minDist, o.count])]),
    [
      [
        'BB',
        [
          [O1.id, 1, 2],
          [O2.id, 1, 1],
        ],
      ],
      [
        'CC',
        [
          [O1.id, 1, 2],
          [O2.id, 2, 1],
        ],
      ],
    ],
  );
  assert.deepEqual(
    r.bestPathList.map((b) => [b.hop, b.minDist, b.observer_id]),
    [
      ['BB', 1, O1.id],
      ['CC', 1, O1.id],
      ['AA', 2, O1.id],
    ],
  );
});

test('topology: region selects transmissions heard there; unknown region is empty', () => {
  // OAK = O2, which heard T1, T3, T4; their best paths are [AA,BB], [CC,BB], [CC].
  const oak = computeTopology(input, q({ regions: ['OAK'] }));
  assert.deepEqual(oak.hopDistribution, [
    { hops: 1, count: 1 },
    { hops: 2, count: 2 },
  ]);
  assert.deepEqual(
    oak.topRepeaters.map((t) => [t.hop, t.count]),
    [
      ['BB', 2],
      ['CC', 2],
      ['AA', 1],
    ],
  );
  const none = computeTopology(input, q({ regions: ['XXX'] }));
  assert.deepEqual(
    [none.hopDistribution, none.topRepeaters, none.topPairs, none.observers, none.avgHops, none.maxHops],
    [[], [], [], [], 0, 0],
  );
});

test('topology: window on first_seen (inclusive) and area by resolved hop', () => {
  // first_seen 10:00..10:30 keeps T2 and T3.
  const w = computeTopology(input, q({ fromMs: at('10:00'), toMs: at('10:30') }));
  assert.deepEqual(w.hopDistribution, [
    { hops: 2, count: 1 },
    { hops: 3, count: 1 },
  ]);
  // An area around A only: B and C have no position, so only AA hops count; T3 and T4 have none.
  const withGps = store({
    nodes: [node('aa11', { name: 'A', lat: 37, lon: -122 }), nodes[1], nodes[2]],
    observers: [O1, O2],
    transmissions: [tx(1, 4), tx(2, 5), tx(3, 0)],
    observations: [
      sighting(1, O1.id, ['AA', 'BB']),
      sighting(2, O1.id, ['CC', 'AA', 'BB']),
      sighting(3, O2.id, ['CC']),
    ],
  });
  const box: Array<[number, number]> = [
    [36, -123],
    [38, -123],
    [38, -121],
    [36, -121],
  ];
  const a = computeTopology(withGps, q({ area: { key: 'a', polygon: box } }));
  assert.deepEqual(a.hopDistribution, [
    { hops: 2, count: 1 },
    { hops: 3, count: 1 },
  ]);
  assert.deepEqual(
    a.topRepeaters.map((t) => [t.hop, t.count]),
    [['AA', 2]],
  );
  assert.deepEqual(a.topPairs, []);
  const empty = computeTopology(
    withGps,
    q({
      area: {
        key: 'nowhere',
        polygon: [
          [0, 0],
          [0, 1],
          [1, 1],
        ],
      },
    }),
  );
  assert.deepEqual(empty.hopDistribution, []);
});

test('topology: unique prefixes of different widths merge under the longest label', () => {
  const r = computeTopology(
    store({
      nodes,
      observers: [O1],
      transmissions: [tx(1, 2), tx(2, 2)],
      observations: [sighting(1, O1.id, ['AA11', 'BB']), sighting(2, O1.id, ['AA', 'BB22'])],
    }),
    DEFAULT_QUERY,
  );
  assert.deepEqual(
    r.topRepeaters.map((t) => [t.hop, t.count, t.name]),
    [
      ['AA11', 2, 'A'],
      ['BB22', 2, 'B'],
    ],
  );
  assert.deepEqual(
    r.topPairs.map((p) => [p.hopA, p.hopB, p.count]),
    [['AA11', 'BB22', 2]],
  );
});

test('topology on the real fixture', () => {
  const data = loadFixtureRecords();
  const r = computeTopology(recordsInput(data, FIXTURE_NOW_MS), DEFAULT_QUERY);
  // One observation per tx except tx 85 (two identical empty paths), so the best path is the
  // stored path_json; count non-empty ones and their lengths independently of the analytic.
  const lengths = data.observations.filter((o) => o.path.length > 0).map((o) => o.path.length);
  assert.equal(
    r.hopDistribution.reduce((s, h) => s + h.count, 0),
    lengths.filter((n) => n <= 25).length,
  );
  assert.equal(r.maxHops, Math.max(...lengths));
  assert.equal(r.avgHops, lengths.reduce((s, n) => s + n, 0) / lengths.length);
  // Every node's last_seen is 2026-05-17, within 7 days of the fixture's last timestamp.
  assert.equal(r.uniqueNodes, 200);
  // No SNR in the fixture's observations.
  assert.deepEqual(r.hopsVsSnr, []);
  // The busiest relay is "1000💥Repeater G2" (1000009e…): every hop that is a prefix of its key
  // and of no other relay's key (1-byte "10" and 2-byte "1000" both are) merges into one entry
  // labelled with the longest prefix. Count those hops directly from the records.
  const relays = data.nodes.filter((n) => ['repeater', 'room'].includes(n.role ?? ''));
  const owner = (h: string) => relays.filter((n) => n.publicKey.toUpperCase().startsWith(h));
  const ones = data.observations.reduce(
    (s, o) =>
      s + o.path.filter((h) => owner(h).length === 1 && owner(h)[0].publicKey.startsWith('1000009e')).length,
    0,
  );
  assert.deepEqual(r.topRepeaters[0], {
    hop: '1000',
    count: ones,
    name: '1000💥Repeater G2',
    pubkey: '1000009e310d729534b70faa33a1abe5cd5e45d594f72f786febccbb770b7e74',
  });
  assert.equal(
    r.observers.length,
    new Set(data.observations.filter((o) => o.path.length > 0).map((o) => o.observerId)).size,
  );
});

test('topology: a reach ring lists at most MAX_REACH_NODES nodes, the most-heard first (documented cap)', () => {
  // 14 repeaters heard by one observer as single-hop paths: node i in i+1 transmissions.
  const prefixes = Array.from({ length: 14 }, (_, i) => (0x10 + i).toString(16).toUpperCase());
  const observations = [];
  const transmissions = [];
  let id = 1;
  for (const [i, p] of prefixes.entries()) {
    for (let k = 0; k <= i; k++) {
      transmissions.push(tx(id, 5, { firstSeenMs: at('10:00') }));
      observations.push(sighting(id, O1.id, [p]));
      id++;
    }
  }
  const big = store({
    nodes: prefixes.map((p) => node(`${p.toLowerCase()}99`, { name: `R${p}` })),
    observers: [O1],
    transmissions,
    observations,
  });
  const rings = computeTopology(big, DEFAULT_QUERY).perObserverReach[O1.id].rings;
  assert.equal(MAX_REACH_NODES, 10);
  assert.equal(rings.length, 1);
  // Counts 14..5 survive (prefixes 1D down to 14); the four least-heard (13..10) are cut.
  assert.deepEqual(
    rings[0].nodes.map((n) => [n.hop, n.count]),
    prefixes
      .map((p, i) => [p, i + 1] as [string, number])
      .reverse()
      .slice(0, 10),
  );
});
