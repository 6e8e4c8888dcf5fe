// NodeDirectory (store/memory/node-directory.ts): while only fields of known nodes change, its
// sort orders may be up to `refreshMs` stale (they were rebuilt per request under ingest); a node
// becoming present rebuilds at once, and a single row's visibility is always read live.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStore } from '../../../src/store/memory/memory-store.js';
import { NodeDirectory } from '../../../src/store/memory/node-directory.js';
import type { NodeRecord } from '../../../src/store/records.js';

const node = (pk: string, lastSeenMs: number, name: string): NodeRecord => ({
  publicKey: pk,
  name,
  role: 'repeater',
  lat: null,
  lon: null,
  firstSeenMs: 1_000,
  lastSeenMs,
  advertCount: 1,
  batteryMv: null,
  temperatureC: null,
  foreign: false,
  defaultScope: null,
});
const A = 'aa'.repeat(32);
const B = 'bb'.repeat(32);
const C = 'cc'.repeat(32);

function setup(refreshMs: number) {
  const store = new MemoryStore();
  store.upsertNode(node(A, 2_000, 'alpha'));
  store.upsertNode(node(B, 3_000, 'bravo'));
  const dir = new NodeDirectory(store, { nodeBlacklist: [], hiddenNamePrefixes: ['hide-'] }, refreshMs);
  const order = () => dir.snapshot().orders.lastSeen.map((r) => store.interns.pubkeys.get(r));
  return { store, dir, order };
}

test('a field change reorders only after refreshMs; a new node and a hidden rename show at once', async () => {
  const { store, dir, order } = setup(200);
  assert.deepEqual(order(), [B, A]);
  store.upsertNode(node(A, 5_000, 'alpha')); // A heard again: now the newest
  assert.deepEqual(order(), [B, A], 'within refreshMs the order is the cached one');
  assert.equal(dir.matches(store.nodeRow(A), 'alph'), true);
  // A node becoming present rebuilds at once (and picks up A's new time with it).
  store.upsertNode(node(C, 4_000, 'charlie'));
  assert.deepEqual(order(), [A, C, B]);
  // Visibility and name matching read the row, not the cached lists.
  store.upsertNode(node(B, 3_000, 'hide-bravo'));
  assert.equal(dir.isVisible(store.nodeRow(B)), false);
  assert.equal(dir.resolve(B), -1);
  assert.equal(dir.matches(store.nodeRow(C), 'charl'), true);
  store.upsertNode(node(C, 4_000, 'delta'));
  assert.equal(dir.matches(store.nodeRow(C), 'charl'), false);
  await new Promise((r) => setTimeout(r, 250));
  assert.deepEqual(order(), [A, C], 'after refreshMs the rebuilt lists drop the hidden node');
});

test('refreshMs 0 rebuilds on every change', () => {
  const { store, order } = setup(0);
  assert.deepEqual(order(), [B, A]);
  store.upsertNode(node(A, 5_000, 'alpha'));
  assert.deepEqual(order(), [A, B]);
});
