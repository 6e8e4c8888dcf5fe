// Hex conversion. Input frames arrive as hex text (the MQTT `raw` field); CoreScope strips
// spaces, CR and LF before parsing and rejects odd lengths and non-hex characters (§13).

/** Nibble value per char code, -1 for non-hex. */
const NIBBLE = new Int8Array(256).fill(-1);
for (let i = 0; i < 10; i++) NIBBLE[48 + i] = i;
for (let i = 0; i < 6; i++) {
  NIBBLE[65 + i] = 10 + i;
  NIBBLE[97 + i] = 10 + i;
}

const STRIP_RE = /[ \r\n]/g;

export type HexParse =
  { ok: true; bytes: Buffer; text: string } | { ok: false; offset: number; reason: string };

/**
 * Parses frame hex after removing spaces, CR and LF. One validating pass with a lookup table
 * (a regex test plus Buffer.from cost twice as much on the decoder's hot path). `text` is the
 * cleaned hex. Never throws.
 */
export function parseHex(input: string): HexParse {
  const s =
    input.indexOf(' ') >= 0 || input.indexOf('\n') >= 0 || input.indexOf('\r') >= 0
      ? input.replace(STRIP_RE, '')
      : input;
  const n = s.length >> 1;
  const out = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) {
    const c1 = s.charCodeAt(2 * i);
    const c2 = s.charCodeAt(2 * i + 1);
    const hi = c1 < 256 ? NIBBLE[c1] : -1;
    const lo = c2 < 256 ? NIBBLE[c2] : -1;
    if (hi < 0 || lo < 0) {
      const at = hi < 0 ? 2 * i : 2 * i + 1;
      return { ok: false, offset: at, reason: `non-hex character at position ${at}` };
    }
    out[i] = (hi << 4) | lo;
  }
  if (s.length % 2 !== 0) {
    const c = s.charCodeAt(s.length - 1);
    if (c >= 256 || NIBBLE[c] < 0) {
      return {
        ok: false,
        offset: s.length - 1,
        reason: `non-hex character at position ${s.length - 1}`,
      };
    }
    return { ok: false, offset: s.length, reason: 'odd number of hex digits' };
  }
  return { ok: true, bytes: out, text: s };
}

/** Wraps bytes in a Buffer view (no copy) for its native hex/utf8 slicing. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

export function toHex(bytes: Uint8Array): string {
  return asBuffer(bytes).toString('hex');
}

export function toHexUpper(bytes: Uint8Array): string {
  return asBuffer(bytes).toString('hex').toUpperCase();
}

const BYTE_UPPER: readonly string[] = Array.from({ length: 256 }, (_, i) =>
  i.toString(16).padStart(2, '0').toUpperCase(),
);
const BYTE_LOWER: readonly string[] = BYTE_UPPER.map((s) => s.toLowerCase());

/** Two uppercase hex digits for a byte value. */
export function byteHexUpper(b: number): string {
  return BYTE_UPPER[b & 0xff];
}

export function byteHexLower(b: number): string {
  return BYTE_LOWER[b & 0xff];
}

/** `%08x` of a uint32 (the ACK CRC rendering, §5.3). */
export function u32Hex(v: number): string {
  return (v >>> 0).toString(16).padStart(8, '0');
}
