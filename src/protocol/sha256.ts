// A small SHA-256 (FIPS 180-4) for the decoder's hot path. For the short inputs of a LoRa
// frame (≤ 190 bytes) node:crypto's per-call setup dominates: one-shot hashing costs ~2 µs
// and an HMAC ~4 µs here, against a few hundred ns per 64-byte block in JS. HMAC keys are
// pre-absorbed once per channel key (ipad/opad states). Tested against node:crypto.

// Int32Array, not Int32Array: values ≥ 2^31 read from a Int32Array are doubles, which
// knocks V8 off its int32 fast path.
const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);
const IV = new Int32Array([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

const W = new Int32Array(64);

/** One compression of the 64-byte block at b[o..o+64) into state. */
function compress(state: Int32Array, b: Uint8Array, o: number): void {
  for (let i = 0; i < 16; i++, o += 4) {
    W[i] = (b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3];
  }
  for (let i = 16; i < 64; i++) {
    const x = W[i - 15];
    const y = W[i - 2];
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    W[i] = (W[i - 16] + s0 + W[i - 7] + s1) | 0;
  }
  let a = state[0],
    bb = state[1],
    c = state[2],
    d = state[3];
  let e = state[4],
    f = state[5],
    g = state[6],
    h = state[7];
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const ch = (e & f) ^ (~e & g);
    const t1 = (h + S1 + ch + K[i] + W[i]) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const maj = (a & bb) ^ (a & c) ^ (bb & c);
    const t2 = (S0 + maj) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = bb;
    bb = a;
    a = (t1 + t2) | 0;
  }
  state[0] = (state[0] + a) | 0;
  state[1] = (state[1] + bb) | 0;
  state[2] = (state[2] + c) | 0;
  state[3] = (state[3] + d) | 0;
  state[4] = (state[4] + e) | 0;
  state[5] = (state[5] + f) | 0;
  state[6] = (state[6] + g) | 0;
  state[7] = (state[7] + h) | 0;
}

const TAIL = new Uint8Array(128);

/**
 * Continues a hash whose state has absorbed `prefixLen` bytes (a multiple of 64) with
 * parts[0] ‖ parts[1] …, finishing with padding. Writes the digest words into `out`.
 */
function finish(state: Int32Array, prefixLen: number, parts: readonly Uint8Array[], out: Int32Array): void {
  let len = prefixLen;
  let fill = 0; // bytes pending in TAIL
  for (const part of parts) {
    let i = 0;
    if (fill > 0) {
      while (fill < 64 && i < part.length) TAIL[fill++] = part[i++];
      if (fill === 64) {
        compress(state, TAIL, 0);
        fill = 0;
      }
    }
    while (part.length - i >= 64) {
      compress(state, part, i);
      i += 64;
    }
    while (i < part.length) TAIL[fill++] = part[i++];
    len += part.length;
  }
  TAIL[fill++] = 0x80;
  const end = fill > 56 ? 128 : 64;
  TAIL.fill(0, fill, end);
  const bits = len * 8;
  TAIL[end - 5] = bits / 2 ** 32; // bit length, big endian (inputs here are far below 2^32 bits)
  TAIL[end - 4] = bits >>> 24;
  TAIL[end - 3] = bits >>> 16;
  TAIL[end - 2] = bits >>> 8;
  TAIL[end - 1] = bits;
  compress(state, TAIL, 0);
  if (end === 128) compress(state, TAIL, 64);
  out.set(state);
}

const STATE = new Int32Array(8);
const DIGEST = new Int32Array(8);

/** SHA-256 of parts[0] ‖ parts[1] …, as 8 big-endian words (shared buffer: copy if kept). */
export function sha256Words(parts: readonly Uint8Array[]): Int32Array {
  STATE.set(IV);
  finish(STATE, 0, parts, DIGEST);
  return DIGEST;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function wordHex(w: number): string {
  return HEX[w >>> 24] + HEX[(w >>> 16) & 0xff] + HEX[(w >>> 8) & 0xff] + HEX[w & 0xff];
}

/** First 8 bytes of SHA-256 as 16 lowercase hex digits (the content hash length, §8). */
export function sha256Prefix16(parts: readonly Uint8Array[]): string {
  const d = sha256Words(parts);
  return wordHex(d[0]) + wordHex(d[1]);
}

/** HMAC-SHA256 with a key absorbed once: the ipad and opad states after one block each. */
export class HmacSha256 {
  readonly #inner = new Int32Array(8);
  readonly #outer = new Int32Array(8);
  readonly #state = new Int32Array(8);
  readonly #digest = new Int32Array(8);
  readonly #digestBytes = new Uint8Array(32);

  /** key: at most 64 bytes (channel secrets are 16 or 32). */
  constructor(key: Uint8Array) {
    if (key.length > 64) throw new RangeError('HMAC key longer than one block');
    const pad = new Uint8Array(64);
    pad.fill(0x36).forEach((v, i) => (pad[i] = v ^ (key[i] ?? 0)));
    this.#inner.set(IV);
    compress(this.#inner, pad, 0);
    pad.fill(0x5c).forEach((v, i) => (pad[i] = v ^ (key[i] ?? 0)));
    this.#outer.set(IV);
    compress(this.#outer, pad, 0);
  }

  /** First two MAC bytes as a 16-bit big-endian number (the wire MAC of §6.2). */
  mac16(msg: Uint8Array): number {
    this.#state.set(this.#inner);
    finish(this.#state, 64, [msg], this.#digest);
    const d = this.#digestBytes;
    for (let i = 0; i < 8; i++) {
      const w = this.#digest[i];
      d[i * 4] = w >>> 24;
      d[i * 4 + 1] = w >>> 16;
      d[i * 4 + 2] = w >>> 8;
      d[i * 4 + 3] = w;
    }
    this.#state.set(this.#outer);
    finish(this.#state, 64, [d], this.#digest);
    return this.#digest[0] >>> 16;
  }
}
