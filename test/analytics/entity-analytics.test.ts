// t4: per-node analytics, paths, reach and observer analytics on a hand-worked store (every
// expected value reasoned below), through the records input and the path context the worker
// would share. Store: repeaters R (AA11…), B (BB22…), D (DD44…, also observer O1), companion C.
//   tx1 ADVERT of C, path [AA], heard by O1 at NOW-1h, SNR 10
//   tx2 ADVERT of R, no hop (zero-hop), O1 at NOW-5h, SNR 12
//   tx3 TXT_MSG, path [BB, AA], O1 at NOW-3h, SNR 8
//   tx4 GRP_TXT, path [AA, BB], O1 at NOW-26h, SNR 6
//   tx5 ADVERT of B, path [BB], O1 at NOW-2h, SNR -3.5
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NOW, key, node, observer, store, tx } from './small-store.js';
import { observationRecord } from '../support/store-builders.js';
import { buildPathContext } from '../../src/analytics/shared/path-context.js';
import { computeNodeAnalytics, signalGrade } from '../../src/analytics/compute/node-analytics.js';
import { computeNodePaths } from '../../src/analytics/compute/node-paths.js';
import { computeNodeReach } from '../../src/analytics/compute/node-reach.js';
import { computeObserverAnalytics, observerBucket } from '../../src/analytics/compute/observer-analytics.js';

const H = 3_600_000;
const R = key('aa11');
const B = key('bb22');
const C = key('cc33');
const D = key('dd44');
const O1 = D.toUpperCase();

let obsId = 0;
const seen = (t: number, path: string[], agoH: number, snr: number) =>
  observationRecord(++obsId, t, O1, NOW - agoH * H, { path, snr, rssi: -100 });

const input = store({
  nodes: [node('aa11'), node('bb22'), node('dd44'), node('cc33', { role: 'companion' })],
  observers: [observer(O1, 'SJC', 'obs-one')],
  transmissions: [
    tx(1, 4, { fromPubkey: C, firstSeenMs: NOW - 1 * H }),
    tx(2, 4, { fromPubkey: R, firstSeenMs: NOW - 5 * H }),
    tx(3, 2, { firstSeenMs: NOW - 3 * H }),
    tx(4, 5, { firstSeenMs: NOW - 26 * H }),
    tx(5, 4, { fromPubkey: B, firstSeenMs: NOW - 2 * H }),
  ],
  observations: [
    seen(1, ['AA'], 1, 10),
    seen(2, [], 5, 12),
    seen(3, ['BB', 'AA'], 3, 8),
    seen(4, ['AA', 'BB'], 26, 6),
    seen(5, ['BB'], 2, -3.5),
  ],
});
const paths = buildPathContext(input);
/** Every tx row as a candidate: the compute must itself drop tx5 (neither R's nor relayed by R). */
const allTx = Uint32Array.from({ length: input.tx.count }, (_, i) => i);
const allObs = Uint32Array.from({ length: input.obs.count }, (_, i) => i);

test('node analytics: every field group of the hand-worked store (days=7)', () => {
  const a = computeNodeAnalytics(input, { key: R, days: 7, rows: allTx }, paths, null)!;
  const s = a.computedStats as Record<string, unknown>;
  // Members: tx1, tx3, tx4 (relayed: AA is R's unique prefix) and tx2 (R's own advert).
  assert.equal(s.totalPackets, 4);
  // Active hours: 4 distinct of 7·24 → 2.38 % → 2.4.
  assert.equal(s.availabilityPct, 2.4);
  // Gaps between consecutive packets (-26h, -5h, -3h, -1h): 21 h, 2 h, 2 h.
  assert.equal(s.longestSilenceMs, 21 * H);
  assert.equal(s.longestSilenceStart, new Date(NOW - 26 * H).toISOString().replace('.000Z', 'Z'));
  // SNR 10, 12, 8, 6: mean 9, population variance (1+9+1+9)/4 = 5 → sd 2.236 → 2.2; grade B (>8).
  assert.equal(s.snrMean, 9);
  assert.equal(s.snrStdDev, 2.2);
  assert.equal(s.signalGrade, 'B');
  // Paths with ≥1 hop: tx1, tx3, tx4; with >1 hop: tx3, tx4 → 66.7 %.
  assert.equal(s.relayPct, 66.7);
  assert.equal(s.uniqueObservers, 1);
  assert.equal(s.uniquePeers, 1);
  assert.equal(s.avgPacketsPerDay, 0.6);
  assert.deepEqual(a.hopDistribution, [
    { hops: '0', count: 1 },
    { hops: '1', count: 1 },
    { hops: '2', count: 2 },
    { hops: '3', count: 0 },
    { hops: '4+', count: 0 },
  ]);
  assert.deepEqual(a.packetTypeBreakdown, [
    { payload_type: 4, count: 2 },
    { payload_type: 2, count: 1 },
    { payload_type: 5, count: 1 },
  ]);
  // Peers: the advertiser of a relayed advert (C); R's own advert is not a peer.
  assert.deepEqual(a.peerInteractions, [
    { peer_key: C, peer_name: 'node-cc33', messageCount: 1, lastContact: '2026-05-17T11:00:00Z' },
  ]);
  // 2026-05-17 is a Sunday (0); NOW-26h is Saturday 10:00.
  assert.deepEqual(a.uptimeHeatmap, [
    { dayOfWeek: 0, hour: 7, count: 1 },
    { dayOfWeek: 0, hour: 9, count: 1 },
    { dayOfWeek: 0, hour: 11, count: 1 },
    { dayOfWeek: 6, hour: 10, count: 1 },
  ]);
  assert.deepEqual(
    (a.activityTimeline as { bucket: string }[]).map((b) => b.bucket),
    ['2026-05-16T10:00:00Z', '2026-05-17T07:00:00Z', '2026-05-17T09:00:00Z', '2026-05-17T11:00:00Z'],
  );
  const cov = a.observerCoverage as Record<string, unknown>[];
  assert.equal(cov.length, 1);
  assert.equal(cov[0].observer_id, O1);
  assert.equal(cov[0].packetCount, 4);
  assert.equal(cov[0].avgSnr, 9);
  assert.equal((a.snrTrend as unknown[]).length, 4);
  assert.equal((a.node as { public_key: string }).public_key, R);
  assert.deepEqual(a.timeRange, { from: '2026-05-10T12:00:00Z', to: '2026-05-17T12:00:00Z', days: 7 });
  assert.equal('clockSkew' in a, false, 'no advert timestamps: clockSkew omitted');
});

test('node analytics: the window drops older packets; unknown node is null', () => {
  const a = computeNodeAnalytics(input, { key: R, days: 1, rows: allTx }, paths, null)!;
  assert.equal((a.computedStats as { totalPackets: number }).totalPackets, 3);
  // 3 active hours of 24 → 12.5 %.
  assert.equal((a.computedStats as { availabilityPct: number }).availabilityPct, 12.5);
  assert.equal(computeNodeAnalytics(input, { key: key('ee55'), days: 7, rows: allTx }, paths, null), null);
});

test('signal grade bands (spec §7.2)', () => {
  assert.equal(signalGrade(16, 1.9), 'A');
  assert.equal(signalGrade(16, 2), 'A-');
  assert.equal(signalGrade(13, 2.9), 'B+');
  assert.equal(signalGrade(13, 3), 'B');
  assert.equal(signalGrade(8.1, 9), 'B');
  assert.equal(signalGrade(8, 0), 'C');
  assert.equal(signalGrade(3.1, 0), 'C');
  assert.equal(signalGrade(3, 0), 'D');
});

test('node paths: the three paths through R, newest first at equal counts', () => {
  const p = computeNodePaths(input, { key: R, days: 36500, rows: allTx }, paths)!;
  assert.equal(p.totalTransmissions, 3);
  assert.equal(p.totalPaths, 3);
  const list = p.paths as {
    hops: { prefix: string; name: string; pubkey: string | null }[];
    count: number;
    sampleHash: string;
  }[];
  assert.deepEqual(
    list.map((x) => x.hops.map((h) => h.prefix).join(',')),
    ['AA', 'BB,AA', 'AA,BB'],
  );
  assert.deepEqual(
    list[1].hops.map((h) => h.pubkey),
    [B, R],
  );
  assert.equal(list[0].sampleHash, input.tx.hash(0));
});

test('node reach: directional counts, bidirectional links, direct observers', () => {
  const r = computeNodeReach(input, { key: R, days: 7, rows: allTx }, paths)!;
  assert.deepEqual(r.reliable_tokens, ['AA', 'AA11', 'AA1101']);
  const links = r.links as { pubkey: string; we_hear: number; they_hear: number; bidir: boolean }[];
  // B: R heard B before relaying tx3; B heard R in tx4 → bidirectional. D (observer O1) heard R
  // as last hop of tx1, tx3 and directly (R's zero-hop advert tx2). C: R heard C's advert (tx1).
  assert.deepEqual(
    links.map((l) => [l.pubkey, l.we_hear, l.they_hear, l.bidir]),
    [
      [B, 1, 1, true],
      [D, 0, 3, false],
      [C, 1, 0, false],
    ],
  );
  const imp = r.importance as Record<string, number>;
  assert.equal(imp.bidirectional_links, 1);
  assert.equal(imp.relay_observations, 3);
  assert.equal(imp.direct_observers, 1);
  const direct = r.direct_observers as { pubkey: string; count: number; avg_snr: number }[];
  assert.deepEqual(
    direct.map((d) => [d.pubkey, d.count, d.avg_snr]),
    [[D, 3, 10]],
  );
  // 1 day: tx4 (26 h ago) drops out, and with it the only "B hears R" evidence.
  const r1 = computeNodeReach(input, { key: R, days: 1, rows: allTx }, paths)!;
  assert.equal((r1.importance as Record<string, number>).bidirectional_links, 0);
});

test('observer analytics: bucket labels for days ≤1 / ≤7 / >7, types, nodes, SNR buckets', () => {
  const one = computeObserverAnalytics(input, { key: O1, days: 1, rows: allObs }, 0);
  assert.deepEqual(one.timeline, [
    { label: '07:00', count: 1 },
    { label: '09:00', count: 1 },
    { label: '10:00', count: 1 },
    { label: '11:00', count: 1 },
  ]);
  // 07:00 R's advert (the advertiser), 09:00 [BB, AA], 10:00 B's advert via BB (hop + advertiser),
  // 11:00 C's advert via AA.
  assert.deepEqual(
    (one.nodesTimeline as { count: number }[]).map((b) => b.count),
    [1, 2, 2, 2],
  );
  const recent = one.recentPackets as { transmission_id: number; path_json: string }[];
  assert.deepEqual(
    recent.map((p) => p.transmission_id),
    [1, 5, 3, 2],
  );
  assert.equal(recent[0].path_json, '["AA"]');
  const week = computeObserverAnalytics(input, { key: O1, days: 7, rows: allObs }, 0);
  assert.deepEqual(week.timeline, [
    { label: 'Sat 08:00', count: 1 },
    { label: 'Sun 04:00', count: 1 },
    { label: 'Sun 08:00', count: 3 },
  ]);
  const month = computeObserverAnalytics(input, { key: O1, days: 30, rows: allObs }, 0);
  assert.deepEqual(month.timeline, [
    { label: 'May 16', count: 1 },
    { label: 'May 17', count: 4 },
  ]);
  assert.deepEqual(month.packetTypes, { '2': 1, '4': 3, '5': 1 });
  // floor(snr / 2) · 2: -3.5 → -4; 6, 8, 10, 12 each their own bucket.
  assert.deepEqual(month.snrDistribution, [
    { range: '-4 to -2', count: 1 },
    { range: '6 to 8', count: 1 },
    { range: '8 to 10', count: 1 },
    { range: '10 to 12', count: 1 },
    { range: '12 to 14', count: 1 },
  ]);
  assert.equal(observerBucket(1).sizeMs, H);
  assert.equal(observerBucket(7).sizeMs, 4 * H);
  assert.equal(observerBucket(8).sizeMs, 24 * H);
});
