// Route patterns (spec analytics §7.1) on a hand-built store, with every answer worked out by
// hand below, and on the fixture (counts checked against a plain recount of its best paths).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  computeSubpathDetail,
  computeSubpaths,
  computeSubpathsBulk,
} from '../../src/analytics/compute/subpaths.js';
import { buildPathContext } from '../../src/analytics/shared/path-context.js';
import { buildSubpathIndex, NO_HIDING } from '../../src/analytics/shared/subpath-index.js';
import { hopCodeOf } from '../../src/analytics/shared/hop-code.js';
import { DEFAULT_QUERY, type AnalyticsQuery } from '../../src/analytics/shared/query.js';
import { lazyContext, ANALYTIC_BY_NAME } from '../../src/analytics/registry.js';
import { recordsInput } from '../../src/analytics/inputs/records-input.js';
import { key, node, observer, sighting, store, tx, at } from './small-store.js';
import { FIXTURE_NOW_MS, loadFixtureRecords } from '../support/fixture.js';

// Repeaters A, B, C; two different nodes both named "Twin" (prefixes DD and EE); a hidden one
// (name starts with the hidden prefix) at FF; no node at 99. Best paths (longest observation):
//   T1 [AA,BB,CC] O1 09:00 snr 8 rssi -100   T5 [DD,CC] O1 11:30
//   T2 [AA,BB]    O1 10:00 snr 4 rssi -90    T6 [EE,CC] O2 11:30
//      (O2 also heard T2 over [AA])          T7 [99,AA] O1 11:30
//   T3 [BB,CC]    O2 10:30                   T8 [FF,AA] O1 11:30 (hidden hop)
//   T4 [AA,BB,AA,BB] O1 11:00                T9 [CC]    O1 11:30 (one hop: not a path)
const O1 = observer('F00D0001', 'SJC', 'Obs One');
const O2 = observer('F00D0002', 'OAK', 'Obs Two');
const input = store({
  nodes: [
    node('aa11', { name: 'A', lat: 37.1, lon: -121.9 }),
    node('bb22', { name: 'B' }),
    node('cc33', { name: 'C' }),
    node('dd01', { name: 'Twin' }),
    node('ee02', { name: 'Twin' }),
    node('ff66', { name: '🚫secret' }),
  ],
  observers: [O1, O2],
  transmissions: [
    tx(1, 4, { firstSeenMs: at('09:00') }),
    tx(2, 5, { firstSeenMs: at('10:00') }),
    tx(3, 5, { firstSeenMs: at('10:30') }),
    tx(4, 5, { firstSeenMs: at('11:00') }),
    ...[5, 6, 7, 8, 9].map((id) => tx(id, 5, { firstSeenMs: at('11:30') })),
  ],
  observations: [
    sighting(1, O1.id, ['AA', 'BB', 'CC'], { snr: 8, rssi: -100 }),
    sighting(2, O1.id, ['AA', 'BB'], { snr: 4, rssi: -90 }),
    sighting(2, O2.id, ['AA']),
    sighting(3, O2.id, ['BB', 'CC']),
    sighting(4, O1.id, ['AA', 'BB', 'AA', 'BB']),
    sighting(5, O1.id, ['DD', 'CC']),
    sighting(6, O2.id, ['EE', 'CC']),
    sighting(7, O1.id, ['99', 'AA']),
    sighting(8, O1.id, ['FF', 'AA']),
    sighting(9, O1.id, ['CC']),
  ],
});
const HIDE = { nodeBlacklist: [], hiddenNamePrefixes: ['🚫'] };
const paths = buildPathContext(input);
const index = () => buildSubpathIndex(input, paths.best, paths.resolver, null);
const q = (o: Partial<AnalyticsQuery>): AnalyticsQuery => ({ ...DEFAULT_QUERY, ...o });
const item = (path: string, rawHops: string[], count: number, total: number) => ({
  path,
  rawHops,
  count,
  hops: rawHops.length,
  pct: Math.round((count / total) * 1000) / 10,
});

test('subpaths: counts once per path, merges equal names, hides hidden nodes, ranks with ties by text', () => {
  const r = computeSubpaths(input, DEFAULT_QUERY, paths, index, null, HIDE);
  // Paths with ≥ 2 hops: T1..T8.
  assert.equal(r.totalPaths, 8);
  assert.deepEqual(r.subpaths, [
    // AA,BB in T1, T2 and T4 (twice in T4, counted once).
    item('A → B', ['aa', 'bb'], 3, 8),
    // BB,CC in T1 and T3; DD,CC (T5) and EE,CC (T6) are both "Twin → C": merged, the first
    // counted raw key represents them.
    item('B → C', ['bb', 'cc'], 2, 8),
    item('Twin → C', ['dd', 'cc'], 2, 8),
    // Once each, by path text; 99 has no node and keeps its hex. FF,AA (hidden FF) is left out.
    item('99 → A', ['99', 'aa'], 1, 8),
    item('A → B → A', ['aa', 'bb', 'aa'], 1, 8),
    item('A → B → A → B', ['aa', 'bb', 'aa', 'bb'], 1, 8),
    item('A → B → C', ['aa', 'bb', 'cc'], 1, 8),
    item('B → A', ['bb', 'aa'], 1, 8),
    item('B → A → B', ['bb', 'aa', 'bb'], 1, 8),
  ]);
  // Without hiding, the hidden node's subpath is listed under its name.
  const all = computeSubpaths(input, DEFAULT_QUERY, paths, index, null, NO_HIDING);
  assert.ok(all.subpaths.some((s) => s.path === '🚫secret → A'));
});

test('subpaths: minLen/maxLen/limit, region and window', () => {
  const three = computeSubpaths(
    input,
    DEFAULT_QUERY,
    paths,
    index,
    { minLen: 3, maxLen: 3, limit: 100 },
    HIDE,
  );
  assert.deepEqual(
    three.subpaths.map((s) => [s.path, s.count]),
    [
      ['A → B → A', 1],
      ['A → B → C', 1],
      ['B → A → B', 1],
    ],
  );
  const two = computeSubpaths(input, DEFAULT_QUERY, paths, index, { minLen: 2, maxLen: 8, limit: 2 }, HIDE);
  assert.deepEqual(
    two.subpaths.map((s) => s.path),
    ['A → B', 'B → C'],
  );
  // OAK heard T2 (over [AA]: the tx counts with its best path [AA,BB]), T3 and T6.
  const oak = computeSubpaths(input, q({ regions: ['OAK'] }), paths, index, null, HIDE);
  assert.equal(oak.totalPaths, 3);
  assert.deepEqual(
    oak.subpaths.map((s) => [s.path, s.count, s.pct]),
    [
      ['A → B', 1, 33.3],
      ['B → C', 1, 33.3],
      ['Twin → C', 1, 33.3],
    ],
  );
  // From 10:15: T3..T8 are paths; AA,BB only in T4.
  const late = computeSubpaths(input, q({ fromMs: at('10:15') }), paths, index, null, HIDE);
  assert.equal(late.totalPaths, 6);
  assert.deepEqual(
    late.subpaths.slice(0, 3).map((s) => [s.path, s.count]),
    [
      ['Twin → C', 2],
      ['99 → A', 1],
      ['A → B', 1],
    ],
  );
  // An unknown region matches nothing (not "all data").
  assert.deepEqual(computeSubpaths(input, q({ regions: ['XXX'] }), paths, index, null, HIDE), {
    subpaths: [],
    totalPaths: 0,
  });
});

test('subpaths-bulk: every group from one index, same answers as single requests', () => {
  const groups = [
    { minLen: 2, maxLen: 2, limit: 1 },
    { minLen: 3, maxLen: 8, limit: 2 },
  ];
  const r = computeSubpathsBulk(input, DEFAULT_QUERY, paths, index, groups, HIDE);
  assert.deepEqual(
    r.results,
    groups.map((g) => computeSubpaths(input, DEFAULT_QUERY, paths, index, g, HIDE)),
  );
  assert.deepEqual(
    r.results[0].subpaths.map((s) => s.path),
    ['A → B'],
  );
  assert.deepEqual(
    r.results[1].subpaths.map((s) => s.path),
    ['A → B → A', 'A → B → A → B'],
  );
});

test('subpath-detail: matches, signal, hours, parent paths, observers; hidden hop is null', () => {
  const codes = ['AA', 'BB'].map(hopCodeOf);
  const d = computeSubpathDetail(input, paths, index(), codes, HIDE)!;
  assert.deepEqual(d.hops, ['aa', 'bb']);
  assert.deepEqual(d.nodes, [
    { hop: 'aa', name: 'A', lat: 37.1, lon: -121.9, pubkey: key('aa11') },
    { hop: 'bb', name: 'B', lat: null, lon: null, pubkey: key('bb22') },
  ]);
  assert.equal(d.totalMatches, 3); // T1, T2, T4
  assert.equal(d.firstSeen, '2026-05-17T09:00:00Z');
  assert.equal(d.lastSeen, '2026-05-17T11:00:00Z');
  // SNR 8 and 4 (T4 has none); RSSI -100 and -90.
  assert.deepEqual(d.signal, { avgSnr: 6, avgRssi: -95, samples: 2 });
  const hours = new Array(24).fill(0);
  hours[9] = hours[10] = hours[11] = 1;
  assert.deepEqual(d.hourDistribution, hours);
  assert.deepEqual(d.parentPaths, [
    { path: 'A → B', count: 1 },
    { path: 'A → B → A → B', count: 1 },
    { path: 'A → B → C', count: 1 },
  ]);
  assert.deepEqual(d.observers, [{ name: 'Obs One', count: 3 }]);
  // BB,AA only inside T4; AA,CC nowhere.
  assert.equal(
    computeSubpathDetail(input, paths, index(), ['BB', 'AA'].map(hopCodeOf), HIDE)!.totalMatches,
    1,
  );
  const none = computeSubpathDetail(input, paths, index(), ['AA', 'CC'].map(hopCodeOf), HIDE)!;
  assert.equal(none.totalMatches, 0);
  assert.equal(none.firstSeen, null);
  assert.deepEqual(none.signal, { avgSnr: null, avgRssi: null, samples: 0 });
  // The hidden node's hop: 404 (null); unhidden it is found.
  assert.equal(computeSubpathDetail(input, paths, index(), ['FF', 'AA'].map(hopCodeOf), HIDE), null);
  assert.equal(
    computeSubpathDetail(input, paths, index(), ['FF', 'AA'].map(hopCodeOf), NO_HIDING)!.totalMatches,
    1,
  );
});

test('subpaths on the fixture: every count equals a plain recount of the best paths', () => {
  const r = loadFixtureRecords();
  const fx = recordsInput(r, FIXTURE_NOW_MS);
  const ctx = lazyContext(fx);
  const res = ANALYTIC_BY_NAME.get('subpaths')!.compute(fx, DEFAULT_QUERY, ctx) as ReturnType<
    typeof computeSubpaths
  >;
  // Recount: best path per tx = longest hop list, first observation (by id) on ties.
  const bestPath = new Map<number, string[]>();
  for (const o of [...r.observations].sort((a, b) => a.id - b.id)) {
    const cur = bestPath.get(o.transmissionId);
    if (!cur || o.path.length > cur.length) bestPath.set(o.transmissionId, o.path);
  }
  const counts = new Map<string, number>();
  let total = 0;
  for (const p of bestPath.values()) {
    if (p.length < 2) continue;
    total++;
    const seen = new Set<string>();
    for (let i = 0; i < p.length; i++)
      for (let j = i + 2; j <= Math.min(p.length, i + 8); j++)
        seen.add(p.slice(i, j).join(',').toLowerCase());
    for (const k of seen) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  assert.equal(res.totalPaths, total);
  assert.ok(res.subpaths.length > 0, 'the fixture has route patterns');
  const top = Math.max(...counts.values());
  assert.equal(res.subpaths[0].count >= top, true, 'the top entry is at least the top raw count');
  for (const s of res.subpaths) {
    // A merged entry counts at least its representative raw key.
    assert.ok(s.count >= counts.get(s.rawHops.join(','))!, s.path);
    assert.equal(s.hops, s.rawHops.length);
    assert.equal(s.pct, Math.round((s.count / total) * 1000) / 10);
  }
  // Every subpath without a merge partner has exactly its raw count.
  const unmerged = res.subpaths.filter((s) => s.count === counts.get(s.rawHops.join(',')));
  assert.ok(unmerged.length > 0);
});
