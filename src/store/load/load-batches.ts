// Raw SQLite rows -> column batches for the bulk startup load (spec ingest-store-api §3.3).
// Runs in the load worker (load-worker.ts), so everything per row that needs no store state
// happens off the main thread: CoreScope format conversion (the same rules as the record
// readers in sqlite/readers.ts), hex -> bytes, decoded_json -> UTF-8 bytes, path_json -> hop
// bytes, the content-hash recompute, and the checks appendTransmission/appendObservation
// would make (as a per-row `bad` code). The main thread then only copies columns
// (memory/batch-append.ts).
import type { ObsBatch, TxBatch } from '../memory/batch-append.js';
import type { Db } from '../sqlite/open.js';
import {
  observerIdsByRowid,
  readCounts,
  stridedObservationPages,
  rawTransmissionPages,
  type ReadStats,
  type RowCounts,
} from '../sqlite/readers.js';
import { ObsBatchBuilder } from './load-obs-batch.js';
import { TxBatchBuilder } from './load-tx-batch.js';

export { ObsBatchBuilder, TxBatchBuilder };

/**
 * What a batch producer emits, in order: (if it reads transmissions) tx batches and 'tx-done',
 * then its observation pages (numbered in the global id order), then 'done'.
 */
export type BatchEvent =
  | { kind: 'counts'; counts: RowCounts }
  | { kind: 'tx'; batch: TxBatch }
  | { kind: 'tx-done' }
  | { kind: 'obs'; batch: ObsBatch; page: number }
  | { kind: 'done'; stats: ReadStats };

export interface ProduceOptions {
  rehash: boolean;
  txBatchRows: number;
  obsBatchRows: number;
  stats: ReadStats;
  /** Read the transmissions (one producer does). */
  transmissions: boolean;
  /** First emit the tables' row counts (a worker does: count(*) over millions of rows takes ~0.1 s). */
  counts?: boolean;
  /** This producer reads observation pages first, first + stride, ... (stridedObservationPages). */
  first: number;
  stride: number;
}

/** The transmissions (optionally) then this producer's share of the observations, as column batches. */
export function* produceBatches(db: Db, o: ProduceOptions): Generator<BatchEvent> {
  if (o.counts) yield { kind: 'counts', counts: readCounts(db) };
  if (o.transmissions) {
    const tx = new TxBatchBuilder(o.txBatchRows, { rehash: o.rehash, stats: o.stats });
    for (const page of rawTransmissionPages(db, { chunkSize: o.txBatchRows })) {
      for (const r of page) tx.add(r);
      yield { kind: 'tx', batch: tx.take() };
    }
    yield { kind: 'tx-done' };
  }
  const obs = new ObsBatchBuilder(o.obsBatchRows, observerIdsByRowid(db), o.stats);
  const pages = stridedObservationPages(db, { chunkSize: o.obsBatchRows, stride: o.stride, first: o.first });
  for (const { page, rows } of pages) {
    for (const r of rows) obs.add(r);
    yield { kind: 'obs', batch: obs.take(), page };
  }
  yield { kind: 'done', stats: o.stats };
}
