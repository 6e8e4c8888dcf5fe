// Messages between SqliteWriterThread (writer-thread.ts) and its worker (writer-worker.ts).
// Batches of write operations travel flat-encoded (op-codec.ts).
import type { CheckpointerStats } from './checkpointer-thread.js';
import type { WriterRead } from './diagnostics.js';
import type { RetentionConfig } from './retention.js';
import type { WriterOptions, WriterStats } from './writer.js';

/** Sent once to each worker. */
export interface WriterWorkerInit {
  path: string;
  stream: string;
  resume: boolean;
  checkpointPeriodMs: number;
  busyTimeoutMs: number;
  /** TRUNCATE-checkpoint between batches once the WAL file is larger (bytes). */
  walLimitBytes: number;
  /** TRUNCATE-checkpoint after this long without a batch (ms). */
  walIdleMs: number;
  writer: Pick<WriterOptions, 'maxDroppedPackets' | 'metricsBucketMs'>;
  crashAfterCommitSeq: number;
}

export type ToWriterWorker =
  /** `ops`: the batch flat-encoded by op-codec.ts. */
  | { t: 'batch'; seq: number; ops: unknown[] }
  | { t: 'backup'; id: number; path: string }
  | { t: 'retention'; id: number; config: RetentionConfig; nowMs?: number; chunk?: number }
  /** I9c: delete nodes (the geo-filter prune), retention.ts deleteNodes. */
  | { t: 'deleteNodes'; id: number; pubkeys: string[] }
  /** A read for the ops routes (diagnostics.ts), answered between batches. */
  | { t: 'read'; id: number; read: WriterRead }
  /** Test hook (SqliteWriterThread.pragmaForTest): a pragma on the writer's own connection. */
  | { t: 'testPragma'; id: number; pragma: string }
  | { t: 'close' };

export type FromWriterWorker =
  | { t: 'ready'; committedSeq: number }
  | { t: 'ack'; seq: number; stats: WriterStats; checkpoints: CheckpointerStats }
  | { t: 'result'; id: number; value: unknown }
  | { t: 'error'; id: number; message: string; code?: string }
  | { t: 'log'; message: string }
  /** A batch's transaction failed for a transient reason; it stays queued (stats.degraded says why). */
  | { t: 'retrying'; seq: number; stats: WriterStats }
  /** The checkpointer's figures after each checkpoint (also between batches, on an idle writer). */
  | { t: 'checkpoints'; checkpoints: CheckpointerStats }
  | { t: 'closed'; stats: WriterStats; checkpoints: CheckpointerStats };
