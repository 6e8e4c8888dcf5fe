// Ed25519 advert signatures (spec §7) through node:crypto. A raw 32-byte key is wrapped in an
// SPKI DER envelope to build a KeyObject; KeyObjects are cached per key because repeaters
// re-advertise and building one costs more than the verification itself.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';

const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const CACHE_LIMIT = 4096;
const keyCache = new Map<string, KeyObject | null>();

function keyObject(pubKey: Uint8Array): KeyObject | null {
  const id = Buffer.from(pubKey.buffer, pubKey.byteOffset, 32).toString('latin1');
  let k = keyCache.get(id);
  if (k !== undefined) return k;
  try {
    k = createPublicKey({
      key: Buffer.concat([SPKI_PREFIX, pubKey.subarray(0, 32)]),
      format: 'der',
      type: 'spki',
    });
  } catch {
    k = null; // not a valid curve point: no signature can verify
  }
  // Bounded: a flood of random keys (fuzzing, hostile input) must not grow memory.
  if (keyCache.size >= CACHE_LIMIT) keyCache.clear();
  keyCache.set(id, k);
  return k;
}

/**
 * Verifies an ADVERT payload's signature over pubKey(32) ‖ timestamp(4) ‖ app data, i.e.
 * payload bytes 0..35 then 100..end (§7). Like CoreScope, the whole app data is signed input,
 * not the firmware's 32-byte cap (§15.4). Returns false for payloads under 100 bytes.
 */
export function verifyAdvertSignature(payload: Uint8Array): boolean {
  if (payload.length < 100) return false;
  const key = keyObject(payload.subarray(0, 32));
  if (!key) return false;
  const msg = new Uint8Array(payload.length - 64);
  msg.set(payload.subarray(0, 36), 0);
  msg.set(payload.subarray(100), 36);
  try {
    return verify(null, msg, key, payload.subarray(36, 100));
  } catch {
    return false;
  }
}
