// t2: keeps `neighbor_edges` (spec ingest-store-api §2.2) in step with the neighbour graph: after
// each graph snapshot, the edges whose count or last sighting changed since the last table are
// handed to the writer thread (which batches them like every other write). Node pairs are stored
// with node_a < node_b; edges to an ambiguous prefix are not stored (no full key to store).
// Pruning by age is retention's (`neighborEdgesMaxAgeDays`).
import type { NeighborEdgeUpsert } from '../../store/records.js';
import type { NeighborTable } from '../compute/neighbor-graph.js';

export function neighborEdgePersister(
  upsert: (edge: NeighborEdgeUpsert) => void,
): (table: NeighborTable) => void {
  const written = new Map<string, string>();
  return (t) => {
    for (let e = 0, m = t.edges.length / 6; e < m; e++) {
      const ka = t.keys[t.edges[e * 6]];
      const kb = t.keys[t.edges[e * 6 + 1]];
      const count = t.edges[e * 6 + 2];
      const last = t.edges[e * 6 + 3];
      if (!Number.isFinite(last)) continue;
      const [nodeA, nodeB] = ka < kb ? [ka, kb] : [kb, ka];
      const key = `${nodeA}|${nodeB}`;
      const value = `${count}|${last}`;
      if (written.get(key) === value) continue;
      written.set(key, value);
      upsert({ nodeA, nodeB, count, lastSeenMs: last });
    }
  };
}
