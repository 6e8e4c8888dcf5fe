// A simulated mesh as the live pipeline would have stored it, loaded into a MemoryStore: the
// setup every ground-truth test shares. The stream is written by the dataset writer into a temp
// SQLite file (removed when the test process ends), read back with the SQLite readers and loaded.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { groundTruth, type Simulator } from '../../src/sim/index.js';
import { writeDataset } from '../../src/sim/dataset.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import {
  nodeChunks,
  observationChunks,
  observerChunks,
  openDatabase,
  transmissionChunks,
} from '../../src/store/sqlite/index.js';
import { loadInto } from './fixture.js';

/** Runs `sim` to its end into a temp database, then loads what was stored into a new store. */
export function simulatedStore(sim: Simulator, name: string) {
  const dir = mkdtempSync(join(tmpdir(), `meshlens-${name}-`));
  // Removed when the test process ends (works from top level and inside a test alike).
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const dbPath = join(dir, 'sim.db');
  writeDataset(sim, dbPath);
  const truth = groundTruth(sim);
  const db = openDatabase(dbPath, { readonly: true });
  const records = {
    observers: [...observerChunks(db)].flat(),
    nodes: [...nodeChunks(db)].flat(),
    transmissions: [...transmissionChunks(db)].flat(),
    observations: [...observationChunks(db)].flat(),
  };
  db.close();
  const store = new MemoryStore();
  loadInto(store, records);
  return { truth, records, store, dbPath };
}
