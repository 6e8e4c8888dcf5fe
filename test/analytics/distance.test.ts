import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeDistance, MAX_LINK_KM } from '../../src/analytics/compute/distance.js';
import { DEFAULT_QUERY } from '../../src/analytics/shared/query.js';
import { recordsInput } from '../../src/analytics/inputs/records-input.js';
import { haversineKm } from '../../src/analytics/shared/geo.js';
import { round2 } from '../../src/analytics/shared/stats.js';
import { key, node, observer, sighting, store, tx, at } from './small-store.js';
import { FIXTURE_NOW_MS, loadFixtureRecords } from '../support/fixture.js';

// Repeaters A (37.0,-122.0), B (37.1,-122.0), C (37.0,-121.9), E (40.0,-122.0); companion S
// (37.2,-122.0) sends the ADVERT T1. Haversine, R = 6371 km:
//   S–A: 0.2° of latitude = 6371·0.2·π/180 = 22.2390 -> 22.24 (C↔R)
//   A–B: 0.1° of latitude = 11.1195 -> 11.12 (R↔R)
//   C–A: 0.1° of longitude at 37°: 2R·asin(cos37°·sin 0.05°) = 8.8804 -> 8.88 (R↔R)
//   C–B: 14.2268 -> 14.23 (R↔R)
//   A–E: 3° of latitude = 333.58 > 300 km: dropped as a resolution error.
const nodes = [
  node('aa11', { name: 'A', lat: 37.0, lon: -122.0 }),
  node('bb22', { name: 'B', lat: 37.1, lon: -122.0 }),
  node('cc33', { name: 'C', lat: 37.0, lon: -121.9 }),
  node('ee55', { name: 'E', lat: 40.0, lon: -122.0 }),
  node('5e55', { name: 'S', role: 'companion', lat: 37.2, lon: -122.0 }),
];
const O1 = observer('F00D0001', 'SJC');
const O2 = observer('F00D0002', 'OAK');
const input = store({
  nodes,
  observers: [O1, O2],
  transmissions: [
    tx(1, 4, { fromPubkey: key('5e55'), firstSeenMs: at('10:00') }),
    tx(2, 5, { firstSeenMs: at('11:00') }),
    tx(3, 0, { firstSeenMs: at('11:00') }),
    tx(4, 2, { firstSeenMs: at('11:00') }),
    tx(5, 2, { firstSeenMs: at('11:00') }),
  ],
  observations: [
    sighting(1, O1.id, ['AA', 'BB'], { snr: 8 }), // chain S, A, B
    sighting(2, O1.id, ['CC', 'AA', 'BB'], { snr: 4 }), // chain C, A, B
    sighting(3, O2.id, ['CC', 'BB'], { snr: -2 }), // chain C, B
    sighting(4, O1.id, ['CC']), // one GPS point: no link
    sighting(5, O1.id, ['AA', 'EE']), // only link > 300 km: no path
  ],
});

test('distance: links, summary and categories from known coordinates', () => {
  const r = computeDistance(input, DEFAULT_QUERY);
  // Hops 22.24, 11.12, 8.88, 11.12, 14.23: sum 67.59 / 5 = 13.518.
  assert.deepEqual(r.summary, { totalHops: 5, totalPaths: 3, avgDist: 13.52, maxDist: 22.24 });
  assert.deepEqual(
    r.topHops.map((h) => [h.fromName, h.toName, h.dist, h.type, h.bestSnr, h.medianSnr, h.obsCount, h.hash]),
    [
      ['S', 'A', 22.24, 'C↔R', 8, 8, 1, tx(1, 4).hash],
      ['C', 'B', 14.23, 'R↔R', -2, -2, 1, tx(3, 0).hash],
      // A–B was traversed by T1 (snr 8) and T2 (snr 4): median of two = 6.
      ['A', 'B', 11.12, 'R↔R', 8, 6, 2, tx(1, 4).hash],
      ['C', 'A', 8.88, 'R↔R', 4, 4, 1, tx(2, 5).hash],
    ],
  );
  assert.equal(r.topHops[0].timestamp, '2026-05-17T10:00:00Z');
  assert.equal(r.topHops[0].fromPk, key('5e55'));
  assert.deepEqual(
    r.topPaths.map((p) => [
      p.hash,
      p.totalDist,
      p.hopCount,
      p.hops.map((h) => `${h.fromName}-${h.toName}:${h.dist}`),
    ]),
    [
      [tx(1, 4).hash, 33.36, 2, ['S-A:22.24', 'A-B:11.12']],
      [tx(2, 5).hash, 20, 2, ['C-A:8.88', 'A-B:11.12']],
      [tx(3, 0).hash, 14.23, 1, ['C-B:14.23']],
    ],
  );
  // R↔R [8.88, 11.12, 11.12, 14.23]: mean 11.3375, upper median sorted[2] = 11.12.
  assert.deepEqual(r.catStats, {
    'R↔R': { count: 4, avg: 11.34, median: 11.12, min: 8.88, max: 14.23 },
    'C↔R': { count: 1, avg: 22.24, median: 22.24, min: 22.24, max: 22.24 },
    'C↔C': { count: 0, avg: 0, median: 0, min: 0, max: 0 },
  });
  // 25 bins over [8.88, 22.24], w = 13.36/25 = 0.5344: 8.88 -> 0; 11.12 -> ⌊4.19⌋ = 4 (×2);
  // 14.23 -> ⌊10.01⌋ = 10; 22.24 -> 25, clamped to 24. x and w printed to 0.1.
  const h = r.distHistogram;
  assert.deepEqual(
    [h.min, h.max, h.bins.length, h.bins[0].x, h.bins[0].w, h.bins[1].x],
    [8.88, 22.24, 25, 8.9, 0.5, 9.4],
  );
  assert.deepEqual(
    h.bins.flatMap((b, i) => (b.count ? [[i, b.count]] : [])),
    [
      [0, 1],
      [4, 2],
      [10, 1],
      [24, 1],
    ],
  );
  // T1 (10h): 22.24, 11.12 -> 16.68; T2, T3 (11h): 8.88, 11.12, 14.23 -> 11.41.
  assert.deepEqual(r.distOverTime, [
    { hour: '2026-05-17T10', avg: 16.68, count: 2 },
    { hour: '2026-05-17T11', avg: 11.41, count: 3 },
  ]);
});

test('distance: region, area by transmitter, unknown region, empty histogram shape', () => {
  const oak = computeDistance(input, { ...DEFAULT_QUERY, regions: ['OAK'] }); // O2 heard T3 only
  assert.deepEqual(oak.summary, { totalHops: 1, totalPaths: 1, avgDist: 14.23, maxDist: 14.23 });
  // Area around S: only T1's transmitter (S) is a node in it.
  const area = computeDistance(input, {
    ...DEFAULT_QUERY,
    area: {
      key: 's',
      polygon: [
        [37.15, -122.1],
        [37.25, -122.1],
        [37.25, -121.9],
        [37.15, -121.9],
      ],
    },
  });
  assert.deepEqual([area.summary.totalPaths, area.summary.totalHops], [1, 2]);
  const none = computeDistance(input, { ...DEFAULT_QUERY, regions: ['XXX'] });
  assert.deepEqual(none.summary, { totalHops: 0, totalPaths: 0, avgDist: 0, maxDist: 0 });
  // An empty result keeps the histogram an object (CoreScope answers []).
  assert.deepEqual(none.distHistogram, { bins: [], min: 0, max: 0 });
  assert.deepEqual(none.topHops, []);
});

test('distance on the real fixture: every reported link is a real ≤300 km GPS distance', () => {
  const data = loadFixtureRecords();
  const r = computeDistance(recordsInput(data, FIXTURE_NOW_MS), DEFAULT_QUERY);
  const byKey = new Map(data.nodes.map((n) => [n.publicKey, n]));
  assert.ok(r.summary.totalHops > 0 && r.summary.totalPaths > 0);
  assert.ok(r.summary.maxDist <= MAX_LINK_KM);
  const cats = r.catStats['R↔R'].count + r.catStats['C↔R'].count + r.catStats['C↔C'].count;
  assert.equal(cats, r.summary.totalHops);
  assert.equal(
    r.distHistogram.bins.reduce((s, b) => s + b.count, 0),
    r.summary.totalHops,
  );
  assert.equal(
    r.distOverTime.reduce((s, b) => s + b.count, 0),
    r.summary.totalHops,
  );
  assert.equal(r.topHops[0].dist, r.summary.maxDist);
  for (const h of r.topHops) {
    const a = byKey.get(h.fromPk)!;
    const b = byKey.get(h.toPk)!;
    assert.equal(h.dist, round2(haversineKm(a.lat!, a.lon!, b.lat!, b.lon!)));
    const reps = [a, b].filter((n) => n.role?.includes('repeater')).length;
    assert.equal(h.type, ['C↔C', 'C↔R', 'R↔R'][reps]);
  }
  for (let i = 1; i < r.topPaths.length; i++)
    assert.ok(r.topPaths[i - 1].totalDist >= r.topPaths[i].totalDist);
  for (const p of r.topPaths) assert.equal(p.totalDist, round2(p.hops.reduce((s, h) => s + h.dist, 0)));
});
