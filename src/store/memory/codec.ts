// Conversions between record values and column values (layout.ts documents the units).

import { I16_NULL } from './layout.js';
import { StoreError } from './errors.js';

const HEX16 = /^[0-9a-fA-F]{16}$/;
const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/** 16-hex content hash -> [hi, lo] big-endian u32 words. */
export function hashWords(hash: string): [number, number] {
  if (!HEX16.test(hash))
    throw new StoreError('STORE_ERR_BAD_HASH', `hash must be 16 hex digits, got ${JSON.stringify(hash)}`);
  return [parseInt(hash.slice(0, 8), 16) >>> 0, parseInt(hash.slice(8), 16) >>> 0];
}

export function hashText(hi: number, lo: number): string {
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}

export function isHex(s: string): boolean {
  return HEX.test(s);
}

/** SNR/RSSI in dB -> i16 quarter-dB (nearest 0.25 dB; MeshCore reports SNR in 0.25 dB steps). */
export function toQuarter(v: number | null): number {
  if (v === null || !Number.isFinite(v)) return I16_NULL;
  const q = Math.round(v * 4);
  // Outside +-8191.75 dB is not a radio measurement; treat as absent rather than wrap.
  return q > 32767 || q <= I16_NULL ? I16_NULL : q;
}

export function fromQuarter(q: number): number | null {
  return q === I16_NULL ? null : q / 4;
}

export interface ParsedPath {
  hopSize: number;
  hopCount: number;
  bytes: Uint8Array;
}

const EMPTY = new Uint8Array(0);

/** Path hops (uppercase or lowercase hex, 1-3 bytes each, one size per path) -> bytes. */
export function parsePath(path: readonly string[]): ParsedPath {
  if (path.length === 0) return { hopSize: 0, hopCount: 0, bytes: EMPTY };
  if (path.length > 255) throw new StoreError('STORE_ERR_BAD_PATH', `path has ${path.length} hops (max 255)`);
  const size = path[0].length >>> 1;
  if (size < 1 || size > 3)
    throw new StoreError('STORE_ERR_BAD_PATH', `hop size ${path[0].length / 2} bytes is not 1-3`);
  const bytes = new Uint8Array(size * path.length);
  for (let h = 0; h < path.length; h++) {
    const hop = path[h];
    if (hop.length !== size * 2 || !HEX.test(hop)) {
      throw new StoreError('STORE_ERR_BAD_PATH', `hop ${JSON.stringify(hop)} is not ${size}-byte hex`);
    }
    for (let b = 0; b < size; b++) bytes[h * size + b] = parseInt(hop.slice(b * 2, b * 2 + 2), 16);
  }
  return { hopSize: size, hopCount: path.length, bytes };
}

const HEXCHARS = '0123456789ABCDEF';

/** Bytes -> uppercase hop strings. */
export function pathHops(bytes: Uint8Array, hopSize: number, hopCount: number): string[] {
  const out: string[] = new Array(hopCount);
  for (let h = 0; h < hopCount; h++) {
    let s = '';
    for (let b = 0; b < hopSize; b++) {
      const v = bytes[h * hopSize + b];
      s += HEXCHARS[v >>> 4] + HEXCHARS[v & 15];
    }
    out[h] = s;
  }
  return out;
}

/** Hop-prefix index key: size in the top byte, the hop bytes below (1-3 bytes). */
export function hopKey(bytes: Uint8Array, at: number, size: number): number {
  let v = 0;
  for (let b = 0; b < size; b++) v = (v << 8) | bytes[at + b];
  return size * 0x1000000 + v;
}

/** Hop key of the first `size` bytes of a hex public key (or hop string). */
export function hopKeyOfHex(hex: string, size: number): number {
  return size * 0x1000000 + parseInt(hex.slice(0, size * 2), 16);
}

/** ADVERT sender timestamp from decoded_json (`payload.timestamp`, then top-level `timestamp`; spec analytics §6.1). */
export function advertTimestamp(decodedJson: string): number {
  let obj: unknown;
  try {
    obj = JSON.parse(decodedJson);
  } catch {
    return 0; // decoded_json is the ingest layer's text; an unparseable one just has no timestamp
  }
  if (obj === null || typeof obj !== 'object') return 0;
  const o = obj as Record<string, unknown>;
  const p = o.payload as Record<string, unknown> | undefined;
  const ts = p && typeof p === 'object' && typeof p.timestamp === 'number' ? p.timestamp : o.timestamp;
  return typeof ts === 'number' && Number.isInteger(ts) && ts > 0 && ts <= 0xffffffff ? ts : 0;
}
