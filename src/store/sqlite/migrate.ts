// Schema creation and additive, idempotent migrations (spec ingest-store-api §2.4). Every step
// checks before it changes anything, so running it on every start is safe; one-shot data fixes
// are guarded by a name in `_migrations`. Nothing here deletes or rewrites existing values.
import type { Db } from './open.js';
import {
  INDEXES,
  OBSERVATION_DEDUP_COLUMNS,
  OBSERVATION_DEDUP_INDEX,
  PACKETS_VIEW,
  TABLES,
  createTableSql,
} from './schema.js';

export interface MigrationReport {
  createdTables: string[];
  /** `table.column` for each column added to an existing table. */
  addedColumns: string[];
  /** One-shot steps run by this call (recorded in `_migrations`). */
  applied: string[];
  /** Whether the (transmission, observer, path) dedup index is UNIQUE, as in CoreScope. */
  observationDedupUnique: boolean;
  /** Surplus rows in duplicate (transmission, observer, path) groups that kept it non-unique. */
  duplicateObservations: number;
}

const SCHEMA_MARKER = 'meshlens_schema_v1';

function columnsOf(db: Db, table: string): Set<string> {
  const rows = db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[];
  return new Set(rows.map((r) => r.name));
}

function hasMigration(db: Db, name: string): boolean {
  return db.prepare('SELECT 1 FROM _migrations WHERE name = ?').get(name) !== undefined;
}

function markMigration(db: Db, name: string): void {
  db.prepare('INSERT OR IGNORE INTO _migrations (name) VALUES (?)').run(name);
}

/**
 * The dedup key of §1.7. The fixture holds two identical observations of transmission 85,
 * which a UNIQUE index would reject; deleting one would lose data, so in that case the index
 * is created non-unique (the writer never relies on it: ingest dedups in memory) and the next
 * start tries again, e.g. after retention removed the duplicates.
 */
function ensureDedupIndex(db: Db, report: MigrationReport): void {
  const existing = db
    .prepare('SELECT name FROM pragma_index_list(\'observations\') WHERE name = ? AND "unique" = 1')
    .get(OBSERVATION_DEDUP_INDEX);
  if (existing) {
    report.observationDedupUnique = true;
    return;
  }
  const dup = db
    .prepare(
      "SELECT COALESCE(SUM(n - 1), 0) AS surplus FROM (SELECT count(*) AS n FROM observations GROUP BY transmission_id, observer_idx, COALESCE(path_json, '') HAVING n > 1)",
    )
    .get() as { surplus: number };
  report.duplicateObservations = dup.surplus;
  if (dup.surplus === 0) {
    db.exec(`DROP INDEX IF EXISTS ${OBSERVATION_DEDUP_INDEX}`);
    db.exec(`CREATE UNIQUE INDEX ${OBSERVATION_DEDUP_INDEX} ON ${OBSERVATION_DEDUP_COLUMNS}`);
    report.observationDedupUnique = true;
  } else {
    db.exec(`CREATE INDEX IF NOT EXISTS ${OBSERVATION_DEDUP_INDEX} ON ${OBSERVATION_DEDUP_COLUMNS}`);
  }
}

/** Creates the current schema on an empty file, or brings an older CoreScope file up to it. */
export function migrate(db: Db): MigrationReport {
  const report: MigrationReport = {
    createdTables: [],
    addedColumns: [],
    applied: [],
    observationDedupUnique: false,
    duplicateObservations: 0,
  };
  db.transaction(() => {
    for (const table of TABLES) {
      const have = columnsOf(db, table.name);
      if (have.size === 0) {
        db.exec(createTableSql(table));
        report.createdTables.push(table.name);
        continue;
      }
      for (const c of table.columns) {
        if (have.has(c.name)) continue;
        db.exec(`ALTER TABLE ${table.name} ADD COLUMN ${c.name} ${c.addDecl ?? c.decl}`);
        report.addedColumns.push(`${table.name}.${c.name}`);
      }
    }
    for (const sql of INDEXES) db.exec(sql);
    ensureDedupIndex(db, report);
    db.exec(PACKETS_VIEW);

    // transmissions.last_seen arrived after the fixture was made (default 0); CoreScope backfills
    // it from the observations, and the startup load window depends on it.
    if (!hasMigration(db, 'transmissions_last_seen_backfill_v1')) {
      db.exec(
        'UPDATE transmissions SET last_seen = (SELECT MAX(o.timestamp) FROM observations o WHERE o.transmission_id = transmissions.id) WHERE last_seen = 0 AND EXISTS (SELECT 1 FROM observations o WHERE o.transmission_id = transmissions.id)',
      );
      markMigration(db, 'transmissions_last_seen_backfill_v1');
      report.applied.push('transmissions_last_seen_backfill_v1');
    }
    if (!hasMigration(db, SCHEMA_MARKER)) {
      markMigration(db, SCHEMA_MARKER);
      report.applied.push(SCHEMA_MARKER);
    }
  })();
  return report;
}
