// Messages between the analytics worker pool and its workers, one module for both sides (as
// Piscina's common.ts). The store travels once, in workerData; after that a request is a name
// and a small query, and a response is the finished body (gzip bytes in a transferred
// ArrayBuffer, never cloned). Nothing of the dataset crosses a thread boundary per compute.
import type { GeoFilter } from '../../config/geo-filter.js';
import type { MessagePort } from 'node:worker_threads';
import type { StoreHandle } from '../../store/memory/reader.js';
import type { AnalyticName, AnalyticOptions } from '../registry.js';
import type { InspectRequest } from '../compute/paths-inspect.js';
import type { AnalyticsQuery } from '../shared/query.js';
import type { SnapshotCounts } from '../inputs/store-input.js';
import type { NodeVisibility } from '../shared/subpath-index.js'; // t1
import type { SubpathArgs } from '../compute/subpaths.js'; // t1
import type { FilterNode } from '../../protocol/filter/index.js';

/** workerData of every analytics worker. */
export interface WorkerInit {
  handle: StoreHandle;
  /** Carries every chunk allocated after `handle` was taken (drained synchronously by StoreView). */
  port: MessagePort;
  /** Lower the worker thread's scheduling priority (Linux nice) so the event loop wins the CPU. */
  niceness: number;
}

/**
 * How a compute picks its snapshot: the worker's current one is reused while the data version
 * is unchanged, or for `reuseMs` after it was taken (default 0); `fresh` forces a new snapshot
 * and new shared intermediates (benchmarks).
 */
export interface SnapshotPolicy {
  reuseMs?: number;
  fresh?: boolean;
  /** Run this task at this nice value (the pool's, or 0 when the snapshot is overdue). */
  niceness?: number;
}

export type Task =
  | ({
      kind: 'analytic';
      name: AnalyticName;
      query: AnalyticsQuery;
      nowMs: number;
      // t1: the analytic's own parameters (null/absent = its defaults) and the hidden nodes.
      args?: unknown;
      visibility?: NodeVisibility;
      /** t5: config settings the compute reads (registry AnalyticOptions). */
      options?: AnalyticOptions;
    } & SnapshotPolicy)
  // t1: route patterns over the snapshot's subpath index (compute/subpaths.ts).
  | ({
      kind: 'subpaths-bulk';
      query: AnalyticsQuery;
      groups: SubpathArgs[];
      visibility: NodeVisibility;
      nowMs: number;
    } & SnapshotPolicy)
  | ({ kind: 'subpath-detail'; hops: number[]; visibility: NodeVisibility; nowMs: number } & SnapshotPolicy)
  /** t5: POST /api/paths/inspect (compute/paths-inspect.ts). */
  | ({ kind: 'paths-inspect'; request: InspectRequest; nowMs: number } & SnapshotPolicy)
  | ({ kind: 'node-clock-skew'; pubkey: string; nowMs: number } & SnapshotPolicy)
  /** I9c: the geo-filter prune dry run (compute/geo-prune.ts). */
  | ({ kind: 'geo-prune-preview'; filter: GeoFilter; nowMs: number } & SnapshotPolicy)
  /** t2: the compact neighbour table of the snapshot (compute/neighbor-graph.ts). */
  | ({ kind: 'neighbor-table'; maxEdgeKm: number; nowMs: number } & SnapshotPolicy)
  // t4: per-node / per-observer analytics over the rows the main thread's indexes named.
  | ({
      kind: 'entity';
      entity: EntityKind;
      key: string;
      days: number;
      rows: Uint32Array;
      nowMs: number;
    } & SnapshotPolicy)
  /** GET /api/packets?filter=: the matching transmission ids (compute/packet-filter.ts). */
  | ({ kind: 'packet-filter'; ast: FilterNode; visibility: NodeVisibility; nowMs: number } & SnapshotPolicy)
  /** Diagnostics for tests: read one byte of a table chunk as the worker sees it. */
  | { kind: 'probe'; table: 'tx' | 'obs'; chunk: number; byteOffset: number };

/** t4: the per-entity analytics a worker computes (compute/node-*.ts, observer-analytics.ts). */
export type EntityKind = 'node-analytics' | 'node-paths' | 'node-reach' | 'observer-analytics';

export interface RequestMessage {
  taskId: number;
  task: Task;
}

/** A finished response body: gzip of the JSON, in an ArrayBuffer transferred with the message. */
export interface ResultBody {
  gzip: ArrayBuffer;
  /** Length of the JSON before compression (bytes). */
  jsonBytes: number;
  /** When the compute read the store (epoch ms); the snapshot's age counts from here. */
  computedAtMs: number;
  durationMs: number;
  /** CPU time of the worker thread for this compute (ms, 10 ms resolution; NaN if unknown). */
  cpuMs: number;
  /** Rows the compute saw. */
  counts: SnapshotCounts;
  /** The store's data version (sum of committed rows and mutation counters) the snapshot saw. */
  dataVersion: number;
  /** The analytic answered "no data" (the per-node route's 404). */
  empty: boolean;
}

export interface ProbeResult {
  value: number;
  /** Whether the chunk the worker holds is a SharedArrayBuffer (and so shared, not copied). */
  shared: boolean;
  /** Bytes of shared memory the worker's view maps. */
  viewBytes: number;
}

/** A packet-filter answer: the ids travel as a transferred ArrayBuffer (4 bytes per match). */
export interface IdListResult {
  ids: ArrayBuffer;
  /** The store's data version the scan saw. */
  dataVersion: number;
  computedAtMs: number;
  durationMs: number;
  /** Transmissions scanned. */
  scanned: number;
}

export type TaskResult = ResultBody | ProbeResult | IdListResult;

export type ResponseMessage =
  | { taskId: number; ok: true; result: TaskResult }
  | { taskId: number; ok: false; error: { message: string; stack?: string } };

export function isResultBody(r: TaskResult): r is ResultBody {
  return (r as ResultBody).gzip !== undefined;
}

export function isIdList(r: TaskResult): r is IdListResult {
  return (r as IdListResult).ids !== undefined;
}
