// Fuzz: 100,000+ random and mutated frames (truncation, bit flips, length-byte changes of the
// fixture's frames). The decoder never throws and always returns a packet that renders, or an
// error with a known code (spec §13). Seeded, so a failure reproduces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  DECODE_ERROR_CODES,
  contentHash,
  decodePacket,
  observationPath,
  toCoreScopeJson,
  type DecodeResult,
} from '../../src/protocol/index.js';
import { fixtureKeyring, fixtureRows } from '../support/fixture.js';

const frames = fixtureRows().map((r) => Buffer.from(r.raw_hex, 'hex'));
const keyring = fixtureKeyring();
const CODES = new Set<string>(DECODE_ERROR_CODES.filter((c) => c !== 'internal_error'));

function check(res: DecodeResult): void {
  if (!res.ok) {
    assert.ok(CODES.has(res.error.code), res.error.code);
    assert.equal(typeof res.error.message, 'string');
    return;
  }
  const p = res.packet;
  assert.ok(p.raw.length >= 2 && p.raw.length <= 255);
  assert.equal(p.path.hops.length, p.path.hashCount);
  assert.match(p.hash, /^[0-9a-f]{16}$/);
  JSON.stringify(toCoreScopeJson(p));
  observationPath(p);
}

/** Deterministic mutations of real frames: the cases a radio or a broken uploader produces. */
function mutate(rng: () => number, src: Buffer): Buffer {
  const b = Buffer.from(src);
  switch (Math.floor(rng() * 6)) {
    case 0: // truncation
      return b.subarray(0, Math.floor(rng() * b.length));
    case 1: // bit flips
      for (let k = 1 + Math.floor(rng() * 4); k > 0; k--)
        b[Math.floor(rng() * b.length)] ^= 1 << Math.floor(rng() * 8);
      return b;
    case 2: // path length byte
      b[b[0] % 4 === 0 || b[0] % 4 === 3 ? Math.min(5, b.length - 1) : 1] = Math.floor(rng() * 256);
      return b;
    case 3: // header byte: other route/payload type over the same body
      b[0] = Math.floor(rng() * 256);
      return b;
    case 4: // extension with random bytes
      return Buffer.concat([
        b,
        Buffer.from(Array.from({ length: Math.floor(rng() * 80) }, () => Math.floor(rng() * 256))),
      ]);
    default: // a payload byte inside a typed field (flags, lengths, channel hash)
      b[Math.min(b.length - 1, 2 + Math.floor(rng() * 110))] = Math.floor(rng() * 256);
      return b;
  }
}

test('80,000 mutated fixture frames: never throws, packet or typed error', () => {
  let seed = 0x2f6e2b1;
  const rng = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
  const counts = { ok: 0, error: 0 };
  for (let i = 0; i < 80_000; i++) {
    const b = mutate(rng, frames[i % frames.length]);
    // Signature checks on a sample only: they cost ~100x a decode.
    const res = decodePacket(i % 2 ? b : b.toString('hex'), { keyring, verifySignatures: i % 16 === 0 });
    check(res);
    contentHash(b);
    counts[res.ok ? 'ok' : 'error']++;
  }
  assert.ok(counts.ok > 20_000 && counts.error > 5_000, JSON.stringify(counts));
});

test('20,000 random frames and strings (fast-check): never throws', () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.uint8Array({ minLength: 0, maxLength: 300 }),
        fc.string({ maxLength: 80 }),
        fc.stringMatching(/^[0-9a-fA-F \r\n]{0,120}$/),
      ),
      (input) => {
        check(decodePacket(input, { keyring, verifySignatures: false }));
        contentHash(input);
      },
    ),
    { numRuns: 20_000, seed: 4242 },
  );
});
