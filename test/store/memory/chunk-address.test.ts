import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CHUNK_ROWS,
  HEAP_CHUNK_BYTES,
  INTERN_SCHEMA,
  NODE_SCHEMA,
  OBSERVER_SCHEMA,
  OBS_SCHEMA,
  TX_SCHEMA,
  chunkOf,
  heapByteOf,
  heapChunkOf,
  slotOf,
  type TableSchema,
} from '../../../src/store/memory/layout.js';
import { TableWriter } from '../../../src/store/memory/shared-table.js';
import { HeapWriter } from '../../../src/store/memory/byte-heap.js';

const SCHEMAS: Record<keyof typeof CHUNK_ROWS, TableSchema> = {
  tx: TX_SCHEMA,
  obs: OBS_SCHEMA,
  nodes: NODE_SCHEMA,
  observers: OBSERVER_SCHEMA,
  intern: INTERN_SCHEMA,
};

/** Rows (or offsets) on both sides of the first chunk boundaries, and the top of the u32 range. */
function boundaries(size: number, top: number): number[] {
  return [0, 1, size - 1, size, size + 1, 2 * size - 1, 2 * size, 3 * size + 5, top];
}

test('chunkOf / slotOf: rows at chunk boundaries of every table layout', () => {
  for (const [name, rows] of Object.entries(CHUNK_ROWS) as [keyof typeof CHUNK_ROWS, number][]) {
    const table = new TableWriter(SCHEMAS[name], rows, () => {});
    // The last row a table can hold (reserveRow refuses 0xfffffffe): above 2^31, still u32.
    for (const row of boundaries(rows, 0xfffffffd)) {
      assert.equal(chunkOf(row, table.shift), Math.floor(row / rows), `${name} row ${row} chunk`);
      assert.equal(slotOf(row, table.mask), row % rows, `${name} row ${row} slot`);
    }
  }
});

test('chunkOf / slotOf address the chunks reserveRow allocates (small chunks, as the tests shrink them)', () => {
  for (const rows of [1, 4, 16]) {
    const table = new TableWriter(TX_SCHEMA, rows, () => {});
    const n = 3 * rows + 1;
    for (let k = 0; k < n; k++) {
      const row = table.reserveRow();
      table.cols.id[chunkOf(row, table.shift)][slotOf(row, table.mask)] = 1000 + row;
    }
    table.commit();
    assert.equal(table.chunks.length, chunkOf(n - 1, table.shift) + 1);
    for (let row = 0; row < n; row++) {
      assert.equal(table.get('id', row), 1000 + row, `chunkRows ${rows} row ${row}`);
      // Each row has its own (chunk, slot): neighbours across a boundary never collide.
      const c = chunkOf(row, table.shift);
      const i = slotOf(row, table.mask);
      assert.equal(c * rows + i, row);
    }
  }
});

test('heapChunkOf / heapByteOf: offsets at chunk boundaries of every heap layout', () => {
  for (const [name, bytes] of Object.entries(HEAP_CHUNK_BYTES)) {
    const heap = new HeapWriter(bytes, () => {});
    for (const off of boundaries(bytes, 0xffffffff)) {
      assert.equal(heapChunkOf(off, heap.shift), Math.floor(off / bytes), `${name} offset ${off} chunk`);
      assert.equal(heapByteOf(off, heap.mask), off % bytes, `${name} offset ${off} byte`);
    }
  }
});

test('heap offsets returned by appends point at the bytes written, across chunk boundaries', () => {
  const heap = new HeapWriter(16, () => {});
  const offsets: number[] = [];
  for (let k = 0; k < 12; k++) offsets.push(heap.append(Uint8Array.of(k, k + 1, k + 2, k + 3, k + 4)));
  offsets.forEach((off, k) => {
    const view = heap.chunkViews[heapChunkOf(off, heap.shift)];
    const at = heapByteOf(off, heap.mask);
    assert.deepEqual([...view.subarray(at, at + 5)], [k, k + 1, k + 2, k + 3, k + 4]);
    assert.deepEqual([...heap.bytes(off, 5)], [k, k + 1, k + 2, k + 3, k + 4]);
  });
  assert.ok(heap.chunks.length > 1);
});
