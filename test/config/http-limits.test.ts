// The `http` limits of issue 13 (i13c): defaults, partial overrides merged over them, and bad
// values rejected at start-up with the key named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/index.js';

const dir = mkdtempSync(join(tmpdir(), 'meshlens-config-http-'));
let n = 0;
const load = (http: unknown) => {
  const path = join(dir, `config-${n++}.json`);
  writeFileSync(path, JSON.stringify({ http }));
  return loadConfig({ path, env: {} }).config.http;
};
function problemsOf(http: unknown): string[] {
  try {
    load(http);
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.problems;
  }
  assert.fail('expected a ConfigError');
}

test('http limits: defaults, and a partial object merged over them', () => {
  assert.deepEqual(loadConfig({ env: {} }).config.http, {
    maxConnections: 1024,
    headersTimeoutMs: 10_000,
    requestTimeoutMs: 30_000,
    connectionTimeoutMs: 60_000,
    keepAliveTimeoutMs: 72_000,
    maxRequestsPerSocket: 0,
    requestConcurrency: 4,
    heavyConcurrency: 4,
    heavyQueue: 128,
    heavyQueueTimeoutMs: 15_000,
    heavyRetryAfterSec: 2,
    heavyStallTimeoutMs: 15_000,
    rateLimit: { max: 300, windowSec: 60, allowList: [] },
    websocketBadMessages: { max: 10, windowSec: 10 },
    trustProxy: [],
  });
  const h = load({ rateLimit: { max: 20 }, heavyConcurrency: 8, trustProxy: ['127.0.0.1', '10.0.0.0/8'] });
  assert.deepEqual(h.rateLimit, { max: 20, windowSec: 60, allowList: [] });
  assert.equal(h.heavyConcurrency, 8);
  assert.equal(h.headersTimeoutMs, 10_000);
  assert.deepEqual(h.trustProxy, ['127.0.0.1', '10.0.0.0/8']);
});

test('http limits: bad values are start-up errors naming the key', () => {
  assert.deepEqual(problemsOf({ headersTimeoutMs: 40_000 }), [
    'http.headersTimeoutMs: must not exceed http.requestTimeoutMs (30000)',
  ]);
  assert.deepEqual(problemsOf({ trustProxy: ['proxy.local', '10.0.0.0/33'] }), [
    "http.trustProxy[0]: 'proxy.local' is not an IP address or CIDR (e.g. 127.0.0.1, 10.0.0.0/8)",
    "http.trustProxy[1]: '10.0.0.0/33' is not an IP address or CIDR (e.g. 127.0.0.1, 10.0.0.0/8)",
  ]);
  for (const bad of [
    { heavyConcurrency: 0 },
    { rateLimit: { windowSec: 0 } },
    { maxConnections: -1 },
    { rateLimits: {} },
  ]) {
    const problems = problemsOf(bad);
    assert.equal(problems.length, 1, JSON.stringify(problems));
    assert.match(problems[0], /^http\./);
  }
  // No whole-request timeout: any headers timeout is allowed.
  assert.equal(load({ requestTimeoutMs: 0, headersTimeoutMs: 90_000 }).headersTimeoutMs, 90_000);
});
