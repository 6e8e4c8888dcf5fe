// Where the loader's column batches come from (loader.ts): load workers (WorkerSource in
// load-thread.ts: one read-only connection each, buffers transferred, credit-based flow control),
// or the same producer run in this thread for databases a worker cannot open (in-memory).
import { produceBatches, type ProduceOptions } from './load-batches.js';
import type { LoadWorkerMessage } from './load-protocol.js';
import type { Db } from '../sqlite/open.js';

export interface BatchSource {
  next(): Promise<LoadWorkerMessage>;
  /** The loader is done with batch `seq` (its buffers may be dropped). */
  ack(seq: number): void;
  close(): Promise<void>;
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
