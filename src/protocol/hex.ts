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
 * Parses frame hex after removing spaces, CR and LF (a regex test before Buffer.from cost
 * more than the decode itself). `text` is the cleaned hex. Never throws.
 */
export function parseHex(input: string): HexParse {
  const s =
    input.indexOf(' ') >= 0 || input.indexOf('\n') >= 0 || input.indexOf('\r') >= 0
      ? input.replace(STRIP_RE, '')
      : input;
  // Buffer.from stops at the first non-hex pair, so a short result flags bad input; only
  // then is the text scanned for the position.
  const out = Buffer.from(s, 'hex');
  if (out.length * 2 !== s.length) {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 256 || NIBBLE[c] < 0) {
        return { ok: false, offset: i, reason: `non-hex character at position ${i}` };
      }
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
