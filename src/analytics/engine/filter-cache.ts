// The packet filter's match lists (GET /api/packets?filter=), one per filter text: computed
// once per store data version with single-flight, so paging through a large match costs
// O(page) per request. Under steady ingest a list stays in use for `reuseMs` after its scan
// although the data moved on (as an analytics snapshot), so a client paging through a result
// sees one list instead of a rescan per page. Bounded (least recently used goes first).

/** One filter's match: transmission ids, newest first. */
export interface FilterMatch {
  ids: Uint32Array;
  /** The store data version the scan saw. */
  dataVersion: number;
  computedAtMs: number;
  durationMs: number;
  scanned: number;
}

interface Entry {
  promise: Promise<FilterMatch>;
  /** Set once the scan finished. */
  done: FilterMatch | null;
  doneAtMs: number;
}

export class FilterCache {
  private readonly entries = new Map<string, Entry>();
  readonly counters = { hits: 0, misses: 0, joined: 0 };

  constructor(
    private readonly maxEntries: number,
    private readonly reuseMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string, version: number, compute: () => Promise<FilterMatch>): Promise<FilterMatch> {
    const e = this.entries.get(key);
    if (e) {
      if (e.done === null) {
        this.counters.joined++;
        return e.promise;
      }
      if (e.done.dataVersion === version || this.now() - e.doneAtMs < this.reuseMs) {
        this.counters.hits++;
        this.entries.delete(key);
        this.entries.set(key, e); // most recently used last
        return e.promise;
      }
      this.entries.delete(key);
    }
    this.counters.misses++;
    const entry: Entry = { promise: compute(), done: null, doneAtMs: 0 };
    entry.promise.then(
      (m) => {
        entry.done = m;
        entry.doneAtMs = this.now();
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    this.entries.set(key, entry);
    while (this.entries.size > this.maxEntries)
      this.entries.delete(this.entries.keys().next().value as string);
    return entry.promise;
  }

  clear(): void {
    this.entries.clear();
  }
}
