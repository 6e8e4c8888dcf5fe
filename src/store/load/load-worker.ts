// Worker entry of the startup load (load-protocol.ts): reads transmissions and observations
// with its own read-only connection, converts them into column batches (load-batches.ts) and
// posts them with their buffers transferred, never more than maxInFlight ahead of the loader.
import { parentPort, workerData } from 'node:worker_threads';
import { batchBuffers } from '../memory/batch-append.js';
import { produceBatches } from './load-batches.js';
import { kAcked, type LoadWorkerData, type LoadWorkerMessage } from './load-protocol.js';
import { openDatabase } from '../sqlite/open.js';
import { newReadStats } from '../sqlite/readers.js';
import { lowerThisThreadPriority } from '../../util/thread-priority.js';

const data = workerData as LoadWorkerData;
const port = parentPort!;
const control = new Int32Array(data.control);

function waitForCredit(seq: number): void {
  for (;;) {
    const acked = Atomics.load(control, kAcked);
    if (seq - acked < data.maxInFlight) return;
    Atomics.wait(control, kAcked, acked, 1000);
  }
}

// The main thread must win the CPU from these readers: it serves requests between append
// slices, and appending is the serial part of the load.
lowerThisThreadPriority();
try {
  const db = openDatabase(data.dbPath, { readonly: true });
  try {
    let seq = 0;
    for (const ev of produceBatches(db, { ...data, stats: newReadStats() })) {
      seq++;
      const msg: LoadWorkerMessage = { ...ev, seq };
      port.postMessage(msg, 'batch' in ev ? batchBuffers(ev.batch) : []);
      if ('batch' in ev) waitForCredit(seq);
    }
  } finally {
    db.close();
  }
} catch (err) {
  const msg: LoadWorkerMessage = { kind: 'error', message: (err as Error).message };
  port.postMessage(msg);
}
