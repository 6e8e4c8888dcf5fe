import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeHashSizes } from '../../src/analytics/compute/hash-sizes.js';
import { DEFAULT_QUERY } from '../../src/analytics/shared/query.js';
import { loadFixtureRecords, FIXTURE_NOW_MS } from '../support/fixture.js';
import { recordsInput } from '../../src/analytics/inputs/records-input.js';
import { StoreBuilder, T0 } from './clock-skew-store.js';

const H = 3600_000;

function store() {
  const s = new StoreBuilder();
  const r1 = s.node('a1', 'repeater', { name: 'R1' });
  const r2 = s.node('b2c3', 'repeater', { name: 'R2' });
  const comp = s.node('c4', 'companion', { name: 'C' });
  s.observer('OS', 'SJC');
  s.observer('OO', 'OAK');
  // 1. R1 flood advert, 2 one-byte hops (A1, B2), hour T0.
  const t1 = s.tx({ payloadType: 4, from: r1, advertSec: 1, hops: ['A1', 'B2'], firstSeenMs: T0 });
  s.obs(t1, 'OS', T0, null, ['A1', 'B2']);
  // 2. R2 flood advert with 2-byte hops (B2C3), hour T0+1h: R2's size is 2.
  const t2 = s.tx({ payloadType: 4, from: r2, advertSec: 1, hops: ['B2C3'], firstSeenMs: T0 + H });
  s.obs(t2, 'OO', T0 + H, null, ['B2C3']);
  // 3. R2 zero-hop direct advert (size bits unreliable: hashSize 3 ignored), heard in SJC -> home SJC.
  const t3 = s.tx({
    payloadType: 4,
    routeType: 2,
    from: r2,
    advertSec: 1,
    hashSize: 3,
    firstSeenMs: T0 + 2 * H,
  });
  s.obs(t3, 'OS', T0 + 2 * H);
  // 4. A TXT_MSG with 3 one-byte hops, hour T0+1h.
  const t4 = s.tx({ payloadType: 2, hops: ['A1', 'A1', 'C4'], firstSeenMs: T0 + H });
  s.obs(t4, 'OO', T0 + H, null, ['A1', 'A1', 'C4']);
  // 5. A zero-hop TXT_MSG (no hops): not counted in total.
  const t5 = s.tx({ payloadType: 2, firstSeenMs: T0 });
  s.obs(t5, 'OS', T0);
  // 6. A TRACE with 2-byte header size: must not give C4.. "path" evidence.
  const t6 = s.tx({ payloadType: 9, hops: ['C400'], firstSeenMs: T0 });
  s.obs(t6, 'OS', T0, null, ['C400']);
  return { s, r1, r2, comp };
}

test('hash sizes: distribution, hourly, top hops, multi-byte nodes, capability (worked by hand)', () => {
  const { s, r1, r2, comp } = store();
  const res = computeHashSizes(s.build(T0 + 86400_000), DEFAULT_QUERY);
  // Txs with ≥1 hop: #1 (size 1), #2 (size 2), #4 (size 1), #6 (size 2) -> total 4.
  assert.equal(res.total, 4);
  assert.deepEqual(res.distribution, { '1': 2, '2': 2, '3': 0 });
  // Hours: T0 has #1 and #6; T0+1h has #2 and #4.
  assert.deepEqual(res.hourly, [
    { hour: '2026-05-01T00', '1': 1, '2': 1, '3': 0 },
    { hour: '2026-05-01T01', '1': 1, '2': 1, '3': 0 },
  ]);
  // Hop tallies: A1 ×3 (1 + 2), B2 ×1, B2C3 ×1, C4 ×1, C400 ×1; candidates are repeaters/rooms only.
  assert.deepEqual(
    res.topHops.map((h) => [h.hex, h.size, h.count, h.pubkey]),
    [
      ['A1', 1, 3, r1],
      ['B2', 1, 1, r2],
      ['B2C3', 2, 1, r2],
      ['C4', 1, 1, null],
      ['C400', 2, 1, null],
    ],
  );
  // R1 size 1, R2 size 2 (its zero-hop advert's size 3 ignored); both repeaters.
  assert.deepEqual(res.distributionByRepeaters, { '1': 1, '2': 1, '3': 0 });
  assert.deepEqual(
    res.multiByteNodes.map((m) => [m.pubkey, m.hashSize, m.packets]),
    [[r2, 2, 2]],
  );
  assert.equal(res.attributionMethod, 'observer');
  const cap = Object.fromEntries(
    res.multiByteCapability.map((c) => [c.pubkey, [c.status, c.evidence, c.maxHashSize]]),
  );
  // R2 confirmed by its advert; R1 "A1" only seen as a 1-byte hop -> unknown; C4.. only in a TRACE -> unknown.
  assert.deepEqual(cap[r2], ['confirmed', 'advert', 2]);
  assert.deepEqual(cap[r1], ['unknown', null, 1]);
  assert.deepEqual(cap[comp], ['unknown', null, 1]);
  assert.equal(res.multiByteCapability[0].pubkey, r2);
});

test('hash sizes: region keeps txs heard there plus adverts of home-region nodes; unknown region is empty', () => {
  const { s, r2 } = store();
  const input = s.build(T0 + 86400_000);
  // SJC observer heard #1, #3 (zero-hop: no hop), #5, #6; R2's advert #2 (heard in OAK) is kept
  // because R2's home region is SJC. Counted: #1 (1), #2 (2), #6 (2).
  const sjc = computeHashSizes(input, { ...DEFAULT_QUERY, regions: ['SJC'] });
  assert.equal(sjc.total, 3);
  assert.deepEqual(sjc.distribution, { '1': 1, '2': 2, '3': 0 });
  assert.equal(sjc.attributionMethod, 'repeater');
  assert.deepEqual(
    sjc.multiByteNodes.map((m) => m.pubkey),
    [r2],
  );
  // OAK: #2 and #4 heard there; R2's home is SJC, so it is dropped from multiByteNodes.
  const oak = computeHashSizes(input, { ...DEFAULT_QUERY, regions: ['OAK'] });
  assert.deepEqual(oak.distribution, { '1': 1, '2': 1, '3': 0 });
  assert.deepEqual(oak.multiByteNodes, []);
  const none = computeHashSizes(input, { ...DEFAULT_QUERY, regions: ['XXX'] });
  assert.equal(none.total, 0);
  assert.deepEqual(none.hourly, []);
});

test('hash sizes on the fixture: hop sizes match the README (461 / 37 / 1 frames by size)', () => {
  const rec = loadFixtureRecords();
  const res = computeHashSizes(recordsInput(rec, FIXTURE_NOW_MS), DEFAULT_QUERY);
  // Expected: frames whose path byte has ≥ 1 hop, counted by size, derived here from raw_hex
  // (offset 1 on these non-transport routes). Reserved size 4 frames are skipped.
  const want = { '1': 0, '2': 0, '3': 0 } as Record<string, number>;
  for (const t of rec.transmissions) {
    const pb = parseInt(t.rawHex.slice(2, 4), 16);
    const size = (pb >> 6) + 1;
    if ((pb & 0x3f) > 0 && size <= 3) want[size]++;
  }
  assert.deepEqual(res.distribution, want);
  assert.equal(res.total, want['1'] + want['2'] + want['3']);
  // Sanity against the README's 461/37/1 split (which includes zero-hop frames).
  assert.ok(want['1'] <= 461 && want['2'] <= 37 && want['3'] <= 1);
  assert.equal(res.multiByteCapability.length, 200);
  // Every hourly bucket lies on 2026-05-17 16h..18h (first_seen range of the fixture).
  assert.deepEqual(
    res.hourly.map((h) => h.hour),
    ['2026-05-17T16', '2026-05-17T17', '2026-05-17T18'],
  );
});
