// t5: relay airtime share, scope stats and path inspection over hand-built stores, with the
// answers worked out by hand below (LoRa time-on-air from spec analytics §12's formula).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NOW, at, key, node, observer, sighting, store, tx } from './small-store.js';
import { buildPathContext } from '../../src/analytics/shared/path-context.js';
import { computeRelayAirtime } from '../../src/analytics/compute/relay-airtime.js';
import { computeScopeStats } from '../../src/analytics/compute/scope-stats.js';
import { computePathsInspect } from '../../src/analytics/compute/paths-inspect.js';
import { DEFAULT_QUERY, type AnalyticsQuery } from '../../src/analytics/shared/query.js';

const H = 3_600_000;

// Default preset SF8 / BW 62.5 kHz / CR 4/5: Tsym = 2^8 / 62 500 = 4.096 ms, no LDRO, preamble 32.
//  20 B: ceil((160 − 32 + 44) / 32) = 6 → 8 + 6·5 = 38 payload symbols; (32 + 4.25 + 38) · 4.096 = 304.128 ms
//  40 B: ceil((320 − 32 + 44) / 32) = 11 → 63;                        (32 + 4.25 + 63) · 4.096 = 406.528 ms
const TOA20 = 304_128_000; // ns
const TOA40 = 406_528_000;

function airtimeStore() {
  return store({
    nodes: [node('aa'), node('bb'), node('cc')],
    observers: [observer('obs1', 'SJC'), observer('obs2', 'SJC')],
    transmissions: [
      tx(1, 5, { bytes: 20 }), // GRP_TXT: relays AA, BB (obs1) and AA, CC (obs2) → 3 distinct
      tx(2, 5, { bytes: 40 }), // GRP_TXT heard direct: 0 relays
      tx(3, 2, { bytes: 20 }), // TXT_MSG: DD is no known node (not counted), AA → 1
      tx(4, 4, { bytes: 40, firstSeenMs: NOW - 72 * H }), // ADVERT three days ago: BB → 1
    ],
    observations: [
      sighting(1, 'obs1', ['AA', 'BB']),
      sighting(1, 'obs2', ['AA', 'CC']),
      sighting(2, 'obs1', []),
      sighting(3, 'obs1', ['DD', 'AA']),
      sighting(4, 'obs2', ['BB']),
    ],
  });
}

test('relay airtime: time on air × distinct resolved relays per type, airtime order, shares', () => {
  const input = airtimeStore();
  const r = computeRelayAirtime(input, DEFAULT_QUERY, buildPathContext(input));
  assert.deepEqual(
    r.rows.map((x) => [x.payload_type, x.type, x.count, x.relays, x.score]),
    [
      ['GRP_TXT', 5, 2, 3, 3 * TOA20],
      ['ADVERT', 4, 1, 1, TOA40],
      ['TXT_MSG', 2, 1, 1, TOA20],
    ],
  );
  const total = 4 * TOA20 + TOA40; // 1 623 040 000 ns
  assert.equal(r.total_count, 4);
  assert.equal(r.total_score, total);
  assert.deepEqual(
    r.rows.map((x) => [x.count_pct, x.airtime_pct]),
    [
      [50, 56.2], // 912 384 000 / 1 623 040 000 = 56.21 %
      [25, 25], // 25.05 %
      [25, 18.7], // 18.74 %
    ],
  );
  assert.deepEqual(r.preset, { freq: 869.6e6, bw: 62.5, sf: 8, cr: 5 });
  assert.equal(r.window, null);
  assert.equal(r.cached, true);
});

test('relay airtime: a 24h window drops the three-day-old advert; the preset changes the airtime', () => {
  const input = airtimeStore();
  const q: AnalyticsQuery = { ...DEFAULT_QUERY, fromMs: NOW - 24 * H, window: '24h' };
  const r = computeRelayAirtime(input, q, buildPathContext(input));
  assert.deepEqual(
    r.rows.map((x) => [x.payload_type, x.count, x.count_pct, x.airtime_pct]),
    [
      ['GRP_TXT', 2, 66.7, 75],
      ['TXT_MSG', 1, 33.3, 25],
    ],
  );
  assert.equal(r.total_score, 4 * TOA20);
  assert.equal(r.window, '24h');
  assert.equal(r.cached, false);
  // SF7 / BW 125 / CR 4/5, 20 B: Tsym 1.024 ms, ceil((160 − 28 + 44) / 28) = 7 → 8 + 35 = 43;
  // preamble 32: (32 + 4.25 + 43) · 1.024 = 81.152 ms.
  const fast = computeRelayAirtime(input, q, buildPathContext(input), { freq: 915e6, bw: 125, sf: 7, cr: 5 });
  assert.equal(fast.total_score, 4 * 81_152_000);
});

function scopeStore() {
  const t = (id: number, route: number, scopeName: string | null, firstSeenMs: number) =>
    tx(id, 5, { routeType: route, scopeName, firstSeenMs });
  return store({
    transmissions: [
      t(1, 0, '#west', at('11:50')),
      t(2, 3, '#west', at('11:20')),
      t(3, 0, '#east', at('10:10')),
      t(4, 0, '', at('11:55')),
      t(5, 0, null, at('11:56')),
      t(6, 1, null, at('11:00')), // FLOOD: not a transport route
      t(7, 0, '#east', NOW - 48 * H),
    ],
  });
}

test('scope stats: summary, regions and hourly buckets over 24h (default query)', () => {
  const r = computeScopeStats(scopeStore(), DEFAULT_QUERY);
  assert.equal(r.window, '24h');
  assert.deepEqual(r.summary, { transportTotal: 5, scoped: 4, unscoped: 1, unknownScope: 1 });
  assert.deepEqual(r.byRegion, [
    { name: '#west', count: 2 },
    { name: '#east', count: 1 },
  ]);
  // 2026-05-16T12:00 … 2026-05-17T12:00: 25 hourly buckets, empty ones included.
  assert.equal(r.timeSeries.length, 25);
  assert.equal(r.timeSeries[0].t, '2026-05-16T12:00:00Z');
  const nonEmpty = r.timeSeries.filter((b) => b.scoped + b.unscoped > 0);
  assert.deepEqual(nonEmpty, [
    { t: '2026-05-17T10:00:00Z', scoped: 1, unscoped: 0 },
    { t: '2026-05-17T11:00:00Z', scoped: 3, unscoped: 1 },
  ]);
});

test('scope stats: 1h in 5-minute buckets, 7d in 6-hour buckets', () => {
  const s = scopeStore();
  const h1 = computeScopeStats(s, { ...DEFAULT_QUERY, fromMs: NOW - H, window: '1h' });
  assert.deepEqual(h1.summary, { transportTotal: 4, scoped: 3, unscoped: 1, unknownScope: 1 });
  assert.equal(h1.timeSeries.length, 13);
  assert.deepEqual(
    h1.timeSeries.filter((b) => b.scoped + b.unscoped > 0),
    [
      { t: '2026-05-17T11:20:00Z', scoped: 1, unscoped: 0 },
      { t: '2026-05-17T11:50:00Z', scoped: 1, unscoped: 0 },
      { t: '2026-05-17T11:55:00Z', scoped: 1, unscoped: 1 },
    ],
  );
  const d7 = computeScopeStats(s, { ...DEFAULT_QUERY, fromMs: NOW - 7 * 24 * H, window: '7d' });
  assert.deepEqual(d7.summary, { transportTotal: 6, scoped: 5, unscoped: 1, unknownScope: 1 });
  // A tie between #east and #west (2 each) is broken by name.
  assert.deepEqual(d7.byRegion, [
    { name: '#east', count: 2 },
    { name: '#west', count: 2 },
  ]);
  assert.equal(d7.timeSeries.length, 29); // 2026-05-10T12:00 … 2026-05-17T12:00 every 6 h
  assert.deepEqual(
    d7.timeSeries.filter((b) => b.scoped + b.unscoped > 0).map((b) => [b.t, b.scoped, b.unscoped]),
    [
      ['2026-05-15T12:00:00Z', 1, 0],
      ['2026-05-17T06:00:00Z', 4, 1],
    ],
  );
});

// Inspect: B (bb01…) — A1 (aa01…) — C (cc01…) seen ten times with 2-byte hops (unique), and a
// second repeater A2 (aa02…) sharing A1's first byte. Asked for 1-byte prefixes bb, aa, cc.
function inspectStore() {
  const observations = [];
  const transmissions = [];
  for (let i = 1; i <= 10; i++) {
    transmissions.push(tx(i, 5));
    observations.push(sighting(i, 'obs1', ['BB01', 'AA01', 'CC01']));
  }
  return store({
    nodes: [node('bb01'), node('aa01'), node('aa02'), node('cc01')],
    observers: [observer('obs1', 'SJC')],
    transmissions,
    observations,
  });
}

test('inspect: the true path ranks first; the ambiguous prefix shows both candidates with evidence', () => {
  const input = inspectStore();
  const r = computePathsInspect(input, buildPathContext(input), {
    prefixes: ['bb', 'AA', 'cc'],
    observerId: null,
    sinceMs: null,
    untilMs: null,
    limit: 10,
  });
  assert.deepEqual(r.stats.candidatesPerHop, [1, 2, 1]);
  assert.equal(r.candidates.length, 2);
  const [top, other] = r.candidates;
  assert.deepEqual(top.path, [key('bb01'), key('aa01'), key('cc01')]);
  assert.deepEqual(other.path, [key('bb01'), key('aa02'), key('cc01')]);
  // Edge score (spec §0): min(1, 10/100) · 2^(−1 h / 168 h) · min(1, 1 observer / 3).
  const e = 0.1 * Math.exp(-Math.LN2 / 168) * (1 / 3);
  // Steps: first hop 0.5·0.5 + 0.2·0.5 + 0.3·1 = 0.65 (no GPS: geo 0.5);
  // via A1: 0.5·(0.5 + 0.5e) + 0.1 + 0.3/2; on to C: 0.5·(0.5 + 0.5e) + 0.1 + 0.3.
  const viaA1 = 0.5 * (0.5 + 0.5 * e) + 0.1 + 0.15;
  const toC = 0.5 * (0.5 + 0.5 * e) + 0.1 + 0.3;
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  assert.equal(top.score, r3(Math.cbrt(0.65 * viaA1 * toC)));
  // Via A2 there is no edge: 0.1 + 0.15 = 0.25, then 0.1 + 0.3 = 0.4.
  assert.equal(other.score, r3(Math.cbrt(0.65 * 0.25 * 0.4)));
  assert.equal(top.speculative, false);
  assert.equal(other.speculative, true);
  const hop = top.evidence.perHop[1];
  assert.equal(hop.prefix, 'aa');
  assert.equal(hop.candidatesConsidered, 2);
  assert.equal(hop.chosen, key('aa01'));
  assert.equal(hop.edgeCount, 10);
  assert.equal(hop.edgeWeight, r3(e));
  assert.deepEqual(hop.alternatives, [{ publicKey: key('aa02'), name: 'node-aa02', score: 0.25 }]);
  assert.equal(top.evidence.perHop[0].edgeWeight, null);
  assert.deepEqual(top.names, ['node-bb01', 'node-aa01', 'node-cc01']);
});

test('inspect: a prefix nobody has gives no candidate and names the hop; limit cuts the list', () => {
  const input = inspectStore();
  const ctx = buildPathContext(input);
  const none = computePathsInspect(input, ctx, {
    prefixes: ['bb', 'ee'],
    observerId: null,
    sinceMs: null,
    untilMs: null,
    limit: 10,
  });
  assert.deepEqual(none.candidates, []);
  assert.deepEqual(none.stats.unmatchedHops, [1]);
  const one = computePathsInspect(input, ctx, {
    prefixes: ['bb', 'aa', 'cc'],
    observerId: null,
    sinceMs: null,
    untilMs: null,
    limit: 1,
  });
  assert.deepEqual(
    one.candidates.map((c) => c.path[1]),
    [key('aa01')],
  );
});
