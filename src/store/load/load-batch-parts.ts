// Shared pieces of the load batch builders (load-tx-batch.ts, load-obs-batch.ts): per-builder
// string dictionaries, growable byte heaps, id checks, cutting a batch to its rows.
import { Buffer } from 'node:buffer';
import type { DictAdditions, DictDomain } from '../memory/batch-append.js';

const MAX_ID = 0xfffffffe;
export const isId = (v: unknown): v is number =>
  Number.isInteger(v) && (v as number) >= 0 && (v as number) <= MAX_ID;
export const isU8 = (v: number) => Number.isInteger(v) && v >= 0 && v <= 255;

/** Dictionary of one builder: string -> index; remembers what was added since the last batch. */
export class Dict {
  private readonly index = new Map<string, number>();
  private pending: string[] = [];

  get(s: string): number {
    let k = this.index.get(s);
    if (k === undefined) {
      k = this.index.size;
      this.index.set(s, k);
      this.pending.push(s);
    }
    return k;
  }

  take(): string[] {
    const out = this.pending;
    this.pending = [];
    return out;
  }
}

export function takeDicts(dicts: Partial<Record<DictDomain, Dict>>): DictAdditions {
  const out: DictAdditions = {};
  for (const [domain, d] of Object.entries(dicts) as [DictDomain, Dict][]) {
    const added = d.take();
    if (added.length > 0) out[domain] = added;
  }
  return out;
}

/** A growable byte heap for one batch (not pooled, so its buffer can be transferred). */
export class Bytes {
  buf = Buffer.allocUnsafeSlow(1 << 16);
  used = 0;

  ensure(extra: number): void {
    if (this.used + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.used + extra) size *= 2;
    const next = Buffer.allocUnsafeSlow(size);
    this.buf.copy(next, 0, 0, this.used);
    this.buf = next;
  }

  /** The used bytes as a Uint8Array over a buffer of exactly that size (cheap to transfer). */
  finish(): Uint8Array {
    const out = new Uint8Array(this.used);
    out.set(this.buf.subarray(0, this.used));
    return out;
  }
}

/** Views of a batch's row columns cut to its n rows (offset columns to n + 1); buffers unchanged. */
export function trimmed<B extends { n: number }>(b: B, offsetColumns: readonly string[]): B {
  const out: Record<string, unknown> = { ...b };
  for (const [k, v] of Object.entries(b)) {
    if (!ArrayBuffer.isView(v) || k === 'raw' || k === 'json' || k === 'path') continue;
    out[k] = (v as unknown as Uint8Array).subarray(0, offsetColumns.includes(k) ? b.n + 1 : b.n);
  }
  return out as B;
}
