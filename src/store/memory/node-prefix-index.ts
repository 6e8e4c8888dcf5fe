// Visible nodes sorted by public key, rebuilt when the node directory's snapshot changes (once
// per nodes-table version): a hex prefix resolves to its range by two binary searches,
// O(log n + matches), for /api/nodes/resolve and /api/resolve-hops.
import type { MemoryStore } from './memory-store.js';
import type { NodeDirectory } from './node-directory.js';

export class NodePrefixIndex {
  #for: object | null = null;
  #keys: string[] = [];
  #rows: number[] = [];

  constructor(
    private readonly store: MemoryStore,
    private readonly directory: NodeDirectory,
  ) {}

  #refresh(): void {
    const snap = this.directory.snapshot();
    if (this.#for === snap) return;
    const pk = (r: number) => this.store.interns.pubkeys.get(r) ?? '';
    const rows = [...snap.visible].sort((a, b) => (pk(a) < pk(b) ? -1 : pk(a) > pk(b) ? 1 : 0));
    this.#rows = rows;
    this.#keys = rows.map(pk);
    this.#for = snap;
  }

  #lowerBound(key: string): number {
    let lo = 0;
    let hi = this.#keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#keys[mid] < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Rows of the visible nodes whose key starts with `prefixLower`, in key order. */
  rows(prefixLower: string): number[] {
    this.#refresh();
    const out: number[] = [];
    for (let k = this.#lowerBound(prefixLower); k < this.#keys.length; k++) {
      if (!this.#keys[k].startsWith(prefixLower)) break;
      out.push(this.#rows[k]);
    }
    return out;
  }
}
