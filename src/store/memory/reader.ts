// Public surface for reading the shared memory from any thread (analytics workers): the view
// over the SharedArrayBuffer chunks, the layout's sentinels and chunk addressing, and the value
// codecs. It loads no owner-side code (MemoryStore, indexes, read model), so a worker stays lean.
export {
  StoreView,
  chunkSpans,
  type StoreHandle,
  type ChunkDelta,
  type ChunkSpan,
  type RowCounts,
} from './view.js';
export {
  NONE,
  I16_NULL,
  I32_NULL,
  kCommittedRows,
  kMutationCount,
  kChunkCount,
  chunkOf,
  slotOf,
} from './layout.js';
export { fromQuarter, hashText } from './codec.js';
