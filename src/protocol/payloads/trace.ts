// TRACE (spec §5.7): tag, auth code, flags and the intended route in the payload; the header
// path carries one SNR byte (quarter-dB, int8) per completed hop (§4).
import type { TooShortPayload, TracePayload } from '../payload-types.js';
import { tooShort, u32le, type PayloadContext } from './context.js';

export const TRACE_MIN = 9;

/** SNR values in dB from the header path bytes (int8 / 4). */
export function snrValues(path: Uint8Array): number[] {
  const out = new Array<number>(path.length);
  for (let i = 0; i < path.length; i++) out[i] = ((path[i] << 24) >> 24) / 4;
  return out;
}

export function decodeTrace(
  p: Buffer,
  headerPath: Uint8Array,
  headerHashSize: number,
  ctx: PayloadContext,
): TracePayload | TooShortPayload {
  if (p.length < TRACE_MIN) return tooShort('TRACE', ctx);
  const traceFlags = p[8];
  const width = 1 << (traceFlags & 3);
  const chunks = Math.floor((p.length - TRACE_MIN) / width);
  const route = new Array<string>(chunks);
  for (let i = 0; i < chunks; i++) {
    const o = TRACE_MIN + i * width;
    route[i] = ctx.hex(o, o + width).toUpperCase();
  }
  const out: TracePayload = {
    type: 'TRACE',
    tag: u32le(p, 0),
    authCode: u32le(p, 4),
    traceFlags,
    pathData: ctx.hex(TRACE_MIN),
    routeHashSize: width,
    route,
  };
  // CoreScope emits SNRs only alongside a route, and only for 1-byte header entries (§5.7,
  // §15.7); packet.path.snrs has them regardless.
  if (p.length > TRACE_MIN && headerHashSize === 1 && headerPath.length > 0) {
    out.snrValues = snrValues(headerPath);
  }
  return out;
}
