// i9d read-model pieces behind the ops routes and the live feed, on hand-built stores:
// resolveHopPrefixes (unique visible relay per prefix, incremental as nodes arrive) and
// payloadTypeSamples (per type, spread over frame length, from the newest rows).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryReadModel, MemoryStore } from '../../src/store/memory/index.js';
import {
  nodeRecord,
  observationRecord,
  observerRecord,
  transmissionRecord,
} from '../support/store-builders.js';

const T0 = Date.parse('2026-05-17T12:00:00Z');
const visibility = { nodeBlacklist: [], hiddenNamePrefixes: ['🚫'], observerBlacklist: [] };

test('resolveHopPrefixes: unique relay -> key; ambiguous, companion-only, hidden, unknown -> null', () => {
  const store = new MemoryStore();
  const model = new MemoryReadModel(store, visibility);
  const rep1 = 'aa11' + '01'.repeat(30);
  const rep2 = 'aa22' + '02'.repeat(30);
  const comp = 'bb33' + '03'.repeat(30);
  const hidden = 'cc44' + '04'.repeat(30);
  store.upsertNode(nodeRecord(rep1, T0, { role: 'repeater', name: 'R1' }));
  store.upsertNode(nodeRecord(rep2, T0, { role: 'room', name: 'R2' }));
  store.upsertNode(nodeRecord(comp, T0, { role: 'companion', name: 'C' }));
  store.upsertNode(nodeRecord(hidden, T0, { role: 'repeater', name: '🚫 secret' }));
  // AA: two relays -> ambiguous; AA11 / AA22: unique; BB: a companion only; CC: hidden; DD: none.
  assert.deepEqual(model.resolveHopPrefixes(['AA', 'AA11', 'aa22', 'BB', 'CC44', 'DD', 'xyz']), [
    null,
    rep1,
    rep2,
    null,
    null,
    null,
    null,
  ]);
  // A node added later is indexed without a rebuild; a role change is seen at once.
  const rep3 = 'dd55' + '05'.repeat(30);
  store.upsertNode(nodeRecord(rep3, T0 + 1, { role: 'repeater' }));
  store.upsertNode(nodeRecord(comp, T0 + 1, { role: 'repeater', name: 'C' }));
  assert.deepEqual(model.resolveHopPrefixes(['DD', 'DD55AA', 'BB']), [rep3, null, comp]);
});

test('payloadTypeSamples: per type, newest rows spread over frame length; types absent are absent', () => {
  const store = new MemoryStore();
  const model = new MemoryReadModel(store, visibility);
  store.upsertObserver(observerRecord('OBS1', T0));
  // 20 GRP_TXT (type 5) with raw lengths 10..29 bytes, 3 ADVERTs (type 4).
  let id = 1;
  for (let i = 0; i < 20; i++, id++) {
    store.appendTransmission(transmissionRecord(id, 5, '15' + '00'.repeat(9 + i), T0 + id));
    store.appendObservation(observationRecord(id, id, 'OBS1', T0 + id));
  }
  for (let i = 0; i < 3; i++, id++) {
    store.appendTransmission(transmissionRecord(id, 4, '11' + 'ab'.repeat(40), T0 + id));
    store.appendObservation(observationRecord(id, id, 'OBS1', T0 + id));
  }
  const all = model.payloadTypeSamples(8, 256);
  assert.deepEqual([...all.keys()].sort(), [4, 5]);
  assert.equal(all.get(4)!.length, 3);
  const grp = all.get(5)!;
  assert.equal(grp.length, 8);
  // Sorted by length, picks at floor(i*20/8) = 0,2,5,7,10,12,15,17 -> ids 1,3,6,8,11,13,16,18.
  assert.deepEqual(
    grp.map((s) => s.transmission.id),
    [1, 3, 6, 8, 11, 13, 16, 18],
  );
  // depth bounds the candidates to the newest rows: the 4 newest GRP_TXT are ids 17..20.
  assert.deepEqual(
    model
      .payloadTypeSamples(2, 4)
      .get(5)!
      .map((s) => s.transmission.id),
    [17, 19],
  );
});

test('droppedPackets without a SQLite reader is a rejection, not an empty answer', async () => {
  const model = new MemoryReadModel(new MemoryStore(), visibility);
  await assert.rejects(() => model.droppedPackets({ limit: 5 }), /no SQLite reader/);
});
