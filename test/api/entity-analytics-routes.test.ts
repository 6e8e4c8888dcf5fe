// t4: the per-node / per-observer analytics routes and the RF-health fleet summary over real
// parts: warming-up 503s, parameter 400s, 404s, the fixture through the worker pool (counts
// cross-checked against the fixture's records), and the summary over a real observer_metrics
// table with hand-worked aggregates.
// meshlens-test: serial
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { MemoryReadModel } from '../../src/store/memory/memory-read-model.js';
import { AnalyticsService } from '../../src/analytics/engine/service.js';
import { entityAnalyticsRoutes, metricsSummaryRoutes } from '../../src/api/routes/entity-analytics.js';
import { defaultConfig } from '../../src/config/defaults.js';
import type { MeshlensConfig } from '../../src/config/types.js';
import { migrate, ObserverMetricsReader, openDatabase } from '../../src/store/sqlite/index.js';
import { fixtureStore, FIXTURE_NOW_MS } from '../support/fixture.js';
import { observerRecord } from '../support/store-builders.js';
import { computeNodeClockSkew } from '../../src/analytics/compute/clock-skew-nodes.js';
import { recordsInput } from '../../src/analytics/inputs/records-input.js';

const cfg = defaultConfig as unknown as MeshlensConfig;
const serviceConfig = { analytics: { defaultIntervalSeconds: 3600 }, cacheTTL: {} };
const dir = mkdtempSync(join(tmpdir(), 'meshlens-t4-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function appFor(
  store: MemoryStore,
  loaded: boolean,
  metrics: ObserverMetricsReader | null = null,
  now = FIXTURE_NOW_MS,
) {
  const service = new AnalyticsService({
    store,
    config: serviceConfig,
    isLoaded: () => loaded,
    workerThreads: 1,
    now: () => now,
  });
  const model = new MemoryReadModel(store, cfg, { metrics, now: () => now });
  const app = Fastify();
  await app.register(entityAnalyticsRoutes({ service, model, now: () => now }), { prefix: '/api' });
  await app.register(metricsSummaryRoutes({ model, config: cfg, ready: () => loaded, now: () => now }), {
    prefix: '/api',
  });
  return { app, service };
}

const ANY = 'ab'.repeat(32);

test('before the load every route answers 503 with Retry-After; bad parameters are 400 naming them', async () => {
  const { app, service } = await appFor(new MemoryStore(), false);
  try {
    for (const url of [
      `/api/nodes/${ANY}/analytics`,
      `/api/nodes/${ANY}/paths`,
      `/api/nodes/${ANY}/reach`,
      '/api/observers/XYZ/analytics',
      '/api/observers/metrics/summary',
    ]) {
      const res = await app.inject({ url });
      assert.equal(res.statusCode, 503, url);
      assert.equal(res.headers['retry-after'], '5', url);
    }
  } finally {
    await app.close();
    await service.stop();
  }
  const loaded = await appFor(new MemoryStore(), true);
  try {
    const bad: Array<[string, string]> = [
      [`/api/nodes/${ANY}/analytics?days=week`, 'days'],
      [`/api/nodes/${ANY}/reach?days=1.5`, 'days'],
      ['/api/nodes/abcd/reach', 'pubkey'],
      ['/api/observers/XYZ/analytics?days=x', 'days'],
    ];
    for (const [url, parameter] of bad) {
      const res = await loaded.app.inject({ url });
      assert.equal(res.statusCode, 400, url);
      assert.equal((res.json() as { parameter: string }).parameter, parameter, url);
    }
  } finally {
    await loaded.app.close();
    await loaded.service.stop();
  }
});

test('fixture: node analytics, paths, reach and observer analytics through the worker pool', async () => {
  const { store, records } = fixtureStore();
  const { app, service } = await appFor(store, true);
  try {
    // The node with the most adverts in the fixture.
    const adverts = new Map<string, number>();
    for (const t of records.transmissions)
      if (t.fromPubkey) adverts.set(t.fromPubkey, (adverts.get(t.fromPubkey) ?? 0) + 1);
    const [pk, own] = [...adverts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
    const res = await app.inject({ url: `/api/nodes/${pk}/analytics?days=400` });
    assert.equal(res.statusCode, 200);
    const a = res.json() as Record<string, any>;
    const total = a.computedStats.totalPackets as number;
    assert.ok(total >= own, `${total} packets include the node's ${own} adverts`);
    const sum = (xs: { count: number }[]) => xs.reduce((s, x) => s + x.count, 0);
    assert.equal(sum(a.packetTypeBreakdown), total);
    assert.equal(sum(a.activityTimeline), total);
    assert.equal(sum(a.uptimeHeatmap), total);
    assert.equal(a.timeRange.days, 365, 'days clamps to 365');
    const advertCount = a.packetTypeBreakdown.find(
      (x: { payload_type: number }) => x.payload_type === 4,
    ).count;
    assert.ok(advertCount >= own);
    // The node's clock skew (spec §6.6) is embedded as computed on its own.
    const skew = computeNodeClockSkew(recordsInput(records, FIXTURE_NOW_MS), pk);
    assert.ok(skew);
    assert.deepEqual(a.clockSkew, JSON.parse(JSON.stringify(skew)));

    assert.equal((await app.inject({ url: `/api/nodes/${'ee'.repeat(32)}/analytics` })).statusCode, 404);
    assert.equal((await app.inject({ url: `/api/nodes/${'ee'.repeat(32)}/reach` })).statusCode, 404);
    assert.equal((await app.inject({ url: `/api/nodes/${'ee'.repeat(32)}/paths` })).statusCode, 404);
    assert.equal((await app.inject({ url: '/api/observers/NOPE/analytics' })).statusCode, 404);

    const paths = (await app.inject({ url: `/api/nodes/${pk}/paths` })).json() as Record<string, any>;
    assert.equal(sum(paths.paths), paths.totalTransmissions);
    const reach = await app.inject({ url: `/api/nodes/${pk}/reach?days=99` });
    assert.equal(reach.statusCode, 200);
    assert.equal((reach.json() as { window: { days: number } }).window.days, 30, 'days clamps to 30');

    // The observer with the most observations; the fixture's are all on 2026-05-17 (within 1 day).
    const perObserver = new Map<string, number>();
    for (const o of records.observations)
      perObserver.set(o.observerId, (perObserver.get(o.observerId) ?? 0) + 1);
    const [oid, n] = [...perObserver.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))[0];
    const o = (await app.inject({ url: `/api/observers/${oid}/analytics?days=1` })).json() as Record<
      string,
      any
    >;
    assert.equal(sum(o.timeline), n);
    assert.equal(
      Object.values(o.packetTypes as Record<string, number>).reduce((s, v) => s + v, 0),
      n,
    );
    assert.equal(o.recentPackets.length, Math.min(20, n));
    for (const b of o.timeline) assert.match(b.label, /^\d\d:00$/);
  } finally {
    await app.close();
    await service.stop();
  }
});

test('metrics summary: hand-worked aggregates from a real observer_metrics table', async () => {
  const path = join(dir, 'metrics.db');
  const db = openDatabase(path);
  migrate(db);
  const NOW = Date.parse('2026-05-17T12:00:00Z');
  const ins = db.prepare(
    `INSERT INTO observer_metrics (observer_id, timestamp, noise_floor, tx_air_secs, rx_air_secs, recv_errors,
       battery_mv, packets_sent, packets_recv, ml_uptime_secs) VALUES (?,?,?,?,?,?,?,?,?,?)`,
  );
  const ts = (minAgo: number) => new Date(NOW - minAgo * 60_000).toISOString();
  // A: three samples 5 min apart, no reboot. Deltas over 600 s: tx 6 s (1 %), rx 60 s (10 %),
  // errors 20 of 20 + 200 received (9.09 %). Noise floor -110, -108, -100: avg -106.
  ins.run('AAAA', ts(10), -110, 10, 100, 10, 4000, 0, 1000, 1000);
  ins.run('AAAA', ts(5), -108, 13, 130, 20, 3950, 0, 1100, 1300);
  ins.run('AAAA', ts(0), -100, 16, 160, 30, 3900, 0, 1200, 1600);
  // B: uptime falls between the first two (a reboot: no delta), then tx 1 → 4 over 300 s (1 %).
  // Its newest sample is 40 min old: offline. Battery 3200 < 3300 would be low, but offline wins.
  ins.run('BBBB', ts(50), -90, 50, 500, 5, 3200, 0, 900, 5000);
  ins.run('BBBB', ts(45), -95, 1, 10, 0, 3200, 0, 10, 100);
  ins.run('BBBB', ts(40), -96, 4, 40, 0, 3200, 0, 40, 400);
  // Outside the 1 h window.
  ins.run('AAAA', ts(120), -50, 0, 0, 0, 4000, 0, 0, 10);
  db.close();
  const reader = new ObserverMetricsReader(path);
  const store = new MemoryStore();
  store.upsertObserver(observerRecord('AAAA', NOW, { name: 'A', iata: 'SJC', lastSeenMs: NOW }));
  store.upsertObserver(observerRecord('BBBB', NOW, { name: 'B', iata: 'OAK', lastSeenMs: NOW }));
  const { app, service } = await appFor(store, true, reader, NOW);
  try {
    const res = await app.inject({ url: '/api/observers/metrics/summary?window=1h' });
    assert.equal(res.statusCode, 200);
    const body = res.json() as Record<string, any>;
    assert.equal(body.samplesRead, 6);
    assert.equal(body.capped, false);
    const byId = new Map((body.observers as any[]).map((o) => [o.observer_id, o]));
    const a = byId.get('AAAA');
    assert.equal(a.samples, 3);
    assert.equal(a.current_noise_floor, -100);
    assert.equal(a.avg_noise_floor, -106);
    assert.equal(a.max_noise_floor, -100);
    assert.equal(a.tx_airtime_pct, 1);
    assert.equal(a.rx_airtime_pct, 10);
    assert.equal(a.recv_error_rate, 9.09);
    assert.equal(a.battery_mv, 3900);
    assert.equal(a.reboots, 0);
    assert.equal(a.status, 'normal');
    const b = byId.get('BBBB');
    assert.equal(b.reboots, 1);
    assert.equal(b.tx_airtime_pct, 1);
    assert.equal(b.status, 'offline');
    // Not-normal first.
    assert.equal(body.observers[0].observer_id, 'BBBB');
    assert.equal(body.fleet.errors.reboots, 1);
    assert.equal(body.fleet.offline, 1);
    // Region filter and a bad window.
    const sjc = (
      await app.inject({ url: '/api/observers/metrics/summary?window=1h&region=sjc' })
    ).json() as any;
    assert.deepEqual(
      sjc.observers.map((o: any) => o.observer_id),
      ['AAAA'],
    );
    const bad = await app.inject({ url: '/api/observers/metrics/summary?window=2d' });
    assert.equal(bad.statusCode, 400);
    assert.equal((bad.json() as { parameter: string }).parameter, 'window');
    // The 3 h window reaches the old AAAA sample (-50 dBm): a 4-sample max.
    const three = (await app.inject({ url: '/api/observers/metrics/summary?window=3h' })).json() as any;
    assert.equal(three.observers.find((o: any) => o.observer_id === 'AAAA').max_noise_floor, -50);
  } finally {
    await app.close();
    await service.stop();
    reader.close();
  }
});
