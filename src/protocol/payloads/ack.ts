// ACK (spec §5.3) and MULTIPART (§5.8), whose only defined inner type today is an ACK.
import { payloadTypeName } from '../enums.js';
import { u32Hex } from '../hex.js';
import type { AckPayload, MultipartPayload, TooShortPayload } from '../payload-types.js';
import { tooShort, u32le, type PayloadContext } from './context.js';

/** crc(4) [attempt(1)] [random(1)]; min 4 bytes. */
export function decodeAck(p: Buffer, ctx: PayloadContext): AckPayload | TooShortPayload {
  if (p.length < 4) return tooShort('ACK', ctx);
  const out: AckPayload = { type: 'ACK', extraHash: u32Hex(u32le(p, 0)), ackLen: Math.min(p.length, 6) };
  if (p.length >= 5) out.ackAttempt = p[4];
  if (p.length >= 6) out.ackRand = p[5];
  return out;
}

/** (remaining << 4 | inner type), then the inner payload; min 1 byte. */
export function decodeMultipart(p: Buffer, ctx: PayloadContext): MultipartPayload | TooShortPayload {
  if (p.length < 1) return tooShort('MULTIPART', ctx);
  const innerType = p[0] & 0x0f;
  const out: MultipartPayload = {
    type: 'MULTIPART',
    remaining: p[0] >> 4,
    innerType,
    innerTypeName: payloadTypeName(innerType),
  };
  if (innerType === 3 && p.length >= 5) {
    out.innerAckCrc = u32Hex(u32le(p, 1));
    out.innerAckLen = Math.min(p.length - 1, 6);
    if (p.length >= 6) out.innerAckAttempt = p[5];
    if (p.length >= 7) out.innerAckRand = p[6];
  } else {
    out.innerPayload = ctx.hex(1);
  }
  return out;
}
