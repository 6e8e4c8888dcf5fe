// The clock-skew, topology and distance analytics against the simulator's ground truth
// (issue 5 acceptance): a deterministic dataset written the way the live pipeline stores it,
// loaded into a MemoryStore, computed through StoreInput, and compared with what was planted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSimulator, groundTruth, type NodeTruth } from '../../src/sim/index.js';
import { writeDataset } from '../../src/sim/dataset.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import {
  nodeChunks,
  observationChunks,
  observerChunks,
  openDatabase,
  transmissionChunks,
} from '../../src/store/sqlite/index.js';
import { StoreInput } from '../../src/analytics/store-input.js';
import { DEFAULT_QUERY } from '../../src/analytics/query.js';
import { computeNodeClockSkew, computeNodesClockSkew } from '../../src/analytics/clock-skew-nodes.js';
import { computeObserversClockSkew } from '../../src/analytics/clock-skew-observers.js';
import { computeTopology } from '../../src/analytics/topology.js';
import { computeDistance } from '../../src/analytics/distance.js';
import { haversineKm } from '../../src/analytics/geo.js';
import { loadInto } from './fixture-store.js';

// `small` cut to 150 nodes over 36 h (~5 s to generate): long enough for the drift estimator's
// ≥ 5 adverts over ≥ 12 h. More skewed observers and relay-only repeaters than the preset, so
// every planted kind is present.
const sim = createSimulator('small', {
  seed: 5,
  nodeCount: 150,
  durationMs: 36 * 3_600_000,
  observerClockSkewFraction: 0.6,
  relayOnlyFraction: 0.15,
});
const dir = mkdtempSync(join(tmpdir(), 'meshlens-ground-truth-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const dbPath = join(dir, 'sim.db');
writeDataset(sim, dbPath);
const truth = groundTruth(sim);

const db = openDatabase(dbPath, { readonly: true });
const records = {
  observers: [...observerChunks(db)].flat(),
  nodes: [...nodeChunks(db)].flat(),
  transmissions: [...transmissionChunks(db)].flat(),
  observations: [...observationChunks(db)].flat(),
};
db.close();
const store = new MemoryStore();
loadInto(store, records);
const input = new StoreInput(store.view()).snapshot(truth.startMs + truth.durationMs);
const byKey = new Map(truth.nodes.map((n) => [n.pubkey.toLowerCase(), n]));
const DAY_S = 86400;
const DRIFT_TOL_S_PER_DAY = 10;

/** The planted clock error (s) at true time `atSec`. */
function trueSkewSec(n: NodeTruth, atSec: number): number {
  return (n.clockErrorMs + ((atSec * 1000 - truth.startMs) * n.driftPpm) / 1e6) / 1000;
}

const fleet = computeNodesClockSkew(input, DEFAULT_QUERY);
const fleetByKey = new Map(fleet.map((f) => [f.pubkey, f]));

// Skew = advert clock − best observed time. The advert clock is truncated to whole seconds (up to
// −1 s) and the best observed time is never before the true reception (an uploader-calibrated
// observer's time is late by a delivery-delay quantile, a clamped one by the whole delay), and a
// flood is heard after relays (each hop: airtime + a back-off of 0.5–3 airtimes, ~1–2.5 s for an
// advert). So the estimate sits at or below the truth: at most 0.05 s above (rounding to 0.1 s,
// one extra second for safety) and, for the median observer a few hops out, within 30 s below.
const SKEW_ABOVE_S = 1;
const SKEW_BELOW_S = 30;

test('every advertising node with a heard advert gets a clock estimate; no relay-only node does', () => {
  const relayOnly = truth.nodes.filter((n) => n.relayOnly);
  assert.ok(relayOnly.length >= 3, `relay-only repeaters planted (${relayOnly.length})`);
  for (const f of fleet) {
    const n = byKey.get(f.pubkey);
    assert.ok(n, `fleet entry ${f.pubkey} is a simulated node`);
    assert.equal(n.relayOnly, false, `${n.name} only relays, yet has clock data`);
  }
  for (const n of relayOnly) assert.equal(computeNodeClockSkew(input, n.pubkey), null, n.name);
  // The relay-only repeaters did relay: their hop prefixes are in stored paths.
  const hops = new Set<string>();
  for (const o of records.observations) for (const h of o.path) hops.add(h.toUpperCase());
  const relayed = relayOnly.filter((n) => hops.has(n.pubkey.slice(0, 2 * n.hashSize).toUpperCase()));
  assert.ok(relayed.length >= 2, `relay-only repeaters seen in paths (${relayed.length})`);
  const heard = new Set(truth.heardAdvertisers.map((i) => truth.nodes[i].pubkey.toLowerCase()));
  assert.deepEqual(
    fleet.map((f) => f.pubkey),
    [...heard].sort(),
    'exactly the nodes whose adverts were heard',
  );
});

test('planted clocks are found: offsets, drift, resets; correct clocks are ok', () => {
  const kinds = { ok: 0, offset: 0, drift: 0, reset: 0 };
  let driftEstimated = 0;
  for (const f of fleet) {
    const n = byKey.get(f.pubkey)!;
    kinds[n.clockKind]++;
    const what = `${n.name} (${n.clockKind}, ${n.clockErrorMs} ms, ${n.driftPpm} ppm)`;
    const want = trueSkewSec(n, f.lastObservedTS);
    assert.ok(
      f.lastSkewSec <= want + SKEW_ABOVE_S && f.lastSkewSec >= want - SKEW_BELOW_S,
      `${what}: last skew ${f.lastSkewSec} s, truth ${want.toFixed(1)} s`,
    );
    if (n.clockKind === 'reset') {
      // Restarted at 2023-01-01 with no RTC: years behind, flagged, and beyond a year (§6.1).
      assert.equal(f.clockReset, true, `${what}: clockReset`);
      assert.equal(f.severity, 'no_clock', what);
      continue;
    }
    assert.equal(f.clockReset, false, `${what}: a clock that never went back is not a reset`);
    // The recent median is a median of such estimates: same one-sided bounds around the truth
    // (the truth moves by ≤ 250 ppm × 24 h ≈ 22 s over the recent window for drifting clocks).
    const absTruth = Math.abs(want);
    if (n.clockKind === 'offset' && absTruth > 300 + SKEW_BELOW_S) {
      assert.notEqual(f.severity, 'ok', `${what}: a clock off by > 5 min is not ok`);
      assert.equal(f.severity, absTruth < 3600 - SKEW_BELOW_S ? 'warning' : 'critical', what);
    }
    // ok clocks are within seconds; drifting ones gain at most 250 ppm × 36 h ≈ 32 s.
    if (n.clockKind === 'ok' || n.clockKind === 'drift') assert.equal(f.severity, 'ok', what);
    // Drift: each advert's skew carries seconds of noise (1 s clock resolution, and the hops to
    // the observers that heard it vary per advert: measured up to ~10 s apart for a correct
    // clock), and the fit may use as few as 5 adverts over 12 h: ±5 s over half a day is ±10 s/day
    // (116 ppm). That is the tolerance; the sign must be right when the truth is beyond it.
    const wantPerDay = (n.driftPpm * DAY_S) / 1e6;
    if (f.driftPerDaySec !== 0) {
      assert.ok(
        Math.abs(f.driftPerDaySec - wantPerDay) <= DRIFT_TOL_S_PER_DAY,
        `${what}: drift ${f.driftPerDaySec} s/day`,
      );
      if (n.clockKind === 'drift') {
        driftEstimated++;
        if (Math.abs(wantPerDay) > DRIFT_TOL_S_PER_DAY)
          assert.equal(Math.sign(f.driftPerDaySec), Math.sign(wantPerDay), what);
      }
    }
  }
  assert.ok(kinds.offset >= 5 && kinds.drift >= 5 && kinds.reset >= 3, JSON.stringify(kinds));
  assert.ok(driftEstimated >= 5, `drift estimated for ${driftEstimated} drifting clocks`);
});
