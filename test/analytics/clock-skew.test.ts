import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeNodeClockSkew, computeNodesClockSkew } from '../../src/analytics/compute/clock-skew-nodes.js';
import { computeObserversClockSkew } from '../../src/analytics/compute/clock-skew-observers.js';
import { severityOf } from '../../src/analytics/shared/clock-skew-engine.js';
import { DEFAULT_QUERY } from '../../src/analytics/shared/query.js';
import { StoreBuilder, T0 } from './clock-skew-store.js';

const sec = (ms: number) => ms / 1000;
const H = 3600_000;

test('§6.2 worked example: node 60 s ahead, obs3 uploads 30 s late -> corrected 60/60/60', () => {
  const s = new StoreBuilder();
  const node = s.node('aa', 'repeater');
  for (const o of ['O1', 'O2', 'O3']) s.observer(o);
  // No uploader stamps: observed time is the server receive time. Median rx = T0, so the
  // deviations (ingest-latency offsets) are 0, 0, +30 s and each corrected skew is 60 s.
  s.advert(node, sec(T0) + 60, [
    ['O1', T0],
    ['O2', T0],
    ['O3', T0 + 30_000],
  ]);
  const input = s.build();
  const detail = computeNodeClockSkew(input, node);
  assert.ok(detail);
  const rows = detail.recentHashEvidence[0].observers;
  assert.deepEqual(
    rows.map((r) => [r.observerID, r.rawSkewSec, r.correctedSkewSec, r.observerOffsetSec]),
    [
      ['O1', 60, 60, 0],
      ['O2', 60, 60, 0],
      ['O3', 30, 60, 30],
    ],
  );
  assert.equal(detail.recentMedianSkewSec, 60);
  assert.equal(detail.severity, 'ok'); // 60 s < 5 min
  assert.deepEqual(detail.calibrationSummary, {
    totalSamples: 3,
    calibratedSamples: 3,
    uncalibratedSamples: 0,
  });
  assert.deepEqual(
    computeObserversClockSkew(input, DEFAULT_QUERY).map((o) => [
      o.observerID,
      o.offsetSec,
      o.samples,
      o.method,
    ]),
    [
      ['O3', 30, 1, 'ingest-latency'],
      ['O1', 0, 1, 'ingest-latency'],
      ['O2', 0, 1, 'ingest-latency'],
    ],
  );
});

test('a repeater that only relayed a skewed advert gets no clock data; its own adverts decide', () => {
  const s = new StoreBuilder();
  const companion = s.node('c1', 'companion');
  const relay = s.node('5e', 'repeater');
  const relayWithOwn = s.node('6f', 'repeater');
  s.observer('O1');
  // The companion's clock is 3 h ahead; both repeaters relayed its adverts (their prefixes are hops).
  for (let k = 0; k < 3; k++) {
    s.advert(companion, sec(T0 + k * H) + 3 * 3600, [['O1', T0 + k * H]], ['5E', '6F']);
  }
  // relayWithOwn's own clock is 2 s behind.
  s.advert(relayWithOwn, sec(T0 + 30 * 60_000) - 2, [['O1', T0 + 30 * 60_000]]);
  const input = s.build();
  const fleet = computeNodesClockSkew(input, DEFAULT_QUERY);
  assert.deepEqual(
    fleet.map((f) => [f.pubkey, f.severity, f.recentMedianSkewSec]),
    [
      [relayWithOwn, 'ok', -2],
      [companion, 'critical', 10800],
    ].sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1)),
  );
  assert.equal(computeNodeClockSkew(input, relay), null);
  assert.equal(computeNodeClockSkew(input, 'ff'.repeat(32)), null);
});

test('severityOf: every class boundary', () => {
  assert.equal(severityOf(299.9), 'ok');
  assert.equal(severityOf(300), 'warning');
  assert.equal(severityOf(3599), 'warning');
  assert.equal(severityOf(3600), 'critical');
  assert.equal(severityOf(30 * 86400), 'absurd');
  assert.equal(severityOf(365 * 86400), 'no_clock');
});

test('every severity class is reachable at node level for consistent clocks', () => {
  const s = new StoreBuilder();
  s.observer('O1');
  // offset (s) -> expected class; three hourly adverts each, one observer with exact time.
  const cases: Array<[number, string]> = [
    [10, 'ok'],
    [-600, 'warning'],
    [3 * 3600, 'critical'],
    [-60 * 86400, 'absurd'],
    [-2 * 365 * 86400, 'no_clock'],
  ];
  const keys = cases.map(([off]) => {
    const pk = s.node('b0', 'repeater');
    for (let k = 0; k < 3; k++) s.advert(pk, sec(T0 + k * H) + off, [['O1', T0 + k * H]]);
    return pk;
  });
  // Flaky RTC (CoreScope TestBimodalClock_845): 10 adverts 60 s apart.
  const flaky = s.node('b1', 'repeater');
  const skews = [-5, -5, -7200, -5, -7200, -5, -7200, -5, -7200, -5];
  skews.forEach((sk, k) => s.advert(flaky, sec(T0 + k * 60_000) + sk, [['O1', T0 + k * 60_000]]));
  const input = s.build();
  keys.forEach((pk, i) => {
    const d = computeNodeClockSkew(input, pk);
    assert.ok(d);
    assert.equal(d.severity, cases[i][1], `offset ${cases[i][0]}`);
    assert.equal(d.recentMedianSkewSec, cases[i][0]);
    assert.equal(d.recentSampleCount, 3);
  });
  const f = computeNodeClockSkew(input, flaky);
  assert.ok(f);
  // Last 5 (all within 24 h): -5,-7200,-5,-7200,-5 -> 4 alternations -> bimodal; good 3/5.
  // Lifetime mean (6·-5 + 4·-7200)/10 = -2883; median of the 10 = -5.
  assert.deepEqual(
    [f.severity, f.goodFraction, f.recentSampleCount, f.recentBadSampleCount, f.recentMedianSkewSec],
    ['bimodal_clock', 0.6, 5, 2, -5],
  );
  assert.equal(f.meanSkewSec, -2883);
  assert.equal(f.medianSkewSec, -5);
  assert.equal(f.driftPerDaySec, 0);
  assert.deepEqual(
    f.recentBadSamples.map((b) => b.skewSec),
    [-7200, -7200],
  );
});

test('a clock fixed after being hours off is judged by the values since the step', () => {
  const s = new StoreBuilder();
  s.observer('O1');
  const pk = s.node('c0', 'room');
  // skews: 3 h, 3 h, 3 h, then 1 s, 1 s -> one step -> median of [1, 1] = 1 -> ok.
  [10800, 10800, 10800, 1, 1].forEach((sk, k) => s.advert(pk, sec(T0 + k * H) + sk, [['O1', T0 + k * H]]));
  const d = computeNodeClockSkew(s.build(), pk);
  assert.ok(d);
  assert.deepEqual([d.severity, d.recentMedianSkewSec, d.goodFraction, d.clockReset], ['ok', 1, 0.4, false]);
});

test('reset detection: a clock that jumps back to the default epoch, and one that starts there', () => {
  const s = new StoreBuilder();
  s.observer('O1');
  const jumped = s.node('d0', 'repeater');
  const bootedAtEpoch = s.node('d1', 'repeater');
  const EPOCH = Date.UTC(2023, 0, 1) / 1000;
  // Right for 3 adverts, then restarted at 2023-01-01 (advert clock went backwards by years).
  for (let k = 0; k < 3; k++) s.advert(jumped, sec(T0 + k * H), [['O1', T0 + k * H]]);
  s.advert(jumped, EPOCH + 600, [['O1', T0 + 3 * H]]);
  // Never set: epoch + uptime (booted 5 h before T0).
  for (let k = 0; k < 3; k++) s.advert(bootedAtEpoch, EPOCH + 5 * 3600 + k * 3600, [['O1', T0 + k * H]]);
  const input = s.build();
  const a = computeNodeClockSkew(input, jumped);
  const b = computeNodeClockSkew(input, bootedAtEpoch);
  assert.ok(a && b);
  assert.deepEqual(
    [a.severity, a.clockReset, a.recentMedianSkewSec],
    ['no_clock', true, EPOCH + 600 - sec(T0 + 3 * H)],
  );
  assert.deepEqual([b.severity, b.clockReset], ['no_clock', true]);
});

test('drift: 100 ppm over 3 days is found by Theil–Sen (8.64 s/day), an exact clock drifts 0', () => {
  const s = new StoreBuilder();
  s.observer('O1');
  const drifting = s.node('e0', 'repeater');
  const exact = s.node('e1', 'repeater');
  for (let k = 0; k < 36; k++) {
    const t = T0 + k * 2 * H;
    // Node clock = t + 100e-6·(t − T0), truncated to whole seconds like a real advert clock.
    s.advert(drifting, Math.floor(sec(t + ((t - T0) * 100) / 1e6)), [['O1', t]]);
    s.advert(exact, sec(t), [['O1', t]]);
  }
  const input = s.build(T0 + 4 * 86400_000);
  const d = computeNodeClockSkew(input, drifting);
  const x = computeNodeClockSkew(input, exact);
  assert.ok(d && x);
  assert.ok(Math.abs(d.driftPerDaySec - 8.64) < 0.2, `drift ${d.driftPerDaySec}`);
  assert.equal(d.severity, 'ok'); // at most 70 ppm·… : 3 days·8.64 = 26 s < 5 min
  assert.equal(x.driftPerDaySec, 0);
  assert.equal(x.samples.length, 36);
});

test('uploader stamps measure the observer clock itself; node skew uses the corrected stamp', () => {
  const s = new StoreBuilder();
  const nodeAhead = s.node('f0', 'repeater');
  s.observer('FAST');
  s.observer('SKEWED');
  // SKEWED: clock +120 s, upload latencies 100..1000 ms -> uploader − rx = 120 s − latency.
  // P90 by nearest rank of the 10 differences = 9th smallest = 120 − 0.2 = 119.8 s.
  // FAST: exact clock, latency 50 ms -> offset −0.05 -> rounds to −0.1 (half away from zero: −0.05·10 = −0.5 -> −1).
  for (let k = 0; k < 10; k++) {
    const t = T0 + k * H;
    s.advert(nodeAhead, sec(t) + 600, [
      ['SKEWED', t + (k + 1) * 100, t + 120_000],
      ['FAST', t + 50, t],
    ]);
  }
  const input = s.build();
  const obs = computeObserversClockSkew(input, DEFAULT_QUERY);
  assert.deepEqual(
    obs.map((o) => [o.observerID, o.offsetSec, o.samples, o.method]),
    [
      ['SKEWED', 119.8, 10, 'uploader-clock'],
      ['FAST', -0.1, 10, 'uploader-clock'],
    ],
  );
  // Corrected times: SKEWED t + 0.2 s, FAST t + 0.05 s -> skews 599.8 and 599.95 -> median 599.875.
  const d = computeNodeClockSkew(input, nodeAhead);
  assert.ok(d);
  assert.equal(d.recentMedianSkewSec, 599.9);
  assert.equal(d.severity, 'warning');
  assert.equal(d.calibrated, true);
});

test('fleet area filter keeps nodes inside the polygon only (0,0 and no position excluded)', () => {
  const s = new StoreBuilder();
  s.observer('O1');
  const inside = s.node('a1', 'repeater', { lat: 37.5, lon: -122 });
  const outside = s.node('a2', 'repeater', { lat: 40, lon: -100 });
  const zero = s.node('a3', 'repeater', { lat: 0, lon: 0 });
  for (const pk of [inside, outside, zero]) s.advert(pk, sec(T0), [['O1', T0]]);
  const input = s.build();
  const area = {
    key: 'bay',
    polygon: [
      [37, -123],
      [38, -123],
      [38, -121],
      [37, -121],
    ] as Array<[number, number]>,
  };
  assert.deepEqual(
    computeNodesClockSkew(input, { ...DEFAULT_QUERY, area }).map((f) => f.pubkey),
    [inside],
  );
  assert.equal(computeNodesClockSkew(input, DEFAULT_QUERY).length, 3);
});
