// Retention by age (spec ingest-store-api §1.10): packets (observations first, then their
// transmissions: there is no cascade), observer metrics and dropped-packet samples, node ageing
// (nodes not seen for nodeDays move to inactive_nodes), observer ageing (inactive = 1 and their
// metrics deleted) and client RX receptions. Deletes run in bounded transactions with a yield
// between them, so a large first prune does not stall ingest. Also the geo-filter prune's node
// deletion (deleteNodes), which runs in the writer thread the same way.
import type { Db } from './open.js';
import { sqlTimeMs, toRfc3339 } from './time.js';

export interface RetentionConfig {
  /** Delete transmissions first seen more than this many days ago; 0 = off (the default). */
  packetDays?: number;
  /** observer_metrics and dropped_packets older than this; 0 = off. CoreScope's default is 30. */
  metricsDays?: number;
  /** Nodes whose last_seen is older than this move to inactive_nodes; 0 = off. CoreScope: 7. */
  nodeDays?: number;
  /** Observers not seen for this long get inactive = 1 and lose their metrics; -1 / 0 = off. CoreScope: 14. */
  observerDays?: number;
  /** client_receptions older than this (by rx_at) are deleted; 0 = off (the default). */
  clientRxDays?: number;
  /** t2: neighbor_edges last seen more than this many days ago are deleted; 0 = off. CoreScope: 5. */
  neighborEdgesDays?: number;
  /**
   * Issue 13 #5: observers that never sent a valid packet (packet_count 0, no observations),
   * first seen more than this many hours ago, are deleted with their metrics; 0 = off.
   */
  observerNoPacketHours?: number;
}

export interface RetentionResult {
  transmissions: number;
  observations: number;
  observerMetrics: number;
  droppedPackets: number;
  /** Nodes moved to inactive_nodes. */
  nodesAged: number;
  /** Observers marked inactive. */
  observersAged: number;
  /** Metrics rows of the observers marked inactive. */
  agedObserverMetrics: number;
  clientReceptions: number;
  /** t2: neighbor_edges rows deleted. */
  neighborEdges: number;
  /** Observers deleted for never sending a valid packet (observerNoPacketHours). */
  observersRemoved: number;
  /** Their ids, for the in-memory store to hide the same observers. */
  removedObserverIds: string[];
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
    nodesAged: 0,
    observersAged: 0,
    agedObserverMetrics: 0,
    clientReceptions: 0,
    neighborEdges: 0,
    observersRemoved: 0,
    removedObserverIds: [],
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

  if (config.nodeDays && config.nodeDays > 0) result.nodesAged = ageNodes(db, now - config.nodeDays * DAY_MS);
  if (config.observerDays && config.observerDays > 0) {
    const aged = ageObservers(db, now - config.observerDays * DAY_MS);
    result.observersAged = aged.observers;
    result.agedObserverMetrics = aged.metrics;
  }
  if (config.observerNoPacketHours && config.observerNoPacketHours > 0) {
    const ids = await removePacketlessObservers(
      db,
      now - config.observerNoPacketHours * 3_600_000,
      chunk,
      pause,
    );
    result.observersRemoved = ids.length;
    result.removedObserverIds = ids;
  }
  if (config.clientRxDays && config.clientRxDays > 0 && tableExists(db, 'client_receptions')) {
    result.clientReceptions = db
      .prepare(`DELETE FROM client_receptions WHERE rx_at IS NOT NULL AND ${sqlTimeMs('rx_at')} < ?`)
      .run(now - config.clientRxDays * DAY_MS).changes;
  }
  if (config.neighborEdgesDays && config.neighborEdgesDays > 0 && tableExists(db, 'neighbor_edges')) {
    // t2: last_seen is RFC 3339 text (ours and CoreScope's); NULL rows are kept.
    result.neighborEdges = db
      .prepare(`DELETE FROM neighbor_edges WHERE last_seen IS NOT NULL AND ${sqlTimeMs('last_seen')} < ?`)
      .run(now - config.neighborEdgesDays * DAY_MS).changes;
  }
  return result;
}

function tableExists(db: Db, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

/** The nodes table's columns, in order, for the copy into inactive_nodes (named, never positional). */
function nodeColumns(db: Db): string[] {
  const nodes = (db.prepare('PRAGMA table_info(nodes)').all() as { name: string }[]).map((c) => c.name);
  const inactive = new Set(
    (db.prepare('PRAGMA table_info(inactive_nodes)').all() as { name: string }[]).map((c) => c.name),
  );
  return nodes.filter((c) => inactive.has(c));
}

/**
 * Node ageing: nodes whose last_seen is before the cutoff move to inactive_nodes (copy, then
 * delete, in one transaction). The copy names its columns, so it does not depend on the two
 * tables having the same column order (CoreScope's quirk, spec §1.10). A node with no
 * last_seen is left alone. Returns the number of nodes moved.
 */
export function ageNodes(db: Db, cutoffMs: number): number {
  if (!tableExists(db, 'inactive_nodes')) return 0;
  const cols = nodeColumns(db)
    .map((c) => `"${c}"`)
    .join(', ');
  const where = `last_seen IS NOT NULL AND ${sqlTimeMs('last_seen')} < ?`;
  return db.transaction(() => {
    db.prepare(
      `INSERT OR REPLACE INTO inactive_nodes (${cols}) SELECT ${cols} FROM nodes WHERE ${where}`,
    ).run(cutoffMs);
    return db.prepare(`DELETE FROM nodes WHERE ${where}`).run(cutoffMs).changes;
  })();
}

/**
 * Observer ageing: observers whose last_seen is before the cutoff get inactive = 1 (a soft
 * delete: the row and its observer_idx stay, the API hides it) and their metrics rows go.
 */
export function ageObservers(db: Db, cutoffMs: number): { observers: number; metrics: number } {
  const where = `COALESCE(inactive, 0) = 0 AND last_seen IS NOT NULL AND ${sqlTimeMs('last_seen')} < ?`;
  return db.transaction(() => {
    const ids = (db.prepare(`SELECT id FROM observers WHERE ${where}`).all(cutoffMs) as { id: string }[]).map(
      (r) => r.id,
    );
    if (ids.length === 0) return { observers: 0, metrics: 0 };
    const mark = db.prepare('UPDATE observers SET inactive = 1 WHERE id = ?');
    const del = tableExists(db, 'observer_metrics')
      ? db.prepare('DELETE FROM observer_metrics WHERE observer_id = ?')
      : null;
    let metrics = 0;
    for (const id of ids) {
      mark.run(id);
      if (del) metrics += del.run(id).changes;
    }
    return { observers: ids.length, metrics };
  })();
}

/**
 * Issue 13 #5: deletes observers that never sent a valid packet (created by status messages
 * or a clock op; packet_count 0, no last_packet_at, no observation) first seen before the
 * cutoff, with their metrics rows: a flood of fake observer keys does not outlive its age (nor
 * a restart, which loads observers from here). `chunk` rows per transaction. Returns their ids.
 */
export async function removePacketlessObservers(
  db: Db,
  cutoffMs: number,
  chunk = 2000,
  pause: () => Promise<void> = yieldLoop,
): Promise<string[]> {
  const select = db.prepare(
    `SELECT id FROM observers o WHERE COALESCE(packet_count, 0) = 0 AND last_packet_at IS NULL
       AND first_seen IS NOT NULL AND ${sqlTimeMs('first_seen')} < ?
       AND NOT EXISTS (SELECT 1 FROM observations WHERE observer_idx = o.rowid) LIMIT ?`,
  );
  const del = db.prepare('DELETE FROM observers WHERE id = ?');
  const delMetrics = tableExists(db, 'observer_metrics')
    ? db.prepare('DELETE FROM observer_metrics WHERE observer_id = ?')
    : null;
  const removed: string[] = [];
  for (;;) {
    const ids = (select.all(cutoffMs, chunk) as { id: string }[]).map((r) => r.id);
    if (ids.length === 0) break;
    db.transaction(() => {
      for (const id of ids) {
        del.run(id);
        delMetrics?.run(id);
      }
    })();
    removed.push(...ids);
    if (ids.length < chunk) break;
    await pause();
  }
  return removed;
}

/**
 * The geo-filter prune (POST /api/admin/prune-geo-filter?confirm=true): deletes these nodes
 * from nodes and inactive_nodes, 500 keys per transaction. Transmissions stay (CoreScope
 * deletes nodes only). Returns the number of node rows deleted.
 */
export async function deleteNodes(
  db: Db,
  pubkeys: readonly string[],
  pause: () => Promise<void> = yieldLoop,
): Promise<{ nodes: number; inactiveNodes: number }> {
  const delNode = db.prepare('DELETE FROM nodes WHERE lower(public_key) = lower(?)');
  const delInactive = tableExists(db, 'inactive_nodes')
    ? db.prepare('DELETE FROM inactive_nodes WHERE lower(public_key) = lower(?)')
    : null;
  const out = { nodes: 0, inactiveNodes: 0 };
  for (let i = 0; i < pubkeys.length; i += 500) {
    const part = pubkeys.slice(i, i + 500);
    db.transaction(() => {
      for (const key of part) {
        out.nodes += delNode.run(key).changes;
        if (delInactive) out.inactiveNodes += delInactive.run(key).changes;
      }
    })();
    if (i + 500 < pubkeys.length) await pause();
  }
  return out;
}
