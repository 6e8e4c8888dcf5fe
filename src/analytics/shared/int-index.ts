// Small open-addressing tables for hot loops keyed by non-negative int32 numbers (node pairs,
// hop-id pairs): typed arrays, no boxing, no per-entry objects.

/** murmur3's 32-bit finalizer: every input bit affects the low bits a table mask keeps. */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Map from a non-negative int32 key to an int32 value (get: -1 when absent). */
export class IntIndex {
  private keys = new Int32Array(1024).fill(-1);
  private vals = new Int32Array(1024);
  private mask = 1023;
  size = 0;

  get(key: number): number {
    for (let h = mix32(key) & this.mask; ; h = (h + 1) & this.mask) {
      const k = this.keys[h];
      if (k === key) return this.vals[h];
      if (k === -1) return -1;
    }
  }

  set(key: number, val: number): void {
    let h = mix32(key) & this.mask;
    while (this.keys[h] !== -1 && this.keys[h] !== key) h = (h + 1) & this.mask;
    if (this.keys[h] === -1) {
      this.size++;
      if (this.size * 2 > this.mask) {
        this.grow();
        this.set(key, val);
        this.size--;
        return;
      }
      this.keys[h] = key;
    }
    this.vals[h] = val;
  }

  private grow(): void {
    const keys = this.keys;
    const vals = this.vals;
    this.mask = this.mask * 2 + 1;
    this.keys = new Int32Array(this.mask + 1).fill(-1);
    this.vals = new Int32Array(this.mask + 1);
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] === -1) continue;
      let h = mix32(keys[i]) & this.mask;
      while (this.keys[h] !== -1) h = (h + 1) & this.mask;
      this.keys[h] = keys[i];
      this.vals[h] = vals[i];
    }
  }
}
