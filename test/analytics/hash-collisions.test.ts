import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeHashCollisions, haversineKm } from '../../src/analytics/compute/hash-collisions.js';
import { DEFAULT_QUERY } from '../../src/analytics/shared/query.js';
import { recordsInput } from '../../src/analytics/inputs/records-input.js';
import { loadFixtureRecords, FIXTURE_NOW_MS } from '../support/fixture.js';
import { StoreBuilder, T0 } from './clock-skew-store.js';

/** A node that advertised once (flood, 1 hop of `size` bytes) so its hash size is `size`. */
function sized(
  s: StoreBuilder,
  prefix: string,
  role: string,
  size: number,
  lat: number | null,
  lon: number | null,
) {
  const pk = s.node(prefix, role, { lat, lon });
  const t = s.tx({ payloadType: 4, from: pk, advertSec: 1, hops: ['AB'.repeat(size)], firstSeenMs: T0 });
  s.obs(t, 'O1', T0, null, ['AB'.repeat(size)]);
  return pk;
}

test('collisions: planted shared prefixes, classification by distance, roles and sizes (worked by hand)', () => {
  const s = new StoreBuilder();
  s.observer('O1');
  // 1-byte repeaters: two share "AA" 0.1° of latitude apart (≈ 11 km -> local); two share "BB",
  // one without position -> incomplete. A companion "AA" is ignored (#441).
  const aa1 = sized(s, 'aa11', 'repeater', 1, 37.0, -122.0);
  const aa2 = sized(s, 'aa22', 'repeater', 1, 37.1, -122.0);
  sized(s, 'aa33', 'companion', 1, 37.2, -122.0);
  const bb1 = sized(s, 'bb11', 'repeater', 1, 37.0, -122.0);
  sized(s, 'bb22', 'repeater', 1, null, null);
  // 2-byte repeaters sharing "CCDD", 1.5° apart (≈ 167 km -> regional); a 2-byte "AA" repeater,
  // which also answers to "AA" on 1-byte paths.
  sized(s, 'ccdd01', 'repeater', 2, 37.0, -122.0);
  sized(s, 'ccdd02', 'repeater', 2, 38.5, -122.0);
  const aa2b = sized(s, 'aa44', 'repeater', 2, 40.0, -122.0);
  // A repeater with no recent advert (hash_size 0) is not in any size space.
  s.node('aa55', 'repeater');
  const res = computeHashCollisions(s.build(T0 + 86400_000), DEFAULT_QUERY);

  const one = res.by_size['1'];
  // 1-byte space: AA {aa11, aa22, aa44(2-byte)}, BB {bb11, bb22}, CC {ccdd01, ccdd02}.
  // AA: max distance aa11-aa44 = 3° ≈ 333.6 km -> distant; CC: 1.5° ≈ 166.8 km -> regional; BB incomplete.
  assert.deepEqual(
    one.collisions.map((c) => [c.prefix, c.appearances, c.classification, c.with_coords]),
    [
      ['CC', 2, 'regional', 2],
      ['AA', 3, 'distant', 3],
      ['BB', 2, 'incomplete', 1],
    ],
  );
  assert.equal(one.collisions[1].max_dist_km, Math.round(haversineKm(37, -122, 40, -122) * 10) / 10);
  assert.deepEqual(
    one.collisions[1].nodes.map((n) => n.public_key),
    [aa1, aa2, aa2b],
  );
  assert.deepEqual(one.stats, {
    total_nodes: 9,
    nodes_for_byte: 7,
    using_this_size: 5, // any role with size 1: aa11, aa22, aa33 (companion), bb11, bb22
    unique_prefixes: 3,
    collision_count: 3,
    space_size: 256,
    pct_used: 1.17, // 3 / 256 · 100
  });
  // The matrix shows exactly the list's nodes.
  assert.equal(one.one_byte_cells!['AA'].length, 3);
  assert.equal(one.one_byte_cells!['BB'][0].public_key, bb1);
  assert.equal(Object.keys(one.one_byte_cells!).length, 256);

  const two = res.by_size['2'];
  assert.deepEqual(
    two.collisions.map((c) => [c.prefix, c.classification]),
    [['CCDD', 'regional']],
  );
  assert.equal(two.stats.unique_prefixes, 2); // CCDD, AA44
  assert.deepEqual(
    [two.two_byte_cells!['CC'].max_collision, two.two_byte_cells!['CC'].collision_count],
    [2, 1],
  );
  assert.equal(res.by_size['3'].stats.nodes_for_byte, 0);
  assert.deepEqual(res.inconsistent_nodes, []);
});

test('collisions: unknown region keeps no node; area keeps positioned nodes inside', () => {
  const s = new StoreBuilder();
  s.observer('O1', 'SJC');
  sized(s, 'aa11', 'repeater', 1, 37.0, -122.0);
  sized(s, 'aa22', 'repeater', 1, 45.0, -122.0);
  const input = s.build(T0 + 86400_000);
  assert.equal(
    computeHashCollisions(input, { ...DEFAULT_QUERY, regions: ['ZZZ'] }).by_size['1'].stats.total_nodes,
    0,
  );
  assert.equal(
    computeHashCollisions(input, { ...DEFAULT_QUERY, regions: ['SJC'] }).by_size['1'].stats.total_nodes,
    2,
  );
  const area = {
    key: 'a',
    polygon: [
      [36, -123],
      [38, -123],
      [38, -121],
      [36, -121],
    ] as Array<[number, number]>,
  };
  const res = computeHashCollisions(input, { ...DEFAULT_QUERY, area });
  assert.equal(res.by_size['1'].stats.total_nodes, 1);
  assert.equal(res.by_size['1'].stats.collision_count, 0);
});

test('collisions: a node whose size alternates 1,2,1,2 is inconsistent; one settled on 2 is not', () => {
  const s = new StoreBuilder();
  s.observer('O1');
  const flip = s.node('f1', 'repeater');
  const settled = s.node('f2', 'repeater');
  [1, 2, 1, 2].forEach((size, k) => {
    const t = s.tx({
      payloadType: 4,
      from: flip,
      advertSec: 1,
      hops: ['AB'.repeat(size)],
      firstSeenMs: T0 + k * 1000,
    });
    s.obs(t, 'O1', T0 + k * 1000);
  });
  [1, 2, 2, 2].forEach((size, k) => {
    const t = s.tx({
      payloadType: 4,
      from: settled,
      advertSec: 1,
      hops: ['AB'.repeat(size)],
      firstSeenMs: T0 + k * 1000,
    });
    s.obs(t, 'O1', T0 + k * 1000);
  });
  const res = computeHashCollisions(s.build(T0 + 86400_000), DEFAULT_QUERY);
  assert.deepEqual(
    res.inconsistent_nodes.map((n) => [n.public_key, n.hash_size, n.hash_sizes_seen]),
    [[flip, 2, [1, 2]]],
  );
});

test('collisions on the fixture: expected values derived from the records', () => {
  const rec = loadFixtureRecords();
  const res = computeHashCollisions(recordsInput(rec, FIXTURE_NOW_MS), DEFAULT_QUERY);
  // Latest non-zero-hop advert size per advertiser (all fixture adverts are within 7 days of "now").
  const latest = new Map<string, [number, number]>();
  for (const t of rec.transmissions) {
    if (t.payloadType !== 4 || !t.fromPubkey) continue;
    const pb = parseInt(t.rawHex.slice(2, 4), 16);
    if ((t.routeType === 2 || t.routeType === 3) && (pb & 0x3f) === 0) continue;
    const prev = latest.get(t.fromPubkey);
    if (!prev || t.firstSeenMs >= prev[0]) latest.set(t.fromPubkey, [t.firstSeenMs, (pb >> 6) + 1]);
  }
  const role = new Map(rec.nodes.map((n) => [n.publicKey, n.role]));
  const sizeOf = (size: number) => [...latest].filter(([, v]) => v[1] === size).map(([k]) => k);
  const repeatersSized = [...latest.keys()].filter((k) => role.get(k) === 'repeater');
  assert.equal(res.by_size['1'].stats.total_nodes, 200);
  assert.equal(res.by_size['1'].stats.using_this_size, sizeOf(1).length);
  assert.equal(res.by_size['2'].stats.using_this_size, sizeOf(2).length);
  assert.equal(res.by_size['1'].stats.nodes_for_byte, repeatersSized.length);
  const firstBytes = new Set(repeatersSized.map((k) => k.slice(0, 2)));
  assert.equal(res.by_size['1'].stats.unique_prefixes, firstBytes.size);
  assert.equal(
    res.by_size['1'].collisions.reduce((n, c) => n + c.appearances, 0),
    repeatersSized.length - firstBytes.size + res.by_size['1'].stats.collision_count,
  );
});
