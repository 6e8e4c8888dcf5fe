// Opening the SQLite file with CoreScope's connection settings (spec ingest-store-api §2.1).
import Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type Db = Database.Database;

export interface OpenOptions {
  /** Open read-only (no schema changes, no pragmas that write). Default false. */
  readonly?: boolean;
  /** Milliseconds to wait on a lock held by another connection. Default 5000, as CoreScope. */
  busyTimeoutMs?: number;
}

/**
 * Opens (creating file and parent directory when missing) a database for meshlens's single
 * writer: WAL, synchronous=NORMAL (a commit costs no fsync; a power cut can lose the last
 * commits but never corrupts), foreign keys on, busy_timeout. A new file gets incremental
 * auto-vacuum, which must be set before the first table exists; an old file keeps its mode
 * (switching needs a full VACUUM, §2.1).
 */
export function openDatabase(path: string, options: OpenOptions = {}): Db {
  const readonly = options.readonly ?? false;
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  if (readonly) {
    const db = new Database(path, { readonly: true, fileMustExist: true, timeout: busyTimeoutMs });
    db.pragma('foreign_keys = ON');
    return db;
  }
  if (path !== ':memory:' && !existsSync(dirname(path))) mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { timeout: busyTimeoutMs });
  const isEmpty = (db.prepare('SELECT count(*) AS n FROM sqlite_master').get() as { n: number }).n === 0;
  if (isEmpty) db.pragma('auto_vacuum = INCREMENTAL');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  return db;
}
