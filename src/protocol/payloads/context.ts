// What a payload decoder may use besides the bytes: keys and the signature switch.
import type { ChannelKeyring } from '../keyring.js';
import type { TooShortPayload } from '../payload-types.js';
import type { PayloadTypeName } from '../enums.js';

export interface PayloadContext {
  keyring: ChannelKeyring | undefined;
  verifySignatures: boolean;
  /** Lowercase hex of the payload bytes [start, end) (end defaults to the payload end). */
  hex(start: number, end?: number): string;
}

/**
 * Builds the context for one payload. With hex input, hex fields are slices of the
 * lower-cased input text: cheaper than re-encoding bytes field by field.
 */
export function payloadContext(
  keyring: ChannelKeyring | undefined,
  verifySignatures: boolean,
  payload: Buffer,
  text: string | undefined,
  payloadOffset: number,
): PayloadContext {
  const base = 2 * payloadOffset;
  const len = payload.length;
  return {
    keyring,
    verifySignatures,
    hex:
      text === undefined
        ? (start, end = len) => payload.toString('hex', start, end)
        : (start, end = len) => text.slice(base + 2 * start, base + 2 * end),
  };
}

/** The §5 "too short" shape: `raw` is the payload hex (omitted from JSON when empty). */
export function tooShort(
  type: PayloadTypeName,
  ctx: PayloadContext,
  error: TooShortPayload['error'] = 'too short',
): TooShortPayload {
  return { type, error, raw: ctx.hex(0) };
}

export function u32le(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
}

export function i32le(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24);
}

export function u16le(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8);
}

export function i16le(b: Uint8Array, o: number): number {
  return ((b[o] | (b[o + 1] << 8)) << 16) >> 16;
}
