// UTF-8 handling with Go's semantics (spec §5.4 rule 3, §15.10): CoreScope's strings come from
// Go, where each byte that does not start a valid sequence becomes one U+FFFD, unlike WHATWG
// TextDecoder which folds a maximal invalid subsequence into one.

const REPLACEMENT = 0xfffd;

/** Length of the valid UTF-8 sequence starting at i, or 0 if none (Go's utf8.DecodeRune). */
function seqLength(b: Uint8Array, i: number, end: number): number {
  const c = b[i];
  if (c < 0x80) return 1;
  let n: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (c >= 0xc2 && c <= 0xdf) n = 2;
  else if (c >= 0xe0 && c <= 0xef) {
    n = 3;
    if (c === 0xe0) lo = 0xa0;
    else if (c === 0xed) hi = 0x9f; // no surrogates
  } else if (c >= 0xf0 && c <= 0xf4) {
    n = 4;
    if (c === 0xf0) lo = 0x90;
    else if (c === 0xf4) hi = 0x8f;
  } else return 0;
  if (i + n > end) return 0;
  const c1 = b[i + 1];
  if (c1 < lo || c1 > hi) return 0;
  for (let k = 2; k < n; k++) if ((b[i + k] & 0xc0) !== 0x80) return 0;
  return n;
}

function codePointAt(b: Uint8Array, i: number, n: number): number {
  const c = b[i];
  if (n === 1) return c;
  if (n === 2) return ((c & 0x1f) << 6) | (b[i + 1] & 0x3f);
  if (n === 3) return ((c & 0x0f) << 12) | ((b[i + 1] & 0x3f) << 6) | (b[i + 2] & 0x3f);
  return ((c & 0x07) << 18) | ((b[i + 1] & 0x3f) << 12) | ((b[i + 2] & 0x3f) << 6) | (b[i + 3] & 0x3f);
}

/** Decodes b[start, end) into code points, one U+FFFD per invalid byte (Go semantics). */
export function goCodePoints(b: Uint8Array, start: number, end: number): number[] {
  const out: number[] = [];
  let i = start;
  while (i < end) {
    const n = seqLength(b, i, end);
    if (n === 0) {
      out.push(REPLACEMENT);
      i++;
    } else {
      out.push(codePointAt(b, i, n));
      i += n;
    }
  }
  return out;
}

function utf8Length(cp: number): number {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/**
 * Advert name rules (§5.4 rule 3): Go decoding, strip code points below 0x20 except tab and
 * newline, strip 0x7F, then cut to 32 bytes of UTF-8. A cut inside a character leaves dangling
 * bytes, which Go's JSON encoder renders as one U+FFFD each.
 */
export function advertName(b: Uint8Array, start: number, end: number): string {
  let ascii = true;
  for (let i = start; i < end; i++) {
    const c = b[i];
    if (c < 0x20 || c >= 0x7f) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    return Buffer.from(b.buffer, b.byteOffset, b.length).toString('latin1', start, Math.min(end, start + 32));
  }
  let bytes = 0;
  let out = '';
  for (const cp of goCodePoints(b, start, end)) {
    if ((cp < 0x20 && cp !== 0x09 && cp !== 0x0a) || cp === 0x7f) continue;
    const n = utf8Length(cp);
    if (bytes + n > 32) {
      // The remaining 32 - bytes bytes are a prefix of this character's encoding: each one is
      // invalid on its own and becomes U+FFFD.
      out += '\ufffd'.repeat(32 - bytes);
      break;
    }
    out += String.fromCodePoint(cp);
    bytes += n;
  }
  return out;
}

/** Whether b[start, end) is valid UTF-8 by Go's rules. */
export function isValidUtf8(b: Uint8Array, start: number, end: number): boolean {
  let i = start;
  while (i < end) {
    const n = seqLength(b, i, end);
    if (n === 0) return false;
    i += n;
  }
  return true;
}
