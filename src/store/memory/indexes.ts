// Main-thread indexes over the shared tables (spec ingest-store-api §3.2 lists CoreScope's).
// Transmission-level lists hold tx rows sorted by transmission id, so a newest-first page
// walks one list backwards (O(page)) and its length is the filter's total. All lists are
// RowLists (4 bytes per entry). Workers don't need these: they scan columns.

import { RowList } from './row-list.js';

export class KeyedLists {
  private readonly lists = new Map<number, RowList>();
  private readonly key: (row: number) => number;

  constructor(key: (row: number) => number) {
    this.key = key;
  }

  add(k: number, row: number): boolean {
    let l = this.lists.get(k);
    if (!l) {
      l = new RowList(this.key);
      this.lists.set(k, l);
    }
    return l.add(row);
  }

  get(k: number): RowList | undefined {
    return this.lists.get(k);
  }

  trim(): void {
    for (const l of this.lists.values()) l.trim();
  }

  /** trim() one list per step, so a caller can spread it over time slices. */
  *trimSteps(): Generator<void> {
    for (const l of this.lists.values()) {
      l.trim();
      yield;
    }
  }

  clear(): void {
    this.lists.clear();
  }

  keys(): IterableIterator<number> {
    return this.lists.keys();
  }

  get size(): number {
    return this.lists.size;
  }

  byteLength(): number {
    let n = 0;
    for (const l of this.lists.values()) n += l.byteLength() + 40;
    return n;
  }
}

/** Every index the owner keeps. Keys are intern ids, enum values or hop keys (codec.hopKey). */
export class StoreIndexes {
  /** All transmission rows by id (also transmission id -> row). */
  readonly txAll: RowList;
  readonly byType: KeyedLists;
  readonly byRoute: KeyedLists;
  readonly byChannel: KeyedLists;
  /** fromNode (pubkey intern id) -> ADVERT tx rows. */
  readonly byAdvertNode: KeyedLists;
  /** Hop key (size + 1-3 prefix bytes) -> tx rows with that hop in any observation's path. */
  readonly byHop: KeyedLists;
  /** Observer id -> tx rows it heard. */
  readonly txByObserver: KeyedLists;
  /** Region (IATA intern id) -> tx rows heard by any observer of that region. */
  readonly txByRegion: KeyedLists;
  /** Observer id -> observation rows (by observation id). */
  readonly obsByObserver: KeyedLists;

  constructor(txId: (row: number) => number, obsId: (row: number) => number) {
    this.txAll = new RowList(txId, 1024);
    this.byType = new KeyedLists(txId);
    this.byRoute = new KeyedLists(txId);
    this.byChannel = new KeyedLists(txId);
    this.byAdvertNode = new KeyedLists(txId);
    this.byHop = new KeyedLists(txId);
    this.txByObserver = new KeyedLists(txId);
    this.txByRegion = new KeyedLists(txId);
    this.obsByObserver = new KeyedLists(obsId);
  }

  /** Release spare list capacity (doubling leaves up to half of each list unused). */
  trim(): void {
    this.txAll.trim();
    for (const k of [this.byType, this.byRoute, this.byChannel, this.byAdvertNode, this.byHop]) k.trim();
    for (const k of [this.txByObserver, this.txByRegion, this.obsByObserver]) k.trim();
  }

  /** trim() in small steps (one list each): the loader runs them in time slices. */
  *trimSteps(): Generator<void> {
    this.txAll.trim();
    yield;
    for (const k of [this.byType, this.byRoute, this.byChannel, this.byAdvertNode, this.byHop])
      yield* k.trimSteps();
    for (const k of [this.txByObserver, this.txByRegion, this.obsByObserver]) yield* k.trimSteps();
  }

  byteLength(): number {
    return (
      this.txAll.byteLength() +
      this.byType.byteLength() +
      this.byRoute.byteLength() +
      this.byChannel.byteLength() +
      this.byAdvertNode.byteLength() +
      this.byHop.byteLength() +
      this.txByObserver.byteLength() +
      this.txByRegion.byteLength() +
      this.obsByObserver.byteLength()
    );
  }
}
