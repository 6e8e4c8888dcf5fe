// Route patterns against the simulator's ground truth (issue 10 acceptance: "subpath counts equal
// counts over the simulator's true paths"). A world where every node hashes 2 bytes per hop and
// no prefixes are planted, so (checked) every 2-byte prefix names one node and hex ↔ node is
// unambiguous. The simulator records the true relays each transmission's best path names; the
// dataset is written as the live pipeline stores it, loaded into a MemoryStore and counted
// through StoreInput. Every subpath count (lengths 2..8, once per path) must equal the count
// over the true relay sequences, and the route's top list must agree with them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createSimulator } from '../../src/sim/index.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { StoreInput } from '../../src/analytics/inputs/store-input.js';
import { buildPathContext } from '../../src/analytics/shared/path-context.js';
import { buildSubpathIndex, hopHex, NO_HIDING } from '../../src/analytics/shared/subpath-index.js';
import { computeSubpaths } from '../../src/analytics/compute/subpaths.js';
import { DEFAULT_QUERY } from '../../src/analytics/shared/query.js';
import { simulatedStore } from '../support/sim-store.js';

const sim = createSimulator('small', {
  seed: 12,
  nodeCount: 120,
  durationMs: 8 * 3_600_000,
  hashSizeMix: [0, 1, 0],
  sharedPrefixPairsPerRegion: 0,
  recordPathTruth: true,
});
const { truth, records, store } = simulatedStore(sim, 'subpaths-truth');
const input = new StoreInput(store.view()).snapshot(truth.startMs + truth.durationMs);

/** Subpath counts (lengths 2..8, once per path) over sequences of keys. */
function countSubpaths(paths: string[][]): { total: number; counts: Map<string, number> } {
  const counts = new Map<string, number>();
  let total = 0;
  for (const p of paths) {
    if (p.length < 2) continue;
    total++;
    const seen = new Set<string>();
    for (let i = 0; i < p.length; i++)
      for (let j = i + 2; j <= Math.min(p.length, i + 8); j++) seen.add(p.slice(i, j).join('>'));
    for (const k of seen) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return { total, counts };
}

test('the planted world: 2-byte hops everywhere and every 2-byte prefix names one node', () => {
  assert.ok(truth.nodes.every((n) => n.hashSize === 2));
  const prefixes = new Set(truth.nodes.map((n) => n.pubkey.slice(0, 4).toLowerCase()));
  assert.equal(prefixes.size, truth.nodes.length, 'unique 2-byte prefixes');
  assert.ok(truth.bestPaths.every((p) => p.hopWidth === 2 || p.relays.length === 0));
  assert.ok(truth.bestPaths.filter((p) => p.relays.length >= 2).length > 100, 'enough multi-hop paths');
});

test('subpath counts equal the counts over the simulator’s true relay paths', () => {
  const nodeOfHex = new Map(truth.nodes.map((n) => [n.pubkey.slice(0, 4).toLowerCase(), n.index]));
  const want = countSubpaths(truth.bestPaths.map((p) => p.relays.map(String)));

  const paths = buildPathContext(input);
  const index = buildSubpathIndex(input, paths.best, paths.resolver, null);
  const got = new Map<string, number>();
  const trie = index.trie;
  for (let id = 0; id < trie.size; id++) {
    const len = trie.length.data[id];
    if (len < 2 || index.count[id] === 0) continue;
    const key = trie
      .symbols(id)
      .map((h) => {
        const node = nodeOfHex.get(hopHex(index, h));
        assert.notEqual(node, undefined, `hop ${hopHex(index, h)} names a node`);
        return String(node);
      })
      .join('>');
    got.set(key, index.count[id]);
  }
  assert.equal(index.totalPaths, want.total, 'paths with ≥ 2 hops');
  assert.equal(got.size, want.counts.size, 'distinct subpaths');
  const diffs: string[] = [];
  for (const [k, n] of want.counts)
    if (got.get(k) !== n) diffs.push(`${k}: truth ${n}, counted ${got.get(k)}`);
  assert.deepEqual(diffs.slice(0, 10), []);

  // The route's list (names merged): each entry counts at least its raw pattern's true count,
  // and exactly that when no other pattern has the same names.
  const r = computeSubpaths(input, DEFAULT_QUERY, paths, () => index, null, NO_HIDING);
  assert.equal(r.totalPaths, want.total);
  const storedKeys = new Set(records.nodes.map((n) => n.publicKey.toLowerCase()));
  const names = new Map<string, number>();
  for (const n of truth.nodes) names.set(n.name, (names.get(n.name) ?? 0) + 1);
  for (const s of r.subpaths) {
    const nodes = s.rawHops.map((h) => nodeOfHex.get(h)!);
    const trueCount = want.counts.get(nodes.join('>'))!;
    const uniqueNames = nodes.every((n) => names.get(truth.nodes[n].name) === 1);
    if (uniqueNames) assert.equal(s.count, trueCount, s.path);
    else assert.ok(s.count >= trueCount, s.path);
    // A relay the server never heard advertise is not a known node: its hop keeps its hex.
    const known = (n: number) => storedKeys.has(truth.nodes[n].pubkey.toLowerCase());
    assert.equal(s.path, nodes.map((n, k) => (known(n) ? truth.nodes[n].name : s.rawHops[k])).join(' → '));
  }
  // The top entry is the most common true pattern.
  assert.equal(r.subpaths[0].count, Math.max(...want.counts.values()));
});
