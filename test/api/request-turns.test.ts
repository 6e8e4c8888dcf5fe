// RequestTurns (api/limits.ts): at most `limit` non-heavy API requests in progress, the others
// served in arrival order as slots free up, a waiting client that leaves takes nothing, health
// probes and heavy routes never wait.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import Fastify from 'fastify';
import { RequestTurns } from '../../src/api/limits.js';
import { until } from '../support/until.js';

async function turnsApp(limit: number) {
  const turns = new RequestTurns(limit);
  const app = Fastify();
  app.addHook('onRequest', async (request, reply) => turns.enter(request, reply));
  const started: number[] = [];
  const release = new Map<number, () => void>();
  app.get('/api/slow/:n', async (request) => {
    const n = Number((request.params as { n: string }).n);
    started.push(n);
    await new Promise<void>((resolve) => release.set(n, resolve));
    return { n };
  });
  app.get('/api/health', async () => ({ ok: true }));
  app.get('/api/big', { config: { heavy: true } }, async () => ({ heavy: true }));
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url, turns, started, release };
}

test('requests beyond the limit wait and start in arrival order as slots free; health and heavy never wait', async () => {
  const { app, url, turns, started, release } = await turnsApp(2);
  try {
    const answers: Promise<Response>[] = [];
    for (let n = 1; n <= 5; n++) {
      answers.push(fetch(`${url}/api/slow/${n}`));
      await until(() => turns.stats().inProgress + turns.stats().queued === n, { what: `request ${n} seen` });
    }
    assert.deepEqual(started, [1, 2]);
    assert.deepEqual(turns.stats(), { limit: 2, inProgress: 2, queued: 3, waited: 3 });
    // Exempt: the probe and a heavy route answer while every turn is taken.
    assert.equal((await fetch(`${url}/api/health`)).status, 200);
    assert.equal((await fetch(`${url}/api/big`)).status, 200);
    release.get(2)!();
    assert.deepEqual(await (await answers[1]).json(), { n: 2 });
    await until(() => started.length === 3, { what: 'the next request started' });
    assert.deepEqual(started, [1, 2, 3]);
    for (const n of [1, 3]) release.get(n)!();
    await until(() => started.length === 5, { what: 'the rest started' });
    assert.deepEqual(started, [1, 2, 3, 4, 5]);
    for (const n of [4, 5]) release.get(n)!();
    const bodies = await Promise.all([answers[0], ...answers.slice(2)].map(async (a) => (await a).json()));
    assert.deepEqual(
      bodies,
      [1, 3, 4, 5].map((n) => ({ n })),
    );
    await until(() => turns.stats().inProgress === 0, { what: 'every slot back' });
    assert.deepEqual(turns.stats(), { limit: 2, inProgress: 0, queued: 0, waited: 3 });
  } finally {
    await app.close();
  }
});

test('a client that leaves while waiting is dropped from the queue; its handler never runs, no slot leaks', async () => {
  const { app, url, turns, started, release } = await turnsApp(1);
  try {
    const first = fetch(`${url}/api/slow/1`);
    await until(() => started.length === 1, { what: 'request 1 started' });
    // A raw request that waits, then goes away.
    const { port } = new URL(url);
    const req = http.get({ host: '127.0.0.1', port, path: '/api/slow/2' });
    req.on('error', () => undefined);
    await until(() => turns.stats().queued === 1, { what: 'request 2 waiting' });
    req.destroy();
    await until(() => turns.stats().queued === 0, { what: 'request 2 dropped' });
    release.get(1)!();
    assert.equal((await first).status, 200);
    await until(() => turns.stats().inProgress === 0, { what: 'slot back' });
    // The slot is free: a new request starts at once, and 2's handler never ran.
    const third = fetch(`${url}/api/slow/3`);
    await until(() => started.length === 2, { what: 'request 3 started' });
    assert.deepEqual(started, [1, 3]);
    release.get(3)!();
    assert.equal((await third).status, 200);
  } finally {
    await app.close();
  }
});

test('limit 0 turns it off', async () => {
  const { app, url, turns, started, release } = await turnsApp(0);
  try {
    const answers = [1, 2, 3].map((n) => fetch(`${url}/api/slow/${n}`));
    await until(() => started.length === 3, { what: 'all started at once' });
    for (const n of [1, 2, 3]) release.get(n)!();
    await Promise.all(answers);
    assert.deepEqual(turns.stats(), { limit: 0, inProgress: 0, queued: 0, waited: 0 });
  } finally {
    await app.close();
  }
});
