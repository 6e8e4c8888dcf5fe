// Frame encoders: the inverse of the decoder, byte for byte per spec packet-format §1–§7.
// A payload is encoded once per transmission; each observation only re-encodes the header, path
// length byte and path around it (see `rawHex`).
import { createHmac, createHash } from 'node:crypto';
import { channelHashByte, encryptThenMac } from '../protocol/crypto.js';
import type { Prng } from './prng.js';

export const PayloadType = {
  REQ: 0,
  RESPONSE: 1,
  TXT_MSG: 2,
  ACK: 3,
  ADVERT: 4,
  GRP_TXT: 5,
  GRP_DATA: 6,
  ANON_REQ: 7,
  PATH: 8,
  TRACE: 9,
  MULTIPART: 10,
  CONTROL: 11,
} as const;
export type PayloadTypeName = keyof typeof PayloadType;
export const PAYLOAD_TYPE_NAMES = Object.keys(PayloadType) as PayloadTypeName[];

export const Route = { TRANSPORT_FLOOD: 0, FLOOD: 1, DIRECT: 2, TRANSPORT_DIRECT: 3 } as const;

/** Largest app data the firmware signs (spec §7). */
const MAX_ADVERT_DATA = 32;
/** MAX_PACKET_PAYLOAD (spec §1). */
export const MAX_PAYLOAD = 184;

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0').toUpperCase());

export function byteHex(b: number): string {
  return HEX[b & 0xff];
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex').toUpperCase();
}

/** Header byte (spec §2): version 0, payload type in bits 2–5, route in bits 0–1. */
export function headerByte(route: number, type: number): number {
  return ((type & 0x0f) << 2) | (route & 3);
}

/** Path length byte (spec §4): hash size − 1 in the top two bits, hop count in the low six. */
export function pathLenByte(hashSize: number, hops: number): number {
  return ((hashSize - 1) << 6) | (hops & 0x3f);
}

function u32le(out: Uint8Array, off: number, v: number): void {
  out[off] = v & 0xff;
  out[off + 1] = (v >>> 8) & 0xff;
  out[off + 2] = (v >>> 16) & 0xff;
  out[off + 3] = (v >>> 24) & 0xff;
}

function i32le(out: Uint8Array, off: number, v: number): void {
  u32le(out, off, v >>> 0);
}

/** UTF-8 bytes of `s` cut to at most `max` bytes without splitting a character. */
export function utf8Fit(s: string, max: number): Uint8Array {
  const enc = Buffer.from(s, 'utf8');
  if (enc.length <= max) return Uint8Array.from(enc);
  let end = max;
  while (end > 0 && (enc[end] & 0xc0) === 0x80) end--;
  return Uint8Array.from(enc.subarray(0, end));
}

export interface AdvertFields {
  roleType: number;
  /** Latitude/longitude in degrees, or null for no location flag. */
  location: [number, number] | null;
  name: string;
}

/** Advert app data (spec §5.4): flags, optional lat/lon (int32 LE × 1e6), name; ≤ 32 bytes. */
export function advertAppData(f: AdvertFields): Uint8Array {
  const flags = f.roleType | (f.location ? 0x10 : 0) | 0x80;
  const head = f.location ? 9 : 1;
  const name = utf8Fit(f.name, MAX_ADVERT_DATA - head);
  const out = new Uint8Array(head + name.length);
  out[0] = flags;
  if (f.location) {
    i32le(out, 1, Math.round(f.location[0] * 1e6));
    i32le(out, 5, Math.round(f.location[1] * 1e6));
  }
  out.set(name, head);
  return out;
}

/** Advert payload: pubkey(32) ‖ timestamp(4) ‖ signature(64) ‖ app data; signed per spec §7. */
export function advertPayload(
  publicKey: Uint8Array,
  timestampSec: number,
  appData: Uint8Array,
  signFn: (message: Uint8Array) => Uint8Array,
): Uint8Array {
  const out = new Uint8Array(100 + appData.length);
  out.set(publicKey, 0);
  u32le(out, 32, timestampSec);
  out.set(appData, 100);
  const message = new Uint8Array(36 + appData.length);
  message.set(out.subarray(0, 36), 0);
  message.set(appData, 36);
  out.set(signFn(message), 36);
  return out;
}

/** Group text (spec §5.5, §6): channel hash ‖ MAC ‖ AES(ts u32 ‖ 0 ‖ "sender: text"). */
export function groupTextPayload(secret: Uint8Array, timestampSec: number, text: string): Uint8Array {
  const body = utf8Fit(text, 150);
  const plain = new Uint8Array(5 + body.length);
  u32le(plain, 0, timestampSec);
  plain.set(body, 5);
  const enc = encryptThenMac(secret, plain);
  const out = new Uint8Array(1 + enc.length);
  out[0] = channelHashByte(secret);
  out.set(enc, 1);
  return out;
}

function cipherLen(plainLen: number): number {
  return Math.max(1, Math.ceil(plainLen / 16)) * 16;
}

/**
 * REQ / RESPONSE / TXT_MSG / PATH (spec §5.1–5.2): dest hash ‖ src hash ‖ MAC ‖ ciphertext. The
 * peer secret is unknowable to an analyzer, so MAC and ciphertext are random bytes of the size the
 * real plaintext would encrypt to.
 */
export function peerPayload(rng: Prng, destHash: number, srcHash: number, plainLen: number): Uint8Array {
  const n = cipherLen(plainLen);
  const out = new Uint8Array(4 + n);
  out[0] = destHash;
  out[1] = srcHash;
  out.set(rng.bytes(2 + n), 2);
  return out;
}

/** ANON_REQ (spec §5.6): dest hash ‖ sender pubkey(32) ‖ MAC ‖ ciphertext (random). */
export function anonRequestPayload(
  rng: Prng,
  destHash: number,
  senderKey: Uint8Array,
  plainLen: number,
): Uint8Array {
  const n = cipherLen(plainLen);
  const out = new Uint8Array(35 + n);
  out[0] = destHash;
  out.set(senderKey, 1);
  out.set(rng.bytes(2 + n), 33);
  return out;
}

/** ACK (spec §5.3): CRC(4) ‖ attempt ‖ random byte (firmware ≥ 1.16), or the bare 4-byte CRC. */
export function ackPayload(rng: Prng, extended: boolean): Uint8Array {
  const out = rng.bytes(extended ? 6 : 4);
  if (extended) out[4] = rng.int(3);
  return out;
}

/** TRACE (spec §5.7): tag u32 ‖ auth u32 ‖ flags (path_sz) ‖ route hashes. */
export function tracePayload(tag: number, authCode: number, pathSz: number, route: Uint8Array): Uint8Array {
  const out = new Uint8Array(9 + route.length);
  u32le(out, 0, tag);
  u32le(out, 4, authCode);
  out[8] = pathSz & 3;
  out.set(route, 9);
  return out;
}

/** CONTROL DISCOVER_REQ (spec §5.9): 0x8_ flags ‖ type filter ‖ tag u32 ‖ since u32. */
export function discoverRequestPayload(filter: number, tag: number, sinceSec: number): Uint8Array {
  const out = new Uint8Array(10);
  out[0] = 0x80;
  out[1] = filter;
  u32le(out, 2, tag);
  u32le(out, 6, sinceSec);
  return out;
}

/** CONTROL DISCOVER_RESP: 0x9_|node type ‖ SNR×4 (int8) ‖ tag u32 ‖ pubkey (32) or its 8-byte prefix. */
export function discoverResponsePayload(
  nodeType: number,
  snrDb: number,
  tag: number,
  publicKey: Uint8Array,
  prefixOnly: boolean,
): Uint8Array {
  const key = prefixOnly ? publicKey.subarray(0, 8) : publicKey;
  const out = new Uint8Array(6 + key.length);
  out[0] = 0x90 | (nodeType & 0x0f);
  out[1] = Math.max(-128, Math.min(127, Math.round(snrDb * 4))) & 0xff;
  u32le(out, 2, tag);
  out.set(key, 6);
  return out;
}

/** Region transport code1 (spec §3): HMAC-SHA256(SHA-256("#region")[0:16], type ‖ payload)[0:2] LE. */
export function regionTransportCode(region: string, type: number, payload: Uint8Array): number {
  const key = createHash('sha256').update(`#${region}`, 'utf8').digest().subarray(0, 16);
  const mac = createHmac('sha256', key).update(Uint8Array.of(type)).update(payload).digest();
  const code = mac[0] | (mac[1] << 8);
  return code === 0 ? 1 : code === 0xffff ? 0xfffe : code;
}

/** Transport codes as they appear on the wire: two uint16 LE (spec §3), as hex. */
export function transportHex(code1: number, code2: number): string {
  return byteHex(code1) + byteHex(code1 >>> 8) + byteHex(code2) + byteHex(code2 >>> 8);
}
