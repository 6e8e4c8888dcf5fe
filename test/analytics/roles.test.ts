import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeRoles } from '../../src/analytics/compute/roles.js';
import { DEFAULT_QUERY } from '../../src/analytics/shared/query.js';
import { recordsInput } from '../../src/analytics/inputs/records-input.js';
import { loadFixtureRecords, FIXTURE_NOW_MS } from '../support/fixture.js';
import { StoreBuilder, T0 } from './clock-skew-store.js';

test('roles: counts per normalised role, severities incl. bimodal, means without no_clock', () => {
  const s = new StoreBuilder();
  s.observer('O1');
  const ok = s.node('a0', 'Repeater ');
  const warn = s.node('a1', 'repeater');
  const dead = s.node('a2', 'repeater');
  const flaky = s.node('a3', 'room');
  s.node('a4', '');
  s.node('a5', null);
  s.node('a6', 'room');
  s.advert(ok, T0 / 1000 + 10, [['O1', T0]]);
  s.advert(warn, T0 / 1000 - 600, [['O1', T0]]);
  s.advert(dead, T0 / 1000 - 2 * 365 * 86400, [['O1', T0]]);
  [-5, -7200, -5, -7200, -5].forEach((sk, k) =>
    s.advert(flaky, (T0 + k * 60_000) / 1000 + sk, [['O1', T0 + k * 60_000]]),
  );
  const res = computeRoles(s.build(), DEFAULT_QUERY);
  assert.equal(res.totalNodes, 7);
  // repeater: 3 nodes; |skews| 10 and 600 enter the mean (305) and median (305); the 2-year clock does not.
  // room: 2 nodes, one bimodal with recent median of the good values = 5. unknown: '' and null.
  assert.deepEqual(res.roles, [
    {
      role: 'repeater',
      nodeCount: 3,
      withSkew: 3,
      meanAbsSkewSec: 305,
      medianAbsSkewSec: 305,
      okCount: 1,
      warningCount: 1,
      criticalCount: 0,
      absurdCount: 0,
      noClockCount: 1,
      bimodalCount: 0,
    },
    {
      role: 'room',
      nodeCount: 2,
      withSkew: 1,
      meanAbsSkewSec: 5,
      medianAbsSkewSec: 5,
      okCount: 0,
      warningCount: 0,
      criticalCount: 0,
      absurdCount: 0,
      noClockCount: 0,
      bimodalCount: 1,
    },
    {
      role: 'unknown',
      nodeCount: 2,
      withSkew: 0,
      meanAbsSkewSec: 0,
      medianAbsSkewSec: 0,
      okCount: 0,
      warningCount: 0,
      criticalCount: 0,
      absurdCount: 0,
      noClockCount: 0,
      bimodalCount: 0,
    },
  ]);
});

test('roles on the fixture: 168 repeater / 23 room / 9 companion; clock classes from the advert clocks', () => {
  const rec = loadFixtureRecords();
  const res = computeRoles(recordsInput(rec, FIXTURE_NOW_MS), DEFAULT_QUERY);
  assert.equal(res.totalNodes, 200);
  assert.deepEqual(
    res.roles.map((r) => [r.role, r.nodeCount]),
    [
      ['repeater', 168],
      ['room', 23],
      ['companion', 9],
    ],
  );
  // Expected classes derived here: each advertiser's skew is the median of its advert skews
  // (advert clock − receive time; one observation each, all within 24 h and ≤ 5 adverts), and the
  // fixture clocks are 46..1232 days behind: < 365 d -> absurd, otherwise no_clock.
  const skews = new Map<string, number[]>();
  const rx = new Map(rec.observations.map((o) => [o.transmissionId, o.rxMs]));
  for (const t of rec.transmissions) {
    if (t.payloadType !== 4 || !t.fromPubkey) continue;
    const adv = (JSON.parse(t.decodedJson) as { timestamp: number }).timestamp;
    skews.set(t.fromPubkey, [...(skews.get(t.fromPubkey) ?? []), adv - rx.get(t.id)! / 1000]);
  }
  const role = new Map(rec.nodes.map((n) => [n.publicKey, n.role]));
  const want = new Map<string, { absurd: number; noClock: number }>();
  for (const [pk, v] of skews) {
    v.sort((a, b) => a - b);
    const m = v.length % 2 ? v[v.length >> 1] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    assert.ok(m < -46 * 86400 && m > -1233 * 86400);
    const w = want.get(role.get(pk)!) ?? { absurd: 0, noClock: 0 };
    if (-m < 365 * 86400) w.absurd++;
    else w.noClock++;
    want.set(role.get(pk)!, w);
  }
  for (const r of res.roles) {
    const w = want.get(r.role)!;
    assert.deepEqual(
      [
        r.withSkew,
        r.absurdCount,
        r.noClockCount,
        r.okCount + r.warningCount + r.criticalCount + r.bimodalCount,
      ],
      [w.absurd + w.noClock, w.absurd, w.noClock, 0],
      r.role,
    );
  }
  // The spec's withSkew 76 / 9 / 5 (distinct advertisers per role) holds with advertiser attribution.
  assert.deepEqual(
    res.roles.map((r) => r.withSkew),
    [76, 9, 5],
  );
});
