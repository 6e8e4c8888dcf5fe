// Content hash for dedup (spec §8), identical to the firmware's Packet::calculatePacketHash
// truncated to 8 bytes: SHA-256 over payloadType ‖ [path_len, 0 for TRACE] ‖ payload.
import { hash as nodeHash } from 'node:crypto';
import { PAYLOAD_TYPE, hasTransportCodes } from './enums.js';
import { parseHex } from './hex.js';

/** Hash of a frame whose layout is known: payload starts at payloadOffset. */
export function contentHashAt(buf: Uint8Array, pathLengthByte: number, payloadOffset: number): string {
  const payloadType = (buf[0] >> 2) & 0x0f;
  const extra = payloadType === PAYLOAD_TYPE.TRACE ? 3 : 1;
  const input = new Uint8Array(extra + buf.length - payloadOffset);
  input[0] = payloadType;
  // TRACE hashes its 16-bit path_len LE, so every hop of a trace is distinct.
  if (extra === 3) input[1] = pathLengthByte;
  input.set(buf.subarray(payloadOffset), extra);
  return nodeHash('sha256', input, 'hex').slice(0, 16);
}

/** The §8 fallback: the first 16 characters of the input, case kept. */
function fallback(text: string): string {
  return text.slice(0, 16);
}

/**
 * Content hash of a frame given as hex text or bytes. Unparseable input (bad hex, under 2
 * bytes, no path byte, path past the end) falls back to the input's first 16 hex characters,
 * as CoreScope does; byte input falls back to its first 8 bytes as lowercase hex. Unlike the
 * decoder, this does not apply the 64-byte path limit (§8). Never throws.
 */
export function contentHash(input: string | Uint8Array): string {
  let buf: Uint8Array;
  let text: string;
  if (typeof input === 'string') {
    text = input;
    const parsed = parseHex(input);
    if (!parsed.ok) return fallback(text);
    buf = parsed.bytes;
  } else {
    buf = input;
    text = Buffer.from(input.buffer, input.byteOffset, Math.min(input.length, 8)).toString('hex');
  }
  if (buf.length < 2) return fallback(text);
  let off = hasTransportCodes(buf[0] & 3) ? 5 : 1;
  if (off >= buf.length) return fallback(text);
  const pb = buf[off];
  off += 1 + ((pb >> 6) + 1) * (pb & 0x3f);
  if (off > buf.length) return fallback(text);
  return contentHashAt(buf, pb, off);
}
