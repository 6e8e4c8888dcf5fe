// Append-only byte heap in fixed-size SharedArrayBuffer chunks (Arrow's offsets-into-a-heap
// idea without resizing). An entry never spans two chunks, so a global u32 offset splits
// into chunk = heapChunkOf(off, shift) and position = heapByteOf(off, mask) (layout.ts), and a
// reader can take a zero-copy subarray. Entries are written before the row that references
// them is committed, so the row count publishes them too.

import { Buffer } from 'node:buffer';
import { StoreError } from './errors.js';
import { heapByteOf, heapChunkOf } from './layout.js';

export interface HeapHandle {
  chunkBytes: number;
  chunks: SharedArrayBuffer[];
}

export class HeapReader {
  readonly chunkBytes: number;
  readonly shift: number;
  readonly mask: number;
  readonly chunks: SharedArrayBuffer[] = [];
  /** One byte view per chunk, for tight loops (index with heapChunkOf / heapByteOf, layout.ts). */
  readonly chunkViews: Uint8Array[] = [];
  protected readonly buffers: Buffer[] = [];
  /** Called when an offset points past the chunks held (StoreView drains its port here). */
  onMissing: (() => void) | undefined;

  constructor(chunkBytes: number) {
    if (chunkBytes & (chunkBytes - 1)) throw new RangeError('chunkBytes must be a power of two');
    this.chunkBytes = chunkBytes;
    this.shift = Math.log2(chunkBytes);
    this.mask = chunkBytes - 1;
  }

  static fromHandle(h: HeapHandle): HeapReader {
    const r = new HeapReader(h.chunkBytes);
    h.chunks.forEach((buf, i) => r.addChunk(i, buf));
    return r;
  }

  addChunk(index: number, buf: SharedArrayBuffer): void {
    if (index < this.chunks.length) return;
    if (index !== this.chunks.length) {
      throw new StoreError(
        'STORE_ERR_STALE_VIEW',
        `heap chunk ${index} arrived before ${this.chunks.length}`,
      );
    }
    this.chunks.push(buf);
    this.chunkViews.push(new Uint8Array(buf));
    this.buffers.push(Buffer.from(buf));
  }

  private heldChunk(off: number): number {
    const c = heapChunkOf(off, this.shift);
    if (c >= this.chunks.length && this.onMissing) this.onMissing();
    if (c >= this.chunks.length) {
      throw new StoreError('STORE_ERR_STALE_VIEW', `heap chunk ${c} not received yet (call refresh())`);
    }
    return c;
  }

  /** Zero-copy view of an entry (valid as long as the store lives; do not write to it). */
  bytes(off: number, len: number): Uint8Array {
    const c = this.heldChunk(off);
    const at = heapByteOf(off, this.mask);
    return this.chunkViews[c].subarray(at, at + len);
  }

  text(off: number, len: number): string {
    const c = this.heldChunk(off);
    const at = heapByteOf(off, this.mask);
    return this.buffers[c].toString('utf8', at, at + len);
  }

  hex(off: number, len: number): string {
    const c = this.heldChunk(off);
    const at = heapByteOf(off, this.mask);
    return this.buffers[c].toString('hex', at, at + len);
  }

  byteLength(): number {
    return this.chunks.length * this.chunkBytes;
  }

  handle(): HeapHandle {
    return { chunkBytes: this.chunkBytes, chunks: [...this.chunks] };
  }
}

export class HeapWriter extends HeapReader {
  private used = 0;
  private readonly onChunk: (index: number, buf: SharedArrayBuffer) => void;

  constructor(chunkBytes: number, onChunk: (index: number, buf: SharedArrayBuffer) => void) {
    super(chunkBytes);
    this.onChunk = onChunk;
  }

  /** Bytes written, including the unused tails of sealed chunks. */
  get usedBytes(): number {
    return this.used;
  }

  /** Reserve `len` contiguous bytes; returns the global offset. */
  private reserve(len: number): number {
    if (len > this.chunkBytes) {
      throw new StoreError(
        'STORE_ERR_ENTRY_TOO_LARGE',
        `entry of ${len} bytes exceeds the ${this.chunkBytes}-byte heap chunk`,
      );
    }
    let off = this.used;
    if (
      heapByteOf(off, this.mask) + len > this.chunkBytes ||
      heapChunkOf(off, this.shift) >= this.chunks.length
    ) {
      // Seal the current chunk (its tail stays unused) and start a new one.
      const index = this.chunks.length;
      off = index * this.chunkBytes;
      if (off + len > 0xffffffff) throw new StoreError('STORE_ERR_CAPACITY', 'heap exceeds 4 GiB');
      this.addChunk(index, new SharedArrayBuffer(this.chunkBytes));
      this.onChunk(index, this.chunks[index]);
    }
    this.used = off + len;
    return off;
  }

  /** Checks that `len` bytes could be appended, without writing (validate before a row is reserved). */
  checkFits(len: number): void {
    if (len > this.chunkBytes) {
      throw new StoreError(
        'STORE_ERR_ENTRY_TOO_LARGE',
        `entry of ${len} bytes exceeds the ${this.chunkBytes}-byte heap chunk`,
      );
    }
  }

  append(bytes: Uint8Array): number {
    const off = this.reserve(bytes.length);
    this.chunkViews[heapChunkOf(off, this.shift)].set(bytes, heapByteOf(off, this.mask));
    return off;
  }

  /** Appends src[start, start + len) (no subarray per call: the bulk load's hot path). */
  appendRange(src: Uint8Array, start: number, len: number): number {
    const off = this.reserve(len);
    const dst = this.chunkViews[heapChunkOf(off, this.shift)];
    const at = heapByteOf(off, this.mask);
    if (len <= 32) for (let i = 0; i < len; i++) dst[at + i] = src[start + i];
    else dst.set(src.subarray(start, start + len), at);
    return off;
  }

  /** Appends the UTF-8 bytes of `s`; returns [offset, byteLength]. */
  appendText(s: string): [number, number] {
    const len = Buffer.byteLength(s, 'utf8');
    const off = this.reserve(len);
    this.buffers[heapChunkOf(off, this.shift)].write(s, heapByteOf(off, this.mask), len, 'utf8');
    return [off, len];
  }

  /** Appends hex text as bytes (caller validated it); returns [offset, byteLength]. */
  appendHex(hex: string): [number, number] {
    const len = hex.length >>> 1;
    const off = this.reserve(len);
    this.buffers[heapChunkOf(off, this.shift)].write(hex, heapByteOf(off, this.mask), len, 'hex');
    return [off, len];
  }
}
