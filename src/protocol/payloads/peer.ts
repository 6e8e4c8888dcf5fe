// Peer-encrypted payloads (spec §5.1, §5.2, §5.6): envelope fields only; the per-pair ECDH
// secret is unknown to an analyzer (§6.5).
import type { AnonReqPayload, PathPayload, PeerEncryptedPayload, TooShortPayload } from '../payload-types.js';
import { tooShort } from './context.js';

/** REQ, RESPONSE, TXT_MSG: dest(1) src(1) mac(2) ciphertext; min 4 bytes. */
export function decodePeerEncrypted(
  type: PeerEncryptedPayload['type'],
  p: Buffer,
): PeerEncryptedPayload | TooShortPayload {
  if (p.length < 4) return tooShort(type, p);
  return {
    type,
    destHash: p.toString('hex', 0, 1),
    srcHash: p.toString('hex', 1, 2),
    mac: p.toString('hex', 2, 4),
    encryptedData: p.toString('hex', 4),
  };
}

/** PATH: the same envelope; the ciphertext is named pathData (§5.2). */
export function decodePath(p: Buffer): PathPayload | TooShortPayload {
  if (p.length < 4) return tooShort('PATH', p);
  return {
    type: 'PATH',
    destHash: p.toString('hex', 0, 1),
    srcHash: p.toString('hex', 1, 2),
    mac: p.toString('hex', 2, 4),
    pathData: p.toString('hex', 4),
  };
}

/** ANON_REQ: dest(1) pubkey(32) mac(2) ciphertext; min 35 bytes. */
export function decodeAnonReq(p: Buffer): AnonReqPayload | TooShortPayload {
  if (p.length < 35) return tooShort('ANON_REQ', p);
  return {
    type: 'ANON_REQ',
    destHash: p.toString('hex', 0, 1),
    ephemeralPubKey: p.toString('hex', 1, 33),
    mac: p.toString('hex', 33, 35),
    encryptedData: p.toString('hex', 35),
  };
}
