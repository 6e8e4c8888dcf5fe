// Hop codes (src/analytics/shared/hop-code.ts): text <-> code round trip for every width, widths never
// collide, invalid text has no code, and HopCodeIndex keeps widths apart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  HopCodeIndex,
  NO_HOP,
  hopCodeAt,
  hopCodeOf,
  hopCodeSize,
  hopText,
} from '../../src/analytics/shared/hop-code.js';

test('hop text and code round-trip for 1-3 byte hops; the code carries the width', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 1, maxLength: 3 }), (bytes) => {
      const hex = Buffer.from(bytes).toString('hex').toUpperCase();
      const code = hopCodeOf(hex);
      assert.equal(hopCodeSize(code), bytes.length);
      assert.equal(hopText(code), hex);
      assert.equal(hopCodeOf(hex.toLowerCase()), code);
      assert.equal(hopCodeAt(bytes, 0, bytes.length), code);
    }),
  );
  // "AB" and "00AB" are different hops.
  assert.notEqual(hopCodeOf('AB'), hopCodeOf('00AB'));
  assert.equal(hopCodeOf('AB'), (1 << 24) | 0xab);
  assert.equal(hopCodeOf('00AB'), (2 << 24) | 0xab);
});

test('text that is not 1-3 bytes of hex has no code', () => {
  for (const bad of ['', 'A', 'ABC', 'ZZ', 'ABCDEF01', 'AB CD']) assert.equal(hopCodeOf(bad), NO_HOP, bad);
  assert.equal(hopText(NO_HOP), '');
});

test('HopCodeIndex keeps widths apart and answers -1 for absent codes', () => {
  const idx = new HopCodeIndex();
  idx.set(hopCodeOf('AB'), 1);
  idx.set(hopCodeOf('00AB'), 2);
  idx.set(hopCodeOf('0000AB'), 3);
  assert.deepEqual(
    ['AB', '00AB', '0000AB', 'CD', 'ABCD'].map((h) => idx.get(hopCodeOf(h))),
    [1, 2, 3, -1, -1],
  );
  assert.equal(idx.get(NO_HOP), -1);
});
