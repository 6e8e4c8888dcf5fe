// The visible nodes inside a config area (spec §4.3: transmitter-based, by the node's own GPS;
// (0, 0) and missing positions never count). Computed over the node directory (O(nodes)) once
// per area and nodes-table version, then cached; CoreScope caches the set for 30 s.
import type { AreaFilter } from '../read-model.js';
import type { MemoryStore } from './memory-store.js';
import type { NodeDirectory } from './node-directory.js';

const MAX_CACHED = 64;

export function hasPosition(lat: number, lon: number): boolean {
  return Number.isFinite(lat) && Number.isFinite(lon) && !(lat === 0 && lon === 0);
}

export class AreaNodes {
  readonly #cache = new Map<string, { snap: object; rows: Set<number> }>();

  constructor(
    private readonly store: MemoryStore,
    private readonly directory: NodeDirectory,
  ) {}

  /** Node rows inside the area. */
  rows(area: AreaFilter): Set<number> {
    const snap = this.directory.snapshot();
    const hit = this.#cache.get(area.key);
    if (hit?.snap === snap) return hit.rows;
    const rows = new Set<number>();
    for (const r of snap.visible) {
      const lat = this.store.nodes.get('lat', r);
      const lon = this.store.nodes.get('lon', r);
      if (hasPosition(lat, lon) && area.contains(lat, lon)) rows.add(r);
    }
    if (this.#cache.size >= MAX_CACHED) this.#cache.clear();
    this.#cache.set(area.key, { snap, rows });
    return rows;
  }
}
