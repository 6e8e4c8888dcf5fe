// Worker side of view.test.ts: builds a StoreView from the handle and port it was sent,
// then repeatedly refreshes and checks every readable row against values derivable from
// its id (the writer's formula), while the main thread keeps appending.

import { parentPort, workerData } from 'node:worker_threads';
import { StoreView, chunkSpans } from '../../../src/store/memory/view.js';
import type { StoreHandle } from '../../../src/store/memory/view.js';
import type { MessagePort } from 'node:worker_threads';

const { handle, port } = workerData as { handle: StoreHandle; port: MessagePort };
const view = new StoreView(handle, port);
let checks = 0;
let maxSeen = 0;
let errors: string[] = [];

function verify(): void {
  const counts = view.refresh();
  // Every row below the published count must be fully written (consistent prefix).
  for (const span of chunkSpans(view.obs.chunkRows, counts.obs)) {
    const ids = view.obs.cols.id[span.chunk];
    const rx = view.obs.cols.rxMs[span.chunk];
    const snr = view.obs.cols.snr[span.chunk];
    for (let i = 0; i < span.length; i++) {
      const id = ids[i];
      if (id !== span.base + i + 1 || rx[i] !== 1e12 + id * 10 || snr[i] !== (id % 80) - 40) {
        errors.push(`obs row ${span.base + i}: id ${id} rx ${rx[i]} snr ${snr[i]}`);
        return;
      }
    }
  }
  for (let r = 0; r < counts.tx; r++) {
    const id = view.tx.get('id', r);
    if (view.txHash(r) !== id.toString(16).padStart(16, '0')) errors.push(`tx ${r} hash`);
    if (view.txDecodedJson(r) !== JSON.stringify({ n: id })) errors.push(`tx ${r} json`);
    if (view.txChannel(r) !== `ch${id % 5}`) errors.push(`tx ${r} channel`);
  }
  if (counts.obs > 0) {
    const last = counts.obs - 1;
    const hops = view.obsPathHops(last);
    const id = last + 1;
    if (
      hops.join(',') !==
      [id & 255, (id >> 8) & 255].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(',')
    ) {
      errors.push(`obs ${last} path ${hops.join(',')}`);
    }
    if (view.obsObserverId(last) !== `OBS${id % 3}`) errors.push(`obs ${last} observer`);
  }
  maxSeen = Math.max(maxSeen, counts.obs);
  checks++;
}

parentPort!.on('message', (m: { cmd: 'run' | 'stop' }) => {
  if (m.cmd === 'stop') {
    verify();
    const obsBuffers = view.obs.chunks;
    parentPort!.postMessage({
      checks,
      maxSeen,
      errors: errors.slice(0, 5),
      obsBuffers,
      final: view.refresh(),
    });
    port.close();
    return;
  }
  verify();
  setImmediate(() => parentPort!.postMessage({ tick: checks, errors: errors.length }));
});
parentPort!.postMessage({ ready: true });
errors = [];
