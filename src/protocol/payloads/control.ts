// CONTROL (spec §5.9), RAW_CUSTOM and the reserved types 12–14 (§5.10).
import { controlSubtype } from '../enums.js';
import { byteHexLower, byteHexUpper } from '../hex.js';
import type { ControlPayload, RawCustomPayload, TooShortPayload, UnknownPayload } from '../payload-types.js';
import { tooShort, u32le, type PayloadContext } from './context.js';

/** Byte 0 flags (high nibble = subtype), then subtype fields; min 1 byte. */
export function decodeControl(p: Buffer, ctx: PayloadContext): ControlPayload | TooShortPayload {
  if (p.length < 1) return tooShort('CONTROL', ctx);
  const f = p[0];
  const out: ControlPayload = {
    type: 'CONTROL',
    raw: ctx.hex(0),
    ctrlFlags: byteHexLower(f),
    ctrlZeroHop: (f & 0x80) !== 0,
    ctrlLength: p.length,
    ctrlSubtype: controlSubtype(f),
  };
  if (out.ctrlSubtype === 'DISCOVER_REQ') {
    out.prefixOnly = (f & 1) !== 0;
    if (p.length >= 6) {
      out.ctrlFilter = p[1];
      out.ctrlTag = u32le(p, 2);
    }
    if (p.length >= 10) out.ctrlSince = u32le(p, 6);
  } else if (out.ctrlSubtype === 'DISCOVER_RESP') {
    out.ctrlNodeType = f & 0x0f;
    if (p.length >= 6) {
      out.ctrlSNR = (p[1] << 24) >> 24;
      out.ctrlTag = u32le(p, 2);
      const rest = p.length - 6;
      if (rest >= 32) out.ctrlPubKey = ctx.hex(6, 38);
      else if (rest >= 8) out.ctrlPubKey = ctx.hex(6, 14);
    }
  }
  return out;
}

export function decodeRawCustom(p: Buffer, ctx: PayloadContext): RawCustomPayload {
  const out: RawCustomPayload = { type: 'RAW_CUSTOM', raw: ctx.hex(0), rawLength: p.length };
  if (p.length > 0) out.firstByteTag = byteHexUpper(p[0]);
  return out;
}

export function decodeUnknown(payloadType: number, p: Buffer, ctx: PayloadContext): UnknownPayload {
  return { type: 'UNKNOWN', payloadType, raw: ctx.hex(0) };
}
