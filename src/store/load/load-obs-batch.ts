// Observation rows (OBS_RAW_COLUMNS) -> ObsBatch for the startup load (load-batches.ts): the
// record readers' rules (readers.observationChunks, readers.parsePath), observer_idx -> observer
// id, path_json -> hop bytes (hand scanner for the common shape), appendObservation's checks as
// a per-row `bad` code.
import { BAD, type ObsBatch } from '../memory/batch-append.js';
import { toQuarter } from '../memory/codec.js';
import type { ReadStats } from '../sqlite/readers.js';
import { parseTimeMs } from '../sqlite/time.js';
import { Bytes, Dict, isId, takeDicts, trimmed } from './load-batch-parts.js';

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
