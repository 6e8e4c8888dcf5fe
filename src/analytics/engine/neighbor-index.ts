// t2: per-node lookups over the neighbour table the analytics service keeps on the main thread
// (compute/neighbor-graph.ts `NeighborTable`, refreshed with each neighbour-graph snapshot).
// Built once per table (O(edges)), then each lookup is a map get plus the node's own edges:
// /api/nodes/:pubkey/neighbors, /api/debug/affinity and the affinity tier of /api/resolve-hops.
import { EDGE_OBSERVER_SLOTS } from '../shared/neighbor-tally.js';
import { edgeScore, type NeighborTable } from '../compute/neighbor-graph.js';

export interface NeighborEntry {
  /** The neighbour's public key, or `prefix:<hex>` for an ambiguous hop. */
  pubkey: string;
  name: string | null;
  role: string | null;
  count: number;
  score: number;
  lastSeenMs: number;
  /** Heard in both directions (the node before the neighbour and after it). */
  bidirectional: boolean;
  ambiguous: boolean;
  /** Up to 4 observer ids that saw the edge. */
  observers: string[];
}

export class NeighborIndex {
  private readonly byKey = new Map<string, NeighborEntry[]>();

  constructor(readonly table: NeighborTable) {
    const t = table;
    const obsOf = (list: number[], e: number): string[] => {
      const out: string[] = [];
      for (let k = 0; k < EDGE_OBSERVER_SLOTS; k++) {
        const o = list[e * EDGE_OBSERVER_SLOTS + k];
        if (o >= 0) out.push(t.observerIds[o]);
      }
      return out;
    };
    const push = (key: string, entry: NeighborEntry) => {
      const list = this.byKey.get(key);
      if (list) list.push(entry);
      else this.byKey.set(key, [entry]);
    };
    for (let e = 0, m = t.edges.length / 6; e < m; e++) {
      const a = t.edges[e * 6];
      const b = t.edges[e * 6 + 1];
      const count = t.edges[e * 6 + 2];
      const last = t.edges[e * 6 + 3];
      const bidirectional = t.edges[e * 6 + 4] > 0 && t.edges[e * 6 + 5] > 0;
      const score = edgeScore(count, last, t.nowMs);
      const observers = obsOf(t.edgeObservers, e);
      const common = { count, score, lastSeenMs: last, bidirectional, ambiguous: false, observers };
      push(t.keys[a], { pubkey: t.keys[b], name: t.names[b], role: t.roles[b], ...common });
      push(t.keys[b], { pubkey: t.keys[a], name: t.names[a], role: t.roles[a], ...common });
    }
    for (let e = 0, m = t.amb.length / 3; e < m; e++) {
      const a = t.amb[e * 3];
      const count = t.amb[e * 3 + 1];
      const last = t.amb[e * 3 + 2];
      push(t.keys[a], {
        pubkey: `prefix:${t.ambPrefixes[e]}`,
        name: null,
        role: null,
        count,
        score: edgeScore(count, last, t.nowMs),
        lastSeenMs: last,
        bidirectional: false,
        ambiguous: true,
        observers: obsOf(t.ambObservers, e),
      });
    }
    for (const list of this.byKey.values())
      list.sort((x, y) => y.score - x.score || y.count - x.count || (x.pubkey < y.pubkey ? -1 : 1));
  }

  /** The node's neighbours, best score first (empty when it has none). */
  neighbors(pubkey: string): readonly NeighborEntry[] {
    return this.byKey.get(pubkey.toLowerCase()) ?? [];
  }

  #keys: string[] | null = null;

  /** Nodes with at least one neighbour, in key order (sorted once per table). */
  nodeKeys(): readonly string[] {
    return (this.#keys ??= [...this.byKey.keys()].sort());
  }

  /** The edge between two full keys (null when none). */
  edge(a: string, b: string): NeighborEntry | null {
    const kb = b.toLowerCase();
    for (const e of this.neighbors(a)) if (e.pubkey === kb) return e;
    return null;
  }
}
