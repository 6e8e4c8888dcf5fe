import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { WorkerHandle, type ExitInfo } from '../../src/util/worker-handle.js';

// Eval'd CommonJS workers: they start fast and need no TypeScript loader.
// Says 'ready' (with its start attempt), echoes numbers, exits on 'stop' or with code 3 on 'crash'.
const ECHO = `
const { parentPort, workerData } = require('node:worker_threads');
parentPort.postMessage({ t: 'ready', attempt: workerData.attempt });
parentPort.on('message', (m) => {
  if (m === 'stop') parentPort.close();
  else if (m === 'crash') process.exit(3);
  else parentPort.postMessage({ t: 'echo', value: m });
});
`;
// Ignores every message: only terminate ends it.
const DEAF = `setInterval(() => {}, 1000); require('node:worker_threads').parentPort.on('message', () => {});`;

type Out = { t: 'ready'; attempt: number } | { t: 'echo'; value: unknown };

function echo(extra: Partial<ConstructorParameters<typeof WorkerHandle<unknown, Out>>[0]> = {}) {
  const seen: Out[] = [];
  const exits: ExitInfo[] = [];
  const h = new WorkerHandle<unknown, Out>({
    name: 'echo worker',
    script: { source: ECHO },
    start: (attempt) => ({ workerData: { attempt } }),
    isReady: (m) => m.t === 'ready',
    onMessage: (m) => seen.push(m),
    onExit: (_code, info) => exits.push(info),
    ...extra,
  });
  return { h, seen, exits };
}

test('ready resolves at the handshake message, which still reaches onMessage', async () => {
  const { h, seen } = echo();
  assert.equal(h.isReady, false);
  await h.ready();
  assert.equal(h.isReady, true);
  assert.deepEqual(seen, [{ t: 'ready', attempt: 0 }]);
  h.post(7);
  while (seen.length < 2) await new Promise((r) => setTimeout(r, 5));
  assert.deepEqual(seen[1], { t: 'echo', value: 7 });
  await h.stop({ message: 'stop' });
});

test('without a restart policy a crash leaves the worker down and fails the handle', async () => {
  const { h, exits } = echo();
  await h.ready();
  h.post('crash');
  while (exits.length === 0) await new Promise((r) => setTimeout(r, 5));
  assert.deepEqual(exits[0], { error: null, stopping: false, restarting: false });
  assert.equal(h.worker, null);
  assert.match(h.failure!.message, /echo worker crashed 1 times in a row/);
  await assert.rejects(h.ready(), /crashed/);
  await h.stop(); // nothing to stop: resolves
});

test('crash -> restart with backoff until maxRestarts consecutive crashes, then failure', async () => {
  const delays: number[] = [];
  const starts: number[] = [];
  const { h, exits } = echo({
    restart: { maxRestarts: 2, delayMs: (n) => (delays.push(n), 5) },
    onStart: (attempt) => starts.push(attempt),
  });
  await h.ready();
  h.post('crash');
  while (starts.length < 2) await new Promise((r) => setTimeout(r, 5));
  await h.ready();
  assert.equal(h.crashes, 1);
  // Progress resets the count: the next crash is the first again.
  h.resetCrashes();
  h.post('crash');
  while (starts.length < 3) await new Promise((r) => setTimeout(r, 5));
  await h.ready();
  h.post('crash');
  while (starts.length < 4) await new Promise((r) => setTimeout(r, 5));
  await h.ready();
  h.post('crash');
  while (exits.length < 4) await new Promise((r) => setTimeout(r, 5));
  assert.deepEqual(starts, [0, 1, 2, 3]);
  assert.deepEqual(delays, [1, 1, 2]);
  assert.deepEqual(
    exits.map((e) => e.restarting),
    [true, true, true, false],
  );
  assert.match(h.failure!.message, /crashed 3 times in a row/);
  await assert.rejects(h.ready());
});

test('terminate() counts as a crash (test hook) and a restart at delay 0 is immediate', async () => {
  const { h, seen } = echo({ restart: { maxRestarts: Infinity, delayMs: () => 0 } });
  await h.ready();
  const first = h.worker!;
  await h.terminate();
  assert.notEqual(h.worker, null);
  assert.notEqual(h.worker, first);
  await h.ready();
  assert.deepEqual(seen.at(-1), { t: 'ready', attempt: 1 });
  await h.stop({ message: 'stop' });
});

test('stop is idempotent, is not a crash, and cancels a pending restart', async () => {
  const { h, exits } = echo({ restart: { maxRestarts: 5, delayMs: () => 60_000 } });
  await h.ready();
  const a = h.stop({ message: 'stop' });
  const b = h.stop({ message: 'stop' });
  assert.equal(a, b);
  await a;
  assert.deepEqual(exits, [{ error: null, stopping: true, restarting: false }]);
  assert.equal(h.failure, null);

  const r = echo({ restart: { maxRestarts: 5, delayMs: () => 60_000 } });
  await r.h.ready();
  r.h.post('crash');
  while (r.exits.length === 0) await new Promise((res) => setTimeout(res, 5));
  assert.equal(r.exits[0].restarting, true);
  await r.h.stop(); // the 60 s restart timer is cleared: the test ends at once
  assert.equal(r.h.worker, null);
});

test('a worker that ignores its stop message is terminated after timeoutMs', async () => {
  const h = new WorkerHandle<string, never>({
    name: 'deaf worker',
    script: { source: DEAF },
    onMessage: () => {},
  });
  assert.equal(h.isReady, true); // no handshake: ready at start
  const w = h.worker!;
  const exited = once(w, 'exit');
  const t0 = performance.now();
  await h.stop({ message: 'stop', timeoutMs: 50 });
  await exited;
  assert.ok(performance.now() - t0 >= 45);
});
