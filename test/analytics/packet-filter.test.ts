// The packet-filter scan (compute/packet-filter.ts) over a hand-built store read through a
// StoreView, as a worker reads it: observation fields come from the display observation
// (longest path), routed_through resolves unique relay prefixes only, transport codes come
// from the raw bytes, payload.* from the stored decoded JSON. And the match-list cache.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { StoreView } from '../../src/store/memory/reader.js';
import { computePacketFilter } from '../../src/analytics/compute/packet-filter.js';
import { FilterCache, type FilterMatch } from '../../src/analytics/engine/filter-cache.js';
import { parseFilter } from '../../src/protocol/filter/index.js';
import {
  nodeRecord,
  observationRecord,
  observerRecord,
  transmissionRecord,
} from '../support/store-builders.js';

const T0 = Date.parse('2026-05-01T00:00:00Z');
const key = (prefix: string) => (prefix + '0'.repeat(64)).slice(0, 64);
const R1 = key('a1b2'); // relay, the only one with 2-byte prefix A1B2
const R2 = key('a1ff'); // relay sharing the 1-byte prefix A1
const C1 = key('c3d4'); // a companion: never a relay
const R3 = key('e5f6'); // relay, but blacklisted

function scenario() {
  const store = new MemoryStore();
  store.upsertNode(nodeRecord(R1, T0, { role: 'repeater', name: 'R1' }));
  store.upsertNode(nodeRecord(R2, T0, { role: 'repeater', name: 'R2' }));
  store.upsertNode(nodeRecord(C1, T0, { role: 'companion', name: 'C1' }));
  store.upsertNode(nodeRecord(R3, T0, { role: 'repeater', name: 'R3' }));
  store.upsertObserver(observerRecord('OBS1', T0, { name: 'SJC-One', iata: 'SJC' }));
  store.upsertObserver(observerRecord('OBS2', T0, { name: 'Oak', iata: 'OAK' }));
  // 1: transport flood with codes AABB / CCDD; heard twice, the 2-hop sighting is the one shown.
  store.appendTransmission(transmissionRecord(1, 5, '14AABBCCDD00DEADBEEF', T0, { routeType: 0 }));
  store.appendObservation(observationRecord(1, 1, 'OBS1', T0, { snr: 4, rssi: -80, path: ['A1'] }));
  store.appendObservation(
    observationRecord(2, 1, 'OBS2', T0 + 1, { snr: 9, rssi: -95, path: ['A1B2', 'C3D4'] }),
  );
  // 2: an advert with a location, through the blacklisted relay only.
  const advert = '{"type":"ADVERT","name":"Gilroy Rpt","flags":{"hasLocation":true,"room":false}}';
  store.appendTransmission(transmissionRecord(2, 4, '1100CAFE', T0 + 3_600_000, { decodedJson: advert }));
  store.appendObservation(observationRecord(3, 2, 'OBS1', T0 + 3_600_000, { snr: -3, path: ['E5F6'] }));
  // 3: never observed.
  store.appendTransmission(transmissionRecord(3, 3, '0D00', T0 + 7_200_000));
  return store;
}

function match(store: MemoryStore, filter: string, nowMs = T0 + 7_200_000): number[] {
  const r = parseFilter(filter);
  if (!r.ok) assert.fail(r.error.message);
  const { handle, port, close } = store.connectReader();
  try {
    const view = new StoreView(handle, port);
    const counts = view.refresh();
    const visibility = { nodeBlacklist: [R3], hiddenNamePrefixes: [] };
    return [...computePacketFilter(view, counts, r.ast, nowMs, visibility).ids];
  } finally {
    close();
  }
}

test('fields of the scan: display observation, relays, transport codes, payload, time', () => {
  const store = scenario();
  const cases: Array<[string, number[]]> = [
    ['snr > 5', [1]], // the 2-hop sighting (snr 9), not the first one (snr 4)
    ['snr < 5', [2]],
    ['!(snr < 100)', [3]], // no observation: every comparison is false
    ['hops == 2', [1]],
    ['hops == 0', [3]],
    ['observer == oak && iata == OAK && observer_id == obs2', [1]],
    ['path == "A1B2 → C3D4"', [1]],
    ['path_prefixes contains "e5"', [2]],
    [`routed_through == ${'"' + R1 + '"'}`, [1]], // A1B2 is R1; C3D4 is no relay
    ['routed_through contains "a1ff"', []], // the 1-byte A1 sighting is not the shown one
    ['routed_through', [1]], // R3 is blacklisted, so 2 resolves to nothing
    ['transport && code1 == aabb_', []],
    ['code1 == "AABB" && code2 == "ccdd"', [1]],
    ['code1', [1]],
    ['route == t_flood', [1]],
    ['type == "channel msg" || type == ack', [3, 1]],
    ['payload.flags.hasLocation && payload.name contains "gilroy"', [2]],
    ['payload.flags.room', []],
    ['payload.flags.room == false', [2]],
    ['size == 10 && payload_bytes == 8 && payload_hex starts_with "bbcc"', [1]], // as the reference: raw minus 2 bytes,
    ['raw ends_with "cafe"', [2]],
    ['observations == 2', [1]],
    ['age < 90m', [3, 2]],
    ['time after "2026-05-01T00:30:00Z"', [3, 2]],
    ['time between 1777593600 1777597200', [2, 1]], // epoch seconds: T0 .. T0 + 1 h
    ['hash == "0000000000000002"', [2]],
  ];
  for (const [filter, want] of cases) assert.deepEqual(match(store, filter), want, filter);
});

const m = (dataVersion: number, ids: number[] = [dataVersion]): FilterMatch => ({
  ids: Uint32Array.from(ids),
  dataVersion,
  computedAtMs: 0,
  durationMs: 0,
  scanned: ids.length,
});

test('match cache: one scan per filter and data version, shared in flight, reused briefly, bounded', async () => {
  let now = 0;
  const cache = new FilterCache(2, 1000, () => now);
  let scans = 0;
  const scan = (v: number) => () => {
    scans++;
    return Promise.resolve(m(v));
  };
  // Concurrent requests share one scan.
  const [a, b] = await Promise.all([cache.get('f', 1, scan(1)), cache.get('f', 1, scan(1))]);
  assert.equal(a, b);
  assert.equal(scans, 1);
  // Same version: a hit, whenever.
  now = 10_000;
  assert.equal(await cache.get('f', 1, scan(1)), a);
  assert.equal(scans, 1);
  // New data: reused within the window after the scan, rescanned after it.
  now = 0;
  const c2 = new FilterCache(2, 1000, () => now);
  await c2.get('f', 1, scan(1));
  now = 500;
  assert.equal((await c2.get('f', 2, scan(2))).dataVersion, 1);
  now = 1500;
  assert.equal((await c2.get('f', 2, scan(2))).dataVersion, 2);
  // Bounded: the least recently used filter goes first.
  await c2.get('g', 2, scan(2));
  await c2.get('h', 2, scan(2));
  const before = scans;
  await c2.get('f', 2, scan(2));
  assert.equal(scans, before + 1, 'f was evicted');
  // A failed scan is not kept.
  await assert.rejects(c2.get('x', 2, () => Promise.reject(new Error('boom'))));
  await new Promise((r) => setImmediate(r));
  assert.equal((await c2.get('x', 2, scan(2))).dataVersion, 2);
});
