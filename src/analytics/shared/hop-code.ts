// Numeric hop codes: a path hop (1-3 bytes of a relay's public key, spec packet-format §4) as one
// small integer, `(size << 24) | value`, so hot loops over millions of hops index typed arrays
// instead of hashing strings. Codes of different widths never collide ("AB" ≠ "00AB"). Text is
// made only for the few distinct hops that reach a response.

/** Code of an invalid hop (not 1-3 bytes of hex): matches no candidate. */
export const NO_HOP = -1;

export const hopCodeSize = (code: number): number => code >>> 24;
export const hopCodeValue = (code: number): number => code & 0xffffff;

const HEX = '0123456789ABCDEF';
const HEX2: string[] = Array.from({ length: 256 }, (_, v) => HEX[v >>> 4] + HEX[v & 15]);
const TEXT2: (string | undefined)[] = new Array(65536);

/** Uppercase hex text of a hop code ("" for NO_HOP). */
export function hopText(code: number): string {
  const size = code >>> 24;
  const v = code & 0xffffff;
  if (size === 1) return HEX2[v & 255];
  if (size === 2) return (TEXT2[v] ??= HEX2[v >>> 8] + HEX2[v & 255]);
  if (size === 3) return HEX2[v >>> 16] + HEX2[(v >>> 8) & 255] + HEX2[v & 255];
  return '';
}

const HEX_RE = /^(?:[0-9a-fA-F]{2}){1,3}$/;

/** Code of a hop given as hex text (2, 4 or 6 digits, any case); NO_HOP otherwise. */
export function hopCodeOf(hex: string): number {
  if (!HEX_RE.test(hex)) return NO_HOP;
  return ((hex.length >>> 1) << 24) | parseInt(hex, 16);
}

/** Code from `size` bytes at `at` (the store's path heap). */
export function hopCodeAt(bytes: Uint8Array, at: number, size: number): number {
  if (size === 1) return (1 << 24) | bytes[at];
  if (size === 2) return (2 << 24) | (bytes[at] << 8) | bytes[at + 1];
  return (3 << 24) | (bytes[at] << 16) | (bytes[at + 1] << 8) | bytes[at + 2];
}

/**
 * A dense map from hop code to a small integer slot (-1 = absent): typed arrays for 1- and
 * 2-byte codes (the common widths), a Map for 3-byte ones.
 */
export class HopCodeIndex {
  private readonly one = new Int32Array(256).fill(-1);
  private readonly two = new Int32Array(65536).fill(-1);
  private readonly three = new Map<number, number>();

  get(code: number): number {
    const size = code >>> 24;
    if (size === 1) return this.one[code & 255];
    if (size === 2) return this.two[code & 0xffff];
    if (size === 3) return this.three.get(code) ?? -1;
    return -1;
  }

  set(code: number, slot: number): void {
    const size = code >>> 24;
    if (size === 1) this.one[code & 255] = slot;
    else if (size === 2) this.two[code & 0xffff] = slot;
    else if (size === 3) this.three.set(code, slot);
  }
}
