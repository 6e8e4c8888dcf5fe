// Hex conversion. Input frames arrive as hex text (the MQTT `raw` field); CoreScope strips
// spaces, CR and LF before parsing and rejects odd lengths and non-hex characters (§13).

const HEX_RE = /^[0-9a-fA-F]*$/;
const STRIP_RE = /[ \r\n]/g;

export type HexParse = { ok: true; bytes: Buffer } | { ok: false; offset: number; reason: string };

/** Parses frame hex after removing spaces, CR and LF. Never throws. */
export function parseHex(text: string): HexParse {
  const s =
    text.indexOf(' ') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0
      ? text.replace(STRIP_RE, '')
      : text;
  if (!HEX_RE.test(s)) {
    let i = 0;
    while (i < s.length && /[0-9a-fA-F]/.test(s[i])) i++;
    return { ok: false, offset: i, reason: `non-hex character at position ${i}` };
  }
  if (s.length % 2 !== 0) return { ok: false, offset: s.length, reason: 'odd number of hex digits' };
  return { ok: true, bytes: Buffer.from(s, 'hex') };
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
