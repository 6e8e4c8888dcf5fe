import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { extname } from 'node:path';
import { MemoryStore } from '../../../src/store/memory/memory-store.js';
import { StoreView, chunkSpans } from '../../../src/store/memory/view.js';
import { kCommittedRows } from '../../../src/store/memory/layout.js';

const SMALL = {
  chunkRows: { tx: 64, obs: 256, nodes: 8, observers: 4 },
  heapChunkBytes: { raw: 256, json: 1024, path: 128 },
};

/** Appends tx n (ids 1..) and observation n with values the worker can recompute from the id. */
function appendPair(store: MemoryStore, n: number): void {
  store.appendTransmission({
    id: n,
    rawHex: 'AB'.repeat(1 + (n % 7)),
    hash: n.toString(16).padStart(16, '0'),
    firstSeenMs: 1e12 + n * 10,
    lastSeenMs: 1e12 + n * 10,
    routeType: 1,
    payloadType: 5,
    payloadVersion: 0,
    decodedJson: JSON.stringify({ n }),
    fromPubkey: null,
    channelHash: `ch${n % 5}`,
    scopeName: null,
  });
  store.appendObservation({
    id: n,
    transmissionId: n,
    observerId: `OBS${n % 3}`,
    direction: 'rx',
    snr: ((n % 80) - 40) / 4,
    rssi: -90,
    score: null,
    path: [n & 255, (n >> 8) & 255].map((b) => b.toString(16).padStart(2, '0').toUpperCase()),
    rxMs: 1e12 + n * 10,
    uploaderMs: null,
  });
}

const ext = extname(fileURLToPath(import.meta.url));
const workerUrl = new URL(`./view-worker${ext}`, import.meta.url);

/**
 * Start the worker script. Compiled (.js) it loads directly. As .ts under the test runner it
 * needs tsx, and on Node 20.20 an inherited `--import tsx` in execArgv does not reach a
 * worker's entry module (ERR_UNKNOWN_FILE_EXTENSION), so a two-line bootstrap registers
 * tsx's ESM hooks inside the worker first, then imports the script.
 */
function startWorker(options: ConstructorParameters<typeof Worker>[1]): Worker {
  if (ext !== '.ts') return new Worker(workerUrl, options);
  const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(workerUrl.href)}); })`;
  return new Worker(boot, { ...options, eval: true });
}

test('a worker reads a consistent prefix while the main thread appends, sharing (not copying) buffers', async () => {
  const store = new MemoryStore(SMALL);
  for (let n = 1; n <= 100; n++) appendPair(store, n);
  const { handle, port, close } = store.connectReader();
  const worker = startWorker({ workerData: { handle, port }, transferList: [port] });
  try {
    const messages: unknown[] = [];
    let resolveNext: (m: unknown) => void = () => {};
    worker.on('message', (m) => {
      messages.push(m);
      resolveNext(m);
    });
    const next = () =>
      new Promise<any>((resolve, reject) => {
        const m = messages.shift();
        if (m !== undefined) return resolve(m);
        resolveNext = () => resolve(messages.shift());
        worker.once('error', reject);
      });
    assert.deepEqual(await next(), { ready: true });
    let n = 100;
    // Interleave: append a batch (crossing chunk boundaries), let the worker verify concurrently.
    for (let round = 0; round < 40; round++) {
      worker.postMessage({ cmd: 'run' });
      for (let k = 0; k < 50; k++) appendPair(store, ++n);
      const tick = await next();
      assert.equal(tick.errors, 0);
    }
    worker.postMessage({ cmd: 'stop' });
    const done = await next();
    assert.deepEqual(done.errors, []);
    assert.equal(done.checks, 41);
    assert.equal(done.final.obs, n, 'the worker ends up seeing every row');
    assert.equal(done.final.tx, n);
    // The worker's chunk buffers are the very SharedArrayBuffers the store writes: write
    // through our copy of the reference and read it back through theirs.
    assert.equal(done.obsBuffers.length, store.obs.chunks.length);
    for (let c = 0; c < store.obs.chunks.length; c++) {
      assert.ok(done.obsBuffers[c] instanceof SharedArrayBuffer);
      const theirs = new Float64Array(done.obsBuffers[c]);
      const mine = new Float64Array(store.obs.chunks[c]);
      const saved = mine[0];
      mine[0] = -12345;
      assert.equal(theirs[0], -12345);
      mine[0] = saved;
    }
  } finally {
    close();
    await worker.terminate();
  }
});

test('a view without a port sees only rows in chunks it has received', () => {
  const store = new MemoryStore(SMALL);
  const view = new StoreView(store.handle());
  for (let n = 1; n <= 300; n++) appendPair(store, n); // obs chunk 0 holds 256 rows
  assert.equal(view.refresh().obs, 0, 'no chunk delivered yet');
  const deltas: Parameters<Parameters<MemoryStore['onChunk']>[0]>[0][] = [];
  const view2 = new StoreView(store.handle());
  store.onChunk((d) => deltas.push(d));
  for (let n = 301; n <= 600; n++) appendPair(store, n);
  assert.equal(view2.refresh().obs, 512, 'third chunk not applied yet');
  for (const d of deltas) view2.applyChunk(d);
  assert.equal(view2.refresh().obs, 600);
  assert.equal(Atomics.load(store.obs.control, kCommittedRows), 600);
});

test('column iteration over chunk spans matches per-row getters', () => {
  const store = new MemoryStore(SMALL);
  for (let n = 1; n <= 700; n++) appendPair(store, n);
  const view = store.view();
  let sum = 0;
  let rows = 0;
  for (const s of chunkSpans(view.obs.chunkRows, view.counts.obs)) {
    const snr = view.obs.cols.snr[s.chunk];
    for (let i = 0; i < s.length; i++) sum += snr[i];
    rows += s.length;
  }
  let expected = 0;
  for (let r = 0; r < 700; r++) expected += view.obsSnr(r)! * 4;
  assert.equal(rows, 700);
  assert.equal(sum, expected);
  assert.deepEqual(chunkSpans(256, 513), [
    { chunk: 0, base: 0, length: 256 },
    { chunk: 1, base: 256, length: 256 },
    { chunk: 2, base: 512, length: 1 },
  ]);
  assert.deepEqual(chunkSpans(256, 0), []);
});

test('chunk boundaries: the last row of a chunk and the first of the next are both intact', () => {
  const store = new MemoryStore(SMALL);
  for (let n = 1; n <= 257; n++) appendPair(store, n);
  const view = store.view();
  for (const r of [254, 255, 256]) {
    assert.equal(view.obs.get('id', r), r + 1);
    assert.equal(store.observation(r).id, r + 1);
  }
  assert.equal(store.obs.chunks.length, 2);
  assert.equal(view.tx.chunks.length, Math.ceil(257 / 64));
  // Heap entries never straddle chunks: 4-byte JSON chunk tails are left unused instead.
  for (let r = 0; r < 257; r++) assert.deepEqual(JSON.parse(view.txDecodedJson(r)), { n: r + 1 });
});

test('interning round-trips through the shared heap in another view, unicode included', () => {
  const store = new MemoryStore(SMALL);
  const names = ['Public', '#test', 'café ☕', '', 'enc_3F', '日本語チャンネル'];
  const ids = names.map((s) => store.interns.channels.intern(s));
  assert.deepEqual(
    names.map((s) => store.interns.channels.intern(s)),
    ids,
    'interning is idempotent',
  );
  assert.equal(new Set(ids).size, names.length);
  for (let i = 0; i < 5000; i++) store.interns.names.intern(`name-${i}`); // crosses intern heap chunks
  const view = new StoreView(store.handle());
  names.forEach((s, i) => assert.equal(view.interns.channels.get(ids[i]), s));
  assert.equal(view.interns.names.get(store.interns.names.lookup('name-4999')), 'name-4999');
  assert.equal(view.interns.names.get(0xffffffff), null);
});
