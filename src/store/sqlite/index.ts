// SQLite persistence: open, migrate, write in batches, read back in chunks, prune, back up.
export { openDatabase, type Db, type OpenOptions } from './open.js';
export { migrate, type MigrationReport } from './migrate.js';
export { SqliteWriter, type WriterOptions, type WriterStats } from './writer.js';
export type { WriteOp } from './operations.js';
export {
  readMaxIds,
  readCounts,
  transmissionChunks,
  observationChunks,
  nodeChunks,
  observerChunks,
  newReadStats,
  type ReadStats,
  type MaxIds,
  type RowCounts,
  type ChunkOptions,
} from './readers.js';
export {
  applyRetention,
  type RetentionConfig,
  type RetentionResult,
  type RetentionOptions,
} from './retention.js';
export { backupTo } from './backup.js';
export { ObserverMetricsReader } from './metrics-reader.js';
export { ClientReceptionReader } from './client-receptions.js';
export { parseTimeMs, toRfc3339, toEpochSeconds } from './time.js';
export { WalCheckpointer, type CheckpointerStats } from './checkpointer-thread.js';
export { SqliteWriterThread, type WriterThreadOptions, type WriterThreadStats } from './writer-thread.js';
export type { SqliteFileStats, ThreadIoCounters, WriterRead } from './diagnostics.js';
