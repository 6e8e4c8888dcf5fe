// The load worker's protocol (load-worker.ts <-> loader.ts): the worker reads the database
// with its own read-only connection and posts column batches, transferring their buffers (no
// structured-clone copy, design.md "The one hard problem"). Flow control: the worker keeps at
// most `maxInFlight` batches unacknowledged, waiting on a shared counter the loader advances
// (Atomics), so a slow main thread bounds the memory held in queued batches.
import type { Worker } from 'node:worker_threads';
import type { BatchEvent } from './load-batches.js';
import { scriptExt, startWorker } from '../../util/worker-script.js';

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

// Under tsx (tests, benches) this file is .ts and so is the worker; compiled, both are .js.
const WORKER_URL = new URL(`./load-worker${scriptExt(import.meta.url)}`, import.meta.url);

/** Start the load worker (compiled or under tsx, see util/worker-script.ts). */
export function startLoadWorker(workerData: LoadWorkerData): Worker {
  return startWorker(WORKER_URL, { workerData });
}
