// Retention by age (spec ingest-store-api §1.10): packets (observations first, then their
// transmissions: there is no cascade), observer metrics and dropped-packet samples. Deletes run
// in bounded transactions with a yield between them, so a large first prune does not stall ingest.
import type { Db } from './open.js';
import { sqlTimeMs, toRfc3339 } from './time.js';

export interface RetentionConfig {
  /** Delete transmissions first seen more than this many days ago; 0 = off (the default). */
  packetDays?: number;
  /** observer_metrics and dropped_packets older than this; 0 = off. CoreScope's default is 30. */
  metricsDays?: number;
}

export interface RetentionResult {
  transmissions: number;
  observations: number;
  observerMetrics: number;
  droppedPackets: number;
  /** Ids of the deleted transmissions, for the in-memory store to evict the same rows. */
  transmissionIds: number[];
}

export interface RetentionOptions {
  nowMs?: number;
  /** Transmissions per transaction. Default 2000. */
  chunk?: number;
  /** Called between transactions; default yields to the event loop. */
  pause?: () => Promise<void>;
}

const DAY_MS = 86_400_000;
const yieldLoop = (): Promise<void> => new Promise((r) => setImmediate(r));

/**
 * Transmissions older than the cutoff. first_seen is text in mixed formats that do not compare
 * lexically (§1.8), so the index narrows the candidates with a bound one second past the cutoff
 * and the exact epoch-ms comparison decides.
 */
function oldTransmissionIds(db: Db, cutoffMs: number, limit: number): number[] {
  const rows = db
    .prepare(
      `SELECT id FROM transmissions WHERE first_seen < ? AND ${sqlTimeMs('first_seen')} < ? ORDER BY id LIMIT ?`,
    )
    .all(toRfc3339(cutoffMs + 1000), cutoffMs, limit) as { id: number }[];
  return rows.map((r) => r.id);
}

export async function applyRetention(
  db: Db,
  config: RetentionConfig,
  options: RetentionOptions = {},
): Promise<RetentionResult> {
  const now = options.nowMs ?? Date.now();
  const chunk = options.chunk ?? 2000;
  const pause = options.pause ?? yieldLoop;
  const result: RetentionResult = {
    transmissions: 0,
    observations: 0,
    observerMetrics: 0,
    droppedPackets: 0,
    transmissionIds: [],
  };

  if (config.packetDays && config.packetDays > 0) {
    const cutoff = now - config.packetDays * DAY_MS;
    const delObs = db.prepare('DELETE FROM observations WHERE transmission_id = ?');
    const delTx = db.prepare('DELETE FROM transmissions WHERE id = ?');
    for (;;) {
      const ids = oldTransmissionIds(db, cutoff, chunk);
      if (ids.length === 0) break;
      db.transaction(() => {
        for (const id of ids) {
          result.observations += delObs.run(id).changes;
          result.transmissions += delTx.run(id).changes;
        }
      })();
      result.transmissionIds.push(...ids);
      if (ids.length < chunk) break;
      await pause();
    }
  }

  if (config.metricsDays && config.metricsDays > 0) {
    const cutoff = now - config.metricsDays * DAY_MS;
    result.observerMetrics = db
      .prepare(`DELETE FROM observer_metrics WHERE ${sqlTimeMs('timestamp')} < ?`)
      .run(cutoff).changes;
    result.droppedPackets = db
      .prepare(`DELETE FROM dropped_packets WHERE COALESCE(ml_dropped_at_ms, ${sqlTimeMs('dropped_at')}) < ?`)
      .run(cutoff).changes;
  }
  return result;
}
