// Observation counts in a recent window (/api/stats packetsLastHour / packetsLast24h, the
// observers' packetsLastHour). Observations are appended in arrival order with the server's
// receive time, so rxMs normally never decreases along rows: then a count is a binary search
// (O(log n)) over the observation table or an observer's observation list. Whether that holds
// is checked incrementally (O(new rows) per call). A database loaded out of time order (the
// fixture's ids run newest-first) falls back to one pass over the rxMs column, cached for
// CACHE_MS per window like CoreScope's 10-30 s stats caches (spec ingest-store-api §3.6).
import type { MemoryStore } from './memory-store.js';

const CACHE_MS = 10_000;

interface ScanResult {
  at: number;
  rows: number;
  total: number;
  perObserver: Uint32Array;
}

export class ActivityCounter {
  #checkedRows = 0;
  #monotonic = true;
  #lastRx = -Infinity;
  readonly #scans = new Map<number, ScanResult>();

  constructor(private readonly store: MemoryStore) {}

  #rx(row: number): number {
    return this.store.obs.get('rxMs', row);
  }

  /** Whether rxMs is non-decreasing over every row so far (checked only over new rows). */
  timeOrdered(): boolean {
    const n = this.store.observationCount;
    for (let r = this.#checkedRows; r < n && this.#monotonic; r++) {
      const t = this.#rx(r);
      if (t < this.#lastRx) this.#monotonic = false;
      this.#lastRx = t;
    }
    this.#checkedRows = n;
    return this.#monotonic;
  }

  #scan(windowMs: number, nowMs: number): ScanResult {
    const n = this.store.observationCount;
    const cached = this.#scans.get(windowMs);
    if (cached && cached.rows === n && nowMs - cached.at < CACHE_MS) return cached;
    const since = nowMs - windowMs;
    const perObserver = new Uint32Array(this.store.observers.rowCount + 1);
    let total = 0;
    for (let r = 0; r < n; r++) {
      if (this.#rx(r) >= since) {
        total++;
        perObserver[this.store.obs.get('observer', r)]++;
      }
    }
    const result = { at: nowMs, rows: n, total, perObserver };
    this.#scans.set(windowMs, result);
    return result;
  }

  /** Observations received within `windowMs` before `nowMs`. */
  count(windowMs: number, nowMs: number): number {
    if (!this.timeOrdered()) return this.#scan(windowMs, nowMs).total;
    const since = nowMs - windowMs;
    let lo = 0;
    let hi = this.store.observationCount;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#rx(mid) < since) lo = mid + 1;
      else hi = mid;
    }
    return this.store.observationCount - lo;
  }

  /** Per-observer counter for one window (call once per request, then per observer row). */
  perObserver(windowMs: number, nowMs: number): (observerRow: number) => number {
    if (!this.timeOrdered()) {
      const scan = this.#scan(windowMs, nowMs);
      return (row) => scan.perObserver[row] ?? 0;
    }
    const since = nowMs - windowMs;
    return (row) => {
      const list = this.store.indexes.obsByObserver.get(row);
      if (!list) return 0;
      return list.length - list.lowerBoundBy((r) => this.#rx(r), since);
    };
  }
}
