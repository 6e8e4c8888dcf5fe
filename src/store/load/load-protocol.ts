// The load worker's protocol (load-worker.ts <-> load-thread.ts): the worker reads the database
// with its own read-only connection and posts column batches, transferring their buffers (no
// structured-clone copy, design.md "The one hard problem"). Flow control: the worker keeps at
// most `maxInFlight` batches unacknowledged, waiting on a shared counter the loader advances
// (Atomics), so a slow main thread bounds the memory held in queued batches.
import type { BatchEvent } from './load-batches.js';

export interface LoadWorkerData {
  dbPath: string;
  rehash: boolean;
  txBatchRows: number;
  obsBatchRows: number;
  maxInFlight: number;
  /** This worker reads the transmissions (worker 0 does). */
  transmissions: boolean;
  /** This worker first posts the row counts (worker 0 does). */
  counts: boolean;
  /** Observation pages first, first + stride, ... (stride = number of load workers). */
  first: number;
  stride: number;
  /** Int32 slot kAcked: sequence number of the last batch the loader finished. */
  control: SharedArrayBuffer;
}

export const kAcked = 0;

/** A BatchEvent numbered in posting order, or the worker's failure. */
export type LoadWorkerMessage = (BatchEvent & { seq: number }) | { kind: 'error'; message: string };
