// t5: relay airtime share and path inspection against the simulator's ground truth, on a world
// where every node has a unique 2-byte key prefix and every path uses 2-byte hops: the true relay
// of a hop is the world node whose key starts with it (checked unique below, relay-only nodes
// included), so the truth does not go through our resolver.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createSimulator } from '../../src/sim/index.js';
import { StoreInput } from '../../src/analytics/inputs/store-input.js';
import { DEFAULT_QUERY } from '../../src/analytics/shared/query.js';
import { buildPathContext } from '../../src/analytics/shared/path-context.js';
import { computeRelayAirtime, DEFAULT_LORA_PRESET } from '../../src/analytics/compute/relay-airtime.js';
import { computePathsInspect } from '../../src/analytics/compute/paths-inspect.js';
import { airtimeMs } from '../../src/protocol/airtime.js';
import { simulatedStore } from '../support/sim-store.js';

const sim = createSimulator('small', {
  seed: 12,
  nodeCount: 120,
  durationMs: 6 * 3_600_000,
  hashSizeMix: [0, 1, 0],
  sharedPrefixPairsPerRegion: 0,
  relayOnlyFraction: 0.05,
});
const { truth, records, store } = simulatedStore(sim, 't5-truth');
const input = new StoreInput(store.view()).snapshot(truth.startMs + truth.durationMs);
const paths = buildPathContext(input);

// The true node of a hop: the world node whose key starts with it (relay-only repeaters too),
// when exactly one does (-1 otherwise: a 1-byte TRACE route hop can be shared).
const byPrefix = new Map<string, number[]>();
for (const n of truth.nodes) {
  for (const len of [2, 4, 6]) {
    const p = n.pubkey.slice(0, len).toUpperCase();
    byPrefix.set(p, [...(byPrefix.get(p) ?? []), n.index]);
  }
}
const trueNode = (hop: string): number => {
  const list = byPrefix.get(hop.toUpperCase());
  return list && list.length === 1 ? list[0] : -1;
};
const knownKeys = new Set(
  records.nodes.filter((n) => /repeater|room/.test(n.role ?? '')).map((n) => n.publicKey.toLowerCase()),
);

test('the world has unique 2-byte prefixes and 2-byte paths', () => {
  assert.ok([...byPrefix].every(([p, l]) => p.length === 2 || l.length === 1));
  const flood = new Set(records.transmissions.filter((t) => t.routeType === 1).map((t) => t.id));
  const hops = records.observations.filter((o) => flood.has(o.transmissionId)).flatMap((o) => o.path);
  assert.ok(hops.length > 1000, `hops seen: ${hops.length}`);
  assert.ok(hops.every((h) => h.length === 4));
});

test('relay airtime share equals Σ time on air × the true relays on the heard paths', () => {
  const obsByTx = new Map<number, string[][]>();
  for (const o of records.observations)
    obsByTx.set(o.transmissionId, [...(obsByTx.get(o.transmissionId) ?? []), o.path]);
  const known = new Set(
    records.nodes.filter((n) => /repeater|room/.test(n.role ?? '')).map((n) => n.publicKey.toLowerCase()),
  );
  const trueScore = new Map<number, number>();
  const knownScore = new Map<number, number>();
  for (const t of records.transmissions) {
    const relays = new Set<number>();
    for (const p of obsByTx.get(t.id) ?? []) for (const h of p) if (trueNode(h) >= 0) relays.add(trueNode(h));
    const heard = [...relays].filter((i) => known.has(truth.nodes[i].pubkey.toLowerCase())).length;
    const toaNs = Math.round(
      airtimeMs({
        payloadBytes: t.rawHex.length / 2,
        bandwidthKhz: 62.5,
        spreadingFactor: 8,
        codingRate: 5,
      }) * 1e6,
    );
    trueScore.set(t.payloadType, (trueScore.get(t.payloadType) ?? 0) + toaNs * relays.size);
    knownScore.set(t.payloadType, (knownScore.get(t.payloadType) ?? 0) + toaNs * heard);
  }
  const ours = computeRelayAirtime(input, DEFAULT_QUERY, paths, DEFAULT_LORA_PRESET);
  assert.equal(ours.total_count, records.transmissions.length);
  let oursTotal = 0;
  let trueTotal = 0;
  let knownTotal = 0;
  for (const row of ours.rows) {
    oursTotal += row.score;
    trueTotal += trueScore.get(row.type) ?? 0;
    knownTotal += knownScore.get(row.type) ?? 0;
    // Per type within 2 % of the truth restricted to repeaters the store knows (the difference:
    // shared 1-byte TRACE route hops, which the truth leaves out and the resolver assigns).
    const k = knownScore.get(row.type) ?? 0;
    assert.ok(
      Math.abs(row.score - k) <= 0.02 * Math.max(k, 1),
      `type ${row.payload_type}: ${row.score} vs ${k}`,
    );
  }
  console.log(
    `relay airtime: ours / truth over known repeaters = ${(oursTotal / knownTotal).toFixed(4)}, ` +
      `ours / all true relays (relay-only and unheard repeaters included) = ${(oursTotal / trueTotal).toFixed(4)}`,
  );
  assert.ok(Math.abs(oursTotal / knownTotal - 1) <= 0.02);
});

test('inspect recovers the true full-key path from 1-byte prefixes for most heard paths', () => {
  const observerKey = new Map(records.observers.map((o) => [o.id, o.id]));
  const seen = new Set<string>();
  let asked = 0;
  let top = 0;
  let anyRank = 0;
  const txById = new Map(records.transmissions.map((t) => [t.id, t]));
  for (const o of records.observations) {
    const t = txById.get(o.transmissionId)!;
    if (t.routeType !== 1 || o.path.length < 2) continue;
    const truePath = o.path.map(trueNode);
    // Only paths whose every relay the store knows (an unknown node cannot be a candidate).
    if (truePath.some((n) => n < 0 || !knownKeys.has(truth.nodes[n].pubkey.toLowerCase()))) continue;
    const key = o.path.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    const r = computePathsInspect(input, paths, {
      prefixes: o.path.map((h) => h.slice(0, 2)),
      observerId: observerKey.get(o.observerId) ?? null,
      sinceMs: null,
      untilMs: null,
      limit: 5,
    });
    const want = truePath.map((n) => truth.nodes[n].pubkey.toLowerCase()).join(',');
    asked++;
    if (r.candidates[0]?.path.join(',') === want) top++;
    if (r.candidates.some((c) => c.path.join(',') === want)) anyRank++;
    if (asked >= 300) break;
  }
  console.log(
    `inspect: ${top}/${asked} top-1 (${((100 * top) / asked).toFixed(1)} %), ${anyRank}/${asked} in the top 5`,
  );
  assert.ok(asked >= 50, `paths asked: ${asked}`);
  assert.ok(top / asked >= 0.8, `top-1 fraction ${top / asked}`);
});
