// Consistent online backup (spec ingest-store-api §2.5): VACUUM INTO writes a compacted copy from
// one read transaction, so ingest can go on writing while it runs.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Db } from './open.js';

/**
 * Writes a copy of the database to `path` (which must not exist: VACUUM INTO refuses to
 * overwrite). Returns the time taken. It is one statement and blocks the event loop for its
 * duration (seconds on a large database), so the API should run it off-peak or from a worker
 * with its own read-only connection.
 */
export function backupTo(db: Db, path: string): { ms: number } {
  if (existsSync(path)) throw new Error(`backup target exists: ${path}`);
  mkdirSync(dirname(path), { recursive: true });
  const start = performance.now();
  db.prepare('VACUUM INTO ?').run(path);
  return { ms: performance.now() - start };
}
