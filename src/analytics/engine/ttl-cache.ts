// A bounded TTL cache with single-flight for on-request analytics shapes (spec analytics §1.3,
// improved per §9 item 2): concurrent misses on one key share one compute, entries expire
// `ttlMs` after their compute finished, and the least recently used entry goes first when the
// cache is full (style-examples §5: bound every cache). A failed compute is not cached.

interface Entry<V> {
  promise: Promise<V>;
  /** Set once the compute finished; the entry is fresh until then. */
  expiresAtMs: number;
}

export interface TtlCacheStats {
  size: number;
  hits: number;
  misses: number;
  /** Requests that joined a compute already in flight. */
  joined: number;
  evictions: number;
}

export class TtlCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly maxEntries: number;
  private readonly now: () => number;
  private readonly counters = { hits: 0, misses: 0, joined: 0, evictions: 0 };

  constructor(maxEntries: number, now: () => number = Date.now) {
    this.maxEntries = Math.max(1, maxEntries);
    this.now = now;
  }

  get(key: string, ttlMs: number, compute: () => Promise<V>): Promise<V> {
    const e = this.entries.get(key);
    if (e) {
      if (e.expiresAtMs === Infinity) {
        this.counters.joined++;
        return e.promise;
      }
      if (this.now() < e.expiresAtMs) {
        this.counters.hits++;
        this.entries.delete(key);
        this.entries.set(key, e); // most recently used last
        return e.promise;
      }
      this.entries.delete(key);
    }
    this.counters.misses++;
    const entry: Entry<V> = { promise: compute(), expiresAtMs: Infinity };
    entry.promise.then(
      () => {
        entry.expiresAtMs = this.now() + ttlMs;
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    this.entries.set(key, entry);
    while (this.entries.size > this.maxEntries) {
      this.entries.delete(this.entries.keys().next().value as string);
      this.counters.evictions++;
    }
    return entry.promise;
  }

  clear(): void {
    this.entries.clear();
  }

  stats(): TtlCacheStats {
    return { size: this.entries.size, ...this.counters };
  }
}
