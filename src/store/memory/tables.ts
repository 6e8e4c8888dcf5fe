// The owner's shared tables, heaps and intern tables by name: what the helpers around the
// store (record readers, worker handle, memory report) need from it. MemoryStore implements
// this, so those helpers import this small module instead of memory-store.ts (no import cycle).
import type { HeapWriter } from './byte-heap.js';
import type { InternWriter } from './intern.js';
import type { InternDomain, NODE_SCHEMA, OBSERVER_SCHEMA, OBS_SCHEMA, TX_SCHEMA } from './layout.js';
import type { TableWriter } from './shared-table.js';

export interface StoreTables {
  readonly tx: TableWriter<typeof TX_SCHEMA>;
  readonly obs: TableWriter<typeof OBS_SCHEMA>;
  readonly nodes: TableWriter<typeof NODE_SCHEMA>;
  readonly observers: TableWriter<typeof OBSERVER_SCHEMA>;
  readonly raw: HeapWriter;
  readonly json: HeapWriter;
  readonly path: HeapWriter;
  readonly interns: Record<InternDomain, InternWriter>;
}
