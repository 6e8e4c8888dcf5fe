// Public surface of the in-memory store.
export { MemoryStore } from './memory-store.js';
export type { MemoryReport } from './memory-report.js';
export {
  StoreView,
  chunkSpans,
  type StoreHandle,
  type ChunkDelta,
  type ChunkSpan,
  type RowCounts,
} from './view.js';
export type { PacketQuery, PacketPage } from './packet-query.js';
export { StoreError, STORE_ERROR_CODES, type StoreErrorCode } from './errors.js';
export { NONE, I16_NULL, I32_NULL, kCommittedRows, kMutationCount, kChunkCount } from './layout.js';
