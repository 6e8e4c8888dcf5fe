// Peer-encrypted payloads (spec §5.1, §5.2, §5.6): envelope fields only; the per-pair ECDH
// secret is unknown to an analyzer (§6.5).
import type { AnonReqPayload, PathPayload, PeerEncryptedPayload, TooShortPayload } from '../payload-types.js';
import { tooShort, type PayloadContext } from './context.js';

/** REQ, RESPONSE, TXT_MSG: dest(1) src(1) mac(2) ciphertext; min 4 bytes. */
export function decodePeerEncrypted(
  type: PeerEncryptedPayload['type'],
  p: Buffer,
  ctx: PayloadContext,
): PeerEncryptedPayload | TooShortPayload {
  if (p.length < 4) return tooShort(type, ctx);
  return {
    type,
    destHash: ctx.hex(0, 1),
    srcHash: ctx.hex(1, 2),
    mac: ctx.hex(2, 4),
    encryptedData: ctx.hex(4),
  };
}

/** PATH: the same envelope; the ciphertext is named pathData (§5.2). */
export function decodePath(p: Buffer, ctx: PayloadContext): PathPayload | TooShortPayload {
  if (p.length < 4) return tooShort('PATH', ctx);
  return {
    type: 'PATH',
    destHash: ctx.hex(0, 1),
    srcHash: ctx.hex(1, 2),
    mac: ctx.hex(2, 4),
    pathData: ctx.hex(4),
  };
}

/** ANON_REQ: dest(1) pubkey(32) mac(2) ciphertext; min 35 bytes. */
export function decodeAnonReq(p: Buffer, ctx: PayloadContext): AnonReqPayload | TooShortPayload {
  if (p.length < 35) return tooShort('ANON_REQ', ctx);
  return {
    type: 'ANON_REQ',
    destHash: ctx.hex(0, 1),
    ephemeralPubKey: ctx.hex(1, 33),
    mac: ctx.hex(33, 35),
    encryptedData: ctx.hex(35),
  };
}
