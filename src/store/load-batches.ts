// Raw SQLite rows -> column batches for the bulk startup load (spec ingest-store-api §3.3).
// Runs in the load worker (load-worker.ts), so everything per row that needs no store state
// happens off the main thread: CoreScope format conversion (the same rules as the record
// readers in sqlite/readers.ts), hex -> bytes, decoded_json -> UTF-8 bytes, path_json -> hop
// bytes, the content-hash recompute, and the checks appendTransmission/appendObservation
// would make (as a per-row `bad` code). The main thread then only copies columns
// (memory/batch-append.ts).
import { Buffer } from 'node:buffer';
import { contentHash } from '../protocol/hash.js';
import {
  BAD,
  type DictAdditions,
  type DictDomain,
  type ObsBatch,
  type TxBatch,
} from './memory/batch-append.js';
import { advertTimestamp, toQuarter } from './memory/codec.js';
import type { Db } from './sqlite/open.js';
import {
  observerIdsByRowid,
  readCounts,
  stridedObservationPages,
  rawTransmissionPages,
  type ReadStats,
  type RowCounts,
} from './sqlite/readers.js';
import { parseTimeMs } from './sqlite/time.js';

const MAX_ID = 0xfffffffe;
const HEX16 = /^[0-9a-fA-F]{16}$/;
const LOWER_HEX16 = /^[0-9a-f]{16}$/;

const isId = (v: unknown): v is number =>
  Number.isInteger(v) && (v as number) >= 0 && (v as number) <= MAX_ID;
const isU8 = (v: number) => Number.isInteger(v) && v >= 0 && v <= 255;

/** Dictionary of one builder: string -> index; remembers what was added since the last batch. */
class Dict {
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

function takeDicts(dicts: Partial<Record<DictDomain, Dict>>): DictAdditions {
  const out: DictAdditions = {};
  for (const [domain, d] of Object.entries(dicts) as [DictDomain, Dict][]) {
    const added = d.take();
    if (added.length > 0) out[domain] = added;
  }
  return out;
}

/** A growable byte heap for one batch (not pooled, so its buffer can be transferred). */
class Bytes {
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
function trimmed<B extends { n: number }>(b: B, offsetColumns: readonly string[]): B {
  const out: Record<string, unknown> = { ...b };
  for (const [k, v] of Object.entries(b)) {
    if (!ArrayBuffer.isView(v) || k === 'raw' || k === 'json' || k === 'path') continue;
    out[k] = (v as unknown as Uint8Array).subarray(0, offsetColumns.includes(k) ? b.n + 1 : b.n);
  }
  return out as B;
}

function hashWords(h: string): [number, number] {
  return [parseInt(h.slice(0, 8), 16) >>> 0, parseInt(h.slice(8), 16) >>> 0];
}

export interface TxBuilderOptions {
  /** Recompute content hashes from the frame (the loader's rehash option). */
  rehash: boolean;
  stats: ReadStats;
}

/** Dictionary index of a nullable text column (-1 = null). */
function str(v: unknown, d: Dict, emptyIsNull: boolean): number {
  return v === null || v === undefined || (emptyIsNull && v === '') ? -1 : d.get(String(v));
}

/** Builds TxBatches from TX_RAW_COLUMNS rows. */
export class TxBatchBuilder {
  private readonly dicts = { pubkeys: new Dict(), channels: new Dict(), names: new Dict() };
  private b!: TxBatch;
  private raw!: Bytes;
  private json!: Bytes;

  constructor(
    private readonly capacity: number,
    private readonly options: TxBuilderOptions,
  ) {
    this.reset();
  }

  get length(): number {
    return this.b.n;
  }

  private reset(): void {
    const n = this.capacity;
    this.b = {
      n: 0,
      id: new Uint32Array(n),
      firstSeenMs: new Float64Array(n),
      lastSeenMs: new Float64Array(n),
      hashHi: new Uint32Array(n),
      hashLo: new Uint32Array(n),
      rehashed: new Uint8Array(n),
      oldHi: new Uint32Array(n),
      oldLo: new Uint32Array(n),
      oldValid: new Uint8Array(n),
      routeType: new Uint8Array(n),
      payloadType: new Uint8Array(n),
      payloadVersion: new Uint8Array(n),
      rawOff: new Uint32Array(n + 1),
      raw: new Uint8Array(0),
      jsonOff: new Uint32Array(n + 1),
      json: new Uint8Array(0),
      channel: new Int32Array(n),
      fromNode: new Int32Array(n),
      scope: new Int32Array(n),
      advertTs: new Uint32Array(n),
      bad: new Uint8Array(n),
      dict: {},
    };
    this.raw = new Bytes();
    this.json = new Bytes();
  }

  /** Add one row (TX_RAW_COLUMNS order); the batch must not be full. */
  add(r: unknown[]): void {
    const b = this.b;
    const k = b.n++;
    const { stats } = this.options;
    const [id, rawHexCol, hashCol, firstSeen, routeCol, typeCol, versionCol, decodedCol, fromCol, lastSeen] =
      r;
    const [channelCol, scopeCol, mlLastSeen] = [r[10], r[11], r[12]];
    let bad: number = isId(id) ? BAD.ok : BAD.id;
    b.id[k] = bad === BAD.ok ? (id as number) : 0;

    // Frame bytes (readers.ts: raw_hex is uppercased; header byte decides unset enums).
    const rawHex = typeof rawHexCol === 'string' ? rawHexCol.toUpperCase() : '';
    const rawLen = rawHex.length >>> 1;
    this.raw.ensure(rawLen);
    const start = this.raw.used;
    const written = rawHex.length % 2 === 0 ? this.raw.buf.write(rawHex, start, rawLen, 'hex') : -1;
    const rawOk = written === rawLen && rawLen <= 0xffff;
    if (rawOk) this.raw.used += rawLen;
    b.rawOff[k + 1] = this.raw.used;
    const h = rawHex.length >= 2 ? Number.parseInt(rawHex.slice(0, 2), 16) : NaN;
    const header = Number.isNaN(h) ? null : h;

    // Hash: stored, or recomputed when it differs (loader.ts, fixtures caveat 2).
    const stored = typeof hashCol === 'string' ? hashCol : String(hashCol);
    const storedValid = HEX16.test(stored);
    let useNew = false;
    if (this.options.rehash) {
      const fresh = (
        rawOk ? contentHash(this.raw.buf.subarray(start, start + rawLen)) : contentHash(rawHex)
      ).toLowerCase();
      if (fresh !== stored && LOWER_HEX16.test(fresh)) {
        useNew = true;
        [b.hashHi[k], b.hashLo[k]] = hashWords(fresh);
        b.rehashed[k] = 1;
        b.oldValid[k] = storedValid ? 1 : 0;
        if (storedValid) [b.oldHi[k], b.oldLo[k]] = hashWords(stored);
      }
    }
    if (!useNew) {
      if (storedValid) [b.hashHi[k], b.hashLo[k]] = hashWords(stored);
      else if (bad === BAD.ok) bad = BAD.hash;
    }
    if (bad === BAD.ok && !rawOk) bad = BAD.raw;

    // Times (readers.toTransmissionRecord).
    let firstSeenMs = parseTimeMs(firstSeen);
    const lastSeenCol = (mlLastSeen as number | null) ?? (lastSeen ? (lastSeen as number) * 1000 : null);
    if (firstSeenMs === null) {
      stats.badTimes++;
      firstSeenMs = lastSeenCol ?? 0;
    }
    const lastSeenMs = Math.max(firstSeenMs, lastSeenCol ?? firstSeenMs);
    b.firstSeenMs[k] = firstSeenMs;
    b.lastSeenMs[k] = lastSeenMs;
    if (bad === BAD.ok && (!Number.isFinite(firstSeenMs) || !Number.isFinite(lastSeenMs))) bad = BAD.time;

    const route = (routeCol as number | null) ?? (header === null ? 0 : header & 0x03);
    const type = (typeCol as number | null) ?? (header === null ? 0 : (header >> 2) & 0x0f);
    const version = (versionCol as number | null) ?? (header === null ? 0 : (header >> 6) & 0x03);
    if (bad === BAD.ok && !(isU8(route) && isU8(type) && isU8(version))) bad = BAD.raw;
    b.routeType[k] = route;
    b.payloadType[k] = type;
    b.payloadVersion[k] = version;

    const decoded = typeof decodedCol === 'string' ? decodedCol : '';
    const jsonLen = Buffer.byteLength(decoded, 'utf8');
    this.json.ensure(jsonLen);
    this.json.used += this.json.buf.write(decoded, this.json.used, jsonLen, 'utf8');
    b.jsonOff[k + 1] = this.json.used;
    b.advertTs[k] = type === 4 && bad === BAD.ok ? advertTimestamp(decoded) : 0;

    b.fromNode[k] = str(fromCol, this.dicts.pubkeys, true);
    b.channel[k] = str(channelCol, this.dicts.channels, false);
    b.scope[k] = str(scopeCol, this.dicts.names, false);
    b.bad[k] = bad;
  }

  /** The batch so far (offset columns trimmed to it); the builder starts a new one. */
  take(): TxBatch {
    const b = this.b;
    b.raw = this.raw.finish();
    b.json = this.json.finish();
    b.dict = takeDicts(this.dicts);
    this.reset();
    return trimmed(b, ['rawOff', 'jsonOff']);
  }
}

/** path_json -> hop bytes; the result of the last parse (fields reused, not allocated). */
interface PathOut {
  ok: boolean;
  hopSize: number;
  hopCount: number;
}

/** Char code -> hex digit value, -1 for anything else (codes >= 128 are checked by the caller). */
const HEX_VALUE = new Int8Array(128).fill(-1);
for (let d = 0; d < 16; d++) {
  HEX_VALUE['0123456789abcdef'.charCodeAt(d)] = d;
  HEX_VALUE['0123456789ABCDEF'.charCodeAt(d)] = d;
}

function hexVal(c: number): number {
  return c < 128 ? HEX_VALUE[c] : -1;
}

/** Builds ObsBatches from OBS_RAW_COLUMNS rows. */
export class ObsBatchBuilder {
  private readonly dicts = { observers: new Dict(), directions: new Dict() };
  /** Known observer_idx (< 65536) -> observer dictionary index (cached). */
  private readonly observerOfSmallIdx: number[] = [];
  private b!: ObsBatch;
  private path!: Bytes;
  private readonly parsed: PathOut = { ok: true, hopSize: 0, hopCount: 0 };

  constructor(
    private readonly capacity: number,
    private readonly observerIds: Map<number, string>,
    private readonly stats: ReadStats,
  ) {
    this.reset();
  }

  get length(): number {
    return this.b.n;
  }

  private reset(): void {
    const n = this.capacity;
    this.b = {
      n: 0,
      id: new Uint32Array(n),
      txId: new Uint32Array(n),
      observer: new Uint32Array(n),
      rxMs: new Float64Array(n),
      uploaderDeltaMs: new Float32Array(n),
      snr: new Int16Array(n),
      rssi: new Int16Array(n),
      score: new Float32Array(n),
      direction: new Uint8Array(n),
      hopSize: new Uint8Array(n),
      hopCount: new Uint8Array(n),
      pathOff: new Uint32Array(n),
      path: new Uint8Array(0),
      bad: new Uint8Array(n),
      dict: {},
    };
    this.path = new Bytes();
  }

  add(r: unknown[]): void {
    const b = this.b;
    const k = b.n++;
    const stats = this.stats;
    // Indexed reads, not destructuring (this runs millions of times).
    const id = r[0];
    const txId = r[1];
    const observerIdx = r[2];
    const direction = r[3];
    const mlRx = r[9];
    const mlUploader = r[10];
    let bad: number = isId(id) ? BAD.ok : BAD.id;
    b.id[k] = bad === BAD.ok ? (id as number) : 0;
    // A transmission id outside u32 matches no stored transmission.
    b.txId[k] = isId(txId) ? txId : 0xffffffff;

    // readers.observationChunks: an observer_idx without an observers row reads as '' (counted).
    const small = typeof observerIdx === 'number' && observerIdx >= 0 && observerIdx < 0x10000;
    let obsIdx = small ? this.observerOfSmallIdx[observerIdx] : undefined;
    if (obsIdx === undefined) {
      const known = typeof observerIdx === 'number' ? this.observerIds.get(observerIdx) : undefined;
      obsIdx = this.dicts.observers.get(known ?? '');
      if (known === undefined) stats.unknownObserver++;
      else if (small) this.observerOfSmallIdx[observerIdx] = obsIdx;
    }
    b.observer[k] = obsIdx;

    let rxMs = (mlRx as number | null) ?? parseTimeMs(r[8]);
    if (rxMs === null) {
      stats.badTimes++;
      rxMs = 0;
    }
    b.rxMs[k] = rxMs;
    const uploaderMs = mlUploader as number | null;
    b.uploaderDeltaMs[k] = uploaderMs === null ? NaN : uploaderMs - rxMs;
    b.snr[k] = toQuarter(r[4] as number | null);
    b.rssi[k] = toQuarter(r[5] as number | null);
    b.score[k] = (r[6] as number | null) ?? NaN;
    b.direction[k] =
      direction === null || direction === undefined ? 0 : this.dicts.directions.get(String(direction)) + 1;

    b.pathOff[k] = this.path.used;
    const p = this.parsePath(r[7]);
    b.hopSize[k] = p.ok ? p.hopSize : 0;
    b.hopCount[k] = p.ok ? p.hopCount : 0;
    if (bad === BAD.ok && (!Number.isFinite(rxMs) || (uploaderMs !== null && !Number.isFinite(uploaderMs))))
      bad = BAD.time;
    if (bad === BAD.ok && !p.ok) bad = BAD.path;
    b.bad[k] = bad;
  }

  /**
   * readers.parsePath (not an array of strings: counted, empty) then codec.parsePath's rules
   * (1-3 byte hops of one size, at most 255): hop bytes appended to the batch's path heap.
   * The common shape ["AB","CD"] is scanned by hand; anything else goes through JSON.parse.
   */
  private parsePath(json: unknown): PathOut {
    const out = this.parsed;
    out.ok = true;
    out.hopSize = 0;
    out.hopCount = 0;
    if (json === null || json === undefined || json === '') return out;
    if (typeof json === 'string' && this.scanPath(json)) return out;
    let hops: string[] = [];
    try {
      const v: unknown = JSON.parse(String(json));
      if (Array.isArray(v) && v.every((x) => typeof x === 'string')) hops = v as string[];
      else this.stats.badPathJson++;
    } catch {
      this.stats.badPathJson++;
    }
    if (hops.length === 0) return out;
    const size = hops[0].length >>> 1;
    if (hops.length > 255 || size < 1 || size > 3) return this.fail();
    this.path.ensure(size * hops.length);
    const buf = this.path.buf;
    let at = this.path.used;
    for (const hop of hops) {
      if (hop.length !== size * 2) return this.fail();
      for (let i = 0; i < hop.length; i += 2) {
        const hi = hexVal(hop.charCodeAt(i));
        const lo = hexVal(hop.charCodeAt(i + 1));
        if (hi < 0 || lo < 0) return this.fail();
        buf[at++] = (hi << 4) | lo;
      }
    }
    this.path.used = at;
    out.hopSize = size;
    out.hopCount = hops.length;
    return out;
  }

  private fail(): PathOut {
    this.parsed.ok = false;
    this.parsed.hopSize = 0;
    this.parsed.hopCount = 0;
    return this.parsed;
  }

  /** Fast path for `[]` and `["hex",...]` without spaces or escapes; false = use JSON.parse. */
  private scanPath(s: string): boolean {
    const n = s.length;
    if (n < 2 || s.charCodeAt(0) !== 91 || s.charCodeAt(n - 1) !== 93) return false;
    if (n === 2) return true;
    this.path.ensure(n >>> 1);
    const buf = this.path.buf;
    let at = this.path.used;
    let size = 0;
    let count = 0;
    let i = 1;
    for (;;) {
      if (s.charCodeAt(i) !== 34) return false;
      const open = ++i;
      while (i < n && s.charCodeAt(i) !== 34) {
        const hi = hexVal(s.charCodeAt(i));
        const lo = i + 1 < n ? hexVal(s.charCodeAt(i + 1)) : -1;
        if (hi < 0 || lo < 0) return false;
        buf[at++] = (hi << 4) | lo;
        i += 2;
      }
      if (i >= n) return false;
      const len = i - open;
      if (count === 0) size = len >>> 1;
      if (len !== size * 2) return false;
      count++;
      i++;
      const c = s.charCodeAt(i);
      if (c === 93 && i === n - 1) break;
      if (c !== 44) return false;
      i++;
    }
    if (count > 255 || size < 1 || size > 3) return false;
    this.path.used = at;
    this.parsed.hopSize = size;
    this.parsed.hopCount = count;
    return true;
  }

  take(): ObsBatch {
    const b = this.b;
    b.path = this.path.finish();
    b.dict = takeDicts(this.dicts);
    this.reset();
    return trimmed(b, []);
  }
}

/**
 * What a batch producer emits, in order: (if it reads transmissions) tx batches and 'tx-done',
 * then its observation pages (numbered in the global id order), then 'done'.
 */
export type BatchEvent =
  | { kind: 'counts'; counts: RowCounts }
  | { kind: 'tx'; batch: TxBatch }
  | { kind: 'tx-done' }
  | { kind: 'obs'; batch: ObsBatch; page: number }
  | { kind: 'done'; stats: ReadStats };

export interface ProduceOptions {
  rehash: boolean;
  txBatchRows: number;
  obsBatchRows: number;
  stats: ReadStats;
  /** Read the transmissions (one producer does). */
  transmissions: boolean;
  /** First emit the tables' row counts (a worker does: count(*) over millions of rows takes ~0.1 s). */
  counts?: boolean;
  /** This producer reads observation pages first, first + stride, ... (stridedObservationPages). */
  first: number;
  stride: number;
}

/** The transmissions (optionally) then this producer's share of the observations, as column batches. */
export function* produceBatches(db: Db, o: ProduceOptions): Generator<BatchEvent> {
  if (o.counts) yield { kind: 'counts', counts: readCounts(db) };
  if (o.transmissions) {
    const tx = new TxBatchBuilder(o.txBatchRows, { rehash: o.rehash, stats: o.stats });
    for (const page of rawTransmissionPages(db, { chunkSize: o.txBatchRows })) {
      for (const r of page) tx.add(r);
      yield { kind: 'tx', batch: tx.take() };
    }
    yield { kind: 'tx-done' };
  }
  const obs = new ObsBatchBuilder(o.obsBatchRows, observerIdsByRowid(db), o.stats);
  const pages = stridedObservationPages(db, { chunkSize: o.obsBatchRows, stride: o.stride, first: o.first });
  for (const { page, rows } of pages) {
    for (const r of rows) obs.add(r);
    yield { kind: 'obs', batch: obs.take(), page };
  }
  yield { kind: 'done', stats: o.stats };
}
