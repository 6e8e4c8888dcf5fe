// Analytics routes over the real fixture (temp copy -> SQLite readers -> MemoryStore ->
// worker pool): parameter validation, the warming-up answer, encodings and snapshot age, and
// the reference's own gate (spec analytics §2.4): 8 concurrent readers x 25 requests per
// endpoint against the listening HTTP server, p99 < 100 ms, every answer 200 with valid JSON.
// meshlens-test: serial
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest, Agent } from 'node:http';
import { gunzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { AnalyticsService } from '../../src/analytics/engine/service.js';
import { analyticsRoutes, acceptsGzip } from '../../src/api/routes/analytics.js';
import { areaPolygon } from '../../src/config/areas.js';
import { ANALYTICS } from '../../src/analytics/registry.js';
import { fixtureStore } from '../support/fixture.js';
import { until } from '../support/until.js';

const AREAS = {
  bay: {
    label: 'Bay',
    polygon: [
      [37, -123],
      [38.5, -123],
      [38.5, -121],
      [37, -121],
    ],
  },
  box: { label: 'Box', bbox: [37, -123, 38.5, -121] },
};

function config() {
  return {
    analytics: {
      defaultIntervalSeconds: 3600,
      recomputeIntervalSeconds: {},
      loraPreset: { freq: 869.6e6, bw: 62.5, sf: 8, cr: 5 },
    },
    cacheTTL: {},
  };
}

async function build(service: AnalyticsService): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(analyticsRoutes({ service, areas: AREAS }), { prefix: '/api' });
  return app;
}

test('bad parameters are 400 naming the parameter; before the store loads every route is 503', async () => {
  const service = new AnalyticsService({ store: new MemoryStore(), config: config(), isLoaded: () => false });
  const app = await build(service);
  try {
    const bad: Array<[string, string]> = [
      ['/api/analytics/rf?window=2h', 'window'],
      ['/api/analytics/topology?from=yesterday', 'from'],
      ['/api/analytics/channels?to=2026-05-17', 'to'],
      ['/api/analytics/channels?from=2026-05-17T10:00:00Z&to=2026-05-17T09:00:00Z', 'from'],
      ['/api/analytics/distance?area=atlantis', 'area'],
      ['/api/nodes/clock-skew?area=atlantis', 'area'],
      ['/api/nodes/not-hex!/clock-skew', 'pubkey'],
    ];
    for (const [url, parameter] of bad) {
      const res = await app.inject({ url });
      assert.equal(res.statusCode, 400, url);
      const body = res.json() as { error: string; parameter: string };
      assert.equal(body.parameter, parameter, url);
      assert.ok(body.error.includes(parameter), body.error);
    }
    for (const url of [
      ...ANALYTICS.map((a) => `/api${a.path}`),
      '/api/analytics/rf?window=24h&region=SJC',
      '/api/analytics/hash-sizes?area=bay',
      '/api/nodes/abcd/clock-skew',
    ]) {
      const res = await app.inject({ url });
      assert.equal(res.statusCode, 503, url);
      assert.equal(res.headers['retry-after'], '5');
      assert.deepEqual(res.json(), {
        error: 'analytics warming up',
        code: 'MESHLENS_ERR_ANALYTICS_WARMING',
        retry_after_s: 5,
      });
    }
  } finally {
    await app.close();
    await service.stop();
  }
});

test('every registry entry is served by a route of its own, and nothing else is', async () => {
  const service = new AnalyticsService({ store: new MemoryStore(), config: config(), isLoaded: () => false });
  const app = Fastify();
  const served: string[] = [];
  app.addHook('onRoute', (route) => {
    if (route.method === 'GET' || (Array.isArray(route.method) && route.method.includes('GET')))
      served.push(route.url);
  });
  await app.register(analyticsRoutes({ service, areas: AREAS }), { prefix: '/api' });
  try {
    const paths = ANALYTICS.map((a) => `/api${a.path}`);
    assert.equal(new Set(paths).size, ANALYTICS.length, 'registry paths are distinct');
    for (const path of paths) {
      assert.ok(served.includes(path), `no route serves ${path}`);
      // Answers as an analytic (warming up before the load), not as an unknown route.
      const res = await app.inject({ url: path });
      assert.equal(res.statusCode, 503, path);
      assert.equal(res.json().error, 'analytics warming up', path);
    }
    assert.deepEqual(
      served.filter((u) => !paths.includes(u)),
      [
        '/api/nodes/:pubkey/clock-skew',
        // t1: route patterns over the subpaths analytic's index.
        '/api/analytics/subpaths-bulk',
        '/api/analytics/subpath-detail',
      ],
    );
  } finally {
    await app.close();
    await service.stop();
  }
});

test('query helpers: Accept-Encoding and area geometry', () => {
  assert.equal(acceptsGzip('gzip, deflate, br'), true);
  assert.equal(acceptsGzip('br;q=1.0, gzip;q=0'), false);
  assert.equal(acceptsGzip('*'), true);
  assert.equal(acceptsGzip(undefined), false);
  assert.equal(acceptsGzip('identity'), false);
  assert.deepEqual(areaPolygon(AREAS.box), [
    [37, -123],
    [37, -121],
    [38.5, -121],
    [38.5, -123],
  ]);
  assert.equal(areaPolygon({ label: 'nothing' }), null);
});

interface Got {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  ms: number;
}

function get(port: number, agent: Agent, path: string, encoding = 'gzip'): Promise<Got> {
  return getWith(port, agent, path, encoding ? { 'accept-encoding': encoding } : {});
}

function getWith(port: number, agent: Agent, path: string, headers: Record<string, string>): Promise<Got> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = httpRequest({ port, path, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode!,
          headers: res.headers,
          body: Buffer.concat(chunks),
          ms: performance.now() - t0,
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function decode(g: Got): unknown {
  const raw = g.headers['content-encoding'] === 'gzip' ? gunzipSync(g.body) : g.body;
  return JSON.parse(raw.toString());
}

test('the reference gate on the fixture: 8 readers x 25 requests per endpoint, p99 < 100 ms, all 200', async (t) => {
  const { store, records } = fixtureStore();
  const service = new AnalyticsService({ store, config: config(), isLoaded: () => true, pollMs: 10 });
  const app = await build(service);
  service.start();
  try {
    await until(() => service.stats().analytics.every((s) => !s.warmingUp), {
      what: 'the first passes',
      timeoutMs: 120_000,
      intervalMs: 20,
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as { port: number }).port;
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    const advertiser = records.transmissions.find((t) => t.payloadType === 4 && t.fromPubkey)!.fromPubkey!;
    const endpoints = [...ANALYTICS.map((a) => `/api${a.path}`), `/api/nodes/${advertiser}/clock-skew`];
    const bodies = new Map<string, unknown>();
    // Warm-up (connections, JIT): one request per reader per endpoint, not measured.
    for (const path of endpoints) await Promise.all(Array.from({ length: 8 }, () => get(port, agent, path)));
    for (const path of endpoints) {
      const latencies: number[] = [];
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          for (let i = 0; i < 25; i++) {
            const g = await get(port, agent, path);
            assert.equal(g.status, 200, path);
            assert.equal(g.headers['content-encoding'], 'gzip');
            assert.match(String(g.headers['x-snapshot-age-ms']), /^\d+$/);
            latencies.push(g.ms);
            if (i === 0) bodies.set(path, decode(g));
          }
        }),
      );
      latencies.sort((a, b) => a - b);
      const p99 = latencies[Math.floor(0.99 * latencies.length)];
      assert.equal(latencies.length, 200);
      assert.ok(p99 < 100, `${path}: p99 ${p99.toFixed(1)} ms`);
      t.diagnostic(`${path} p50 ${latencies[100].toFixed(2)} ms p99 ${p99.toFixed(2)} ms`);
    }

    // Conditional GET: the ETag names the representation; a match is a bodiless 304 with the
    // same validator and snapshot age, a stale or foreign one gets the full body.
    const full = await get(port, agent, '/api/analytics/rf');
    const etag = String(full.headers.etag);
    assert.match(etag, /^"[0-9a-z-]+-gz"$/);
    const plainRf = await get(port, agent, '/api/analytics/rf', '');
    assert.equal(String(plainRf.headers.etag), etag.replace('-gz"', '"'));
    const cached = await getWith(port, agent, '/api/analytics/rf', {
      'accept-encoding': 'gzip',
      'if-none-match': etag,
    });
    assert.equal(cached.status, 304);
    assert.equal(cached.body.length, 0);
    assert.equal(cached.headers.etag, etag);
    assert.match(String(cached.headers['x-snapshot-age-ms']), /^\d+$/);
    const other = await getWith(port, agent, '/api/analytics/rf', {
      'accept-encoding': 'gzip',
      'if-none-match': '"x"',
    });
    assert.equal(other.status, 200);
    assert.deepEqual(decode(other), decode(full));
    agent.destroy();

    // Values, reasoned from the fixture: 499 transmissions, 500 observations, 200 nodes (spec §0).
    const rf = bodies.get('/api/analytics/rf') as {
      totalTransmissions: number;
      totalAllPackets: number;
      computedAt: string;
    };
    assert.equal(rf.totalTransmissions, 499);
    assert.equal(rf.totalAllPackets, 500);
    assert.ok(Date.parse(rf.computedAt) <= Date.now());
    const roles = bodies.get('/api/analytics/roles') as {
      totalNodes: number;
      roles: Array<{ nodeCount: number }>;
    };
    assert.equal(roles.totalNodes, 200);
    assert.equal(
      roles.roles.reduce((n, r) => n + r.nodeCount, 0),
      200,
    );
    const fleet = bodies.get('/api/nodes/clock-skew') as Array<{ pubkey: string; nodeName: string | null }>;
    assert.ok(Array.isArray(fleet) && fleet.length > 0 && fleet.length <= 200);
    assert.ok(fleet.every((f) => /^[0-9a-f]{64}$/.test(f.pubkey)));
    const node = bodies.get(`/api/nodes/${advertiser}/clock-skew`) as { pubkey: string };
    assert.equal(node.pubkey, advertiser);
    assert.ok(
      fleet.some((f) => f.pubkey === advertiser),
      'the advertiser is in the fleet list',
    );
    const observers = bodies.get('/api/observers/clock-skew');
    assert.ok(Array.isArray(observers));

    // Identity clients get the same JSON (decompressed once, cached).
    const plain = await get(port, new Agent(), '/api/analytics/roles', '');
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.deepEqual(JSON.parse(plain.body.toString()), roles);
    // A region / window / area shape is computed on request and differs from the default.
    const iata = records.observers.find((o) => o.iata)!.iata!.trim();
    const regional = decode(
      await get(port, new Agent(), `/api/analytics/rf?region=${iata.toLowerCase()},All`),
    ) as {
      totalTransmissions: number;
    };
    assert.ok(regional.totalTransmissions > 0 && regional.totalTransmissions < 499);
    const windowed = decode(await get(port, new Agent(), '/api/analytics/rf?window=1h')) as {
      totalTransmissions: number;
    };
    assert.ok(windowed.totalTransmissions <= 499);
    const missing = await get(port, new Agent(), `/api/nodes/${'0'.repeat(64)}/clock-skew`);
    assert.equal(missing.status, 404);
    assert.deepEqual(decode(missing), {
      error: 'No clock skew data for this node',
      code: 'MESHLENS_ERR_NO_CLOCK_SKEW',
    });
  } finally {
    await app.close();
    await service.stop();
  }
});
