// Generators and mutators of hostile input: frames (the byte-level cases a radio or a broken
// uploader produces, after test/protocol/fuzz.test.ts), strings, JSON values and documents,
// MQTT topics. Pure functions of the Rng: a seed reproduces every input.
import type { Rng } from './rng.js';

/** Values that break naive parsers: extremes, wrong types, odd unicode, prototype keys. */
const NASTY_NUMBERS = [
  0,
  -0,
  1,
  -1,
  0.5,
  1e308,
  -1e308,
  1e20,
  -1e20,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 53 + 1,
  -(2 ** 63),
  255,
  256,
  65535,
  65536,
  5e-324,
  127,
  -128,
  32767,
  4294967296,
];
const NASTY_STRINGS = [
  '',
  ' ',
  'null',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e308',
  '0x10',
  '__proto__',
  'constructor',
  'toString',
  '\u0000',
  '\ud800',
  '\uffff',
  '💥',
  '%00',
  '%',
  '%zz',
  '../../etc/passwd',
  '<script>',
  "'; DROP TABLE observations; --",
  '1970-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '2026-13-45T25:61:61Z',
  '-1',
  '999999999999999999999',
  'true',
  '[]',
  '{}',
];

export function nastyNumber(rng: Rng): number {
  return rng.chance(0.7) ? rng.pick(NASTY_NUMBERS) : (rng.next() - 0.5) * 10 ** rng.int(12);
}

export function nastyString(rng: Rng): string {
  switch (rng.int(6)) {
    case 0:
    case 1:
      return rng.pick(NASTY_STRINGS);
    case 2:
      return randomText(rng, rng.int(40));
    case 3:
      return 'A'.repeat(rng.pick([64, 255, 1024, 5000]));
    case 4:
      return rng.bytes(rng.int(64)).toString('hex');
    default:
      return String(nastyNumber(rng));
  }
}

/** Random characters: ASCII mostly, with control characters, surrogates and astral ones. */
export function randomText(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) {
    const k = rng.int(10);
    s +=
      k < 6
        ? String.fromCharCode(32 + rng.int(95))
        : k < 7
          ? String.fromCharCode(rng.int(32))
          : k < 8
            ? String.fromCharCode(0xd800 + rng.int(0x800))
            : k < 9
              ? String.fromCodePoint(0x1f300 + rng.int(200))
              : String.fromCharCode(0x80 + rng.int(0xff00));
  }
  return s;
}

/** Byte-level mutation of a frame (truncate, flip, length bytes, header, extend, field bytes). */
export function mutateFrame(rng: Rng, hex: string): Buffer {
  const b = Buffer.from(hex, 'hex');
  if (b.length === 0) return rng.bytes(rng.int(8));
  switch (rng.int(7)) {
    case 0:
      return b.subarray(0, rng.int(b.length));
    case 1:
      for (let k = 1 + rng.int(4); k > 0; k--) b[rng.int(b.length)] ^= 1 << rng.int(8);
      return b;
    case 2: // the path length byte (after transport codes for route types 0 and 3)
      b[b[0] % 4 === 0 || b[0] % 4 === 3 ? Math.min(5, b.length - 1) : Math.min(1, b.length - 1)] =
        rng.int(256);
      return b;
    case 3:
      b[0] = rng.int(256);
      return b;
    case 4:
      return Buffer.concat([b, rng.bytes(rng.int(300))]);
    case 5:
      b[Math.min(b.length - 1, 2 + rng.int(110))] = rng.int(256);
      return b;
    default:
      return rng.bytes(rng.int(rng.chance(0.1) ? 400 : 64));
  }
}

/** A frame's hex as an uploader might send it: valid, mutated, or not hex at all. */
export function frameHex(rng: Rng, frames: readonly string[]): string {
  const base = rng.pick(frames);
  const k = rng.int(20);
  if (k < 6) return base;
  if (k < 15) return mutateFrame(rng, base).toString('hex').toUpperCase();
  if (k < 16) return base.toLowerCase();
  if (k < 17) return ` ${base.slice(0, rng.int(base.length + 1))}\n`;
  if (k < 18) return base + rng.pick(['0', 'G', 'zz', ' ', '\u0000']);
  return nastyString(rng);
}

/** A random JSON value, nested up to `depth`. */
export function randomJson(rng: Rng, depth = 3): unknown {
  const k = rng.int(depth > 0 ? 8 : 5);
  switch (k) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
      return nastyNumber(rng);
    case 3:
    case 4:
      return nastyString(rng);
    case 5:
      return Array.from({ length: rng.int(5) }, () => randomJson(rng, depth - 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = rng.int(5); i > 0; i--) o[nastyString(rng).slice(0, 20)] = randomJson(rng, depth - 1);
      return o;
    }
  }
}

/** A structure-aware mutation of a JSON object: retype, drop, add or duplicate fields. */
export function mutateObject(rng: Rng, src: Record<string, unknown>): Record<string, unknown> {
  const o: Record<string, unknown> = { ...src };
  const keys = Object.keys(o);
  for (let n = 1 + rng.int(3); n > 0; n--) {
    const key = keys.length > 0 && rng.chance(0.7) ? rng.pick(keys) : nastyString(rng).slice(0, 24);
    switch (rng.int(5)) {
      case 0:
        delete o[key];
        break;
      case 1:
        o[key] = nastyNumber(rng);
        break;
      case 2:
        o[key] = nastyString(rng);
        break;
      case 3:
        o[key] = randomJson(rng, 2);
        break;
      default:
        o[key.toUpperCase()] = o[key] ?? randomJson(rng, 1);
    }
  }
  return o;
}

/** Bytes of a JSON document, or of something that almost is one. */
export function serialize(rng: Rng, value: unknown): Buffer {
  const text = JSON.stringify(value) ?? 'undefined';
  switch (rng.int(14)) {
    case 0: // truncated
      return Buffer.from(text.slice(0, rng.int(text.length)));
    case 1: // a byte flipped
      return flipByte(rng, Buffer.from(text));
    case 2: // not UTF-8 at all
      return rng.bytes(rng.int(200));
    case 3: // trailing garbage / a second document
      return Buffer.from(text + rng.pick([',', '}', ' {}', '\u0000', 'x']));
    case 4: // deeply nested
      return Buffer.from('['.repeat(rng.pick([100, 5000, 100000])) + ']'.repeat(rng.int(3) ? 0 : 100));
    default:
      return Buffer.from(text);
  }
}

function flipByte(rng: Rng, b: Buffer): Buffer {
  if (b.length > 0) b[rng.int(b.length)] ^= 1 << rng.int(8);
  return b;
}

/** An observer topic: valid, with one part mutated, or any string. */
export function topic(rng: Rng, topics: readonly string[], observers: readonly string[]): string {
  const parts = rng.pick(topics).split('/');
  switch (rng.int(12)) {
    case 0:
      parts[1] = rng.pick(['', 'status', 'events', 'client', 'x'.repeat(17), nastyString(rng), 'SEA', 'sea']);
      break;
    case 1:
      parts[2] = rng.pick([
        rng.pick(observers).toLowerCase(),
        rng.pick(observers).slice(0, 63),
        `${rng.pick(observers)}0`,
        nastyString(rng),
        rng.bytes(32).toString('hex'),
      ]);
      break;
    case 2:
      parts[3] = rng.pick(['', 'packet', 'STATUS', 'packets/', 'raw', nastyString(rng)]);
      break;
    case 3:
      parts.splice(rng.int(parts.length + 1), rng.int(2), ...(rng.chance(0.5) ? ['x'] : []));
      break;
    case 4:
      parts[0] = rng.pick(['', 'MeshCore', 'meshcore2', '$SYS', nastyString(rng)]);
      break;
    case 5:
      return randomText(rng, rng.int(60));
    default:
      break;
  }
  return parts.join('/');
}
