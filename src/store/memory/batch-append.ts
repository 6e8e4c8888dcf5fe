// Bulk appends for the startup load (spec ingest-store-api §3.3): rows arrive as column batches
// (typed arrays plus byte heaps, built off the main thread by store/load/load-batches.ts) and are
// copied into the shared chunks in tight loops, without a record object per row. Validation
// that needs no store state (hex, times, paths) was done by the batch builder and arrives as a
// per-row `bad` code; what needs the store (duplicates, unknown transmissions, capacities) is
// checked here, in the same order as appendTransmission/appendObservation, and the rows are
// linked and indexed by the very methods those use, so both paths give identical stores.
//
// Strings (pubkeys, channels, observer ids, ...) travel as dictionary indexes: each batch
// carries the entries its builder added since the previous batch, and BatchDictionaries maps
// them to intern ids lazily, at first use by a row that is stored (a rejected row interns nothing).

import { StoreError, type StoreErrorCode } from './errors.js';
import { chunkOf, NONE, slotOf } from './layout.js';
import type { MemoryStore } from './memory-store.js';

/** Per-row verdict of the batch builder; 0 = fine. */
export const BAD = {
  ok: 0,
  /** id is not a u32 (checked before anything else, as checkId). */
  id: 1,
  /** Transmission hash is not 16 hex digits (before the duplicate checks, as hashWords). */
  hash: 2,
  /** raw_hex not even-length hex of at most 65535 bytes (STORE_ERR_BAD_ID, as appendTransmission). */
  raw: 3,
  time: 4,
  /** Observation path not 1-3 byte hops of one size, at most 255 (STORE_ERR_BAD_PATH). */
  path: 5,
} as const;

const BAD_CODE: Record<number, StoreErrorCode> = {
  [BAD.id]: 'STORE_ERR_BAD_ID',
  [BAD.hash]: 'STORE_ERR_BAD_HASH',
  [BAD.raw]: 'STORE_ERR_BAD_ID',
  [BAD.time]: 'STORE_ERR_BAD_TIME',
  [BAD.path]: 'STORE_ERR_BAD_PATH',
};

/** Dictionary domains a batch refers to by index. */
export type DictDomain = 'pubkeys' | 'channels' | 'names' | 'observers' | 'directions';

/** New dictionary entries, in index order, appended since the previous batch of the same builder. */
export type DictAdditions = Partial<Record<DictDomain, string[]>>;

/** Column batch of transmissions (n rows). String columns are dictionary indexes, -1 = null. */
export interface TxBatch {
  n: number;
  id: Uint32Array;
  firstSeenMs: Float64Array;
  lastSeenMs: Float64Array;
  /** Hash to store (already the recomputed one when it differed, see rehashed). */
  hashHi: Uint32Array;
  hashLo: Uint32Array;
  /** 1 when the builder replaced the stored hash; the stored one is then in oldHi/oldLo. */
  rehashed: Uint8Array;
  oldHi: Uint32Array;
  oldLo: Uint32Array;
  /** 0 = stored hash not valid hex (only meaningful when rehashed = 1). */
  oldValid: Uint8Array;
  routeType: Uint8Array;
  payloadType: Uint8Array;
  payloadVersion: Uint8Array;
  /** Row k's frame bytes are raw[rawOff[k], rawOff[k + 1]). */
  rawOff: Uint32Array;
  raw: Uint8Array;
  /** Row k's decoded_json UTF-8 bytes are json[jsonOff[k], jsonOff[k + 1]). */
  jsonOff: Uint32Array;
  json: Uint8Array;
  channel: Int32Array;
  fromNode: Int32Array;
  scope: Int32Array;
  advertTs: Uint32Array;
  bad: Uint8Array;
  dict: DictAdditions;
}

/** Column batch of observations (n rows). */
export interface ObsBatch {
  n: number;
  id: Uint32Array;
  txId: Uint32Array;
  /** Dictionary index of the observer id (every row has one; unknown observers are ''). */
  observer: Uint32Array;
  rxMs: Float64Array;
  uploaderDeltaMs: Float32Array;
  snr: Int16Array;
  rssi: Int16Array;
  score: Float32Array;
  /** Dictionary index + 1 (0 = null). */
  direction: Uint8Array;
  hopSize: Uint8Array;
  hopCount: Uint8Array;
  /** Row k's hop bytes start at path[pathOff[k]] (hopSize * hopCount bytes). */
  pathOff: Uint32Array;
  path: Uint8Array;
  bad: Uint8Array;
  dict: DictAdditions;
}

/** The ArrayBuffers of a batch, for a postMessage transfer list. */
export function batchBuffers(b: TxBatch | ObsBatch): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const v of Object.values(b)) if (ArrayBuffer.isView(v)) out.add(v.buffer as ArrayBuffer);
  return [...out];
}

/** Counts of one bulk load: rows stored and rows rejected by StoreError code. */
export interface BatchTally {
  stored: number;
  rejected: Record<string, number>;
  /** Transmissions stored under their recomputed hash. */
  rehashed: number;
}

export function newBatchTally(): BatchTally {
  return { stored: 0, rejected: {}, rehashed: 0 };
}

const UNSET = -2;

/** Maps a builder's dictionary indexes to the store's intern ids (one per load). */
export class BatchDictionaries {
  private readonly strings: Record<DictDomain, string[]> = {
    pubkeys: [],
    channels: [],
    names: [],
    observers: [],
    directions: [],
  };
  private readonly ids: Record<DictDomain, number[]> = {
    pubkeys: [],
    channels: [],
    names: [],
    observers: [],
    directions: [],
  };

  constructor(private readonly store: MemoryStore) {}

  add(dict: DictAdditions): void {
    for (const [domain, list] of Object.entries(dict) as [DictDomain, string[]][]) {
      for (const s of list) {
        this.strings[domain].push(s);
        this.ids[domain].push(UNSET);
      }
    }
  }

  /** Intern id for dictionary index k of `domain` (-1 -> NONE); interns at first use. */
  id(domain: DictDomain, k: number): number {
    if (k < 0) return NONE;
    const known = this.ids[domain][k];
    if (known !== UNSET) return known;
    const s = this.strings[domain][k];
    const interns = this.store.interns;
    let id: number;
    if (domain === 'pubkeys') id = this.store.internPubkey(s);
    else if (domain === 'observers') id = this.store.internObserver(s);
    else if (domain === 'directions') {
      if (interns.directions.lookup(s) === NONE && interns.directions.size >= 254)
        throw new StoreError('STORE_ERR_CAPACITY', 'more than 254 distinct direction values');
      id = interns.directions.intern(s);
    } else id = interns[domain].intern(s);
    this.ids[domain][k] = id;
    return id;
  }
}

function reject(tally: BatchTally, code: StoreErrorCode): void {
  tally.rejected[code] = (tally.rejected[code] ?? 0) + 1;
}

function countError(tally: BatchTally, err: unknown): void {
  if (!(err instanceof StoreError)) throw err;
  reject(tally, err.code);
}

const ADVERT = 4;
/** performance.now() is checked every this many rows. */
const CLOCK_EVERY = 256;

/**
 * Append transmission rows [from, b.n) until `deadline` (performance.now() ms) passes; returns
 * the next row to do (b.n when finished). Publishes the rows appended before returning.
 */
export function appendTransmissionBatch(
  store: MemoryStore,
  b: TxBatch,
  from: number,
  dicts: BatchDictionaries,
  tally: BatchTally,
  deadline = Infinity,
): number {
  const tx = store.tx;
  const t = tx.cols;
  let k = from;
  for (; k < b.n; k++) {
    if ((k - from) % CLOCK_EVERY === CLOCK_EVERY - 1 && performance.now() > deadline) break;
    const bad = b.bad[k];
    if (bad === BAD.id || bad === BAD.hash) {
      reject(tally, BAD_CODE[bad]);
      continue;
    }
    let hi = b.hashHi[k];
    let lo = b.hashLo[k];
    let rehashed = b.rehashed[k] === 1;
    // The recomputed hash is taken only when no other row already holds it (loader rule).
    if (rehashed && store.txRowByHashWords(hi, lo) !== -1) {
      if (b.oldValid[k] === 0) {
        reject(tally, 'STORE_ERR_BAD_HASH');
        continue;
      }
      hi = b.oldHi[k];
      lo = b.oldLo[k];
      rehashed = false;
    }
    if (store.txRowByHashWords(hi, lo) !== -1) {
      reject(tally, 'STORE_ERR_DUPLICATE_HASH');
      continue;
    }
    const id = b.id[k];
    if (store.txRowById(id) !== -1) {
      reject(tally, 'STORE_ERR_DUPLICATE_ID');
      continue;
    }
    if (bad !== BAD.ok) {
      reject(tally, BAD_CODE[bad]);
      continue;
    }
    if (b.jsonOff[k + 1] - b.jsonOff[k] > store.json.chunkBytes) {
      reject(tally, 'STORE_ERR_ENTRY_TOO_LARGE');
      continue;
    }
    let channel: number;
    let fromNode: number;
    let scope: number;
    try {
      channel = dicts.id('channels', b.channel[k]);
      fromNode = dicts.id('pubkeys', b.fromNode[k]);
      scope = dicts.id('names', b.scope[k]);
    } catch (err) {
      countError(tally, err);
      continue;
    }
    let rawOff: number;
    let jsonOff: number;
    try {
      // As appendTransmission: interned first, then the heaps (which may refuse an entry).
      rawOff = store.raw.appendRange(b.raw, b.rawOff[k], b.rawOff[k + 1] - b.rawOff[k]);
      jsonOff = store.json.appendRange(b.json, b.jsonOff[k], b.jsonOff[k + 1] - b.jsonOff[k]);
    } catch (err) {
      countError(tally, err);
      continue;
    }

    const row = tx.reserveRow();
    const c = chunkOf(row, tx.shift);
    const i = slotOf(row, tx.mask);
    t.id[c][i] = id;
    t.firstSeenMs[c][i] = b.firstSeenMs[k];
    t.lastSeenMs[c][i] = b.lastSeenMs[k];
    t.hashHi[c][i] = hi;
    t.hashLo[c][i] = lo;
    t.routeType[c][i] = b.routeType[k];
    t.payloadType[c][i] = b.payloadType[k];
    t.payloadVersion[c][i] = b.payloadVersion[k];
    t.rawOff[c][i] = rawOff;
    t.rawLen[c][i] = b.rawOff[k + 1] - b.rawOff[k];
    t.jsonOff[c][i] = jsonOff;
    t.jsonLen[c][i] = b.jsonOff[k + 1] - b.jsonOff[k];
    t.channel[c][i] = channel;
    t.fromNode[c][i] = fromNode;
    t.scope[c][i] = scope;
    t.advertTs[c][i] = b.payloadType[k] === ADVERT ? b.advertTs[k] : 0;
    t.firstObs[c][i] = NONE;
    t.lastObs[c][i] = NONE;
    t.obsCount[c][i] = 0;
    // Indexed before the next row's duplicate check, which must see this row's hash and id.
    store.indexTransmissionRow(row);
    tally.stored++;
    if (rehashed) tally.rehashed++;
  }
  tx.commit();
  return k;
}

/** Observation rows [from, b.n) until `deadline`; returns the next row to do. Publishes them. */
export function appendObservationBatch(
  store: MemoryStore,
  b: ObsBatch,
  from: number,
  dicts: BatchDictionaries,
  tally: BatchTally,
  deadline = Infinity,
): number {
  const obs = store.obs;
  const o = obs.cols;
  let k = from;
  for (; k < b.n; k++) {
    if ((k - from) % CLOCK_EVERY === CLOCK_EVERY - 1 && performance.now() > deadline) break;
    const bad = b.bad[k];
    if (bad === BAD.id) {
      reject(tally, 'STORE_ERR_BAD_ID');
      continue;
    }
    const txRow = store.txRowById(b.txId[k]);
    if (txRow === -1) {
      reject(tally, 'STORE_ERR_UNKNOWN_TRANSMISSION');
      continue;
    }
    let monotonic: boolean;
    let observer: number;
    let direction: number;
    try {
      monotonic = store.checkObservationId(b.id[k]);
      if (bad !== BAD.ok) throw new StoreError(BAD_CODE[bad], 'rejected by the batch builder');
      direction = b.direction[k] === 0 ? 0 : dicts.id('directions', b.direction[k] - 1) + 1;
      observer = dicts.id('observers', b.observer[k]);
    } catch (err) {
      countError(tally, err);
      continue;
    }
    const hopCount = b.hopCount[k];
    const hopSize = b.hopSize[k];
    let pathOff = 0;
    if (hopCount > 0) {
      const at = b.pathOff[k];
      try {
        pathOff = store.path.appendRange(b.path, at, hopCount * hopSize);
      } catch (err) {
        countError(tally, err);
        continue;
      }
    }
    const row = obs.reserveRow();
    const c = chunkOf(row, obs.shift);
    const i = slotOf(row, obs.mask);
    o.id[c][i] = b.id[k];
    o.txRow[c][i] = txRow;
    o.observer[c][i] = observer;
    o.rxMs[c][i] = b.rxMs[k];
    o.uploaderDeltaMs[c][i] = b.uploaderDeltaMs[k];
    o.snr[c][i] = b.snr[k];
    o.rssi[c][i] = b.rssi[k];
    o.score[c][i] = b.score[k];
    o.direction[c][i] = direction;
    o.hopSize[c][i] = hopSize;
    o.hopCount[c][i] = hopCount;
    o.pathOff[c][i] = pathOff;
    o.nextOfTx[c][i] = NONE;
    store.linkObservationRow(row, monotonic);
    tally.stored++;
  }
  obs.commit();
  store.tx.noteMutation();
  store.observers.noteMutation();
  return k;
}
