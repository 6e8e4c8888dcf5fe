// t5: /api/scope-stats, /api/analytics/relay-airtime-share and POST /api/paths/inspect through the
// routes and the worker pool: 400s naming the parameter, 503 until loaded, answers on the fixture.
// meshlens-test: serial
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { AnalyticsService } from '../../src/analytics/engine/service.js';
import { analyticsRoutes } from '../../src/api/routes/analytics.js';
import { fixtureStore } from '../support/fixture.js';
import { until } from '../support/until.js';

const config = () => ({
  analytics: {
    defaultIntervalSeconds: 3600,
    recomputeIntervalSeconds: {},
    loraPreset: { freq: 869.6e6, bw: 62.5, sf: 8, cr: 5 },
  },
  cacheTTL: {},
});

async function build(service: AnalyticsService) {
  const app = Fastify();
  await app.register(analyticsRoutes({ service, areas: {} }), { prefix: '/api' });
  return app;
}

test('bad parameters and bodies are 400 naming the field; before the load every answer is 503', async () => {
  const service = new AnalyticsService({ store: new MemoryStore(), config: config(), isLoaded: () => false });
  const app = await build(service);
  try {
    for (const [url, parameter] of [
      ['/api/scope-stats?window=30d', 'window'],
      ['/api/scope-stats?window=', 'window'],
      ['/api/analytics/relay-airtime-share?window=2h', 'window'],
    ]) {
      const res = await app.inject({ url });
      assert.equal(res.statusCode, 400, url);
      assert.equal(res.json().parameter, parameter, url);
    }
    const bad: Array<[unknown, string]> = [
      [{}, 'prefixes'],
      [{ prefixes: [] }, 'prefixes'],
      [{ prefixes: Array(65).fill('aa') }, 'prefixes'],
      [{ prefixes: ['a'] }, 'prefixes'],
      [{ prefixes: ['aabbccdd'] }, 'prefixes'],
      [{ prefixes: ['zz'] }, 'prefixes'],
      [{ prefixes: ['aa', 'bbcc'] }, 'prefixes'],
      [{ prefixes: ['aa'], limit: 21 }, 'limit'],
      [{ prefixes: ['aa'], limit: 0 }, 'limit'],
      [{ prefixes: ['aa'], context: 'x' }, 'context'],
      [{ prefixes: ['aa'], context: { since: 'yesterday' } }, 'context.since'],
      [
        { prefixes: ['aa'], context: { since: '2026-05-17T10:00:00Z', until: '2026-05-17T09:00:00Z' } },
        'context.since',
      ],
    ];
    for (const [payload, parameter] of bad) {
      const res = await app.inject({ method: 'POST', url: '/api/paths/inspect', payload: payload as object });
      assert.equal(res.statusCode, 400, JSON.stringify(payload));
      assert.equal(res.json().parameter, parameter, JSON.stringify(payload));
    }
    for (const req of [
      { url: '/api/scope-stats' },
      { url: '/api/scope-stats?window=1h' },
      { url: '/api/analytics/relay-airtime-share' },
      { url: '/api/analytics/relay-airtime-share?window=24h' },
      { method: 'POST' as const, url: '/api/paths/inspect', payload: { prefixes: ['aa', 'bb'] } },
    ]) {
      const res = await app.inject(req);
      assert.equal(res.statusCode, 503, req.url);
      assert.equal(res.headers['retry-after'], '5');
    }
  } finally {
    await app.close();
    await service.stop();
  }
});

test('on the fixture: airtime totals, no transport traffic, an inspect answer with evidence', async () => {
  const { store, records } = fixtureStore();
  const service = new AnalyticsService({ store, config: config(), isLoaded: () => true, pollMs: 10 });
  const app = await build(service);
  service.start();
  try {
    await until(() => service.stats().analytics.every((s) => !s.warmingUp), {
      what: 'first passes',
      timeoutMs: 120_000,
      intervalMs: 20,
    });
    const air = (await app.inject({ url: '/api/analytics/relay-airtime-share' })).json();
    // Every transmission is counted once (no window).
    assert.equal(air.total_count, records.transmissions.length);
    assert.equal(
      air.rows.reduce((s: number, r: { count: number }) => s + r.count, 0),
      records.transmissions.length,
    );
    assert.equal(
      air.rows.reduce((s: number, r: { score: number }) => s + r.score, 0),
      air.total_score,
    );
    for (let i = 1; i < air.rows.length; i++) assert.ok(air.rows[i - 1].score >= air.rows[i].score);
    assert.deepEqual(air.preset, { freq: 869.6e6, bw: 62.5, sf: 8, cr: 5 });
    assert.equal(air.cached, true);
    const windowed = (await app.inject({ url: '/api/analytics/relay-airtime-share?window=1h' })).json();
    assert.equal(windowed.window, '1h');
    assert.equal(windowed.cached, false);
    // The fixture predates scope_name: its transport-route transmissions all count as unscoped.
    const transport = records.transmissions.filter(
      (t) => (t.routeType === 0 || t.routeType === 3) && t.firstSeenMs >= Date.now() - 7 * 86_400_000,
    ).length;
    const scopes = (await app.inject({ url: '/api/scope-stats?window=7d' })).json();
    assert.equal(scopes.window, '7d');
    assert.deepEqual(scopes.summary, {
      transportTotal: transport,
      scoped: 0,
      unscoped: transport,
      unknownScope: 0,
    });
    assert.equal(scopes.timeSeries.length, 29);
    const def = await app.inject({ url: '/api/scope-stats' });
    assert.equal(def.statusCode, 200);
    assert.equal(def.json().window, '24h');
    // Inspect the fixture's longest observed path by its own prefixes: every hop is explained.
    const longest = records.observations.reduce((a, b) => (b.path.length > a.path.length ? b : a));
    const res = await app.inject({
      method: 'POST',
      url: '/api/paths/inspect',
      payload: { prefixes: longest.path, limit: 3 },
    });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.deepEqual(
      body.input.prefixes,
      longest.path.map((p) => p.toLowerCase()),
    );
    assert.ok(body.candidates.length <= 3);
    for (const c of body.candidates) {
      assert.equal(c.path.length, longest.path.length);
      c.path.forEach((k: string, i: number) => assert.ok(k.startsWith(longest.path[i].toLowerCase())));
      assert.equal(c.evidence.perHop.length, longest.path.length);
    }
  } finally {
    await app.close();
    await service.stop();
  }
});
