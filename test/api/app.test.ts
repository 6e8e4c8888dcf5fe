import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync, gzipSync } from 'node:zlib';
import { connect, type AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import { buildApp, bodyLimitBytes } from '../../src/api/app.js';
import { notReady } from '../../src/api/errors.js';
import { Readiness } from '../../src/api/readiness.js';
import { loadConfig } from '../../src/config/index.js';

const KEY = 'k3y-for-tests-0123456789';
const dir = mkdtempSync(join(tmpdir(), 'meshlens-app-'));
function config(value: Record<string, unknown> = {}) {
  const p = join(dir, `${Math.random()}.json`);
  writeFileSync(p, JSON.stringify(value));
  return loadConfig({ path: p, env: {} }).config;
}

/** A stand-in for a data route plugin: validated query, params, body, auth, big output. */
const sample: FastifyPluginAsync = async (app) => {
  app.get(
    '/things/:id',
    {
      schema: {
        summary: 'One thing',
        params: {
          type: 'object',
          properties: { id: { type: 'integer', description: 'thing id' } },
          required: ['id'],
        },
        querystring: {
          type: 'object',
          properties: {
            limit: { type: 'integer', minimum: 1 },
            order: { type: 'string', enum: ['asc', 'desc'] },
          },
        },
        response: {
          200: { type: 'object', properties: { id: { type: 'integer' }, limit: { type: 'integer' } } },
        },
      },
    },
    async (request) => {
      const { id } = request.params as { id: number };
      if (id === 404) throw notReady('things', 3);
      return { id, limit: (request.query as { limit?: number }).limit ?? 50, secret: 'not serialized' };
    },
  );
  app.get('/big', async () => ({ rows: Array.from({ length: 500 }, (_, i) => ({ i, name: `row ${i}` })) }));
  app.post(
    '/things',
    {
      preHandler: app.meshlens.requireApiKey,
      schema: {
        security: [{ apiKey: [] }],
        body: { type: 'object', properties: { hex: { type: 'string' } }, required: ['hex'] },
      },
    },
    async (request) => ({ got: (request.body as { hex: string }).hex }),
  );
  app.get('/boom', async () => {
    throw new Error('internal detail');
  });
};

test('healthz: 503 with progress and Retry-After until ready, then 200; load-status header', async () => {
  const readiness = new Readiness();
  let loaded = 1234;
  let done = false;
  readiness.register('store', () => ({
    ready: done,
    loadedRows: loaded,
    progress: { phase: 'observations' },
  }));
  const app = await buildApp({ config: config(), readiness });
  let r = await app.inject('/api/healthz');
  assert.equal(r.statusCode, 503);
  assert.equal(r.headers['retry-after'], '5');
  assert.equal(r.headers['x-corescope-load-status'], 'loading; progress=1234');
  assert.equal(r.headers['cache-control'], 'no-store');
  assert.deepEqual(r.json(), {
    ready: false,
    reason: 'loading',
    loadedRows: 1234,
    components: { store: { ready: false, loadedRows: 1234, progress: { phase: 'observations' } } },
  });
  loaded = 5000;
  done = true;
  r = await app.inject('/api/healthz');
  assert.equal(r.statusCode, 200);
  assert.equal(r.headers['x-corescope-load-status'], 'ready');
  assert.deepEqual(r.json(), {
    ready: true,
    loadedRows: 5000,
    components: { store: { ready: true, loadedRows: 5000, progress: { phase: 'observations' } } },
  });
  await app.close();
});

test('validation errors name the parameter; unknown routes and internal errors are coded JSON', async () => {
  const app = await buildApp({ config: config({ apiKey: KEY }), routes: [sample] });
  const cases: [string, number, unknown][] = [
    ['/api/things/7?limit=3', 200, { id: 7, limit: 3 }],
    [
      '/api/things/7?limit=0',
      400,
      { error: "invalid parameter 'limit': must be >= 1", code: 'MESHLENS_ERR_BAD_PARAMETER' },
    ],
    [
      '/api/things/7?limit=x',
      400,
      { error: "invalid parameter 'limit': must be integer", code: 'MESHLENS_ERR_BAD_PARAMETER' },
    ],
    [
      '/api/things/7?order=up',
      400,
      { error: "invalid parameter 'order': must be one of asc, desc", code: 'MESHLENS_ERR_BAD_PARAMETER' },
    ],
    [
      '/api/things/abc',
      400,
      { error: "invalid parameter 'id': must be integer", code: 'MESHLENS_ERR_BAD_PARAMETER' },
    ],
    ['/api/nope?x=1', 404, { error: 'no route for GET /api/nope', code: 'MESHLENS_ERR_ROUTE_NOT_FOUND' }],
    ['/api/boom', 500, { error: 'internal error', code: 'MESHLENS_ERR_INTERNAL' }],
    [
      '/api/things/404',
      503,
      { error: 'things is not ready yet; retry in 3 s', code: 'MESHLENS_ERR_NOT_READY' },
    ],
  ];
  for (const [url, status, body] of cases) {
    const r = await app.inject(url);
    assert.equal(r.statusCode, status, url);
    assert.deepEqual(r.json(), body, url);
    assert.equal(r.headers['content-type'], 'application/json; charset=utf-8', url);
    assert.equal(r.headers['cache-control'], 'no-store', url);
  }
  assert.equal((await app.inject('/api/things/404')).headers['retry-after'], '3');
  await app.close();
});

test('write routes: 403 without a configured key, 401 wrong or missing key, body errors coded', async () => {
  const noKey = await buildApp({ config: config(), routes: [sample] });
  let r = await noKey.inject({ method: 'POST', url: '/api/things', payload: { hex: '00' } });
  assert.equal(r.statusCode, 403);
  assert.deepEqual(r.json(), {
    error: 'write endpoints disabled: no apiKey configured',
    code: 'MESHLENS_ERR_WRITES_DISABLED',
  });
  await noKey.close();

  const app = await buildApp({ config: config({ apiKey: KEY }), routes: [sample] });
  const post = (headers: Record<string, string>, payload: string) =>
    app.inject({
      method: 'POST',
      url: '/api/things',
      headers: { 'content-type': 'application/json', ...headers },
      payload,
    });
  r = await post({}, '{"hex":"00"}');
  assert.equal(r.statusCode, 401);
  assert.deepEqual(r.json(), { error: 'missing or wrong X-API-Key', code: 'MESHLENS_ERR_UNAUTHORIZED' });
  assert.equal((await post({ 'x-api-key': KEY + 'x' }, '{"hex":"00"}')).statusCode, 401);
  r = await post({ 'x-api-key': KEY }, '{"hex":"00"}');
  assert.deepEqual([r.statusCode, r.json()], [200, { got: '00' }]);
  r = await post({ 'x-api-key': KEY }, '{"hex":');
  assert.deepEqual(
    [r.statusCode, r.json()],
    [400, { error: 'request body is not valid JSON', code: 'MESHLENS_ERR_INVALID_JSON' }],
  );
  r = await post({ 'x-api-key': KEY }, '{}');
  assert.deepEqual(
    [r.statusCode, r.json()],
    [400, { error: 'invalid request body: hex is required', code: 'MESHLENS_ERR_BAD_BODY' }],
  );
  r = await post({ 'x-api-key': KEY }, JSON.stringify({ hex: 'x'.repeat(bodyLimitBytes) }));
  assert.deepEqual(
    [r.statusCode, r.json()],
    [
      413,
      {
        error: `request body is larger than ${bodyLimitBytes} bytes`,
        code: 'MESHLENS_ERR_PAYLOAD_TOO_LARGE',
      },
    ],
  );
  await app.close();
});

test('compression above the threshold, with Vary; none below it or when disabled', async () => {
  const app = await buildApp({ config: config(), routes: [sample] });
  const big = await app.inject({ url: '/api/big', headers: { 'accept-encoding': 'gzip' } });
  assert.equal(big.headers['content-encoding'], 'gzip');
  assert.match(String(big.headers.vary), /accept-encoding/i);
  assert.equal(JSON.parse(gunzipSync(big.rawPayload).toString()).rows.length, 500);
  const small = await app.inject({ url: '/api/things/1', headers: { 'accept-encoding': 'gzip' } });
  assert.equal(small.headers['content-encoding'], undefined);
  await app.close();
  const off = await buildApp({ config: config({ compression: { gzip: false } }), routes: [sample] });
  assert.equal(
    (await off.inject({ url: '/api/big', headers: { 'accept-encoding': 'gzip' } })).headers[
      'content-encoding'
    ],
    undefined,
  );
  await off.close();
});

test('CORS: no headers without an allow-list; allowed origin echoed; disallowed preflight 403', async () => {
  const closed = await buildApp({ config: config(), routes: [sample] });
  const r0 = await closed.inject({ url: '/api/things/1', headers: { origin: 'https://x.example' } });
  assert.equal(r0.headers['access-control-allow-origin'], undefined);
  await closed.close();

  const app = await buildApp({
    config: config({ corsAllowedOrigins: ['https://ok.example'] }),
    routes: [sample],
  });
  const r1 = await app.inject({ url: '/api/things/1', headers: { origin: 'https://ok.example' } });
  assert.equal(r1.headers['access-control-allow-origin'], 'https://ok.example');
  assert.equal(r1.headers['access-control-allow-headers'], 'Content-Type, X-API-Key');
  const pre = await app.inject({
    method: 'OPTIONS',
    url: '/api/things/1',
    headers: { origin: 'https://ok.example' },
  });
  assert.equal(pre.statusCode, 204);
  assert.equal(pre.headers['access-control-allow-methods'], 'GET, HEAD, OPTIONS');
  const bad = await app.inject({
    method: 'OPTIONS',
    url: '/api/things/1',
    headers: { origin: 'https://evil.example' },
  });
  assert.equal(bad.statusCode, 403);
  assert.deepEqual(bad.json(), {
    error: "origin 'https://evil.example' is not allowed",
    code: 'MESHLENS_ERR_ORIGIN_FORBIDDEN',
  });
  const get = await app.inject({ url: '/api/things/1', headers: { origin: 'https://evil.example' } });
  assert.equal(get.statusCode, 200);
  assert.equal(get.headers['access-control-allow-origin'], undefined);
  await app.close();
});

test('perf: per-route-template counts and percentiles, slow log, registered sections', async () => {
  const app = await buildApp({
    config: config({ perf: { slowRequestMs: 0, slowLogEntries: 2 } }),
    routes: [sample],
  });
  const off = app.meshlens.perf.sections.register('ingest', () => ({ received: 42 }));
  assert.throws(() => app.meshlens.perf.sections.register('ingest', () => 0), /already taken/);
  assert.throws(() => app.meshlens.perf.sections.register('endpoints', () => 0), /already taken/);
  for (const id of [1, 2, 3]) await app.inject(`/api/things/${id}`);
  await app.inject('/api/nope');
  const perf = (await app.inject('/api/perf')).json();
  const things = perf.endpoints['GET /api/things/:id'];
  assert.equal(things.count, 3);
  assert.ok(
    things.p50Ms > 0 &&
      things.p50Ms <= things.p95Ms &&
      things.p95Ms <= things.p99Ms &&
      things.p99Ms <= things.maxMs,
  );
  assert.equal(perf.endpoints['GET (unmatched)'].count, 1);
  assert.equal(perf.totalRequests, 4);
  assert.deepEqual(perf.ingest, { received: 42 });
  assert.deepEqual(
    perf.slowQueries.map((s: { url: string; status: number }) => [s.url, s.status]),
    [
      ['/api/nope', 404],
      ['/api/things/3', 200],
    ],
  );
  off();
  assert.equal('ingest' in (await app.inject('/api/perf')).json(), false);
  await app.close();
});

test('health: telemetry plus registered sections', async () => {
  const app = await buildApp({ config: config(), version: '1.2.3' });
  app.meshlens.health.register('mqtt', () => ({ sources: 1 }));
  const body = (await app.inject('/api/health')).json();
  assert.equal(body.status, 'ok');
  assert.equal(body.engine, 'node');
  assert.equal(body.version, '1.2.3');
  assert.equal(body.ready, true);
  assert.ok(body.memory.rssMB > 0);
  assert.equal(typeof body.eventLoop.p99Ms, 'number');
  assert.deepEqual(body.mqtt, { sources: 1 });
  await app.close();
});

test('OpenAPI document generated from route schemas', async () => {
  const app = await buildApp({ config: config(), routes: [sample], version: '9.9.9' });
  const spec = (await app.inject('/api/spec')).json();
  assert.equal(spec.openapi, '3.0.3');
  assert.deepEqual(spec.info, { title: 'meshlens API', version: '9.9.9' });
  const op = spec.paths['/api/things/{id}'].get;
  assert.equal(op.summary, 'One thing');
  assert.deepEqual(op.parameters, [
    { name: 'id', in: 'path', required: true, description: 'thing id', schema: { type: 'integer' } },
    { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1 } },
    { name: 'order', in: 'query', required: false, schema: { type: 'string', enum: ['asc', 'desc'] } },
  ]);
  assert.deepEqual(spec.paths['/api/things'].post.security, [{ apiKey: [] }]);
  assert.ok(spec.paths['/api/healthz'].get.responses['503']);
  // Listed in itself, as every reference route must be (issue 9).
  assert.equal(spec.paths['/api/spec'].get.summary, 'This OpenAPI 3 document');
  await app.close();
});

test('a bad Content-Encoding on a POST is a coded 4xx, never a 500 (issue 13 #6)', async () => {
  const app = await buildApp({ config: config({ apiKey: KEY }), routes: [sample] });
  const post = (encoding: string, payload: string | Buffer) =>
    app.inject({
      method: 'POST',
      url: '/api/things',
      headers: { 'content-type': 'application/json', 'content-encoding': encoding, 'x-api-key': KEY },
      payload,
    });
  let r = await post('x'.repeat(300), '{"hex":"00"}');
  assert.equal(r.statusCode, 415);
  assert.equal(r.json().code, 'MESHLENS_ERR_UNSUPPORTED_CONTENT_ENCODING');
  // The client's value is echoed as a short excerpt only.
  assert.ok(r.json().error.length < 140, r.json().error);
  for (const enc of ['gzip', 'deflate', 'br']) {
    r = await post(enc, '{"hex":"00"}');
    assert.deepEqual(
      [r.statusCode, r.json()],
      [
        400,
        { error: `request body could not be decoded as '${enc}'`, code: 'MESHLENS_ERR_BAD_CONTENT_ENCODING' },
      ],
    );
  }
  // A real gzip body still works.
  r = await post('gzip', gzipSync('{"hex":"0a"}'));
  assert.deepEqual([r.statusCode, r.json()], [200, { got: '0a' }]);
  await app.close();
});

test('errors before routing use {error, code} and never echo more than an excerpt (issue 13 #8)', async () => {
  const app = await buildApp({ config: config(), routes: [sample] });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as AddressInfo).port;
  const raw = (req: string) =>
    new Promise<string>((resolve) => {
      const c = connect(port, '127.0.0.1', () => c.write(req));
      let d = '';
      c.on('data', (b) => (d += b));
      c.on('close', () => resolve(d));
      c.on('error', () => resolve(d));
    });
  const parse = (res: string) => {
    const [head, body] = res.split('\r\n\r\n');
    return {
      status: Number(head.split(' ')[1]),
      body: JSON.parse(body) as { error: string; code: string },
      size: res.length,
    };
  };
  // A 20 KB URL: over the header limit, answered without echoing it.
  let r = parse(await raw(`GET /api/things/1?x=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`));
  assert.equal(r.status, 431);
  assert.equal(r.body.code, 'MESHLENS_ERR_HEADERS_TOO_LARGE');
  assert.ok(r.size < 400, `${r.size} bytes`);
  r = parse(await raw(`GET /api/things/1 HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`));
  assert.deepEqual([r.status, r.body.code], [431, 'MESHLENS_ERR_HEADERS_TOO_LARGE']);
  const badUrl = `/api/things/%E0%A4%A${'z'.repeat(2000)}`;
  r = parse(await raw(`GET ${badUrl} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
  assert.deepEqual([r.status, r.body.code], [400, 'MESHLENS_ERR_BAD_URL']);
  assert.ok(r.body.error.length < 100, r.body.error);
  r = parse(await raw('GARBAGE\r\n\r\n'));
  assert.deepEqual(
    [r.status, r.body],
    [400, { error: 'malformed HTTP request', code: 'MESHLENS_ERR_BAD_REQUEST' }],
  );
  await app.close();
});
