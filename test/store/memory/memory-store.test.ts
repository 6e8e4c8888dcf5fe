import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MemoryStore } from '../../../src/store/memory/memory-store.js';
import { StoreError } from '../../../src/store/memory/errors.js';
import type { PacketQuery } from '../../../src/store/memory/packet-query.js';
import type { ObservationRecord, TransmissionRecord } from '../../../src/store/records.js';
import { synthesize, type Synth } from './synthetic.js';
import { xorshift32 as rng } from '../../support/store-builders.js';

// Tiny chunks so every scenario crosses many chunk boundaries.
const SMALL = {
  chunkRows: { tx: 16, obs: 32, nodes: 8, observers: 4 },
  heapChunkBytes: { raw: 256, json: 1024, path: 64 },
};

const IATA = ['SEA', 'PDX', null];

interface Loaded {
  store: MemoryStore;
  synth: Synth;
  iata: Map<string, string | null>;
}

function shuffle<T>(a: T[], r: () => number): T[] {
  const out = [...a];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Load a synthetic set in one of several orders; observers get IATA codes before or after. */
function load(seed: number, mode: 'ordered' | 'shuffled' | 'late-iata', n = 120): Loaded {
  const synth = synthesize({ seed, transmissions: n, observationsPerTx: 3, observers: 7, nodes: 20 });
  const store = new MemoryStore(SMALL);
  const iata = new Map(synth.observerIds.map((id, i) => [id, IATA[i % 3]]));
  const upsertObservers = (shift: number) => {
    for (const [i, id] of synth.observerIds.entries()) {
      iata.set(id, IATA[(i + shift) % 3]);
      store.upsertObserver({
        id,
        name: 'obs' + i,
        iata: IATA[(i + shift) % 3],
        firstSeenMs: 1,
        lastSeenMs: 2,
        packetCount: i,
        model: null,
        firmware: 'fw',
        clientVersion: null,
        radio: null,
        batteryMv: 3700,
        uptimeSecs: null,
        noiseFloor: -110.5,
        lastPacketAtMs: null,
        clockSkewSeconds: null,
        clockSkewCount24h: 0,
        clockLastNaiveAtMs: null,
        canRelay: null,
      });
    }
  };
  if (mode !== 'late-iata') upsertObservers(0);
  if (mode === 'shuffled') {
    const r = rng(seed + 1);
    for (const t of shuffle(synth.txs, r)) store.appendTransmission(t);
    for (const o of shuffle(synth.obs, r)) store.appendObservation(o);
  } else {
    const byTx = new Map<number, ObservationRecord[]>();
    for (const o of synth.obs) byTx.set(o.transmissionId, [...(byTx.get(o.transmissionId) ?? []), o]);
    for (const t of synth.txs) {
      store.appendTransmission(t);
      for (const o of byTx.get(t.id) ?? []) store.appendObservation(o);
    }
  }
  if (mode === 'late-iata') {
    upsertObservers(0);
    upsertObservers(1); // IATA changes after observations: region lists must follow
  }
  return { store, synth, iata };
}

/** What the store should report for a transmission once all its observations are in. */
function expectedTx(t: TransmissionRecord, obs: ObservationRecord[]): TransmissionRecord {
  let first = t.firstSeenMs;
  let last = t.lastSeenMs;
  for (const o of obs) {
    first = Math.min(first, o.rxMs);
    last = Math.max(last, o.rxMs);
  }
  return { ...t, rawHex: t.rawHex.toUpperCase(), firstSeenMs: first, lastSeenMs: last };
}

function oracleQuery(l: Loaded, q: PacketQuery): { ids: number[]; total: number } {
  const obsByTx = new Map<number, ObservationRecord[]>();
  for (const o of l.synth.obs) obsByTx.set(o.transmissionId, [...(obsByTx.get(o.transmissionId) ?? []), o]);
  let txs = l.synth.txs.map((t) => expectedTx(t, obsByTx.get(t.id) ?? []));
  const obsOf = (t: TransmissionRecord) => obsByTx.get(t.id) ?? [];
  if (q.types) txs = txs.filter((t) => q.types!.includes(t.payloadType));
  if (q.routes) txs = txs.filter((t) => q.routes!.includes(t.routeType));
  if (q.observers) txs = txs.filter((t) => obsOf(t).some((o) => q.observers!.includes(o.observerId)));
  if (q.regions) {
    const want = q.regions.map((r) => r.toUpperCase());
    txs = txs.filter((t) => obsOf(t).some((o) => want.includes(l.iata.get(o.observerId) ?? '')));
  }
  if (q.node !== undefined) {
    const pk = q.node.toLowerCase();
    txs = txs.filter(
      (t) => t.fromPubkey === pk || obsOf(t).some((o) => o.path.some((h) => pk.startsWith(h.toLowerCase()))),
    );
  }
  if (q.channel !== undefined) txs = txs.filter((t) => t.channelHash === q.channel);
  if (q.hash !== undefined) txs = txs.filter((t) => t.hash === q.hash);
  if (q.sinceMs !== undefined) txs = txs.filter((t) => t.firstSeenMs >= q.sinceMs!);
  if (q.untilMs !== undefined) txs = txs.filter((t) => t.firstSeenMs <= q.untilMs!);
  txs.sort((a, b) => (q.order === 'asc' ? a.id - b.id : b.id - a.id));
  return { ids: txs.slice(q.offset, q.offset + q.limit).map((t) => t.id), total: txs.length };
}

function checkRecords(l: Loaded): void {
  const { store, synth } = l;
  const obsByTx = new Map<number, ObservationRecord[]>();
  for (const o of synth.obs) obsByTx.set(o.transmissionId, [...(obsByTx.get(o.transmissionId) ?? []), o]);
  for (const t of synth.txs) {
    const row = store.txRowById(t.id);
    assert.notEqual(row, -1);
    assert.equal(store.txRowByHash(t.hash), row);
    assert.equal(store.txRowByHash(t.hash.toUpperCase()), row);
    assert.deepEqual(store.transmission(row), expectedTx(t, obsByTx.get(t.id) ?? []));
    const obsIds = store.observationRows(row).map((r) => store.observation(r).id);
    assert.deepEqual(
      [...obsIds].sort((a, b) => a - b),
      (obsByTx.get(t.id) ?? []).map((o) => o.id),
    );
  }
  for (const o of synth.obs) {
    const row = store.obsRowById(o.id);
    assert.notEqual(row, -1, `obs ${o.id}`);
    assert.deepEqual(store.observation(row), o);
    const txRow = store.txRowById(o.transmissionId);
    const found = store.findObservation(txRow, o.observerId, o.path);
    assert.notEqual(found, -1);
    const f = store.observation(found);
    assert.equal(f.observerId, o.observerId);
    assert.deepEqual(f.path, o.path);
  }
  assert.equal(store.txRowByHash('ffffffffffffffff'), -1);
  assert.equal(store.txRowById(999999), -1);
  assert.equal(store.obsRowById(999999), -1);
}

for (const mode of ['ordered', 'shuffled', 'late-iata'] as const) {
  test(`records round-trip through columns and heaps (${mode})`, () => {
    checkRecords(load(7, mode));
  });
}

test('advert timestamp column is taken from decoded_json', () => {
  const l = load(3, 'ordered', 60);
  for (const t of l.synth.txs) {
    const row = l.store.txRowById(t.id);
    const want = t.payloadType === 4 ? JSON.parse(t.decodedJson).timestamp : 0;
    assert.equal(l.store.tx.get('advertTs', row), want);
  }
});

test('packet queries match the oracle for every filter, sliced four ways', () => {
  for (const mode of ['ordered', 'shuffled', 'late-iata'] as const) {
    const l = load(11, mode);
    const s = l.synth;
    const t0 = s.txs[0].firstSeenMs;
    const queries: Omit<PacketQuery, 'limit' | 'offset'>[] = [
      {},
      { order: 'asc' },
      { types: [4] },
      { types: [4, 5], order: 'asc' },
      { routes: [1] },
      { observers: [s.observerIds[0]] },
      { observers: [s.observerIds[1], s.observerIds[2]] },
      { regions: ['sea'] },
      { regions: ['SEA', 'PDX'] },
      { regions: ['XXX'] },
      { node: s.pubkeys[0] },
      { node: s.pubkeys[3].toUpperCase(), types: [4] },
      { channel: 'Public' },
      { channel: 'nope' },
      { hash: s.txs[5].hash },
      { hash: s.txs[5].hash, types: [s.txs[5].payloadType === 4 ? 5 : 4] },
      { sinceMs: t0 + 30_000 },
      { sinceMs: t0 + 30_000, untilMs: t0 + 80_000, order: 'asc' },
      { types: [5], sinceMs: t0 + 20_000 },
      { observers: [s.observerIds[3]], types: [5], regions: ['PDX'], untilMs: t0 + 90_000 },
    ];
    for (const base of queries) {
      for (const [offset, limit] of [
        [0, 10],
        [5, 7],
        [0, 1000],
        [50, 25],
      ]) {
        const q = { ...base, offset, limit };
        const got = l.store.queryPackets(q);
        const want = oracleQuery(l, q);
        assert.deepEqual(
          { ids: got.rows.map((r) => l.store.txIdAt(r)), total: got.total },
          want,
          `${mode} ${JSON.stringify(q)}`,
        );
      }
    }
  }
});

test('property: random filters agree with the oracle', () => {
  const l = load(21, 'shuffled', 80);
  const s = l.synth;
  const t0 = s.txs[0].firstSeenMs;
  fc.assert(
    fc.property(
      fc.record(
        {
          types: fc.subarray([0, 1, 2, 4, 5, 9], { minLength: 1 }),
          routes: fc.subarray([0, 1, 2, 3], { minLength: 1 }),
          observers: fc.subarray(s.observerIds, { minLength: 1 }),
          regions: fc.subarray(['SEA', 'PDX', 'sea', 'NONE'], { minLength: 1 }),
          node: fc.constantFrom(...s.pubkeys),
          channel: fc.constantFrom('Public', '#test', 'enc_3F'),
          sinceMs: fc.integer({ min: t0 - 1000, max: t0 + 90_000 }),
          untilMs: fc.integer({ min: t0, max: t0 + 100_000 }),
          order: fc.constantFrom('asc' as const, 'desc' as const),
        },
        { requiredKeys: [] },
      ),
      fc.nat(60),
      fc.integer({ min: 1, max: 40 }),
      (filters, offset, limit) => {
        const q = { ...filters, offset, limit };
        const got = l.store.queryPackets(q);
        assert.deepEqual(
          { ids: got.rows.map((r) => l.store.txIdAt(r)), total: got.total },
          oracleQuery(l, q),
        );
      },
    ),
    { numRuns: 300 },
  );
});

test('property: appends in any order round-trip', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 1_000_000 }),
      fc.constantFrom('ordered' as const, 'shuffled' as const),
      (seed, mode) => {
        checkRecords(load(seed, mode, 30));
      },
    ),
    { numRuns: 25 },
  );
});

test('observer pages are newest first with exact totals', () => {
  const l = load(5, 'shuffled');
  for (const id of l.synth.observerIds) {
    const mine = l.synth.obs.filter((o) => o.observerId === id).map((o) => o.id);
    const desc = [...mine].sort((a, b) => b - a);
    const page = l.store.observerObservations(id, { limit: 9, offset: 3 });
    assert.equal(page.total, mine.length);
    assert.deepEqual(
      page.rows.map((r) => l.store.observation(r).id),
      desc.slice(3, 12),
    );
    const asc = l.store.observerObservations(id, { limit: 5, offset: 0, order: 'asc' });
    assert.deepEqual(
      asc.rows.map((r) => l.store.observation(r).id),
      [...mine].sort((a, b) => a - b).slice(0, 5),
    );
  }
  assert.deepEqual(l.store.observerObservations('nobody', { limit: 5, offset: 0 }), { rows: [], total: 0 });
});

test('re-delivery fills only missing signal values', () => {
  const l = load(9, 'ordered', 20);
  const o = l.synth.obs.find((x) => x.snr === null && x.rssi !== null)!;
  const row = l.store.obsRowById(o.id);
  const before = l.store.obs.mutationCount();
  assert.equal(l.store.fillObservationSignal(row, 4.25, -50, 7), true);
  const after = l.store.observation(row);
  assert.equal(after.snr, 4.25);
  assert.equal(after.rssi, o.rssi, 'an existing RSSI is kept');
  assert.equal(after.score, o.score ?? 7);
  assert.equal(l.store.obs.mutationCount(), before + 1);
  assert.equal(l.store.fillObservationSignal(row, 1, -1, 1), false, 'nothing left to fill');
});

test('nodes and observers round-trip, including nulls', () => {
  const store = new MemoryStore(SMALL);
  const nodes = Array.from({ length: 30 }, (_, i) => ({
    publicKey: (i.toString(16).padStart(2, '0') + 'ab').repeat(16),
    name: i % 4 === 0 ? null : `node ${i} ☃`,
    role: i % 3 === 0 ? 'repeater' : 'companion',
    lat: i % 5 === 0 ? null : 47.5 + i / 100,
    lon: i % 5 === 0 ? null : -122.25 - i / 100,
    firstSeenMs: 1000 + i,
    lastSeenMs: 2000 + i,
    advertCount: i * 3,
    batteryMv: i % 2 ? null : 3600 + i,
    temperatureC: i % 2 ? 21.5 : null,
    foreign: i % 3 === 0,
    defaultScope: i % 4 === 0 ? '#west' : null,
  }));
  for (const n of nodes) store.upsertNode(n);
  for (const n of nodes) assert.deepEqual(store.node(store.nodeRow(n.publicKey.toUpperCase())), n);
  assert.equal(store.nodeRows().length, 30);
  store.upsertNode({ ...nodes[2], name: 'renamed', advertCount: 99 });
  assert.equal(store.node(store.nodeRow(nodes[2].publicKey)).name, 'renamed');
  assert.equal(store.nodeRows().length, 30);
  assert.equal(store.nodeRow('00'.repeat(32)), -1);
  // A pubkey only seen as an advert originator has a row but no NodeRecord yet.
  store.appendTransmission({
    id: 1,
    rawHex: 'AA',
    hash: '0123456789abcdef',
    firstSeenMs: 5,
    lastSeenMs: 5,
    routeType: 1,
    payloadType: 4,
    payloadVersion: 0,
    decodedJson: '{}',
    fromPubkey: 'ee'.repeat(32),
    channelHash: null,
    scopeName: null,
  });
  assert.equal(store.nodeRow('ee'.repeat(32)), -1);
  assert.equal(store.nodeRows().length, 30);
});

test('bad input is rejected with a code and stores nothing', () => {
  const store = new MemoryStore(SMALL);
  const good: TransmissionRecord = {
    id: 1,
    rawHex: '11AA',
    hash: 'aaaaaaaaaaaaaaaa',
    firstSeenMs: 10,
    lastSeenMs: 10,
    routeType: 1,
    payloadType: 2,
    payloadVersion: 0,
    decodedJson: '{}',
    fromPubkey: null,
    channelHash: null,
    scopeName: null,
  };
  store.appendTransmission(good);
  const cases: [Partial<TransmissionRecord>, string][] = [
    [{ hash: 'xyz' }, 'STORE_ERR_BAD_HASH'],
    [{ id: 2 }, 'STORE_ERR_DUPLICATE_HASH'],
    [{ hash: 'bbbbbbbbbbbbbbbb' }, 'STORE_ERR_DUPLICATE_ID'],
    [{ id: -1, hash: 'bbbbbbbbbbbbbbbb' }, 'STORE_ERR_BAD_ID'],
    [{ id: 2, hash: 'bbbbbbbbbbbbbbbb', rawHex: 'ABC' }, 'STORE_ERR_BAD_ID'],
    [{ id: 2, hash: 'bbbbbbbbbbbbbbbb', firstSeenMs: NaN }, 'STORE_ERR_BAD_TIME'],
    [{ id: 2, hash: 'bbbbbbbbbbbbbbbb', payloadType: 300 }, 'STORE_ERR_BAD_ID'],
    [{ id: 2, hash: 'bbbbbbbbbbbbbbbb', decodedJson: 'x'.repeat(2000) }, 'STORE_ERR_ENTRY_TOO_LARGE'],
  ];
  for (const [patch, code] of cases) {
    assert.throws(
      () => store.appendTransmission({ ...good, ...patch }),
      (e: unknown) => e instanceof StoreError && e.code === code,
      code,
    );
  }
  const obs: ObservationRecord = {
    id: 1,
    transmissionId: 1,
    observerId: 'OBS',
    direction: 'rx',
    snr: 1,
    rssi: -90,
    score: null,
    path: ['AB'],
    rxMs: 11,
    uploaderMs: null,
  };
  const bad: [Partial<ObservationRecord>, string][] = [
    [{ transmissionId: 77 }, 'STORE_ERR_UNKNOWN_TRANSMISSION'],
    [{ path: ['AB', 'ABCD'] }, 'STORE_ERR_BAD_PATH'],
    [{ path: ['ABCDEF01'] }, 'STORE_ERR_BAD_PATH'],
    [{ path: ['G1'] }, 'STORE_ERR_BAD_PATH'],
    [{ rxMs: Infinity }, 'STORE_ERR_BAD_TIME'],
    [{ id: 1.5 }, 'STORE_ERR_BAD_ID'],
  ];
  for (const [patch, code] of bad) {
    assert.throws(
      () => store.appendObservation({ ...obs, ...patch }),
      (e: unknown) => e instanceof StoreError && e.code === code,
      code,
    );
  }
  assert.equal(store.transmissionCount, 1);
  assert.equal(store.observationCount, 0);
  store.appendObservation(obs);
  assert.equal(store.tx.committedRows(), 1);
  assert.equal(store.obs.committedRows(), 1);
});

test('memory report accounts every buffer', () => {
  const l = load(2, 'ordered', 200);
  const m = l.store.memory();
  assert.equal(m.rows.observations, l.synth.obs.length);
  assert.equal(m.rows.transmissions, 200);
  // obs table: 32-row chunks of the OBS schema (each column rounded up to 8 bytes).
  assert.equal(m.tables.obs, Math.ceil(l.synth.obs.length / 32) * l.store.obs.chunkBytes + 16);
  assert.equal(m.sharedBytes, l.store.view().byteLength());
  assert.ok(m.heaps.raw.used <= m.heaps.raw.allocated);
  assert.equal(m.totalBytes, m.sharedBytes + m.indexes);
  assert.ok(m.bytesPerObservation > 0);
  const before = l.store.queryPackets({ observers: [l.synth.observerIds[0]], limit: 20, offset: 3 });
  l.store.compact();
  assert.ok(l.store.memory().indexes < m.indexes, 'compact releases spare list capacity');
  assert.deepEqual(
    l.store.queryPackets({ observers: [l.synth.observerIds[0]], limit: 20, offset: 3 }),
    before,
  );
  l.store.appendTransmission({ ...l.synth.txs[0], id: 10_000, hash: 'feedfacefeedface' });
  assert.equal(
    l.store.queryPackets({ limit: 1, offset: 0 }).rows[0],
    l.store.txRowById(10_000),
    'lists regrow after compact',
  );
});
