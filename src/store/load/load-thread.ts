// The load worker's main-thread side: a BatchSource (load-sources.ts) fed by load-worker.ts over
// load-protocol.ts, started and stopped through the shared worker handle (util/worker-handle.ts).
import type { ProduceOptions } from './load-batches.js';
import { kAcked, type LoadWorkerData, type LoadWorkerMessage } from './load-protocol.js';
import type { BatchSource } from './load-sources.js';
import type { RowCounts } from '../sqlite/readers.js';
import { WorkerHandle } from '../../util/worker-handle.js';
import { scriptExt } from '../../util/worker-script.js';

// Under tsx (tests, benches) this file is .ts and so is the worker; compiled, both are .js.
const WORKER_URL = new URL(`./load-worker${scriptExt(import.meta.url)}`, import.meta.url);

/** Batches from the load worker; at most MAX_IN_FLIGHT unacknowledged (memory bound). */
export class WorkerSource implements BatchSource {
  private static readonly MAX_IN_FLIGHT = 4;
  private readonly handle: WorkerHandle<never, LoadWorkerMessage>;
  private readonly control = new Int32Array(new SharedArrayBuffer(4 * 4));
  private readonly queue: LoadWorkerMessage[] = [];
  private waiter: ((m: LoadWorkerMessage) => void) | null = null;
  private finished = false;

  constructor(
    dbPath: string,
    c: ProduceOptions,
    private readonly onCounts: (c: RowCounts) => void,
  ) {
    const workerData: LoadWorkerData = {
      dbPath,
      rehash: c.rehash,
      txBatchRows: c.txBatchRows,
      obsBatchRows: c.obsBatchRows,
      maxInFlight: WorkerSource.MAX_IN_FLIGHT,
      transmissions: c.transmissions,
      counts: c.counts ?? false,
      first: c.first,
      stride: c.stride,
      control: this.control.buffer as SharedArrayBuffer,
    };
    this.handle = new WorkerHandle({
      name: 'load worker',
      script: WORKER_URL,
      start: () => ({ workerData }),
      onMessage: (m) => this.push(m),
      onError: (err) => this.push({ kind: 'error', message: `load worker: ${err.message}` }),
      onExit: (code) => {
        if (!this.finished)
          this.push({ kind: 'error', message: `load worker exited (code ${code}) before the end` });
      },
    });
  }

  private push(m: LoadWorkerMessage): void {
    if (m.kind === 'counts') return this.onCounts(m.counts);
    if (m.kind === 'done' || m.kind === 'error') this.finished = true;
    const w = this.waiter;
    if (w) {
      this.waiter = null;
      w(m);
    } else this.queue.push(m);
  }

  next(): Promise<LoadWorkerMessage> {
    const m = this.queue.shift();
    if (m) return Promise.resolve(m);
    return new Promise((resolve) => (this.waiter = resolve));
  }

  ack(seq: number): void {
    Atomics.store(this.control, kAcked, seq);
    Atomics.notify(this.control, kAcked);
  }

  async close(): Promise<void> {
    this.finished = true;
    await this.handle.stop();
  }
}
