// What a payload decoder may use besides the bytes: keys and the signature switch.
import type { ChannelKeyring } from '../keyring.js';
import type { TooShortPayload } from '../payload-types.js';
import type { PayloadTypeName } from '../enums.js';

export interface PayloadContext {
  keyring: ChannelKeyring | undefined;
  verifySignatures: boolean;
}

/** The §5 "too short" shape: `raw` is the payload hex (omitted from JSON when empty). */
export function tooShort(
  type: PayloadTypeName,
  p: Buffer,
  error: TooShortPayload['error'] = 'too short',
): TooShortPayload {
  return { type, error, raw: p.toString('hex') };
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
