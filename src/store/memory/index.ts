// Public surface of the in-memory store: the owner side (MemoryStore, its read model) plus
// everything a reader thread uses (reader.ts).
export { MemoryStore } from './memory-store.js';
export { MemoryReadModel } from './memory-read-model.js';
// r2: hashtag channels discovered from #tags in decrypted text.
export { ChannelDiscovery, type ChannelDiscoveryStats } from './channel-discovery.js';
export type { MemoryReport } from './memory-report.js';
export type { PacketQuery, PacketPage } from './packet-query.js';
export { StoreError, STORE_ERROR_CODES, type StoreErrorCode } from './errors.js';
export * from './reader.js';
export { nodeCandidateTxRows, observerObservationRows } from './entity-rows.js'; // t4
