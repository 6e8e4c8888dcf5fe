// The fixture the way `meshlens serve` loads it: a temp copy, migrated, then StoreLoader into a
// MemoryStore. Shared by the loader and core-API tests.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { migrate, openDatabase } from '../../src/store/sqlite/index.js';
import { StoreLoader, type LoadOptions, type LoadResult } from '../../src/store/load/loader.js';

export const FIXTURE_DB = new URL('../fixtures/corescope-staging.db', import.meta.url);

export async function loadFixture(
  options: LoadOptions = {},
): Promise<{ store: MemoryStore; result: LoadResult; loader: StoreLoader }> {
  const dir = mkdtempSync(join(tmpdir(), 'meshlens-loader-'));
  try {
    const file = join(dir, 'fixture.db');
    copyFileSync(FIXTURE_DB, file);
    const db = openDatabase(file);
    try {
      migrate(db);
      const store = new MemoryStore();
      const loader = new StoreLoader(db, store, options);
      const result = await loader.run();
      return { store, result, loader };
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
