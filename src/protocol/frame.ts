// Frame-level codec units (spec §1–§4): header byte, transport codes, path length byte and
// path. Each `decodeX(buf, offset)` checks its bounds before reading and returns
// `{ value, bytes }` (bytes consumed) or a coded DecodeError.
import { decodeError, type DecodeError } from './errors.js';
import { hasTransportCodes, payloadTypeName, routeTypeName } from './enums.js';
import type { PayloadTypeName, RouteTypeName } from './enums.js';

/** Firmware MAX_PATH_SIZE: at most 64 path bytes (§1). */
export const MAX_PATH_SIZE = 64;
/** Firmware MAX_PACKET_PAYLOAD (§1). */
export const MAX_PACKET_PAYLOAD = 184;
/** Firmware MAX_TRANS_UNIT (§1). */
export const MAX_FRAME_SIZE = 255;

export type Decoded<T> = { value: T; bytes: number } | { error: DecodeError };

export interface Header {
  routeType: number;
  routeTypeName: RouteTypeName;
  payloadType: number;
  payloadTypeName: PayloadTypeName;
  payloadVersion: number;
}

/** Header byte at offset 0 (§2). */
export function decodeHeader(buf: Uint8Array, offset: number): Decoded<Header> {
  if (offset + 1 > buf.length) return { error: decodeError('too_short', 'empty frame', offset) };
  const h = buf[offset];
  const routeType = h & 3;
  const payloadType = (h >> 2) & 0x0f;
  return {
    value: {
      routeType,
      routeTypeName: routeTypeName(routeType),
      payloadType,
      payloadTypeName: payloadTypeName(payloadType),
      payloadVersion: (h >> 6) & 3,
    },
    bytes: 1,
  };
}

export interface TransportCodes {
  /** Region/scope code, uint16 LE of wire bytes 1–2. */
  code1: number;
  /** Sender's home region, uint16 LE of wire bytes 3–4. */
  code2: number;
}

/** Transport codes (§3): only present for route types 0 and 3; 4 bytes, both uint16 LE. */
export function decodeTransportCodes(buf: Uint8Array, offset: number): Decoded<TransportCodes> {
  if (offset + 4 > buf.length) {
    return {
      error: decodeError(
        'transport_truncated',
        `too short for transport codes: need 4 bytes at offset ${offset}, have ${Math.max(0, buf.length - offset)}`,
        offset,
      ),
    };
  }
  return {
    value: {
      code1: buf[offset] | (buf[offset + 1] << 8),
      code2: buf[offset + 2] | (buf[offset + 3] << 8),
    },
    bytes: 4,
  };
}

export interface PathLength {
  /** Bytes per hop: 1, 2 or 3. */
  hashSize: number;
  /** Number of hops (for TRACE: SNR bytes, i.e. hops completed). */
  hashCount: number;
  /** The packed byte as on the wire. */
  raw: number;
}

/**
 * Path length byte (§4): low 6 bits hop count, top 2 bits hashSize − 1 with `11` reserved.
 * Enforces the firmware's `isValidPathLen`: hashSize × hashCount ≤ 64.
 */
export function decodePathLength(buf: Uint8Array, offset: number): Decoded<PathLength> {
  if (offset + 1 > buf.length) {
    return {
      error: decodeError('missing_path_length', `no path length byte at offset ${offset}`, offset),
    };
  }
  const pb = buf[offset];
  const hashSize = (pb >> 6) + 1;
  const hashCount = pb & 0x3f;
  if (hashSize === 4) {
    return {
      error: decodeError(
        'bad_path_encoding',
        `invalid path encoding 0x${pb.toString(16).padStart(2, '0')}: hash size bits 11 are reserved`,
        offset,
      ),
    };
  }
  if (hashSize * hashCount > MAX_PATH_SIZE) {
    return {
      error: decodeError(
        'path_too_long',
        `path of ${hashCount} x ${hashSize} = ${hashSize * hashCount} bytes exceeds ${MAX_PATH_SIZE}`,
        offset,
      ),
    };
  }
  return { value: { hashSize, hashCount, raw: pb }, bytes: 1 };
}

/** The path bytes themselves: hashSize × hashCount bytes, returned as a view. */
export function decodePathBytes(buf: Uint8Array, offset: number, len: PathLength): Decoded<Uint8Array> {
  const n = len.hashSize * len.hashCount;
  if (offset + n > buf.length) {
    return {
      error: decodeError(
        'path_truncated',
        `path length ${n} exceeds buffer: ${buf.length - offset} bytes left at offset ${offset}`,
        offset,
      ),
    };
  }
  return { value: buf.subarray(offset, offset + n), bytes: n };
}

export interface FrameLayout {
  header: Header;
  transportCodes: TransportCodes | null;
  pathLength: PathLength;
  /** Offset of the path length byte. */
  pathLengthOffset: number;
  path: Uint8Array;
  pathOffset: number;
  payloadOffset: number;
}

/** Splits a frame into its fields (§1), applying every §13 frame-level rule in order. */
export function decodeFrame(buf: Uint8Array): FrameLayout | { error: DecodeError } {
  if (buf.length < 2) {
    return {
      error: decodeError('too_short', `frame of ${buf.length} bytes: need at least 2`, buf.length),
    };
  }
  const h = decodeHeader(buf, 0);
  if ('error' in h) return h;
  let off = h.bytes;
  let transportCodes: TransportCodes | null = null;
  if (hasTransportCodes(h.value.routeType)) {
    const t = decodeTransportCodes(buf, off);
    if ('error' in t) return t;
    transportCodes = t.value;
    off += t.bytes;
  }
  const pathLengthOffset = off;
  const pl = decodePathLength(buf, off);
  if ('error' in pl) return pl;
  off += pl.bytes;
  const p = decodePathBytes(buf, off, pl.value);
  if ('error' in p) return p;
  const pathOffset = off;
  off += p.bytes;
  const payloadLen = buf.length - off;
  if (payloadLen > MAX_PACKET_PAYLOAD) {
    return {
      error: decodeError(
        'payload_too_long',
        `payload of ${payloadLen} bytes exceeds ${MAX_PACKET_PAYLOAD}`,
        off,
      ),
    };
  }
  return {
    header: h.value,
    transportCodes,
    pathLength: pl.value,
    pathLengthOffset,
    path: p.value,
    pathOffset,
    payloadOffset: off,
  };
}
