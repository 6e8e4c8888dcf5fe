// A main-thread list of rows kept sorted by a key (transmission id, observation id, ...),
// stored in a growable Uint32Array (4 bytes per entry; a JS array of numbers or a Set would
// cost 8-40). Rows normally arrive in key order (SQLite ids grow with ingest), so the common
// add is an O(1) push. A row that arrives a little late is inserted in place (cost = rows it
// overtakes, capped); a row that arrives far out of order (a bulk load of older history)
// marks the list unsorted, and the next read sorts it once and drops duplicates. So a
// newest-first or backfill load costs one O(n log n) sort, not O(n^2) inserts.

const MAX_SHIFT = 4096;

export class RowList {
  private data: Uint32Array;
  private len = 0;
  private sorted = true;
  private readonly key: (row: number) => number;

  constructor(key: (row: number) => number, capacity = 8) {
    this.key = key;
    this.data = new Uint32Array(capacity);
  }

  /** Adds `row` unless present; returns false when it was already there (sorted mode). */
  add(row: number): boolean {
    const n = this.len;
    if (n > 0 && this.data[n - 1] === row) return false;
    if (!this.sorted || n === 0) return this.push(row);
    const k = this.key(row);
    if (k > this.key(this.data[n - 1])) return this.push(row);
    const at = this.lowerBound(k);
    if (at < n && this.data[at] === row) return false;
    if (n - at > MAX_SHIFT) {
      this.sorted = false;
      return this.push(row);
    }
    this.push(row);
    this.data.copyWithin(at + 1, at, n);
    this.data[at] = row;
    return true;
  }

  private push(row: number): boolean {
    if (this.len === this.data.length) {
      const next = new Uint32Array(Math.max(8, this.data.length * 2));
      next.set(this.data);
      this.data = next;
    }
    this.data[this.len++] = row;
    return true;
  }

  /** Sort and de-duplicate if far out-of-order rows arrived since the last read. */
  private ensureSorted(): void {
    if (this.sorted) return;
    const key = this.key;
    const view = this.data.subarray(0, this.len);
    view.sort((a, b) => key(a) - key(b));
    let w = 0;
    for (let r = 0; r < view.length; r++) if (w === 0 || view[w - 1] !== view[r]) view[w++] = view[r];
    this.len = w;
    this.sorted = true;
  }

  /** False while far out-of-order rows wait for the next read's sort. */
  get isSorted(): boolean {
    return this.sorted;
  }

  get length(): number {
    this.ensureSorted();
    return this.len;
  }

  /** Row at position i in ascending key order. */
  at(i: number): number {
    this.ensureSorted();
    return this.data[i];
  }

  /** First position whose key is >= k. */
  lowerBound(k: number): number {
    this.ensureSorted();
    let lo = 0;
    let hi = this.len;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.key(this.data[mid]) < k) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** First position whose value of `fn` is >= v, assuming fn is non-decreasing along the list. */
  lowerBoundBy(fn: (row: number) => number, v: number): number {
    this.ensureSorted();
    let lo = 0;
    let hi = this.len;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (fn(this.data[mid]) < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Key of the row at position i. */
  keyAt(i: number): number {
    return this.key(this.at(i));
  }

  has(row: number): boolean {
    const at = this.lowerBound(this.key(row));
    return at < this.len && this.data[at] === row;
  }

  /** Read-only view of the sorted rows (valid until the next add). */
  rows(): Uint32Array {
    this.ensureSorted();
    return this.data.subarray(0, this.len);
  }

  /** Drop spare capacity (after a bulk load; the next add regrows by doubling). */
  trim(): void {
    this.ensureSorted();
    if (this.data.length > this.len + 8) this.data = this.data.slice(0, this.len);
  }

  byteLength(): number {
    return this.data.byteLength + 64;
  }
}
