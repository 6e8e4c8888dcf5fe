// Content hash (8 bytes as hi/lo u32) -> transmission row: open addressing over a
// Uint32Array of row+1 (0 = empty), probing linearly from the low word; the key itself is
// not stored, it is read back from the table's hash columns. ~8 bytes per transmission at
// load <= 0.5, against ~100 for a Map keyed by 16-character strings.

export class HashIndex {
  private slots: Uint32Array;
  private count = 0;
  private readonly hi: (row: number) => number;
  private readonly lo: (row: number) => number;

  constructor(hi: (row: number) => number, lo: (row: number) => number) {
    this.hi = hi;
    this.lo = lo;
    this.slots = new Uint32Array(1024);
  }

  get size(): number {
    return this.count;
  }

  /** Row for (hi, lo), or -1. */
  get(hi: number, lo: number): number {
    const mask = this.slots.length - 1;
    for (let i = mix(hi, lo) & mask; ; i = (i + 1) & mask) {
      const s = this.slots[i];
      if (s === 0) return -1;
      const row = s - 1;
      if (this.lo(row) === lo && this.hi(row) === hi) return row;
    }
  }

  /** Index `row` (whose hash columns are already written); caller checked it is absent. */
  set(row: number): void {
    if ((this.count + 1) * 2 > this.slots.length) this.grow();
    this.place(row);
    this.count++;
  }

  private place(row: number): void {
    const mask = this.slots.length - 1;
    let i = mix(this.hi(row), this.lo(row)) & mask;
    while (this.slots[i] !== 0) i = (i + 1) & mask;
    this.slots[i] = row + 1;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Uint32Array(old.length * 2);
    for (const s of old) if (s !== 0) this.place(s - 1);
  }

  byteLength(): number {
    return this.slots.byteLength;
  }
}

function mix(hi: number, lo: number): number {
  // The hash is already SHA-256 output; fold both words so a zeroed low word still spreads.
  return (lo ^ Math.imul(hi, 0x9e3779b1)) >>> 0;
}
