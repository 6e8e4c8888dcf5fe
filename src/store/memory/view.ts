// StoreView: the read-only side of the store, built in any thread from a StoreHandle (the
// SharedArrayBuffers plus layout, structured-cloneable; nothing is copied, the buffers are
// shared). New chunks reach it as ChunkDeltas, either applied by hand (applyChunk) or pulled
// synchronously from a MessagePort given at construction (MemoryStore.connectReader).
//
// Consistency: refresh() first Atomics.loads every table's committed count, then drains the
// port. The owner posts a chunk's delta before committing any row in it or referencing it,
// so after the drain every chunk those counts can reach is present. Reads below the counts
// returned by refresh() are then a consistent prefix (see memory-store.ts for the few fields
// updated in place). Without a port the caller must apply deltas before refresh().

import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { HeapReader, type HeapHandle } from './byte-heap.js';
import { InternReader, type InternHandle } from './intern.js';
import { TableReader, type TableHandle } from './shared-table.js';
import {
  INTERN_DOMAINS,
  NONE,
  OBSERVER_SCHEMA,
  OBS_SCHEMA,
  NODE_SCHEMA,
  TX_SCHEMA,
  type InternDomain,
} from './layout.js';
import { fromQuarter, hashText, pathHops } from './codec.js';

export type TableName = 'tx' | 'obs' | 'nodes' | 'observers';
export type HeapName = 'raw' | 'json' | 'path';

export interface StoreHandle {
  tables: Record<TableName, TableHandle>;
  heaps: Record<HeapName, HeapHandle>;
  interns: Record<InternDomain, InternHandle>;
}

export type ChunkTarget =
  | { kind: 'table'; name: TableName }
  | { kind: 'heap'; name: HeapName }
  | { kind: 'intern-table'; name: InternDomain }
  | { kind: 'intern-heap'; name: InternDomain };

export interface ChunkDelta {
  target: ChunkTarget;
  index: number;
  buffer: SharedArrayBuffer;
}

export interface RowCounts {
  tx: number;
  obs: number;
  nodes: number;
  observers: number;
}

/** One chunk's slice of a table: rows [base, base + length) are at index [0, length) of its arrays. */
export interface ChunkSpan {
  chunk: number;
  base: number;
  length: number;
}

/** Chunk spans covering rows [0, rows) of a table with `chunkRows` rows per chunk. */
export function chunkSpans(chunkRows: number, rows: number): ChunkSpan[] {
  const out: ChunkSpan[] = [];
  for (let base = 0, c = 0; base < rows; base += chunkRows, c++) {
    out.push({ chunk: c, base, length: Math.min(chunkRows, rows - base) });
  }
  return out;
}

export class StoreView {
  readonly tx: TableReader<typeof TX_SCHEMA>;
  readonly obs: TableReader<typeof OBS_SCHEMA>;
  readonly nodes: TableReader<typeof NODE_SCHEMA>;
  readonly observers: TableReader<typeof OBSERVER_SCHEMA>;
  readonly raw: HeapReader;
  readonly json: HeapReader;
  readonly path: HeapReader;
  readonly interns: Record<InternDomain, InternReader>;
  /** Row counts as of the last refresh(): read below these. */
  counts: RowCounts = { tx: 0, obs: 0, nodes: 0, observers: 0 };
  private readonly port: MessagePort | undefined;

  constructor(handle: StoreHandle, port?: MessagePort) {
    this.tx = TableReader.fromHandle(handle.tables.tx);
    this.obs = TableReader.fromHandle(handle.tables.obs);
    this.nodes = TableReader.fromHandle(handle.tables.nodes);
    this.observers = TableReader.fromHandle(handle.tables.observers);
    this.raw = HeapReader.fromHandle(handle.heaps.raw);
    this.json = HeapReader.fromHandle(handle.heaps.json);
    this.path = HeapReader.fromHandle(handle.heaps.path);
    const interns = {} as Record<InternDomain, InternReader>;
    for (const d of INTERN_DOMAINS) interns[d] = InternReader.fromHandle(handle.interns[d]);
    this.interns = interns;
    this.port = port;
    const drain = () => this.drain();
    for (const h of [this.raw, this.json, this.path]) h.onMissing = drain;
    for (const d of INTERN_DOMAINS) this.interns[d].heap.onMissing = drain;
    this.refresh();
  }

  applyChunk(d: ChunkDelta): void {
    const t = d.target;
    switch (t.kind) {
      case 'table':
        this[t.name].addChunk(d.index, d.buffer);
        break;
      case 'heap':
        this[t.name].addChunk(d.index, d.buffer);
        break;
      case 'intern-table':
        this.interns[t.name].table.addChunk(d.index, d.buffer);
        break;
      case 'intern-heap':
        this.interns[t.name].heap.addChunk(d.index, d.buffer);
        break;
    }
  }

  /** Apply every chunk delta already queued on the port (synchronous; no event-loop turn needed). */
  drain(): void {
    if (!this.port) return;
    for (let m = receiveMessageOnPort(this.port); m !== undefined; m = receiveMessageOnPort(this.port)) {
      this.applyChunk(m.message as ChunkDelta);
    }
  }

  /** Load the committed counts, then drain chunk deltas (order matters: see the file comment). */
  refresh(): RowCounts {
    const committed = {
      tx: this.tx.committedRows(),
      obs: this.obs.committedRows(),
      nodes: this.nodes.committedRows(),
      observers: this.observers.committedRows(),
    };
    this.drain();
    // Without a port, rows in chunks not received yet stay invisible.
    this.counts = {
      tx: Math.min(committed.tx, this.tx.chunks.length * this.tx.chunkRows),
      obs: Math.min(committed.obs, this.obs.chunks.length * this.obs.chunkRows),
      nodes: Math.min(committed.nodes, this.nodes.chunks.length * this.nodes.chunkRows),
      observers: Math.min(committed.observers, this.observers.chunks.length * this.observers.chunkRows),
    };
    return this.counts;
  }

  // ---- transmissions ----

  txHash(row: number): string {
    return hashText(this.tx.get('hashHi', row), this.tx.get('hashLo', row));
  }
  txRawBytes(row: number): Uint8Array {
    return this.raw.bytes(this.tx.get('rawOff', row), this.tx.get('rawLen', row));
  }
  txRawHex(row: number): string {
    return this.raw.hex(this.tx.get('rawOff', row), this.tx.get('rawLen', row)).toUpperCase();
  }
  txDecodedJson(row: number): string {
    return this.json.text(this.tx.get('jsonOff', row), this.tx.get('jsonLen', row));
  }
  txChannel(row: number): string | null {
    return this.interns.channels.get(this.tx.get('channel', row));
  }
  txFromPubkey(row: number): string | null {
    return this.interns.pubkeys.get(this.tx.get('fromNode', row));
  }
  /** Observation rows of a transmission, oldest first, limited to the refreshed obs count. */
  txObservationRows(row: number): number[] {
    const out: number[] = [];
    const limit = this.counts.obs;
    for (let o = this.tx.get('firstObs', row); o !== NONE && o < limit; o = this.obs.get('nextOfTx', o))
      out.push(o);
    return out;
  }

  // ---- observations ----

  obsObserverId(row: number): string | null {
    return this.interns.observers.get(this.obs.get('observer', row));
  }
  obsSnr(row: number): number | null {
    return fromQuarter(this.obs.get('snr', row));
  }
  obsRssi(row: number): number | null {
    return fromQuarter(this.obs.get('rssi', row));
  }
  obsUploaderMs(row: number): number | null {
    const d = this.obs.get('uploaderDeltaMs', row);
    return Number.isNaN(d) ? null : this.obs.get('rxMs', row) + d;
  }
  obsScore(row: number): number | null {
    const v = this.obs.get('score', row);
    return Number.isNaN(v) ? null : v;
  }
  obsDirection(row: number): string | null {
    const d = this.obs.get('direction', row);
    return d === 0 ? null : this.interns.directions.get(d - 1);
  }
  /** Zero-copy hop bytes: hopCount hops of hopSize bytes. */
  obsPathBytes(row: number): Uint8Array {
    const n = this.obs.get('hopSize', row) * this.obs.get('hopCount', row);
    return this.path.bytes(this.obs.get('pathOff', row), n);
  }
  obsPathHops(row: number): string[] {
    return pathHops(this.obsPathBytes(row), this.obs.get('hopSize', row), this.obs.get('hopCount', row));
  }

  // ---- nodes and observers ----

  nodePubkey(row: number): string | null {
    return this.interns.pubkeys.get(row);
  }
  nodeName(row: number): string | null {
    return this.interns.names.get(this.nodes.get('name', row));
  }
  nodeRole(row: number): string | null {
    return this.interns.roles.get(this.nodes.get('role', row));
  }
  observerId(row: number): string | null {
    return this.interns.observers.get(row);
  }
  observerName(row: number): string | null {
    return this.interns.names.get(this.observers.get('name', row));
  }
  observerIata(row: number): string | null {
    return this.interns.regions.get(this.observers.get('iata', row));
  }

  /** Bytes of every shared buffer this view maps (the same memory as the owner's; not a copy). */
  byteLength(): number {
    let n =
      this.tx.byteLength() +
      this.obs.byteLength() +
      this.nodes.byteLength() +
      this.observers.byteLength() +
      this.raw.byteLength() +
      this.json.byteLength() +
      this.path.byteLength();
    for (const d of INTERN_DOMAINS) n += this.interns[d].byteLength();
    return n;
  }
}
