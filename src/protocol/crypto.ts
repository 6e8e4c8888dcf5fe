// Channel cryptography (spec §6): the firmware's encrypt-then-MAC with a 2-byte truncated
// HMAC-SHA256 and AES-128-ECB without IV or padding scheme (the last block is zero-filled).
import { createCipheriv, createDecipheriv, createHash, createHmac, type Decipher } from 'node:crypto';
import { HmacSha256 } from './sha256.js';

/** The well-known Public channel key (spec §6.1), channel hash 0x11. */
export const PUBLIC_CHANNEL_KEY: Uint8Array = Uint8Array.from(
  Buffer.from('8b3387e9c5cdea6ac9e5edbaa115cd72', 'hex'),
);

export const CIPHER_BLOCK_SIZE = 16;
export const CIPHER_MAC_SIZE = 2;

/** The 32-byte secret the MAC is keyed with: a 16-byte channel key is zero-padded (§6.2). */
function macKey(secret: Uint8Array): Uint8Array {
  if (secret.length === 32) return secret;
  const k = new Uint8Array(32);
  k.set(secret.subarray(0, 32));
  return k;
}

function checkSecret(secret: Uint8Array): void {
  if (secret.length !== 16 && secret.length !== 32) {
    throw new RangeError(`channel secret must be 16 or 32 bytes, got ${secret.length}`);
  }
}

/** First 2 bytes of HMAC-SHA256(key = 32-byte secret, msg = ciphertext) (§6.2). */
export function computeMac(secret: Uint8Array, cipher: Uint8Array): Uint8Array {
  const h = createHmac('sha256', macKey(secret)).update(cipher).digest();
  return new Uint8Array(h.buffer, h.byteOffset, CIPHER_MAC_SIZE);
}

/**
 * Firmware `Utils::encryptThenMAC`: AES-128-ECB with the first 16 secret bytes over the
 * plaintext zero-filled to a block boundary, then the 2-byte MAC. Returns mac(2) ‖ ciphertext.
 * Throws RangeError on a secret that is not 16 or 32 bytes (a programming error, not input).
 */
export function encryptThenMac(secret: Uint8Array, plaintext: Uint8Array): Uint8Array {
  checkSecret(secret);
  const blocks = Math.max(1, Math.ceil(plaintext.length / CIPHER_BLOCK_SIZE));
  const padded = new Uint8Array(blocks * CIPHER_BLOCK_SIZE);
  padded.set(plaintext);
  const c = createCipheriv('aes-128-ecb', secret.subarray(0, 16), null);
  c.setAutoPadding(false);
  const cipher = Buffer.concat([c.update(padded), c.final()]);
  const out = new Uint8Array(CIPHER_MAC_SIZE + cipher.length);
  out.set(computeMac(secret, cipher), 0);
  out.set(cipher, CIPHER_MAC_SIZE);
  return out;
}

/**
 * Firmware `Utils::MACThenDecrypt`: checks the 2-byte MAC first, then decrypts (§6.2).
 * Returns the zero-padded plaintext, or null when the MAC fails, the ciphertext is empty or
 * not a whole number of blocks, or the secret has the wrong size. Never throws.
 */
export function macThenDecrypt(secret: Uint8Array, macAndCipher: Uint8Array): Uint8Array | null {
  if (secret.length !== 16 && secret.length !== 32) return null;
  const n = macAndCipher.length - CIPHER_MAC_SIZE;
  if (n <= 0 || n % CIPHER_BLOCK_SIZE !== 0) return null;
  const cipher = macAndCipher.subarray(CIPHER_MAC_SIZE);
  const mac = computeMac(secret, cipher);
  if (mac[0] !== macAndCipher[0] || mac[1] !== macAndCipher[1]) return null;
  const d = createDecipheriv('aes-128-ecb', secret.subarray(0, 16), null);
  d.setAutoPadding(false);
  const plain = Buffer.concat([d.update(cipher), d.final()]);
  return new Uint8Array(plain.buffer, plain.byteOffset, plain.length);
}

/** Channel hash: SHA-256 of the secret (16 or 32 bytes as given), first byte (§6.1). */
export function channelHashByte(secret: Uint8Array): number {
  return createHash('sha256').update(secret).digest()[0];
}

/**
 * Hashtag channel key: the first 16 bytes of SHA-256 of the UTF-8 name, `#` included and case
 * preserved (§6.1). A missing leading `#` is prepended, as CoreScope does.
 */
export function hashtagKey(name: string): Uint8Array {
  const full = name.startsWith('#') ? name : `#${name}`;
  const d = createHash('sha256').update(full, 'utf8').digest();
  return Uint8Array.from(d.subarray(0, 16));
}

/**
 * A channel secret prepared for repeated decryption on the decoder's hot path: the HMAC key
 * is absorbed once and one ECB decipher is reused (ECB carries no state between blocks, and
 * with auto-padding off `update` returns every whole block). Same contract as macThenDecrypt.
 */
export class ChannelCipher {
  readonly #hmac: HmacSha256;
  readonly #decipher: Decipher;

  constructor(secret: Uint8Array) {
    checkSecret(secret);
    this.#hmac = new HmacSha256(macKey(secret));
    this.#decipher = createDecipheriv('aes-128-ecb', secret.subarray(0, 16), null);
    this.#decipher.setAutoPadding(false);
  }

  macThenDecrypt(macAndCipher: Uint8Array): Uint8Array | null {
    const n = macAndCipher.length - CIPHER_MAC_SIZE;
    if (n <= 0 || n % CIPHER_BLOCK_SIZE !== 0) return null;
    const cipher = macAndCipher.subarray(CIPHER_MAC_SIZE);
    if (this.#hmac.mac16(cipher) !== ((macAndCipher[0] << 8) | macAndCipher[1])) return null;
    const plain = this.#decipher.update(cipher);
    return new Uint8Array(plain.buffer, plain.byteOffset, plain.length);
  }
}

/**
 * A transport region (spec packet-format §3): code1 of a transport-routed packet scoped to
 * `#name` is the first 2 bytes of HMAC-SHA256(key = SHA-256("#name")[0:16], [payloadType] ‖
 * payload), read as uint16 LE, with 0x0000 bumped to 0x0001 and 0xFFFF lowered to 0xFFFE as
 * the firmware does. The HMAC key is absorbed once.
 */
export class TransportRegion {
  /** The region name with its leading `#` (prepended when the configured name lacks it). */
  readonly name: string;
  readonly #hmac: HmacSha256;

  constructor(name: string) {
    this.name = name.startsWith('#') ? name : `#${name}`;
    this.#hmac = new HmacSha256(hashtagKey(this.name));
  }

  /** The code1 value a packet of this type and payload carries when scoped to this region. */
  code(payloadType: number, payload: Uint8Array): number {
    const msg = new Uint8Array(payload.length + 1);
    msg[0] = payloadType;
    msg.set(payload, 1);
    const be = this.#hmac.mac16(msg);
    const code = ((be & 0xff) << 8) | (be >>> 8);
    return code === 0 ? 1 : code === 0xffff ? 0xfffe : code;
  }
}
