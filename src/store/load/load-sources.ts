// Where the loader's column batches come from (loader.ts): load workers (load-worker.ts, one
// read-only connection each, buffers transferred, credit-based flow control), or the same
// producer run in this thread for databases a worker cannot open (in-memory).
import { produceBatches, type ProduceOptions } from './load-batches.js';
import { kAcked, startLoadWorker, type LoadWorkerMessage } from './load-protocol.js';
import type { Db } from '../sqlite/open.js';
import type { RowCounts } from '../sqlite/readers.js';

export interface BatchSource {
  next(): Promise<LoadWorkerMessage>;
  /** The loader is done with batch `seq` (its buffers may be dropped). */
  ack(seq: number): void;
  close(): Promise<void>;
}

/** Batches from the load worker; at most MAX_IN_FLIGHT unacknowledged (memory bound). */
export class WorkerSource implements BatchSource {
  private static readonly MAX_IN_FLIGHT = 4;
  private readonly worker;
  private readonly control = new Int32Array(new SharedArrayBuffer(4 * 4));
  private readonly queue: LoadWorkerMessage[] = [];
  private waiter: ((m: LoadWorkerMessage) => void) | null = null;
  private finished = false;

  constructor(
    dbPath: string,
    c: ProduceOptions,
    private readonly onCounts: (c: RowCounts) => void,
  ) {
    this.worker = startLoadWorker({
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
    });
    this.worker.on('message', (m: LoadWorkerMessage) => this.push(m));
    this.worker.on('error', (err) => this.push({ kind: 'error', message: `load worker: ${err.message}` }));
    this.worker.on('exit', (code) => {
      if (!this.finished)
        this.push({ kind: 'error', message: `load worker exited (code ${code}) before the end` });
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
    await this.worker.terminate();
  }
}

/** The same batches built in this thread from the loader's own connection (in-memory databases). */
export class InThreadSource implements BatchSource {
  private readonly gen;
  private seq = 0;

  constructor(db: Db, c: ProduceOptions) {
    this.gen = produceBatches(db, c);
  }

  async next(): Promise<LoadWorkerMessage> {
    const r = this.gen.next();
    if (r.done) return { kind: 'error', message: 'batch producer ended early' };
    return { ...r.value, seq: ++this.seq };
  }

  ack(): void {}

  async close(): Promise<void> {
    this.gen.return(undefined);
  }
}
