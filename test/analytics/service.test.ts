// AnalyticsService with a real worker pool over the fixture store: the warmup gate never
// serves a partly loaded store (all nine analytics), config interval keys reach the
// recomputer, on-request shapes are single-flight and expire after their cacheTTL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { gunzipSync } from 'node:zlib';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { AnalyticsService, type AnalyticsAnswer } from '../../src/analytics/engine/service.js';
import { ANALYTICS, ANALYTIC_NAMES } from '../../src/analytics/registry.js';
import { DEFAULT_QUERY } from '../../src/analytics/shared/query.js';
import type { AnalyticsConfig } from '../../src/config/types.js';
import { fixtureRecords, loadInto } from '../support/fixture.js';
import { until } from '../support/until.js';

function config(over: Partial<AnalyticsConfig> = {}, cacheTTL: Record<string, number> = {}) {
  return {
    analytics: {
      defaultIntervalSeconds: 3600,
      recomputeIntervalSeconds: {},
      loraPreset: { freq: 869.6e6, bw: 62.5, sf: 8, cr: 5 },
      ...over,
    },
    cacheTTL,
  };
}

/**
 * The service's clock, moved forward by the test instead of sleeping past an interval or TTL
 * (real time still runs underneath: the worker pool and the scheduler's timers are real).
 */
function skewedClock() {
  const clock = { skewMs: 0, now: () => Date.now() + clock.skewMs };
  return clock;
}

function json(a: AnalyticsAnswer): Record<string, unknown> {
  assert.equal(a.status, 'ready');
  if (a.status !== 'ready') throw new Error('not ready');
  return JSON.parse(gunzipSync(a.body.gzip).toString()) as Record<string, unknown>;
}

test('all nine analytics answer "warming up" until the first pass over the fully loaded store', async () => {
  const records = fixtureRecords();
  const store = new MemoryStore();
  const half = Math.floor(records.transmissions.length / 2);
  loadInto(store, { ...records, transmissions: records.transmissions.slice(0, half) });
  let loaded = false;
  const service = new AnalyticsService({
    store,
    config: config(),
    isLoaded: () => loaded,
    pollMs: 10,
    workerThreads: 1,
  });
  try {
    service.start();
    await sleep(300);
    for (const name of ANALYTIC_NAMES) {
      const a = await service.get(name, DEFAULT_QUERY, null);
      assert.equal(a.status, 'warming', name);
      assert.ok(a.status === 'warming' && a.retryAfterS >= 1);
    }
    // Other shapes are not computed over a partial store either.
    assert.equal((await service.get('rf', DEFAULT_QUERY, 'window=1h')).status, 'warming');
    assert.equal((await service.nodeClockSkew('ab')).status, 'warming');
    assert.ok(service.stats().analytics.every((s) => s.runs === 0));

    const firstHalf = new Set(records.transmissions.slice(0, half).map((t) => t.id));
    loadInto(store, {
      observers: [],
      nodes: [],
      transmissions: records.transmissions.slice(half),
      observations: records.observations.filter((o) => !firstHalf.has(o.transmissionId)),
    });
    loaded = true;
    await until(() => service.stats().analytics.every((s) => !s.warmingUp));
    const rf = json(await service.get('rf', DEFAULT_QUERY, null));
    assert.equal(rf.totalTransmissions, 499, 'the first snapshot covers the whole store');
    assert.equal(rf.totalAllPackets, 500);
    assert.equal(typeof rf.computedAt, 'string');
    const roles = json(await service.get('roles', DEFAULT_QUERY, null));
    assert.equal(roles.totalNodes, 200);
    // Bare arrays carry no computedAt field (age is in the header only).
    const observers = json(await service.get('observers-clock-skew', DEFAULT_QUERY, null));
    assert.ok(Array.isArray(observers));
    const stats = service.stats();
    // One recomputed snapshot per registry entry, plus each extra background shape (t2).
    const snapshots = ANALYTICS.reduce((n, a) => n + 1 + (a.extra?.snapshots.length ?? 0), 0);
    assert.equal(stats.analytics.length, snapshots);
    for (const s of stats.analytics) {
      assert.equal(s.runs, 1, s.name);
      assert.equal(s.failures, 0);
      assert.ok(s.lastDurationMs! >= 0 && s.computedAt !== null && s.snapshotAgeMs! >= 0);
    }
  } finally {
    await service.stop();
    await service.stop();
  }
});

test('interval config keys reach the recomputer; default interval applies to the others', async () => {
  const { store } = fixtureStoreLoaded();
  const clock = skewedClock();
  const service = new AnalyticsService({
    store,
    now: clock.now,
    config: config({
      defaultIntervalSeconds: 3600,
      recomputeIntervalSeconds: { hashSizes: 0.15, roles: 7200 },
    }),
    isLoaded: () => true,
    pollMs: 10,
    workerThreads: 1,
  });
  try {
    service.start();
    // Worker start-up varies with machine load: time the interval runs from the first pass.
    await until(() => service.stats().analytics.every((s) => !s.warmingUp), { timeoutMs: 10_000 });
    // Two 200 ms steps of the clock, each one interval of hash-sizes (150 ms) and more.
    const intervalRuns = () => service.stats().analytics.find((s) => s.name === 'hash-sizes')!.intervalRuns;
    for (const n of [1, 2]) {
      clock.skewMs += 200;
      await until(() => intervalRuns() >= n, { what: `hash-sizes interval run ${n}` });
    }
    const byName = new Map(service.stats().analytics.map((s) => [s.name, s]));
    assert.equal(byName.get('hash-sizes')!.intervalMs, 150);
    assert.equal(byName.get('roles')!.intervalMs, 7_200_000);
    assert.equal(byName.get('topology')!.intervalMs, 3_600_000);
    assert.ok(
      byName.get('hash-sizes')!.intervalRuns >= 2,
      `${byName.get('hash-sizes')!.intervalRuns} interval runs`,
    );
    assert.equal(byName.get('topology')!.runs, 1);
    assert.equal(byName.get('roles')!.runs, 1);
  } finally {
    await service.stop();
  }
});

function fixtureStoreLoaded() {
  const records = fixtureRecords();
  const store = new MemoryStore();
  loadInto(store, records);
  return { store, records };
}

test('on-request shapes: concurrent identical queries share one compute; entries expire after cacheTTL', async () => {
  const { store, records } = fixtureStoreLoaded();
  const clock = skewedClock();
  const service = new AnalyticsService({
    store,
    now: clock.now,
    config: config({}, { analyticsRF: 0.3 }),
    isLoaded: () => true,
    pollMs: 10,
    workerThreads: 1,
  });
  try {
    service.start();
    await until(() => service.stats().analytics.every((s) => !s.warmingUp));
    const iata = records.observers
      .find((o) => o.iata)!
      .iata!.trim()
      .toUpperCase();
    const q = { ...DEFAULT_QUERY, regions: [iata] };
    const before = service.stats().pool!.completed;
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => service.get('topology', q, `region=${iata}`)),
    );
    const bodies = answers.map((a) => (a.status === 'ready' ? a.body : null));
    assert.ok(
      bodies.every((b) => b === bodies[0] && b !== null),
      'one shared result',
    );
    assert.equal(service.stats().pool!.completed - before, 1, 'one compute for 12 requests');
    let c = service.stats().cache;
    assert.equal(c.misses, 1);
    assert.equal(c.joined, 11);
    const regional = json(answers[0]);
    const global = json(await service.get('topology', DEFAULT_QUERY, null));
    assert.ok((regional.uniqueNodes as number) <= (global.uniqueNodes as number));

    // A hit within the TTL, a recompute after it.
    await service.get('topology', q, `region=${iata}`);
    assert.equal(service.stats().cache.hits, 1);
    clock.skewMs += 400;
    await service.get('topology', q, `region=${iata}`);
    c = service.stats().cache;
    assert.equal(c.misses, 2);
    assert.equal(service.stats().pool!.completed - before, 2);

    // An unknown region matches nothing (spec §9 item 5), not global data.
    const none = json(await service.get('rf', { ...DEFAULT_QUERY, regions: ['ZZZ'] }, 'region=ZZZ'));
    assert.equal(none.totalTransmissions, 0);
    // Per-node clock skew: 404 for a key without adverts, data for an advertiser.
    assert.equal((await service.nodeClockSkew('00'.repeat(32))).status, 'not-found');
    const advertiser = records.transmissions.find((t) => t.payloadType === 4 && t.fromPubkey)!.fromPubkey!;
    const node = json(await service.nodeClockSkew(advertiser.toUpperCase()));
    assert.equal(node.pubkey, advertiser);
  } finally {
    await service.stop();
  }
});
