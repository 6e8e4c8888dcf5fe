// A chunked, append-only columnar table in SharedArrayBuffers (layout.ts describes the
// layout and the publish order). TableReader is what any thread holds; TableWriter is the
// single owner on the main thread.

import {
  chunkLayout,
  chunkOf,
  slotOf,
  kChunkCount,
  kCommittedRows,
  kControlFieldCount,
  kMutationCount,
  makeColumnArray,
  type TableSchema,
  type TypedArrayOf,
} from './layout.js';
import { StoreError } from './errors.js';

/** What a reader needs to rebuild a table in another thread: structured-cloneable, no copies of data. */
export interface TableHandle {
  schema: TableSchema;
  chunkRows: number;
  control: SharedArrayBuffer;
  chunks: SharedArrayBuffer[];
}

export type ColumnChunks<S extends TableSchema> = { [K in keyof S]: TypedArrayOf<S[K]>[] };

export class TableReader<S extends TableSchema> {
  readonly schema: S;
  readonly chunkRows: number;
  /** Chunk addressing (layout.ts): chunkOf(row, shift) is the chunk, slotOf(row, mask) the slot in it. */
  readonly shift: number;
  readonly mask: number;
  readonly control: Int32Array;
  readonly controlBuffer: SharedArrayBuffer;
  readonly chunks: SharedArrayBuffer[] = [];
  /** Per column, one typed array per chunk (the list grows as chunks arrive). */
  readonly cols: ColumnChunks<S>;
  private readonly offsets: Record<string, number>;
  readonly chunkBytes: number;

  constructor(schema: S, chunkRows: number, control: SharedArrayBuffer) {
    if (chunkRows & (chunkRows - 1)) throw new RangeError('chunkRows must be a power of two');
    this.schema = schema;
    this.chunkRows = chunkRows;
    this.shift = Math.log2(chunkRows);
    this.mask = chunkRows - 1;
    this.controlBuffer = control;
    this.control = new Int32Array(control);
    const layout = chunkLayout(schema, chunkRows);
    this.offsets = layout.offsets;
    this.chunkBytes = layout.bytes;
    const cols: Record<string, unknown[]> = {};
    for (const name of Object.keys(schema)) cols[name] = [];
    this.cols = cols as ColumnChunks<S>;
  }

  static fromHandle<S extends TableSchema>(h: TableHandle): TableReader<S> {
    const r = new TableReader(h.schema as S, h.chunkRows, h.control);
    h.chunks.forEach((buf, i) => r.addChunk(i, buf));
    return r;
  }

  /** Attach chunk `index` (idempotent; chunks must arrive in order). */
  addChunk(index: number, buf: SharedArrayBuffer): void {
    if (index < this.chunks.length) return;
    if (index !== this.chunks.length) {
      throw new StoreError(
        'STORE_ERR_STALE_VIEW',
        `chunk ${index} arrived before chunk ${this.chunks.length}`,
      );
    }
    this.chunks.push(buf);
    for (const [name, type] of Object.entries(this.schema)) {
      (this.cols[name] as unknown[]).push(makeColumnArray(type, buf, this.offsets[name], this.chunkRows));
    }
  }

  /** Rows published by the owner (may include rows in chunks this reader has not received yet). */
  committedRows(): number {
    return Atomics.load(this.control, kCommittedRows);
  }

  /** Rows this reader can read now: published rows that lie in chunks it holds. */
  readableRows(): number {
    return Math.min(this.committedRows(), this.chunks.length * this.chunkRows);
  }

  mutationCount(): number {
    return Atomics.load(this.control, kMutationCount);
  }

  get<K extends keyof S>(name: K, row: number): number {
    return this.cols[name][chunkOf(row, this.shift)][slotOf(row, this.mask)];
  }

  byteLength(): number {
    return this.chunks.length * this.chunkBytes + this.controlBuffer.byteLength;
  }

  handle(): TableHandle {
    return {
      schema: this.schema,
      chunkRows: this.chunkRows,
      control: this.controlBuffer,
      chunks: [...this.chunks],
    };
  }
}

export class TableWriter<S extends TableSchema> extends TableReader<S> {
  /** Rows written (committed or staged). */
  private written = 0;
  private readonly onChunk: (index: number, buf: SharedArrayBuffer) => void;

  constructor(schema: S, chunkRows: number, onChunk: (index: number, buf: SharedArrayBuffer) => void) {
    super(schema, chunkRows, new SharedArrayBuffer(4 * 4 * Math.ceil(kControlFieldCount / 4)));
    this.onChunk = onChunk;
  }

  get rowCount(): number {
    return this.written;
  }

  /** Reserve the next row, allocating (and announcing) a new chunk when the last one is full. */
  reserveRow(): number {
    const row = this.written;
    if (chunkOf(row, this.shift) >= this.chunks.length) {
      if (row >= 0xfffffffe) throw new StoreError('STORE_ERR_CAPACITY', 'table is full');
      const index = this.chunks.length;
      // Announce before any row in it is committed: a reader that sees the count will have
      // the chunk delta queued ahead of it (StoreView.refresh relies on this order).
      this.addChunk(index, new SharedArrayBuffer(this.chunkBytes));
      Atomics.store(this.control, kChunkCount, this.chunks.length);
      this.onChunk(index, this.chunks[index]);
    }
    this.written = row + 1;
    return row;
  }

  /** Publish every reserved row: all column writes above happen-before this store. */
  commit(): void {
    Atomics.store(this.control, kCommittedRows, this.written);
  }

  /** Record that a published row was updated in place (readers may re-read). */
  noteMutation(): void {
    Atomics.add(this.control, kMutationCount, 1);
  }
}
