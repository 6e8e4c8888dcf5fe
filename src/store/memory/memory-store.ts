// The in-memory store's owner (main thread): appends records into the shared tables, keeps
// the main-thread indexes, answers ingest's dedup lookups and the API's getters, and hands
// worker threads a StoreHandle (spec ingest-store-api §3; design.md "The one hard problem").
//
// Single writer: only this object writes the shared buffers. Appends follow layout.ts's
// order (write the row, then Atomics.store the count). A few fields of *published* rows
// change later; each is one typed-array element, and ECMAScript makes aligned TypedArray
// element accesses tear-free, so a concurrent reader sees the old or the new value, never a
// mix. What readers must know about each:
//  - tx firstSeenMs / lastSeenMs (f64): only lowered / only raised, so a stale read is an
//    older bound. tx firstObs/lastObs/obsCount and obs nextOfTx form the per-transmission
//    observation list: the new observation row is fully written before it is linked, and a
//    reader stops at any link >= its refreshed obs count (StoreView.txObservationRows), so it
//    never follows a link into an unpublished row. obsCount may run ahead of that walk.
//  - obs snr / rssi / score: filled once from null on re-delivery (spec §1.7), never changed
//    again; a reader sees null or the final value.
//  - nodes / observers columns: each field is updated independently, so a reader may see
//    half of one upsert (new lat, old lon). Readers needing a consistent record read
//    kMutationCount of the table before and after and retry if it moved (a seqlock).
//    Interned ids stored there are interned (and committed) before the id is written.
// Each in-place update bumps the table's kMutationCount after the write.

import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { NodeRecord, ObservationRecord, ObserverRecord, TransmissionRecord } from '../records.js';
import { HashIndex } from './hash-index.js';
import { HeapWriter } from './byte-heap.js';
import { InternWriter } from './intern.js';
import { StoreIndexes } from './indexes.js';
import { RowList } from './row-list.js';
import { TableWriter } from './shared-table.js';
import { checkId, checkTime, checkU8, StoreError } from './errors.js';
import {
  chunkOf,
  heapByteOf,
  heapChunkOf,
  slotOf,
  CHUNK_ROWS,
  HEAP_CHUNK_BYTES,
  I16_NULL,
  I32_NULL,
  CAN_RELAY_UNKNOWN,
  INTERN_DOMAINS,
  NODE_SCHEMA,
  NONE,
  OBSERVER_SCHEMA,
  OBS_SCHEMA,
  TX_SCHEMA,
  type InternDomain,
} from './layout.js';
import { advertTimestamp, hashWords, hopKey, isHex, parsePath, toQuarter } from './codec.js';
import { StoreView, type ChunkDelta, type StoreHandle } from './view.js';
import {
  observerObservations,
  queryPackets,
  type PacketPage,
  type StorePacketQuery,
} from './packet-query.js';
import { memoryReport, type MemoryReport } from './memory-report.js';
import { storeHandle } from './store-handle.js';
import { readNode, readObservation, readObserver, readTransmission } from './record-readers.js';
import type { StoreTables } from './tables.js';

const ADVERT = 4;

/** Chunk sizes (defaults in layout.ts); tests shrink them to exercise chunk boundaries. */
export interface MemoryStoreOptions {
  chunkRows?: Partial<Record<'tx' | 'obs' | 'nodes' | 'observers', number>>;
  heapChunkBytes?: Partial<Record<'raw' | 'json' | 'path', number>>;
}

export class MemoryStore implements StoreTables {
  readonly tx: TableWriter<typeof TX_SCHEMA>;
  readonly obs: TableWriter<typeof OBS_SCHEMA>;
  readonly nodes: TableWriter<typeof NODE_SCHEMA>;
  readonly observers: TableWriter<typeof OBSERVER_SCHEMA>;
  readonly raw: HeapWriter;
  readonly json: HeapWriter;
  readonly path: HeapWriter;
  readonly interns: Record<InternDomain, InternWriter>;
  readonly indexes: StoreIndexes;
  private readonly listeners = new Set<(d: ChunkDelta) => void>();
  private readonly byHash: HashIndex;
  /** Transmission id -> row (~200k entries at Cascadia scale, so a Map is affordable here). */
  private readonly txById = new Map<number, number>();
  private maxTxIdRow = -1;
  /** obs id -> row: binary search on the id column while ids grow with rows; a RowList after. */
  private obsIdsMonotonic = true;
  private obsById: RowList | null = null;
  /** Whether firstSeenMs is non-decreasing along transmission-id order (enables time bisection). */
  private txTimeChecked = true;
  private txTimeMonotonic = true;
  private regionIndexStale = false;
  private mainView: StoreView | null = null;

  constructor(options: MemoryStoreOptions = {}) {
    const rows = { ...CHUNK_ROWS, ...options.chunkRows };
    const heapBytes = { ...HEAP_CHUNK_BYTES, ...options.heapChunkBytes };
    const emit = (d: ChunkDelta) => {
      for (const l of this.listeners) l(d);
    };
    this.tx = new TableWriter(TX_SCHEMA, rows.tx, (index, buffer) =>
      emit({ target: { kind: 'table', name: 'tx' }, index, buffer }),
    );
    this.obs = new TableWriter(OBS_SCHEMA, rows.obs, (index, buffer) =>
      emit({ target: { kind: 'table', name: 'obs' }, index, buffer }),
    );
    this.nodes = new TableWriter(NODE_SCHEMA, rows.nodes, (index, buffer) =>
      emit({ target: { kind: 'table', name: 'nodes' }, index, buffer }),
    );
    this.observers = new TableWriter(OBSERVER_SCHEMA, rows.observers, (index, buffer) =>
      emit({ target: { kind: 'table', name: 'observers' }, index, buffer }),
    );
    this.raw = new HeapWriter(heapBytes.raw, (index, buffer) =>
      emit({ target: { kind: 'heap', name: 'raw' }, index, buffer }),
    );
    this.json = new HeapWriter(heapBytes.json, (index, buffer) =>
      emit({ target: { kind: 'heap', name: 'json' }, index, buffer }),
    );
    this.path = new HeapWriter(heapBytes.path, (index, buffer) =>
      emit({ target: { kind: 'heap', name: 'path' }, index, buffer }),
    );
    const interns = {} as Record<InternDomain, InternWriter>;
    for (const name of INTERN_DOMAINS) {
      interns[name] = new InternWriter(
        (index, buffer) => emit({ target: { kind: 'intern-table', name }, index, buffer }),
        (index, buffer) => emit({ target: { kind: 'intern-heap', name }, index, buffer }),
      );
    }
    this.interns = interns;
    const txId = (r: number) => this.tx.cols.id[chunkOf(r, this.tx.shift)][slotOf(r, this.tx.mask)];
    const obsId = (r: number) => this.obs.cols.id[chunkOf(r, this.obs.shift)][slotOf(r, this.obs.mask)];
    this.indexes = new StoreIndexes(txId, obsId);
    this.byHash = new HashIndex(
      (r) => this.tx.cols.hashHi[chunkOf(r, this.tx.shift)][slotOf(r, this.tx.mask)],
      (r) => this.tx.cols.hashLo[chunkOf(r, this.tx.shift)][slotOf(r, this.tx.mask)],
    );
  }

  // ---------------------------------------------------------------- workers

  /** Serializable description of every shared buffer (send once; then forward onChunk deltas). */
  handle(): StoreHandle {
    return storeHandle(this);
  }

  /** Subscribe to chunk allocations (called synchronously, before any row in the chunk is committed). */
  onChunk(listener: (d: ChunkDelta) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * A handle plus a MessagePort (transfer it to the worker) that carries every later chunk
   * delta; `new StoreView(handle, port)` then drains it synchronously in refresh().
   */
  connectReader(): { handle: StoreHandle; port: MessagePort; close: () => void } {
    const { port1, port2 } = new MessageChannel();
    port1.unref();
    const handle = this.handle();
    const off = this.onChunk((d) => port1.postMessage(d));
    return {
      handle,
      port: port2,
      close: () => {
        off();
        port1.close();
      },
    };
  }

  /** A StoreView over this store in the owner's thread (kept current through onChunk). */
  view(): StoreView {
    if (!this.mainView) {
      const v = new StoreView(this.handle());
      this.onChunk((d) => v.applyChunk(d));
      this.mainView = v;
    }
    this.mainView.refresh();
    return this.mainView;
  }

  // ---------------------------------------------------------------- counts

  /** Node rows with a record (present 1); rows are never un-presented, so it only grows. */
  get presentNodeCount(): number {
    return this.#presentNodes;
  }
  #presentNodes = 0;
  /** memory()'s estimate of the index bytes, reused for a second (null after compact()). */
  #indexBytes: { atMs: number; bytes: number } | null = null;

  get transmissionCount(): number {
    return this.tx.rowCount;
  }
  get observationCount(): number {
    return this.obs.rowCount;
  }

  // ---------------------------------------------------------------- interning

  /** Intern a node public key (lowercased) and make sure its node row exists. Internal (also batch-append.ts). */
  internPubkey(pk: string): number {
    const id = this.interns.pubkeys.intern(pk.toLowerCase());
    if (id >= this.nodes.rowCount) {
      while (this.nodes.rowCount <= id) {
        const r = this.nodes.reserveRow();
        const c = chunkOf(r, this.nodes.shift);
        const i = slotOf(r, this.nodes.mask);
        const n = this.nodes.cols;
        n.present[c][i] = 0;
        n.name[c][i] = NONE;
        n.role[c][i] = NONE;
        n.lat[c][i] = NaN;
        n.lon[c][i] = NaN;
        n.firstSeenMs[c][i] = NaN;
        n.lastSeenMs[c][i] = NaN;
        n.advertCount[c][i] = 0;
        n.batteryMv[c][i] = I32_NULL;
        n.temperatureC[c][i] = NaN;
      }
      this.nodes.commit();
    }
    return id;
  }

  /** Intern an observer id and make sure its observer row exists (ids are u16 in observations). Internal (also batch-append.ts). */
  internObserver(observerId: string): number {
    const existing = this.interns.observers.lookup(observerId);
    if (existing !== NONE) return existing;
    if (this.interns.observers.size >= 0xffff)
      throw new StoreError('STORE_ERR_CAPACITY', 'more than 65535 observers');
    const id = this.interns.observers.intern(observerId);
    while (this.observers.rowCount <= id) this.#clearObserverRow(this.observers.reserveRow());
    this.observers.commit();
    return id;
  }

  /** An observer row with nothing known (present 0): new, or removed by removeObserver. */
  #clearObserverRow(r: number): void {
    const c = chunkOf(r, this.observers.shift);
    const i = slotOf(r, this.observers.mask);
    const o = this.observers.cols;
    o.present[c][i] = 0;
    for (const k of ['name', 'iata', 'model', 'firmware', 'clientVersion', 'radio', 'lastObs'] as const)
      o[k][c][i] = NONE;
    for (const k of [
      'firstSeenMs',
      'lastSeenMs',
      'uptimeSecs',
      'noiseFloor',
      'lastPacketAtMs',
      'clockSkewSeconds',
      'clockLastNaiveAtMs',
    ] as const)
      o[k][c][i] = NaN;
    o.packetCount[c][i] = 0;
    o.clockSkewCount24h[c][i] = 0;
    o.canRelay[c][i] = CAN_RELAY_UNKNOWN;
    o.batteryMv[c][i] = I32_NULL;
  }

  /** Whether ingest has seen this observer: a row with an upsert or with observations. */
  observerKnown(id: string): boolean {
    const r = this.interns.observers.lookup(id);
    return (
      r !== NONE && (this.observers.get('present', r) === 1 || this.observers.get('lastObs', r) !== NONE)
    );
  }

  /**
   * Issue 13 #5: removes an observer that never sent a valid packet (retention deleted its
   * SQLite row): the row is cleared and hidden (present 0). An observer with observations is
   * kept (false). The intern id stays bound to the key: other threads cache id -> key, so a
   * slot is not re-used for another key while running; the next load compacts them away.
   */
  removeObserver(id: string): boolean {
    const r = this.interns.observers.lookup(id);
    if (r === NONE || this.observers.get('lastObs', r) !== NONE || this.observers.get('packetCount', r) > 0)
      return false;
    this.#clearObserverRow(r);
    this.observers.noteMutation();
    return true;
  }

  // ---------------------------------------------------------------- appends (ingest)

  /** Append a new transmission; returns its row. Throws StoreError (nothing stored) on bad input. */
  appendTransmission(rec: TransmissionRecord): number {
    checkId(rec.id, 'transmission');
    const [hi, lo] = hashWords(rec.hash);
    if (this.byHash.get(hi, lo) !== -1)
      throw new StoreError('STORE_ERR_DUPLICATE_HASH', `hash ${rec.hash} already stored`);
    if (this.txRowById(rec.id) !== -1)
      throw new StoreError('STORE_ERR_DUPLICATE_ID', `transmission id ${rec.id} already stored`);
    if (rec.rawHex.length % 2 !== 0 || !isHex(rec.rawHex) || rec.rawHex.length > 2 * 0xffff) {
      throw new StoreError('STORE_ERR_BAD_ID', 'rawHex is not even-length hex of at most 65535 bytes');
    }
    checkTime(rec.firstSeenMs, 'firstSeenMs');
    checkTime(rec.lastSeenMs, 'lastSeenMs');
    checkU8(rec.routeType, 'routeType');
    checkU8(rec.payloadType, 'payloadType');
    checkU8(rec.payloadVersion, 'payloadVersion');
    this.json.checkFits(Buffer.byteLength(rec.decodedJson, 'utf8'));

    const channel = this.interns.channels.intern(rec.channelHash);
    const fromNode = rec.fromPubkey ? this.internPubkey(rec.fromPubkey) : NONE;
    const scope = this.interns.names.intern(rec.scopeName);
    const [rawOff, rawLen] = this.raw.appendHex(rec.rawHex);
    const [jsonOff, jsonLen] = this.json.appendText(rec.decodedJson);

    const row = this.tx.reserveRow();
    const c = chunkOf(row, this.tx.shift);
    const i = slotOf(row, this.tx.mask);
    const t = this.tx.cols;
    t.id[c][i] = rec.id;
    t.firstSeenMs[c][i] = rec.firstSeenMs;
    t.lastSeenMs[c][i] = rec.lastSeenMs;
    t.hashHi[c][i] = hi;
    t.hashLo[c][i] = lo;
    t.routeType[c][i] = rec.routeType;
    t.payloadType[c][i] = rec.payloadType;
    t.payloadVersion[c][i] = rec.payloadVersion;
    t.rawOff[c][i] = rawOff;
    t.rawLen[c][i] = rawLen;
    t.jsonOff[c][i] = jsonOff;
    t.jsonLen[c][i] = jsonLen;
    t.channel[c][i] = channel;
    t.fromNode[c][i] = fromNode;
    t.scope[c][i] = scope;
    t.advertTs[c][i] = rec.payloadType === ADVERT ? advertTimestamp(rec.decodedJson) : 0;
    t.firstObs[c][i] = NONE;
    t.lastObs[c][i] = NONE;
    t.obsCount[c][i] = 0;
    this.tx.commit();
    this.indexTransmissionRow(row);
    return row;
  }

  /** Transmission row for an 8-byte hash given as words, or -1. Internal (batch-append.ts). */
  txRowByHashWords(hi: number, lo: number): number {
    return this.byHash.get(hi, lo);
  }

  /**
   * Index a written transmission row (values read back from its columns) so the single and
   * the batch append share one definition. Internal (batch-append.ts).
   */
  indexTransmissionRow(row: number): void {
    const c = chunkOf(row, this.tx.shift);
    const i = slotOf(row, this.tx.mask);
    const t = this.tx.cols;
    const id = t.id[c][i];
    const channel = t.channel[c][i];
    const fromNode = t.fromNode[c][i];
    const ix = this.indexes;
    this.byHash.set(row);
    this.txById.set(id, row);
    const maxRow = this.maxTxIdRow;
    if (maxRow === -1 || id > this.txIdAt(maxRow)) {
      if (maxRow !== -1 && t.firstSeenMs[c][i] < this.txFirstSeen(maxRow)) this.txTimeMonotonic = false;
      this.maxTxIdRow = row;
    } else this.txTimeChecked = false;
    ix.txAll.add(row);
    ix.byType.add(t.payloadType[c][i], row);
    ix.byRoute.add(t.routeType[c][i], row);
    if (channel !== NONE) ix.byChannel.add(channel, row);
    if (fromNode !== NONE) ix.byAdvertNode.add(fromNode, row);
  }

  /**
   * Append an observation of an already stored transmission; returns its row. Raises the
   * transmission's lastSeen / lowers its firstSeen. Dedup is the caller's (findObservation).
   */
  appendObservation(rec: ObservationRecord): number {
    checkId(rec.id, 'observation');
    const txRow = this.txRowById(rec.transmissionId);
    if (txRow === -1) {
      throw new StoreError(
        'STORE_ERR_UNKNOWN_TRANSMISSION',
        `transmission id ${rec.transmissionId} is not in the store`,
      );
    }
    const monotonic = this.checkObservationId(rec.id);
    checkTime(rec.rxMs, 'rxMs');
    if (rec.uploaderMs !== null) checkTime(rec.uploaderMs, 'uploaderMs');
    const p = parsePath(rec.path);
    if (
      rec.direction !== null &&
      this.interns.directions.lookup(rec.direction) === NONE &&
      this.interns.directions.size >= 254
    ) {
      throw new StoreError('STORE_ERR_CAPACITY', 'more than 254 distinct direction values');
    }
    const observer = this.internObserver(rec.observerId);
    const direction = rec.direction === null ? 0 : this.interns.directions.intern(rec.direction) + 1;
    const pathOff = p.hopCount > 0 ? this.path.append(p.bytes) : 0;

    const row = this.obs.reserveRow();
    const c = chunkOf(row, this.obs.shift);
    const i = slotOf(row, this.obs.mask);
    const o = this.obs.cols;
    o.id[c][i] = rec.id;
    o.txRow[c][i] = txRow;
    o.observer[c][i] = observer;
    o.rxMs[c][i] = rec.rxMs;
    o.uploaderDeltaMs[c][i] = rec.uploaderMs === null ? NaN : rec.uploaderMs - rec.rxMs;
    o.snr[c][i] = toQuarter(rec.snr);
    o.rssi[c][i] = toQuarter(rec.rssi);
    o.score[c][i] = rec.score ?? NaN;
    o.direction[c][i] = direction;
    o.hopSize[c][i] = p.hopSize;
    o.hopCount[c][i] = p.hopCount;
    o.pathOff[c][i] = pathOff;
    o.nextOfTx[c][i] = NONE;

    this.linkObservationRow(row, monotonic);
    this.obs.commit();
    this.tx.noteMutation();
    this.observers.noteMutation();
    return row;
  }

  /**
   * Whether observation `id` continues ascending id order (the O(1) case); throws
   * STORE_ERR_DUPLICATE_ID for a known id. Internal (also batch-append.ts).
   */
  checkObservationId(id: number): boolean {
    const lastObsRow = this.obs.rowCount - 1;
    const monotonic = this.obsIdsMonotonic && (lastObsRow < 0 || id > this.obsIdAt(lastObsRow));
    // Out of id order, the duplicate check costs a sorted lookup; during an unordered bulk
    // load it is skipped (SQLite's primary key already guarantees unique ids there).
    if (!monotonic && (this.obsById === null || this.obsById.isSorted) && this.obsRowById(id) !== -1) {
      throw new StoreError('STORE_ERR_DUPLICATE_ID', `observation id ${id} already stored`);
    }
    return monotonic;
  }

  /**
   * Link a written (not yet committed) observation row into its transmission's list, raise or
   * lower the transmission's seen times, and index it; values are read back from the columns
   * so the single and batch appends share one definition. The caller commits. Internal.
   */
  linkObservationRow(row: number, monotonic: boolean): void {
    const c = chunkOf(row, this.obs.shift);
    const i = slotOf(row, this.obs.mask);
    const o = this.obs.cols;
    const txRow = o.txRow[c][i];
    const observer = o.observer[c][i];
    const rxMs = o.rxMs[c][i];
    // Link into the transmission's observation list (published rows: see the file comment).
    const tc = chunkOf(txRow, this.tx.shift);
    const ti = slotOf(txRow, this.tx.mask);
    const t = this.tx.cols;
    const prev = t.lastObs[tc][ti];
    if (prev === NONE) t.firstObs[tc][ti] = row;
    else o.nextOfTx[chunkOf(prev, this.obs.shift)][slotOf(prev, this.obs.mask)] = row;
    t.lastObs[tc][ti] = row;
    t.obsCount[tc][ti]++;
    if (rxMs > t.lastSeenMs[tc][ti]) t.lastSeenMs[tc][ti] = rxMs;
    if (rxMs < t.firstSeenMs[tc][ti]) {
      t.firstSeenMs[tc][ti] = rxMs;
      this.txTimeChecked = false;
    }
    const obsr = this.observers;
    obsr.cols.lastObs[chunkOf(observer, obsr.shift)][slotOf(observer, obsr.mask)] = row;

    if (!monotonic) {
      if (this.obsIdsMonotonic) this.materializeObsIds(row);
      this.obsById!.add(row);
    } else if (this.obsById) this.obsById.add(row);

    const ix = this.indexes;
    ix.obsByObserver.add(observer, row);
    if (ix.txByObserver.add(observer, txRow)) {
      const iata = this.observers.get('iata', observer);
      if (iata !== NONE) ix.txByRegion.add(iata, txRow);
    }
    const hopCount = o.hopCount[c][i];
    if (hopCount > 0) {
      const hopSize = o.hopSize[c][i];
      const off = o.pathOff[c][i];
      const bytes = this.path.chunkViews[heapChunkOf(off, this.path.shift)];
      const at = heapByteOf(off, this.path.mask);
      for (let h = 0; h < hopCount; h++) ix.byHop.add(hopKey(bytes, at + h * hopSize, hopSize), txRow);
    }
  }

  /** Ids stopped growing with rows: index every earlier row by id from now on. */
  private materializeObsIds(upToRow: number): void {
    this.obsIdsMonotonic = false;
    const list = new RowList((r) => this.obsIdAt(r), Math.max(8, upToRow + 1));
    for (let r = 0; r < upToRow; r++) list.add(r);
    this.obsById = list;
  }

  /** Re-delivery (spec §1.7): fill SNR/RSSI/score that were null; returns whether anything changed. */
  fillObservationSignal(row: number, snr: number | null, rssi: number | null, score: number | null): boolean {
    const c = chunkOf(row, this.obs.shift);
    const i = slotOf(row, this.obs.mask);
    const o = this.obs.cols;
    let changed = false;
    if (o.snr[c][i] === I16_NULL && toQuarter(snr) !== I16_NULL) {
      o.snr[c][i] = toQuarter(snr);
      changed = true;
    }
    if (o.rssi[c][i] === I16_NULL && toQuarter(rssi) !== I16_NULL) {
      o.rssi[c][i] = toQuarter(rssi);
      changed = true;
    }
    if (Number.isNaN(o.score[c][i]) && score !== null && Number.isFinite(score)) {
      o.score[c][i] = score;
      changed = true;
    }
    if (changed) this.obs.noteMutation();
    return changed;
  }

  /** Insert or update a node (keyed by public key); returns its node row. */
  upsertNode(rec: NodeRecord): number {
    if (!/^[0-9a-fA-F]{2,64}$/.test(rec.publicKey))
      throw new StoreError('STORE_ERR_BAD_ID', 'publicKey is not hex');
    const name = this.interns.names.intern(rec.name);
    const role = this.interns.roles.intern(rec.role);
    const defaultScope = this.interns.names.intern(rec.defaultScope);
    const row = this.internPubkey(rec.publicKey);
    const c = chunkOf(row, this.nodes.shift);
    const i = slotOf(row, this.nodes.mask);
    const n = this.nodes.cols;
    n.name[c][i] = name;
    n.role[c][i] = role;
    n.lat[c][i] = rec.lat ?? NaN;
    n.lon[c][i] = rec.lon ?? NaN;
    n.firstSeenMs[c][i] = rec.firstSeenMs;
    n.lastSeenMs[c][i] = rec.lastSeenMs;
    n.advertCount[c][i] = Math.max(0, Math.min(0xffffffff, Math.trunc(rec.advertCount)));
    n.batteryMv[c][i] = rec.batteryMv === null ? I32_NULL : Math.trunc(rec.batteryMv) | 0;
    n.temperatureC[c][i] = rec.temperatureC ?? NaN;
    n.foreign[c][i] = rec.foreign ? 1 : 0;
    n.defaultScope[c][i] = defaultScope;
    if (n.present[c][i] !== 1) this.#presentNodes++;
    n.present[c][i] = 1;
    this.nodes.noteMutation();
    return row;
  }

  /** Insert or update an observer (keyed by id); returns its observer row. */
  upsertObserver(rec: ObserverRecord): number {
    const row = this.internObserver(rec.id);
    const c = chunkOf(row, this.observers.shift);
    const i = slotOf(row, this.observers.mask);
    const o = this.observers.cols;
    const names = this.interns.names;
    const iata = this.interns.regions.intern(rec.iata === null ? null : rec.iata.trim().toUpperCase());
    if (o.iata[c][i] !== iata && o.lastObs[c][i] !== NONE) this.regionIndexStale = true;
    o.name[c][i] = names.intern(rec.name);
    o.iata[c][i] = iata;
    o.firstSeenMs[c][i] = rec.firstSeenMs;
    o.lastSeenMs[c][i] = rec.lastSeenMs;
    o.packetCount[c][i] = Math.max(0, Math.min(0xffffffff, Math.trunc(rec.packetCount)));
    o.model[c][i] = names.intern(rec.model);
    o.firmware[c][i] = names.intern(rec.firmware);
    o.clientVersion[c][i] = names.intern(rec.clientVersion);
    o.radio[c][i] = names.intern(rec.radio);
    o.batteryMv[c][i] = rec.batteryMv === null ? I32_NULL : Math.trunc(rec.batteryMv) | 0;
    o.uptimeSecs[c][i] = rec.uptimeSecs ?? NaN;
    o.noiseFloor[c][i] = rec.noiseFloor ?? NaN;
    o.lastPacketAtMs[c][i] = rec.lastPacketAtMs ?? NaN;
    o.clockSkewSeconds[c][i] = rec.clockSkewSeconds ?? NaN;
    o.clockSkewCount24h[c][i] = Math.max(0, Math.min(0xffffffff, Math.trunc(rec.clockSkewCount24h)));
    o.clockLastNaiveAtMs[c][i] = rec.clockLastNaiveAtMs ?? NaN;
    o.canRelay[c][i] = rec.canRelay === null ? CAN_RELAY_UNKNOWN : rec.canRelay ? 1 : 0;
    o.present[c][i] = 1;
    this.observers.noteMutation();
    return row;
  }

  /**
   * Region lists follow observers' IATA at the time of each observation; when an observer
   * with observations changes IATA, they are rebuilt once, lazily (O(observations); rare).
   */
  regionLists(): StoreIndexes['txByRegion'] {
    if (this.regionIndexStale) {
      const ix = this.indexes.txByRegion;
      ix.clear();
      for (const observer of this.indexes.txByObserver.keys()) {
        const iata = this.observers.get('iata', observer);
        if (iata === NONE) continue;
        const rows = this.indexes.txByObserver.get(observer)!.rows();
        for (let k = 0; k < rows.length; k++) ix.add(iata, rows[k]);
      }
      this.regionIndexStale = false;
    }
    return this.indexes.txByRegion;
  }

  // ---------------------------------------------------------------- lookups (dedup, API)

  txIdAt(row: number): number {
    return this.tx.cols.id[chunkOf(row, this.tx.shift)][slotOf(row, this.tx.mask)];
  }
  txFirstSeen(row: number): number {
    return this.tx.cols.firstSeenMs[chunkOf(row, this.tx.shift)][slotOf(row, this.tx.mask)];
  }
  obsIdAt(row: number): number {
    return this.obs.cols.id[chunkOf(row, this.obs.shift)][slotOf(row, this.obs.mask)];
  }

  /** Transmission row for a 16-hex content hash, or -1. */
  txRowByHash(hash: string): number {
    if (!/^[0-9a-fA-F]{16}$/.test(hash)) return -1;
    const [hi, lo] = hashWords(hash.toLowerCase());
    return this.byHash.get(hi, lo);
  }

  txRowById(id: number): number {
    return this.txById.get(id) ?? -1;
  }

  obsRowById(id: number): number {
    if (this.obsById) {
      const at = this.obsById.lowerBound(id);
      return at < this.obsById.length && this.obsIdAt(this.obsById.at(at)) === id ? this.obsById.at(at) : -1;
    }
    let lo = 0;
    let hi = this.obs.rowCount;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.obsIdAt(mid) < id) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.obs.rowCount && this.obsIdAt(lo) === id ? lo : -1;
  }

  /** Observation row of (transmission, observer, path), or -1: the dedup key of spec §1.7. */
  findObservation(txRow: number, observerId: string, path: readonly string[]): number {
    const observer = this.interns.observers.lookup(observerId);
    if (observer === NONE || txRow < 0 || txRow >= this.tx.rowCount) return -1;
    const p = parsePath(path);
    const o = this.obs.cols;
    const shift = this.obs.shift;
    const mask = this.obs.mask;
    const heap = this.path;
    for (
      let r = this.tx.get('firstObs', txRow);
      r !== NONE;
      r = o.nextOfTx[chunkOf(r, shift)][slotOf(r, mask)]
    ) {
      const c = chunkOf(r, shift);
      const i = slotOf(r, mask);
      if (o.observer[c][i] !== observer || o.hopCount[c][i] !== p.hopCount || o.hopSize[c][i] !== p.hopSize)
        continue;
      if (p.hopCount === 0) return r;
      const off = o.pathOff[c][i];
      const bytes = heap.chunkViews[heapChunkOf(off, heap.shift)];
      const at = heapByteOf(off, heap.mask);
      let same = true;
      for (let b = 0; b < p.bytes.length && same; b++) same = bytes[at + b] === p.bytes[b];
      if (same) return r;
    }
    return -1;
  }

  hasObservation(txRow: number, observerId: string, path: readonly string[]): boolean {
    return this.findObservation(txRow, observerId, path) !== -1;
  }

  /** Observation rows of a transmission in insertion order. */
  observationRows(txRow: number): number[] {
    const out: number[] = [];
    for (let r = this.tx.get('firstObs', txRow); r !== NONE; r = this.obs.get('nextOfTx', r)) out.push(r);
    return out;
  }

  /** Whether firstSeenMs never decreases along id order (checked lazily, O(n) once after a disorder). */
  txTimeOrdered(): boolean {
    if (!this.txTimeChecked) {
      const rows = this.indexes.txAll.rows();
      let ok = true;
      for (let k = 1; k < rows.length && ok; k++)
        ok = this.txFirstSeen(rows[k]) >= this.txFirstSeen(rows[k - 1]);
      this.txTimeMonotonic = ok;
      this.txTimeChecked = true;
    }
    return this.txTimeMonotonic;
  }

  // ---------------------------------------------------------------- record getters

  transmission(row: number): TransmissionRecord {
    return readTransmission(this, row);
  }

  observation(row: number): ObservationRecord {
    return readObservation(this, row);
  }

  /** Transmission row of an observation row. */
  obsTxRow(row: number): number {
    return this.obs.get('txRow', row);
  }

  nodeRow(publicKey: string): number {
    const id = this.interns.pubkeys.lookup(publicKey.toLowerCase());
    return id !== NONE && this.nodes.get('present', id) === 1 ? id : -1;
  }

  node(row: number): NodeRecord {
    return readNode(this, row);
  }

  /** Rows of every node with a stored NodeRecord. */
  nodeRows(): number[] {
    const out: number[] = [];
    for (let r = 0; r < this.nodes.rowCount; r++) if (this.nodes.get('present', r) === 1) out.push(r);
    return out;
  }

  observerRow(id: string): number {
    const r = this.interns.observers.lookup(id);
    return r === NONE ? -1 : r;
  }

  /** Observer record; observers only seen in observations (no status yet) come back with nulls. */
  observer(row: number): ObserverRecord {
    return readObserver(this, row);
  }

  observerRows(): number[] {
    return Array.from({ length: this.observers.rowCount }, (_, r) => r);
  }

  /** Paged transmissions with filters (packet-query.ts); rows are transmission rows. */
  queryPackets(q: StorePacketQuery): PacketPage {
    return queryPackets(this, q);
  }

  /** Newest-first (or oldest-first) observation rows of one observer, O(page). */
  observerObservations(
    observerId: string,
    page: { limit: number; offset: number; order?: 'asc' | 'desc' },
  ): { rows: number[]; total: number } {
    return observerObservations(this, observerId, page);
  }

  // ---------------------------------------------------------------- memory

  /** Call once after the startup load: trims index lists to size (sorts any left unsorted). */
  compact(): void {
    this.indexes.trim();
    this.obsById?.trim();
    this.#indexBytes = null;
  }

  /** compact() in small steps (one index list each), for a time-sliced caller. */
  *compactSteps(): Generator<void> {
    yield* this.indexes.trimSteps();
    this.obsById?.trim();
    this.#indexBytes = null;
  }

  memory(): MemoryReport {
    // Summing the indexes walks every row list (tens of thousands at scale) and /api/health asks
    // on every call: the estimate is reused for a second.
    const nowMs = performance.now();
    if (this.#indexBytes === null || nowMs - this.#indexBytes.atMs >= 1000) {
      const bytes =
        this.indexes.byteLength() +
        this.byHash.byteLength() +
        (this.obsById?.byteLength() ?? 0) +
        this.txById.size * 40; // V8 Map entry with small-integer key and value, measured order of magnitude
      this.#indexBytes = { atMs: nowMs, bytes };
    }
    return memoryReport(this, this.#indexBytes.bytes);
  }
}
