// The real fixture loaded the way the server loads it: a temp copy, migrated, read through the
// SQLite chunked readers into records, and appended into a MemoryStore. Returns the records
// too, so tests can build the records-input oracle from exactly the same rows.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryStore, type MemoryStoreOptions } from '../../src/store/memory/memory-store.js';
import { migrate, openDatabase } from '../../src/store/sqlite/index.js';
import {
  nodeChunks,
  observationChunks,
  observerChunks,
  transmissionChunks,
} from '../../src/store/sqlite/readers.js';
import type {
  NodeRecord,
  ObservationRecord,
  ObserverRecord,
  TransmissionRecord,
} from '../../src/store/records.js';

export const FIXTURE_DB = new URL('../fixtures/corescope-staging.db', import.meta.url);

export interface LoadedRecords {
  transmissions: TransmissionRecord[];
  observations: ObservationRecord[];
  nodes: NodeRecord[];
  observers: ObserverRecord[];
}

let cached: LoadedRecords | null = null;

/** Fixture rows via the SQLite readers (read once per process; treat as read-only). */
export function fixtureRecords(): LoadedRecords {
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'meshlens-analytics-'));
  try {
    const file = join(dir, 'fixture.db');
    copyFileSync(FIXTURE_DB, file);
    const db = openDatabase(file);
    try {
      migrate(db);
      cached = {
        observers: [...observerChunks(db)].flat(),
        nodes: [...nodeChunks(db)].flat(),
        transmissions: [...transmissionChunks(db)].flat(),
        observations: [...observationChunks(db)].flat(),
      };
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return cached;
}

/** Append records into a store in dependency order; observations of unknown transmissions are skipped. */
export function loadInto(store: MemoryStore, r: LoadedRecords): void {
  for (const o of r.observers) store.upsertObserver(o);
  for (const n of r.nodes) store.upsertNode(n);
  for (const t of r.transmissions) store.appendTransmission(t);
  for (const o of r.observations) if (store.txRowById(o.transmissionId) !== -1) store.appendObservation(o);
}

export function fixtureStore(options: MemoryStoreOptions = {}): {
  store: MemoryStore;
  records: LoadedRecords;
} {
  const records = fixtureRecords();
  const store = new MemoryStore(options);
  loadInto(store, records);
  return { store, records };
}
