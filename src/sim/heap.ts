// A binary min-heap ordered by (time, insertion order): the tie-break on insertion order keeps
// the simulator's output deterministic when two events share a millisecond.

export class TimeHeap<T> {
  private times: number[] = [];
  private seqs: number[] = [];
  private items: T[] = [];
  private counter = 0;

  get size(): number {
    return this.items.length;
  }

  /** Time of the earliest item, or +Infinity when empty. */
  peekTime(): number {
    return this.items.length > 0 ? this.times[0] : Infinity;
  }

  push(time: number, item: T): void {
    let i = this.items.length;
    const seq = this.counter++;
    this.times.push(time);
    this.seqs.push(seq);
    this.items.push(item);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(time, seq, p)) break;
      this.move(p, i);
      i = p;
    }
    this.times[i] = time;
    this.seqs[i] = seq;
    this.items[i] = item;
  }

  pop(): T | undefined {
    const n = this.items.length;
    if (n === 0) return undefined;
    const top = this.items[0];
    const lastTime = this.times.pop()!;
    const lastSeq = this.seqs.pop()!;
    const last = this.items.pop()!;
    if (n > 1) {
      let i = 0;
      const m = n - 1;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= m) break;
        const r = l + 1;
        const c = r < m && this.lessIdx(r, l) ? r : l;
        if (!this.less(this.times[c], this.seqs[c], i, lastTime, lastSeq)) break;
        this.move(c, i);
        i = c;
      }
      this.times[i] = lastTime;
      this.seqs[i] = lastSeq;
      this.items[i] = last;
    }
    return top;
  }

  private move(from: number, to: number): void {
    this.times[to] = this.times[from];
    this.seqs[to] = this.seqs[from];
    this.items[to] = this.items[from];
  }

  private lessIdx(a: number, b: number): boolean {
    return this.times[a] < this.times[b] || (this.times[a] === this.times[b] && this.seqs[a] < this.seqs[b]);
  }

  /** (time, seq) < entry j, or < (jTime, jSeq) when given. */
  private less(time: number, seq: number, j: number, jTime = this.times[j], jSeq = this.seqs[j]): boolean {
    return time < jTime || (time === jTime && seq < jSeq);
  }
}
