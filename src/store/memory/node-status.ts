// Fleet-level node answers: /api/nodes/bulk-health (per-node health of the most recently seen
// nodes, each over its newest adverts: O(limit × window × observations)) and
// /api/nodes/network-status (every visible node classified by how long ago it was heard:
// O(nodes), like the node list).
import type { BulkHealthQuery, NetworkStatus, NodeStatusThresholds } from '../read-model.js';
import type { NodeDirectory } from './node-directory.js';

const INFRA = new Set(['repeater', 'room', 'room_server']);

/** Visible rows, most recently seen first, passing the filters; at most `limit`. */
export function bulkHealthRows(
  directory: NodeDirectory,
  q: Pick<BulkHealthQuery, 'limit'>,
  inRegion: Set<number> | null,
  inArea: Set<number> | null,
): number[] {
  const out: number[] = [];
  for (const row of directory.snapshot().orders.lastSeen) {
    if (out.length >= q.limit) break;
    if (inRegion && !inRegion.has(row)) continue;
    if (inArea && !inArea.has(row)) continue;
    out.push(row);
  }
  return out;
}

export function networkStatus(
  directory: NodeDirectory,
  t: NodeStatusThresholds,
  nowMs: number,
): NetworkStatus {
  const status: NetworkStatus = { total: 0, active: 0, degraded: 0, silent: 0, roleCounts: {} };
  for (const row of directory.snapshot().orders.lastSeen) {
    const role = (directory.role(row) ?? '').toLowerCase() || 'unknown';
    status.total++;
    status.roleCounts[role] = (status.roleCounts[role] ?? 0) + 1;
    const infra = INFRA.has(role);
    const age = nowMs - directory.lastHeard(row);
    if (!(age < (infra ? t.infraSilentMs : t.nodeSilentMs))) status.silent++;
    else if (age >= (infra ? t.infraDegradedMs : t.nodeDegradedMs)) status.degraded++;
    else status.active++;
  }
  return status;
}
