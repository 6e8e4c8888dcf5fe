// Transmission rows (TX_RAW_COLUMNS) -> TxBatch for the startup load (load-batches.ts): the
// record readers' conversion rules (readers.toTransmissionRecord), hex -> bytes, decoded_json ->
// UTF-8, the content-hash recompute and appendTransmission's checks as a per-row `bad` code.
import { Buffer } from 'node:buffer';
import { contentHash } from '../../protocol/hash.js';
import { BAD, type TxBatch } from '../memory/batch-append.js';
import { advertTimestamp } from '../memory/codec.js';
import type { ReadStats } from '../sqlite/readers.js';
import { parseTimeMs } from '../sqlite/time.js';
import { Bytes, Dict, isId, isU8, takeDicts, trimmed } from './load-batch-parts.js';

const HEX16 = /^[0-9a-fA-F]{16}$/;
const LOWER_HEX16 = /^[0-9a-f]{16}$/;

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
