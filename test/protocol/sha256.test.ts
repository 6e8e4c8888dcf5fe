// The JS SHA-256/HMAC used on the hot path agrees with node:crypto at every length around
// block boundaries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { HmacSha256, sha256Prefix16 } from '../../src/protocol/sha256.js';
import { encryptThenMac, macThenDecrypt, ChannelCipher } from '../../src/protocol/crypto.js';

test('sha256Prefix16 matches node:crypto for 0..300 bytes, split in two parts', () => {
  for (let n = 0; n <= 300; n++) {
    const a = randomBytes(n);
    const cut = n % 67;
    const want = createHash('sha256').update(a).digest('hex').slice(0, 16);
    assert.equal(sha256Prefix16([a.subarray(0, cut), a.subarray(cut)]), want, `n=${n}`);
  }
});

test('HmacSha256.mac16 matches node:crypto for 16- and 32-byte keys', () => {
  for (let n = 0; n <= 200; n++) {
    const key = randomBytes(n % 2 ? 16 : 32);
    const msg = randomBytes(n);
    const d = createHmac('sha256', key).update(msg).digest();
    assert.equal(new HmacSha256(key).mac16(msg), (d[0] << 8) | d[1], `n=${n}`);
  }
});

test('ChannelCipher agrees with macThenDecrypt; both reject bad lengths and MACs', () => {
  for (const secret of [randomBytes(16), randomBytes(32)]) {
    const c = new ChannelCipher(secret);
    for (let n = 1; n < 60; n += 7) {
      const body = encryptThenMac(secret, randomBytes(n));
      assert.deepEqual(c.macThenDecrypt(body), macThenDecrypt(secret, body));
      assert.equal(c.macThenDecrypt(body.subarray(0, body.length - 1)), null);
      const bad = Buffer.from(body);
      bad[0] ^= 0x80;
      assert.equal(c.macThenDecrypt(bad), null);
      assert.equal(macThenDecrypt(secret, bad), null);
    }
  }
  assert.equal(macThenDecrypt(randomBytes(15), new Uint8Array(18)), null);
  assert.throws(() => encryptThenMac(randomBytes(20), new Uint8Array(1)), RangeError);
});
