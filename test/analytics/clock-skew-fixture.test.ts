import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeNodeClockSkew, computeNodesClockSkew } from '../../src/analytics/compute/clock-skew-nodes.js';
import { computeObserversClockSkew } from '../../src/analytics/compute/clock-skew-observers.js';
import { DEFAULT_QUERY } from '../../src/analytics/shared/query.js';
import { recordsInput } from '../../src/analytics/inputs/records-input.js';
import { loadFixtureRecords, FIXTURE_NOW_MS } from '../support/fixture.js';

const input = () => recordsInput(loadFixtureRecords(), FIXTURE_NOW_MS);

test('fixture observers clock skew: the one advert seen twice, by the same observer (spec §6.3)', () => {
  // Transmission 85 (an ADVERT) has two identical observations from one observer at the same
  // second and no uploader stamps: median = that second, deviations 0 and 0 -> offset 0 from 2.
  assert.deepEqual(computeObserversClockSkew(input(), DEFAULT_QUERY), [
    {
      observerID: '45968B2EF0766C448F9F2AF59D796A0B3249DAE9B3731C7BB379D2A992535373',
      observerName: 'DntnMarina Rptr mrymesh.net',
      offsetSec: 0,
      samples: 2,
      method: 'ingest-latency',
    },
  ]);
});

test('fixture nodes clock skew: one entry per advertiser (90), none healthy; spec §6.5 example node', () => {
  const rec = loadFixtureRecords();
  const fleet = computeNodesClockSkew(input(), DEFAULT_QUERY);
  const advertisers = new Set(rec.transmissions.filter((t) => t.payloadType === 4).map((t) => t.fromPubkey));
  assert.equal(fleet.length, advertisers.size);
  assert.equal(fleet.length, 90);
  assert.ok(fleet.every((f) => f.severity === 'absurd' || f.severity === 'no_clock'));
  // Spec §6.5 node: advert clock 1774805580 heard at 1779041263 -> −4 235 683 s (49 days) -> absurd
  // (CoreScope: no_clock, with −4235682.8 from its biased rounding).
  const n = fleet.find((f) => f.pubkey.startsWith('300ddc9e'))!;
  assert.deepEqual(
    [
      n.recentMedianSkewSec,
      n.lastSkewSec,
      n.severity,
      n.sampleCount,
      n.lastAdvertTS,
      n.lastObservedTS,
      n.nodeRole,
    ],
    [-4235683, -4235683, 'absurd', 1, 1774805580, 1779041263, 'repeater'],
  );
  const detail = computeNodeClockSkew(input(), n.pubkey.toUpperCase());
  assert.ok(detail);
  assert.deepEqual(detail.samples, [{ ts: 1779041263, skew: -4235683 }]);
  assert.equal(detail.recentHashEvidence[0].observers.length, 1);
  // A node that never advertised (only relayed or unseen) -> null (404).
  const silent = rec.nodes.find((x) => !advertisers.has(x.publicKey))!;
  assert.equal(computeNodeClockSkew(input(), silent.publicKey), null);
});
