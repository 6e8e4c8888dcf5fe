// Advert signatures (spec §7): all 102 fixture adverts verify; any flipped byte in the signed
// message or the signature makes verification fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { decodePacket, verifyAdvertSignature } from '../../src/protocol/index.js';
import { fixtureRows } from '../support/fixture.js';

const adverts = fixtureRows()
  .filter((r) => r.payload_type === 4)
  .map((r) => {
    const res = decodePacket(r.raw_hex, { verifySignatures: false });
    assert.ok(res.ok);
    return { id: r.id, payload: Buffer.from(res.packet.payloadBytes) };
  });

test('102/102 fixture adverts verify', () => {
  assert.equal(adverts.length, 102);
  const ok = adverts.filter((a) => verifyAdvertSignature(a.payload));
  assert.equal(ok.length, 102);
});

test('decodePacket reports signatureValid by default and omits it when off', () => {
  const r = fixtureRows().find((x) => x.id === 2)!;
  const on = decodePacket(r.raw_hex);
  const off = decodePacket(r.raw_hex, { verifySignatures: false });
  assert.ok(on.ok && off.ok);
  assert.ok(on.packet.payload.type === 'ADVERT' && !('error' in on.packet.payload));
  assert.equal(on.packet.payload.signatureValid, true);
  assert.equal('signatureValid' in off.packet.payload, false);
});

test('a flipped byte in the public key, timestamp, signature or app data fails', () => {
  for (const { id, payload } of adverts.slice(0, 20)) {
    for (const at of [0, 31, 32, 35, 36, 99, 100, payload.length - 1]) {
      const bad = Buffer.from(payload);
      bad[at] ^= 0x01;
      assert.equal(verifyAdvertSignature(bad), false, `#${id} byte ${at}`);
    }
  }
});

test('a flipped byte in a whole frame makes signatureValid false', () => {
  const r = fixtureRows().find((x) => x.id === 2)!;
  const raw = Buffer.from(r.raw_hex, 'hex');
  raw[raw.length - 1] ^= 0x20; // a letter of the name
  const res = decodePacket(raw);
  assert.ok(res.ok && res.packet.payload.type === 'ADVERT' && !('error' in res.packet.payload));
  assert.equal(res.packet.payload.signatureValid, false);
  assert.equal(res.packet.payload.name, 'R5-D4 300D RaK');
});

test('short payloads and invalid keys return false, never throw', () => {
  assert.equal(verifyAdvertSignature(new Uint8Array(99)), false);
  const junk = new Uint8Array(120).fill(0xff); // 0xff..ff is not a valid curve point
  assert.equal(verifyAdvertSignature(junk), false);
});

test('signs over pubkey ‖ timestamp ‖ full app data (over 32 bytes, as CoreScope does)', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const pub = publicKey.export({ format: 'der', type: 'spki' }).subarray(12);
  const ts = Buffer.from([1, 2, 3, 4]);
  const appData = Buffer.alloc(40, 0x41);
  appData[0] = 0x82;
  const sig = sign(null, Buffer.concat([pub, ts, appData]), privateKey);
  const payload = Buffer.concat([pub, ts, sig, appData]);
  assert.equal(verifyAdvertSignature(payload), true);
  assert.equal(verifyAdvertSignature(payload.subarray(0, 132)), false);
});
