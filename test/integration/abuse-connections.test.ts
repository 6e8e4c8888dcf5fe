// Issue 13 risk "no connection cap; slow-header connections held 60-76 s" and defect #3's
// per-IP rate limit, against the real server: a slowloris client (headers byte by byte) gets
// 408 MESHLENS_ERR_REQUEST_TIMEOUT after `http.headersTimeoutMs` and is closed; a connection over
// `http.maxConnections` is closed at once; over `http.rateLimit.max` requests a heavy route
// answers 429 MESHLENS_ERR_RATE_LIMITED with Retry-After while light routes still answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import type { RunningServer } from '../../src/server/index.js';
import { until } from '../support/until.js';
import { start, tempDir, testConfig } from './harness.js';

function rawSocket(
  server: RunningServer,
): Promise<{ socket: Socket; received: () => string; closed: Promise<void> }> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    let data = '';
    const socket = connect(Number(port), '127.0.0.1');
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    socket.on('data', (d) => (data += String(d)));
    socket.once('connect', () => resolve({ socket, received: () => data, closed }));
    socket.once('error', reject);
  });
}

test('slowloris: headers sent byte by byte get 408 {error, code} after headersTimeoutMs and the socket closed', async () => {
  const server = await start(
    testConfig(tempDir(), { http: { headersTimeoutMs: 600, requestTimeoutMs: 2000 } }),
  );
  const { socket, received, closed } = await rawSocket(server);
  try {
    const request = 'GET /api/stats HTTP/1.1\r\nHost: localhost\r\nX-Slow: ' + 'a'.repeat(200) + '\r\n\r\n';
    const t0 = performance.now();
    let i = 0;
    const drip = setInterval(() => {
      if (i < request.length && !socket.destroyed) socket.write(request[i++]);
    }, 50);
    try {
      await Promise.race([
        closed,
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error(`not closed in 5 s: ${received()}`)), 5000),
        ),
      ]);
    } finally {
      clearInterval(drip);
    }
    const ms = performance.now() - t0;
    assert.ok(i < request.length, 'closed before the headers were complete');
    assert.ok(ms >= 500 && ms < 2500, `closed after ${ms.toFixed(0)} ms`);
    const [head, body] = received().split('\r\n\r\n');
    assert.match(head, /^HTTP\/1\.1 408 /);
    assert.deepEqual(JSON.parse(body), {
      error: 'the request was not received in time',
      code: 'MESHLENS_ERR_REQUEST_TIMEOUT',
    });
    // The server still serves everyone else.
    assert.equal((await fetch(server.url + '/api/stats')).status, 200);
  } finally {
    socket.destroy();
    await server.stop();
  }
});

test('over http.maxConnections a new connection is closed at once; a freed slot serves again', async () => {
  const server = await start(testConfig(tempDir(), { http: { maxConnections: 5 } }));
  const open: Socket[] = [];
  try {
    for (let i = 0; i < 5; i++) open.push((await rawSocket(server)).socket);
    await until(() => new Promise<boolean>((r) => server.app.server.getConnections((_e, n) => r(n === 5))), {
      what: '5 connections open',
    });
    const extra = await rawSocket(server);
    open.push(extra.socket);
    extra.socket.write('GET /api/stats HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await Promise.race([
      extra.closed,
      new Promise((_, reject) => setTimeout(() => reject(new Error('the 6th connection stayed open')), 3000)),
    ]);
    assert.equal(extra.received(), '', 'refused without an answer');
    for (const s of open) s.destroy();
    await until(() => new Promise<boolean>((r) => server.app.server.getConnections((_e, n) => r(n === 0))), {
      what: 'connections closed',
    });
    assert.equal((await fetch(server.url + '/api/stats')).status, 200);
  } finally {
    for (const s of open) s.destroy();
    await server.stop();
  }
});

test('per-IP rate limit per heavy route: 429 {error, code} with Retry-After after http.rateLimit.max', async () => {
  const server = await start(testConfig(tempDir(), { http: { rateLimit: { max: 5, windowSec: 30 } } }));
  try {
    const paths = [
      '/api/packets?limit=5',
      '/api/packets',
      '/api/packets?type=4',
      '/api/packets',
      '/api/packets',
    ];
    for (const p of paths) assert.equal((await fetch(server.url + p)).status, 200, p);
    const res = await fetch(server.url + '/api/packets?limit=10000');
    assert.equal(res.status, 429);
    const retryAfter = Number(res.headers.get('retry-after'));
    assert.ok(retryAfter > 0 && retryAfter <= 30, `Retry-After ${retryAfter}`);
    const body = (await res.json()) as { error: string; code: string };
    assert.equal(body.code, 'MESHLENS_ERR_RATE_LIMITED');
    assert.equal(body.error, `too many requests; retry in ${retryAfter} s`);
    // Each heavy route has its own budget per IP.
    for (let i = 0; i < 5; i++) assert.equal((await fetch(server.url + '/api/nodes')).status, 200);
    assert.equal((await fetch(server.url + '/api/nodes')).status, 429);
    for (let i = 0; i < 5; i++) assert.equal((await fetch(server.url + '/api/observers')).status, 200);
    const observers = await fetch(server.url + '/api/observers');
    assert.equal(observers.status, 429);
    assert.equal(((await observers.json()) as { code: string }).code, 'MESHLENS_ERR_RATE_LIMITED');
    // Light routes are not limited.
    for (let i = 0; i < 10; i++) assert.equal((await fetch(server.url + '/api/stats')).status, 200);
    assert.equal(server.app.meshlens.heavy.stats().rateLimited, 3);
  } finally {
    await server.stop();
  }
});

test('the rate limit allow-list exempts an address; max 0 turns the limit off', async () => {
  for (const rateLimit of [{ max: 2, allowList: ['127.0.0.1'] }, { max: 0 }]) {
    const server = await start(testConfig(tempDir(), { http: { rateLimit } }));
    try {
      for (let i = 0; i < 6; i++) assert.equal((await fetch(server.url + '/api/packets')).status, 200);
    } finally {
      await server.stop();
    }
  }
});

test('behind a trusted proxy (http.trustProxy) the rate limit counts per X-Forwarded-For client', async () => {
  const server = await start(
    testConfig(tempDir(), { http: { trustProxy: ['127.0.0.1'], rateLimit: { max: 2, windowSec: 60 } } }),
  );
  try {
    const from = (ip: string) => fetch(server.url + '/api/packets', { headers: { 'x-forwarded-for': ip } });
    assert.deepEqual(
      [(await from('10.0.0.1')).status, (await from('10.0.0.1')).status, (await from('10.0.0.1')).status],
      [200, 200, 429],
    );
    assert.equal((await from('10.0.0.2')).status, 200);
  } finally {
    await server.stop();
  }
});
