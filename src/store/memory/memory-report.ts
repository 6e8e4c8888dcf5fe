// What the store occupies, for /api/health and the benches: shared bytes exactly (whole
// chunks), main-thread indexes as an estimate (typed arrays exactly, Map overhead estimated).
import type { StoreTables } from './tables.js';
import { INTERN_DOMAINS } from './layout.js';

export interface MemoryReport {
  rows: { transmissions: number; observations: number; nodes: number; observers: number };
  /** Shared-memory bytes allocated per table (whole chunks). */
  tables: Record<'tx' | 'obs' | 'nodes' | 'observers', number>;
  /** Heaps: allocated bytes (whole chunks) and bytes used. */
  heaps: Record<'raw' | 'json' | 'path', { allocated: number; used: number }>;
  interns: number;
  /** Main-thread index estimate (typed arrays exactly, Map overhead estimated). */
  indexes: number;
  sharedBytes: number;
  totalBytes: number;
  bytesPerObservation: number;
}

/** `ownIndexBytes`: the store's main-thread indexes other than the intern maps. */
export function memoryReport(s: StoreTables, ownIndexBytes: number): MemoryReport {
  let interns = 0;
  let internMaps = 0;
  for (const d of INTERN_DOMAINS) {
    interns += s.interns[d].byteLength();
    internMaps += s.interns[d].indexBytesEstimate();
  }
  const tables = {
    tx: s.tx.byteLength(),
    obs: s.obs.byteLength(),
    nodes: s.nodes.byteLength(),
    observers: s.observers.byteLength(),
  };
  const heaps = {
    raw: { allocated: s.raw.byteLength(), used: s.raw.usedBytes },
    json: { allocated: s.json.byteLength(), used: s.json.usedBytes },
    path: { allocated: s.path.byteLength(), used: s.path.usedBytes },
  };
  const indexes = ownIndexBytes + internMaps;
  const sharedBytes =
    tables.tx +
    tables.obs +
    tables.nodes +
    tables.observers +
    heaps.raw.allocated +
    heaps.json.allocated +
    heaps.path.allocated +
    interns;
  const totalBytes = sharedBytes + indexes;
  return {
    rows: {
      transmissions: s.tx.rowCount,
      observations: s.obs.rowCount,
      nodes: s.nodes.rowCount,
      observers: s.observers.rowCount,
    },
    tables,
    heaps,
    interns,
    indexes,
    sharedBytes,
    totalBytes,
    bytesPerObservation: s.obs.rowCount === 0 ? 0 : totalBytes / s.obs.rowCount,
  };
}
