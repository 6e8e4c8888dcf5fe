// String interning to dense integer ids that any thread can resolve without messages: the
// strings are UTF-8 in a shared byte heap, and a shared table maps id -> (offset, length).
// The owner keeps the string -> id Map; readers decode on demand and cache per thread.

import { HeapReader, HeapWriter, type HeapHandle } from './byte-heap.js';
import { TableReader, TableWriter, type TableHandle } from './shared-table.js';
import { chunkOf, CHUNK_ROWS, HEAP_CHUNK_BYTES, INTERN_SCHEMA, NONE, slotOf } from './layout.js';

export interface InternHandle {
  table: TableHandle;
  heap: HeapHandle;
}

type Schema = typeof INTERN_SCHEMA;

export class InternReader {
  readonly table: TableReader<Schema>;
  readonly heap: HeapReader;
  private readonly cache: string[] = [];

  constructor(table: TableReader<Schema>, heap: HeapReader) {
    this.table = table;
    this.heap = heap;
  }

  static fromHandle(h: InternHandle): InternReader {
    return new InternReader(TableReader.fromHandle<Schema>(h.table), HeapReader.fromHandle(h.heap));
  }

  /** Number of strings published. */
  get size(): number {
    return this.table.readableRows();
  }

  /** The string for `id`, or null for NONE / an id not published yet. */
  get(id: number): string | null {
    if (id === NONE) return null;
    const cached = this.cache[id];
    if (cached !== undefined) return cached;
    if (id >= this.table.readableRows()) return null;
    const s = this.heap.text(this.table.get('off', id), this.table.get('len', id));
    this.cache[id] = s;
    return s;
  }

  byteLength(): number {
    return this.table.byteLength() + this.heap.byteLength();
  }

  handle(): InternHandle {
    return { table: this.table.handle(), heap: this.heap.handle() };
  }
}

export class InternWriter extends InternReader {
  private readonly ids = new Map<string, number>();
  private readonly writer: TableWriter<Schema>;
  private readonly heapWriter: HeapWriter;

  constructor(
    onTableChunk: (i: number, b: SharedArrayBuffer) => void,
    onHeapChunk: (i: number, b: SharedArrayBuffer) => void,
  ) {
    const table = new TableWriter(INTERN_SCHEMA, CHUNK_ROWS.intern, onTableChunk);
    const heap = new HeapWriter(HEAP_CHUNK_BYTES.intern, onHeapChunk);
    super(table, heap);
    this.writer = table;
    this.heapWriter = heap;
  }

  /** Id of `s`, or NONE when it was never interned. */
  lookup(s: string): number {
    return this.ids.get(s) ?? NONE;
  }

  /** Id of `s`, adding it when new (published at once). null maps to NONE. */
  intern(s: string | null): number {
    if (s === null) return NONE;
    let id = this.ids.get(s);
    if (id !== undefined) return id;
    const [off, len] = this.heapWriter.appendText(s);
    id = this.writer.reserveRow();
    const c = chunkOf(id, this.writer.shift);
    const i = slotOf(id, this.writer.mask);
    this.writer.cols.off[c][i] = off;
    this.writer.cols.len[c][i] = len;
    this.writer.commit();
    this.ids.set(s, id);
    return id;
  }

  /** Rough main-thread Map cost: ~2x string length + ~50 bytes of entry overhead. */
  indexBytesEstimate(): number {
    let n = 0;
    for (const k of this.ids.keys()) n += 50 + 2 * k.length;
    return n;
  }

  entries(): IterableIterator<[string, number]> {
    return this.ids.entries();
  }
}
