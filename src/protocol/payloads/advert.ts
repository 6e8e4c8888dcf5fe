// ADVERT (spec §5.4, CoreScope ingestor rules) and its signature (§7).
import { ADVERT_FLAG, ADVERT_TYPE, advertRole } from '../enums.js';
import type { AdvertFlags, AdvertPayload, TooShortPayload } from '../payload-types.js';
import { verifyAdvertSignature } from '../signature.js';
import { advertName } from '../text.js';
import { i16le, i32le, tooShort, u16le, u32le, type PayloadContext } from './context.js';

/** pubkey(32) timestamp(4) signature(64) = 100 bytes before the app data. */
export const ADVERT_MIN = 100;

function decodeFlags(raw: number): AdvertFlags {
  const type = raw & 0x0f;
  return {
    raw,
    type,
    chat: type === ADVERT_TYPE.CHAT,
    repeater: type === ADVERT_TYPE.REPEATER,
    room: type === ADVERT_TYPE.ROOM,
    sensor: type === ADVERT_TYPE.SENSOR,
    hasLocation: (raw & ADVERT_FLAG.LOCATION) !== 0,
    hasFeat1: (raw & ADVERT_FLAG.FEAT1) !== 0,
    hasFeat2: (raw & ADVERT_FLAG.FEAT2) !== 0,
    hasName: (raw & ADVERT_FLAG.NAME) !== 0,
  };
}

export function decodeAdvert(p: Buffer, ctx: PayloadContext): AdvertPayload | TooShortPayload {
  if (p.length < ADVERT_MIN) return tooShort('ADVERT', ctx, 'too short for advert');
  const timestamp = u32le(p, 32);
  const out: AdvertPayload = {
    type: 'ADVERT',
    pubKey: ctx.hex(0, 32),
    timestamp,
    timestampISO: new Date(timestamp * 1000).toISOString(),
    signature: ctx.hex(36, 100),
    role: 'none',
    appDataLength: p.length - ADVERT_MIN,
  };
  if (ctx.verifySignatures) out.signatureValid = verifyAdvertSignature(p);
  if (p.length === ADVERT_MIN) return out;

  const flags = decodeFlags(p[ADVERT_MIN]);
  out.flags = flags;
  out.role = advertRole(flags.type);
  let off = ADVERT_MIN + 1;
  // Each optional field is read only when its flag is set and enough bytes remain; otherwise
  // the offset does not advance (rule 2).
  if (flags.hasLocation && p.length - off >= 8) {
    out.lat = i32le(p, off) / 1e6;
    out.lon = i32le(p, off + 4) / 1e6;
    off += 8;
  }
  if (flags.hasFeat1 && p.length - off >= 2) {
    out.feat1 = u16le(p, off);
    off += 2;
  }
  if (flags.hasFeat2 && p.length - off >= 2) {
    out.feat2 = u16le(p, off);
    off += 2;
  }
  if (flags.hasName) {
    let end = off;
    while (end < p.length && p[end] !== 0) end++;
    const name = advertName(p, off, end);
    if (name.length > 0) out.name = name;
    off = end;
  }
  // Sensor telemetry after the name's NUL terminator(s): a CoreScope heuristic (rule 4).
  if (flags.type === ADVERT_TYPE.SENSOR) {
    while (off < p.length && p[off] === 0) off++;
    if (p.length - off >= 4) {
      const mv = u16le(p, off);
      const t = i16le(p, off + 2);
      if (mv >= 1 && mv <= 10000) out.battery_mv = mv;
      if (t >= -5000 && t <= 10000) out.temperature_c = t / 100;
    }
  }
  return out;
}
