// frameLayout (issue 11 packet detail): on every fixture frame the fields are contiguous, cover
// every byte, and their values agree with the decoder's JSON; on random and cut frames it never
// throws, never overlaps or runs past the end, and marks what is truncated or malformed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodePacket, toCoreScopeJson } from '../../src/protocol/index.js';
import { frameLayout, type FrameLayout, type LayoutField } from '../../src/protocol/frame-layout.js';
import { fixtureKeyring, fixtureRows } from '../support/fixture.js';

const rows = fixtureRows();
const keyring = fixtureKeyring();
const bytes = (hex: string) => Buffer.from(hex, 'hex');

/** Contiguous from 0, no empty field, lengths sum to the frame length. */
function assertCovers(l: FrameLayout, len: number, what: string): void {
  assert.equal(l.length, len, what);
  let off = 0;
  for (const f of l.fields) {
    assert.equal(f.offset, off, `${what}: ${f.key} starts where the previous field ends`);
    assert.ok(f.length > 0, `${what}: ${f.key} is not empty`);
    off += f.length;
  }
  assert.equal(off, len, `${what}: fields cover every byte`);
}

const byKey = (l: FrameLayout, key: string): LayoutField | undefined => l.fields.find((f) => f.key === key);
const hexOf = (raw: Buffer, f: LayoutField) => raw.toString('hex', f.offset, f.offset + f.length);

test('every fixture frame: contiguous fields covering every byte', () => {
  for (const r of rows)
    assertCovers(frameLayout(bytes(r.raw_hex), { keyring }), r.raw_hex.length / 2, `row ${r.id}`);
});

test('header, transport codes and path agree with the decoder JSON on every decodable fixture frame', () => {
  let checked = 0;
  for (const r of rows) {
    const raw = bytes(r.raw_hex);
    const res = decodePacket(raw, { keyring });
    if (!res.ok) continue;
    const json = toCoreScopeJson(res.packet);
    const l = frameLayout(raw, { keyring });
    assert.equal(l.error, undefined);
    const bits = byKey(l, 'header')!.bits!;
    assert.deepEqual(
      bits.map((b) => b.value),
      [json.header.routeType, json.header.payloadType, json.header.payloadVersion],
    );
    assert.equal(bits[1].label, json.header.payloadTypeName);
    if (json.transportCodes) {
      assert.equal(byKey(l, 'transport_code1')!.value, json.transportCodes.code1);
      assert.equal(byKey(l, 'transport_code2')!.value, json.transportCodes.code2);
    } else assert.equal(byKey(l, 'transport_code1'), undefined);
    const hops = l.fields.filter((f) => /^path_\d+$/.test(f.key));
    assert.equal(hops.length, res.packet.path.hashCount, `row ${r.id} hop count`);
    if (json.header.payloadTypeName !== 'TRACE') {
      assert.deepEqual(
        hops.map((h) => h.value),
        json.path.hops,
      );
    } else {
      const route = l.fields.filter((f) => /^route_\d+$/.test(f.key)).map((f) => f.value);
      if (json.path.hopsCompleted !== undefined) assert.deepEqual(route, json.path.hops);
    }
    checked++;
  }
  assert.equal(checked, 498);
});

test('payload fields agree with the decoder JSON (ADVERT, GRP_TXT/CHAN, peer types, ACK)', () => {
  const seen = new Set<string>();
  for (const r of rows) {
    const raw = bytes(r.raw_hex);
    const res = decodePacket(raw, { keyring });
    if (!res.ok) continue;
    const p = toCoreScopeJson(res.packet).payload as Record<string, unknown>;
    const l = frameLayout(raw, { keyring });
    const val = (k: string) => byKey(l, k)?.value;
    if ('error' in p) {
      assert.ok(l.payloadError, `row ${r.id}: too-short payload is reported`);
      continue;
    }
    seen.add(String(p.type));
    if (p.type === 'ADVERT') {
      assert.equal(val('pubkey'), p.pubKey);
      assert.equal(val('timestamp'), String(p.timestamp));
      assert.equal(val('signature'), p.signature);
      assert.equal(l.signature, p.signatureValid ? 'verified' : 'invalid');
      if (p.name !== undefined) assert.equal(val('name'), p.name);
      if (p.lat !== undefined) assert.equal(val('lat'), String(p.lat));
      if (p.lon !== undefined) assert.equal(val('lon'), String(p.lon));
    } else if (p.type === 'CHAN' || p.type === 'GRP_TXT' || p.type === 'GRP_DATA') {
      assert.equal(val('channel_hash'), p.channelHashHex);
      if (p.mac !== undefined) assert.equal(val('mac'), p.mac);
      if (p.encryptedData !== undefined) assert.equal(val('ciphertext'), p.encryptedData);
      if (p.type === 'CHAN') {
        assert.equal(l.decrypted?.text, p.text);
        assert.match(byKey(l, 'ciphertext')!.description, /decrypted with/);
      }
    } else if (p.type === 'REQ' || p.type === 'RESPONSE' || p.type === 'TXT_MSG' || p.type === 'PATH') {
      assert.equal(val('dest_hash'), p.destHash);
      assert.equal(val('src_hash'), p.srcHash);
      assert.equal(val('mac'), p.mac);
    } else if (p.type === 'ACK') {
      assert.equal(val('ack_crc'), p.extraHash);
    }
  }
  for (const t of ['ADVERT', 'CHAN', 'TXT_MSG']) assert.ok(seen.has(t), `fixture has ${t}`);
});

test('row 465 (path_too_long): path length byte marked malformed, the rest shown as not decoded', () => {
  const r = rows.find((x) => x.id === 465)!;
  const l = frameLayout(bytes(r.raw_hex));
  assert.equal(l.error?.code, 'path_too_long');
  assert.equal(byKey(l, 'path_length')!.status, 'malformed');
  assert.equal(l.fields.at(-1)!.key, 'unparsed');
  assert.equal(l.fields.at(-1)!.status, 'malformed');
  assertCovers(l, r.raw_hex.length / 2, 'row 465');
});

test('truncations: transport codes, path, ADVERT payload', () => {
  // TRANSPORT_FLOOD (route 0) ADVERT with only 2 of the 4 transport bytes.
  let l = frameLayout(Buffer.from([0x10, 0xaa, 0xbb]));
  assert.equal(l.error?.code, 'transport_truncated');
  assert.deepEqual(
    l.fields.map((f) => [f.key, f.status]),
    [
      ['header', 'ok'],
      ['transport', 'truncated'],
    ],
  );
  // FLOOD, 3 one-byte hops promised, 2 present: the length byte is the field at fault.
  l = frameLayout(Buffer.from([0x15, 0x03, 0x01, 0x02]));
  assert.equal(l.error?.code, 'path_truncated');
  assert.equal(byKey(l, 'path_length')!.status, 'truncated');
  // FLOOD ADVERT with a 10-byte payload: stored, not decoded.
  l = frameLayout(Buffer.concat([Buffer.from([0x11, 0x00]), Buffer.alloc(10, 7)]));
  assert.equal(l.error, undefined);
  assert.match(l.payloadError!, /ADVERT payload too short: 10 bytes, need 100/);
  assert.deepEqual(l.fields.map((f) => [f.key, f.offset, f.length, f.status]).at(-1), [
    'payload',
    2,
    10,
    'truncated',
  ]);
  // An ADVERT of a fixture row cut inside its name: the name field ends at the frame end.
  const advert = frameLayout(bytes(rows.find((x) => x.id === 105)!.raw_hex));
  assert.equal(byKey(advert, 'name')!.value, 'KO6DYK RPT 01');
  assert.equal(
    hexOf(bytes(rows.find((x) => x.id === 105)!.raw_hex), byKey(advert, 'name')!),
    Buffer.from('KO6DYK RPT 01').toString('hex'),
  );
});

function checkInvariants(buf: Uint8Array): void {
  const l = frameLayout(buf, { keyring });
  let off = 0;
  for (const f of l.fields) {
    assert.equal(f.offset, off);
    assert.ok(f.length > 0 && f.offset + f.length <= buf.length);
    off += f.length;
  }
  assert.equal(off, buf.length);
  const res = decodePacket(buf, { keyring });
  if (!res.ok && buf.length >= 2) {
    assert.equal(l.error?.code, res.error.code);
    // Marked on a field, or (nothing left to mark) the error points at the frame's end.
    assert.ok(
      l.fields.some((f) => f.status === 'truncated' || f.status === 'malformed') ||
        l.error?.offset === buf.length,
      `frame-level error ${res.error.code} is marked`,
    );
  }
  if (res.ok && 'error' in res.packet.payload && /too short/.test(String(res.packet.payload.error)))
    assert.ok(l.payloadError);
}

test('property: random byte strings never throw, fields tile the frame, errors are marked', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 0, maxLength: 260 }), (buf) => checkInvariants(buf)),
    { numRuns: 3000, seed: 11 },
  );
});

test('property: every prefix of fixture frames keeps the invariants (truncation marked)', () => {
  const frames = rows.filter((_, i) => i % 7 === 0).map((r) => bytes(r.raw_hex));
  fc.assert(
    fc.property(fc.constantFrom(...frames), fc.nat(), (frame, n) =>
      checkInvariants(frame.subarray(0, n % (frame.length + 1))),
    ),
    { numRuns: 2000, seed: 7 },
  );
});
