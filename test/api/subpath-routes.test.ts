// The route-pattern routes (spec analytics §7.1) over the fixture, through the real worker pool:
// 503 + Retry-After until the subpaths snapshot exists, 400 naming the parameter (CoreScope
// answers bad groups / short hops with 200), the answers equal the in-process computes over the
// same data, and a hop resolving to a blacklisted node is a 404 on subpath-detail and absent
// from the lists.
// meshlens-test: serial
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify, { type FastifyInstance } from 'fastify';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { AnalyticsService } from '../../src/analytics/engine/service.js';
import { analyticsRoutes } from '../../src/api/routes/analytics.js';
import { lazyContext } from '../../src/analytics/registry.js';
import { StoreInput } from '../../src/analytics/inputs/store-input.js';
import {
  computeSubpathDetail,
  computeSubpaths,
  type SubpathsResponse,
} from '../../src/analytics/compute/subpaths.js';
import { hopCodeOf } from '../../src/analytics/shared/hop-code.js';
import { DEFAULT_QUERY } from '../../src/analytics/shared/query.js';
import { NO_HIDING } from '../../src/analytics/shared/subpath-index.js';
import { fixtureStore, FIXTURE_NOW_MS } from '../support/fixture.js';
import { until } from '../support/until.js';

function config(extra: { nodeBlacklist?: string[] } = {}) {
  return {
    analytics: { defaultIntervalSeconds: 3600, recomputeIntervalSeconds: {} },
    cacheTTL: {},
    ...extra,
  };
}

async function build(service: AnalyticsService, analyticsMax = 200): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(analyticsRoutes({ service, areas: {}, analyticsMax, now: () => FIXTURE_NOW_MS }), {
    prefix: '/api',
  });
  return app;
}

test('subpath routes: 400 naming the parameter; 503 with Retry-After before the first compute', async () => {
  const service = new AnalyticsService({ store: new MemoryStore(), config: config(), isLoaded: () => false });
  const app = await build(service);
  try {
    const bad: Array<[string, string]> = [
      ['/api/analytics/subpaths?minLen=x', 'minLen'],
      ['/api/analytics/subpaths?minLen=5&maxLen=3', 'minLen'],
      ['/api/analytics/subpaths?maxLen=1', 'maxLen'],
      ['/api/analytics/subpaths?limit=ten', 'limit'],
      ['/api/analytics/subpaths?window=2h', 'window'],
      ['/api/analytics/subpaths-bulk', 'groups'],
      ['/api/analytics/subpaths-bulk?groups=2-2', 'groups'],
      ['/api/analytics/subpaths-bulk?groups=2-2:50,x', 'groups'],
      ['/api/analytics/subpaths-bulk?groups=4-3:5', 'groups'],
      ['/api/analytics/subpaths-bulk?groups=2-2:0', 'groups'],
      ['/api/analytics/subpath-detail', 'hops'],
      ['/api/analytics/subpath-detail?hops=ab', 'hops'],
      ['/api/analytics/subpath-detail?hops=ab,zz', 'hops'],
      ['/api/analytics/subpath-detail?hops=ab,cdef', 'hops'],
    ];
    for (const [url, parameter] of bad) {
      const res = await app.inject({ url });
      assert.equal(res.statusCode, 400, url);
      const body = res.json() as { error: string; parameter: string };
      assert.equal(body.parameter, parameter, url);
      assert.ok(body.error.includes(parameter), body.error);
    }
    for (const url of [
      '/api/analytics/subpaths',
      '/api/analytics/subpaths?minLen=3&region=SJC',
      '/api/analytics/subpaths-bulk?groups=2-2:50,3-3:30',
      '/api/analytics/subpath-detail?hops=ab,cd',
    ]) {
      const res = await app.inject({ url });
      assert.equal(res.statusCode, 503, url);
      assert.equal(res.headers['retry-after'], '5', url);
    }
  } finally {
    await app.close();
    await service.stop();
  }
});

test('subpath routes on the fixture: answers equal the in-process computes; blacklisted hop is 404', async () => {
  const { store } = fixtureStore();
  // The oracle: the same computes in this thread over the same store.
  const input = new StoreInput(store.view()).snapshot(FIXTURE_NOW_MS);
  const ctx = lazyContext(input);
  const paths = ctx.paths();
  const expected = computeSubpaths(input, DEFAULT_QUERY, paths, ctx.subpaths, null, NO_HIDING);
  assert.ok(expected.subpaths.length > 0);
  // A resolved hop of the top pattern: blacklist its node.
  const top = expected.subpaths[0];
  const detail0 = computeSubpathDetail(input, paths, ctx.subpaths(), top.rawHops.map(hopCodeOf), NO_HIDING)!;
  const victim = detail0.nodes.find((n) => n.pubkey !== null);
  assert.ok(victim, 'the top pattern has a resolved hop');

  const service = new AnalyticsService({
    store,
    config: config({ nodeBlacklist: [victim.pubkey!] }),
    isLoaded: () => true,
    pollMs: 10,
  });
  const app = await build(service, 150);
  service.start();
  try {
    await until(() => service.snapshot('subpaths') !== null, {
      what: 'the subpaths snapshot',
      timeoutMs: 120_000,
    });
    const hide = { nodeBlacklist: [victim.pubkey!], hiddenNamePrefixes: [] };
    const list = await app.inject({ url: '/api/analytics/subpaths' });
    assert.equal(list.statusCode, 200);
    const body = list.json() as SubpathsResponse & { computedAt: string };
    const { computedAt, ...rest } = body;
    assert.match(computedAt, /^\d{4}-/);
    assert.deepEqual(rest, computeSubpaths(input, DEFAULT_QUERY, paths, ctx.subpaths, null, hide));
    assert.ok(
      !body.subpaths.some((s) => s.rawHops.includes(victim.hop)),
      'no pattern through the hidden node',
    );
    // Another shape: minLen 3, limit above analyticsMax (150) is clamped.
    const three = await app.inject({ url: '/api/analytics/subpaths?minLen=3&maxLen=4&limit=999' });
    assert.equal(three.statusCode, 200);
    const threeBody = three.json() as SubpathsResponse;
    const want = computeSubpaths(
      input,
      DEFAULT_QUERY,
      paths,
      ctx.subpaths,
      { minLen: 3, maxLen: 4, limit: 150 },
      hide,
    );
    assert.deepEqual({ subpaths: threeBody.subpaths, totalPaths: threeBody.totalPaths }, want);
    assert.ok(threeBody.subpaths.every((s) => s.hops >= 3 && s.hops <= 4));
    // Bulk: one answer per group, each as the single request.
    const bulk = await app.inject({ url: '/api/analytics/subpaths-bulk?groups=2-2:5,3-8:4' });
    assert.equal(bulk.statusCode, 200);
    const results = (bulk.json() as { results: SubpathsResponse[] }).results;
    assert.deepEqual(results, [
      computeSubpaths(input, DEFAULT_QUERY, paths, ctx.subpaths, { minLen: 2, maxLen: 2, limit: 5 }, hide),
      computeSubpaths(input, DEFAULT_QUERY, paths, ctx.subpaths, { minLen: 3, maxLen: 8, limit: 4 }, hide),
    ]);
    // Detail: the hidden hop is 404; a pattern without it answers as computed.
    const hidden = await app.inject({ url: `/api/analytics/subpath-detail?hops=${top.rawHops.join(',')}` });
    assert.equal(hidden.statusCode, 404);
    const other = body.subpaths[0];
    const detail = await app.inject({ url: `/api/analytics/subpath-detail?hops=${other.rawHops.join(',')}` });
    assert.equal(detail.statusCode, 200);
    const d = detail.json() as { totalMatches: number };
    assert.deepEqual(
      d,
      computeSubpathDetail(input, paths, ctx.subpaths(), other.rawHops.map(hopCodeOf), hide),
    );
    assert.ok(d.totalMatches >= other.count, 'every path counted in the pattern matches its detail');
  } finally {
    await app.close();
    await service.stop();
  }
});
