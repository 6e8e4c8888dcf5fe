// Content hash (spec §8). The fixture's hash column was rewritten by a buggy script: the
// correct hash matches it on the 354 FLOOD non-ANON_REQ rows; the script's variant, reproduced
// here, matches all 499 and so explains the other 145.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { contentHash, decodePacket } from '../../src/protocol/index.js';
import { fixtureRows } from '../support/fixture.js';

const rows = fixtureRows();

/** CoreScope scripts/migrate-fixture-hashes.go as the spec describes it: routes 2/3 taken as
 * transport routes (should be 0/3) and payload type 7 as TRACE (should be 9). */
function buggyScriptHash(rawHex: string): string {
  const b = Buffer.from(rawHex, 'hex');
  const fallback = rawHex.slice(0, 16);
  if (b.length < 2) return fallback;
  const route = b[0] & 3;
  let off = route === 2 || route === 3 ? 5 : 1;
  if (off >= b.length) return fallback;
  const pb = b[off];
  off += 1 + ((pb >> 6) + 1) * (pb & 0x3f);
  if (off > b.length) return fallback;
  const type = (b[0] >> 2) & 0x0f;
  const head = type === 7 ? [type, pb, 0] : [type];
  return createHash('sha256').update(Buffer.from(head)).update(b.subarray(off)).digest('hex').slice(0, 16);
}

test('correct hash equals the column on exactly the 354 FLOOD non-ANON_REQ rows', () => {
  const equal = rows.filter((r) => contentHash(r.raw_hex) === r.hash);
  assert.equal(equal.length, 354);
  for (const r of equal) {
    assert.equal(r.route_type, 1);
    assert.notEqual(r.payload_type, 7);
  }
  // decodePacket's lazily computed hash agrees with contentHash().
  for (const r of rows) {
    const res = decodePacket(r.raw_hex);
    if (res.ok) assert.equal(res.packet.hash, contentHash(r.raw_hex), `#${r.id}`);
  }
});

test('the other 145 are the buggy script: 134 DIRECT + 11 FLOOD ANON_REQ', () => {
  const differ = rows.filter((r) => contentHash(r.raw_hex) !== r.hash);
  assert.equal(differ.length, 145);
  const direct = differ.filter((r) => r.route_type === 2);
  const floodAnon = differ.filter((r) => r.route_type === 1 && r.payload_type === 7);
  assert.equal(direct.length, 134);
  assert.equal(floodAnon.length, 11);
  assert.equal(direct.length + floodAnon.length, 145);
  // The script's variant reproduces every row of the column.
  for (const r of rows) assert.equal(buggyScriptHash(r.raw_hex), r.hash, `#${r.id}`);
  // 86 of them are literally the raw prefix (the script's fallback).
  assert.equal(differ.filter((r) => r.hash === r.raw_hex.slice(0, 16)).length, 86);
});

test('correct hashes of the 499 rows are distinct', () => {
  assert.equal(new Set(rows.map((r) => contentHash(r.raw_hex))).size, 499);
});

test('spec §10 hashes', () => {
  const byId = new Map(rows.map((r) => [r.id, r.raw_hex]));
  assert.equal(contentHash(byId.get(5)!), '57c39fa4e9ec65a6');
  assert.equal(contentHash(byId.get(417)!), '06e7d8552ce6fb83');
  assert.equal(contentHash(byId.get(110)!), 'f2465e96e1425b42');
  assert.equal(contentHash(byId.get(363)!), '8c4d4038fb7f103f');
  assert.equal(contentHash(byId.get(270)!), '8bced9c3fa19b096');
});

test('path, route and version bits are excluded; TRACE includes the path length byte', () => {
  const flood = '0901DE43BB45A869F43F53B0AF3A2E4F0E0445696FF0F8';
  const otherPath = '0902AABB43BB45A869F43F53B0AF3A2E4F0E0445696FF0F8';
  const direct = '0A0043BB45A869F43F53B0AF3A2E4F0E0445696FF0F8';
  const transport = '08112200000043BB45A869F43F53B0AF3A2E4F0E0445696FF0F8';
  const v3 = 'C90043BB45A869F43F53B0AF3A2E4F0E0445696FF0F8';
  const h = contentHash(flood);
  assert.equal(h, '558ab964e5e5907d');
  for (const x of [otherPath, direct, transport, v3]) assert.equal(contentHash(x), h, x);
  assert.notEqual(contentHash('26020F10BA74E45D000000000027'), contentHash('26010FBA74E45D000000000027'));
});

test('fallback: the first 16 input characters on unparseable input, case kept', () => {
  assert.equal(contentHash('zz'), 'zz');
  assert.equal(contentHash('0A'), '0A');
  assert.equal(contentHash('0A09AABBCCDDEEFF0011'), '0A09AABBCCDDEEFF', 'path past the end');
  assert.equal(contentHash('00112233'), '00112233', 'transport route without a path byte');
  assert.equal(contentHash(Buffer.from([0x0a])), '0a');
  // No MAX_PATH_SIZE check (§8): #465 hashes although the decoder rejects it.
  const r465 = rows.find((r) => r.id === 465)!;
  assert.match(contentHash(r465.raw_hex), /^[0-9a-f]{16}$/);
});
