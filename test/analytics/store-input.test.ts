// StoreInput (AnalyticsInput over the shared-memory store) against the records-input oracle:
// both built from the same fixture rows; every accessor on every row must agree, and every
// analytic must give the same answer through both. Run on default chunk sizes and on tiny
// chunks so rows, heap entries and hops cross chunk boundaries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { StoreInput } from '../../src/analytics/inputs/store-input.js';
import { recordsInput } from '../../src/analytics/inputs/records-input.js';
import { QUARTER_NULL, type AnalyticsInput } from '../../src/analytics/inputs/input.js';
import { scanObservations } from '../../src/analytics/shared/best-observation.js';
import { buildPathContext } from '../../src/analytics/shared/path-context.js';
import { DEFAULT_QUERY, type AnalyticsQuery } from '../../src/analytics/shared/query.js';
import { ANALYTICS, lazyContext } from '../../src/analytics/registry.js';
import { computeNodeClockSkew } from '../../src/analytics/compute/clock-skew-nodes.js';
import { fixtureRecords, loadInto, type LoadedRecords } from '../support/fixture.js';

const NOW = Date.parse('2026-05-17T18:13:27Z');
const TINY = {
  chunkRows: { tx: 16, obs: 32, nodes: 8, observers: 4 },
  heapChunkBytes: { raw: 1024, json: 1 << 14, path: 256 },
};

/**
 * The records as the store holds them: an observation earlier than its transmission's
 * first_seen lowers it (MemoryStore.appendObservation; the fixture's re-stamped observation
 * times do this), so the oracle gets the same first/last seen.
 */
function asStored(records: LoadedRecords): LoadedRecords {
  const seen = new Map<number, [number, number]>();
  for (const t of records.transmissions) seen.set(t.id, [t.firstSeenMs, t.lastSeenMs]);
  for (const o of records.observations) {
    const s = seen.get(o.transmissionId);
    if (s) seen.set(o.transmissionId, [Math.min(s[0], o.rxMs), Math.max(s[1], o.rxMs)]);
  }
  return {
    ...records,
    transmissions: records.transmissions.map((t) => ({
      ...t,
      hash: t.hash.toLowerCase(), // the record contract (records.ts) is lowercase; the fixture has some uppercase
      firstSeenMs: seen.get(t.id)![0],
      lastSeenMs: seen.get(t.id)![1],
    })),
  };
}

function same(a: number, b: number): boolean {
  return Number.isNaN(a) ? Number.isNaN(b) : a === b;
}

function compareInputs(s: AnalyticsInput, r: AnalyticsInput): number {
  let checks = 0;
  const eq = (what: string, a: unknown, b: unknown) => {
    checks++;
    if (typeof a === 'number' && typeof b === 'number' ? !same(a, b) : a !== b)
      assert.fail(`${what}: store ${String(a)} != records ${String(b)}`);
  };
  assert.equal(s.tx.count, r.tx.count);
  assert.equal(s.obs.count, r.obs.count);
  assert.equal(s.nodes.count, r.nodes.count);
  assert.equal(s.observers.count, r.observers.count);
  for (let i = 0; i < s.tx.count; i++) {
    for (const k of [
      'id',
      'hash',
      'firstSeenMs',
      'routeType',
      'payloadType',
      'rawLength',
      'pathHashSize',
      'pathHashCount',
      'advertNode',
      'advertTimestampSec',
      'channelHashByte',
      'channelName',
      'decodedJson',
    ] as const) {
      eq(`tx.${k}(${i})`, s.tx[k](i), r.tx[k](i));
    }
  }
  for (let i = 0; i < s.obs.count; i++) {
    for (const k of [
      'txRow',
      'observer',
      'rxMs',
      'uploaderMs',
      'snr',
      'rssi',
      'hopSize',
      'hopCount',
    ] as const) {
      eq(`obs.${k}(${i})`, s.obs[k](i), r.obs[k](i));
    }
    for (let h = 0; h < s.obs.hopCount(i); h++) {
      eq(`obs.hop(${i},${h})`, s.obs.hop(i, h), r.obs.hop(i, h));
      eq(`obs.hopCode(${i},${h})`, s.obs.hopCode(i, h), r.obs.hopCode(i, h));
    }
  }
  for (let i = 0; i < s.nodes.count; i++) {
    for (const k of [
      'publicKey',
      'name',
      'role',
      'lat',
      'lon',
      'advertCount',
      'firstSeenMs',
      'lastSeenMs',
    ] as const) {
      eq(`nodes.${k}(${i})`, s.nodes[k](i), r.nodes[k](i));
    }
  }
  for (let i = 0; i < s.observers.count; i++) {
    for (const k of ['id', 'name', 'iata'] as const)
      eq(`observers.${k}(${i})`, s.observers[k](i), r.observers[k](i));
  }
  return checks;
}

for (const [label, options] of [
  ['default chunks', {}],
  ['tiny chunks', TINY],
] as const) {
  test(`store input agrees with records input on every accessor of the fixture (${label})`, () => {
    const records = fixtureRecords();
    const store = new MemoryStore(options);
    loadInto(store, records);
    const s = new StoreInput(store.view()).snapshot(NOW);
    const r = recordsInput(asStored(records), NOW);
    // The fixture: 499 transmissions, 500 observations, 200 nodes, 31 observers (spec §0).
    assert.deepEqual(s.counts, { tx: 499, obs: 500, nodes: 200, observers: 31 });
    const checks = compareInputs(s, r);
    assert.ok(checks > 499 * 13 + 500 * 8, `compared ${checks} values`);
    // The fixture does exercise the derived columns: adverts with clocks, group channel bytes, hops.
    let adverts = 0;
    let channels = 0;
    let hops = 0;
    for (let i = 0; i < s.tx.count; i++) {
      if (!Number.isNaN(s.tx.advertTimestampSec(i))) adverts++;
      if (s.tx.channelHashByte(i) >= 0) channels++;
    }
    for (let i = 0; i < s.obs.count; i++) hops += s.obs.hopCount(i);
    assert.ok(
      adverts > 50 && channels > 50 && hops > 1000,
      `${adverts} adverts, ${channels} channels, ${hops} hops`,
    );
  });
}

/** The fixture (whose observers send no clock) with uploader stamps from every other observer. */
function withUploaderStamps(records: LoadedRecords): LoadedRecords {
  const stamped = new Set(records.observers.filter((_, i) => i % 2 === 0).map((o) => o.id));
  return {
    ...records,
    observations: records.observations.map((o, i) => ({
      ...o,
      // Whole ms, so the store's f32 delta column holds them exactly.
      uploaderMs: stamped.has(o.observerId) ? o.rxMs + 30_000 - (i % 7) * 250 : null,
    })),
  };
}

for (const [label, options] of [
  ['default chunks', {}],
  ['tiny chunks', TINY],
] as const) {
  test(`store spans tile the observations and hold what the accessors return (${label})`, () => {
    const records = withUploaderStamps(fixtureRecords());
    const store = new MemoryStore(options);
    loadInto(store, records);
    const s = new StoreInput(store.view()).snapshot(NOW);
    const r = recordsInput(asStored(records), NOW);
    // The records input has no spans, so the oracle test below runs the accessor scans.
    assert.equal(r.obs.spans, undefined);
    const spans = s.obs.spans!();
    assert.ok(label === 'default chunks' ? spans.length === 1 : spans.length > 2, `${spans.length} spans`);
    const quarter = (q: number) => (q === QUARTER_NULL ? NaN : q / 4);
    let next = 0;
    let missingSnr = 0;
    let uploaderStamped = 0;
    for (const sp of spans) {
      assert.equal(sp.start, next);
      assert.ok(sp.end > sp.start);
      for (let row = sp.start; row < sp.end; row++) {
        const i = row - sp.start;
        assert.equal(sp.txRow[i], r.obs.txRow(row), `txRow(${row})`);
        assert.equal(sp.observer[i], r.obs.observer(row), `observer(${row})`);
        assert.equal(sp.rxMs[i], r.obs.rxMs(row), `rxMs(${row})`);
        assert.equal(sp.hopCount[i], r.obs.hopCount(row), `hopCount(${row})`);
        assert.deepEqual(quarter(sp.snrQ[i]), r.obs.snr(row), `snr(${row})`);
        assert.deepEqual(quarter(sp.rssiQ[i]), r.obs.rssi(row), `rssi(${row})`);
        assert.deepEqual(sp.rxMs[i] + sp.uploaderDeltaMs[i], r.obs.uploaderMs(row), `uploaderMs(${row})`);
        if (Number.isFinite(sp.uploaderDeltaMs[i])) uploaderStamped++;
        if (sp.snrQ[i] === QUARTER_NULL) missingSnr++;
      }
      next = sp.end;
    }
    assert.equal(next, s.obs.count);
    assert.ok(missingSnr > 0, 'the fixture has observations without SNR');
    assert.ok(uploaderStamped > 0 && uploaderStamped < s.obs.count, `${uploaderStamped} uploader times`);
    // The span scans and the accessor scans pick the same best and first observations.
    const region = new Uint8Array(s.observers.count).map((_, i) => i % 3);
    assert.deepEqual(scanObservations(s, region), scanObservations(r, region));
    const ps = buildPathContext(s);
    const pr = buildPathContext(r);
    assert.deepEqual([ps.best, ps.firstObs], [pr.best, pr.firstObs]);
    // The uploader-clock calibration scans spans too: every analytic still agrees.
    for (const spec of ANALYTICS) {
      assert.deepEqual(
        spec.compute(s, DEFAULT_QUERY, lazyContext(s)),
        spec.compute(r, DEFAULT_QUERY, lazyContext(r)),
      );
    }
    const observerSkew = ANALYTICS.find((a) => a.name === 'observers-clock-skew')!;
    const methods = JSON.stringify(observerSkew.compute(s, DEFAULT_QUERY, lazyContext(s)));
    assert.ok(methods.includes('uploader-clock'), methods.slice(0, 200));
  });
}

test('every analytic gives the same answer through the store and through records', () => {
  const records = fixtureRecords();
  const store = new MemoryStore(TINY);
  loadInto(store, records);
  const s = new StoreInput(store.view()).snapshot(NOW);
  const r = recordsInput(asStored(records), NOW);
  const iata = records.observers.find((o) => o.iata)!.iata!;
  const queries: AnalyticsQuery[] = [
    DEFAULT_QUERY,
    { regions: [iata.trim().toUpperCase()], fromMs: null, toMs: null, area: null },
    { regions: null, fromMs: NOW - 3_600_000, toMs: null, area: null },
  ];
  for (const spec of ANALYTICS) {
    for (const q of queries) {
      const a = spec.compute(s, q, lazyContext(s));
      const b = spec.compute(r, q, lazyContext(r));
      assert.deepEqual(a, b, `${spec.name} ${JSON.stringify(q)}`);
    }
  }
  const withClock = records.transmissions.find((t) => t.payloadType === 4 && t.fromPubkey)!.fromPubkey!;
  const node = computeNodeClockSkew(s, withClock);
  assert.ok(node !== null);
  assert.deepEqual(node, computeNodeClockSkew(r, withClock));
});

test('a snapshot never shows an observation whose transmission it cannot see', () => {
  const records = fixtureRecords();
  const store = new MemoryStore(TINY);
  const input = new StoreInput(store.view());
  for (const o of records.observers) store.upsertObserver(o);
  for (const n of records.nodes) store.upsertNode(n);
  const obsByTx = new Map<number, typeof records.observations>();
  for (const o of records.observations)
    obsByTx.set(o.transmissionId, [...(obsByTx.get(o.transmissionId) ?? []), o]);
  let seen = 0;
  for (const t of records.transmissions) {
    store.appendTransmission(t);
    for (const o of obsByTx.get(t.id) ?? []) store.appendObservation(o);
    if (t.id % 37 === 0) {
      const snap = input.snapshot(NOW);
      for (let i = 0; i < snap.obs.count; i++) assert.ok(snap.obs.txRow(i) < snap.tx.count);
      assert.equal(snap.tx.count, store.transmissionCount);
      seen++;
    }
  }
  assert.ok(seen > 5);
});
