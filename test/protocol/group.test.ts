// Channel decryption on the fixture (spec §6, §11): with the Public key and the 297 named
// keys, 81/81 decrypt to the recorded sender, text and timestamp; the other 84 do not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ChannelKeyring,
  decodePacket,
  encryptThenMac,
  hashtagKey,
  PUBLIC_CHANNEL_KEY,
  channelHashByte,
} from '../../src/protocol/index.js';
import { parseGroupText } from '../../src/protocol/payloads/group.js';
import { fixtureKeyring, fixtureRows } from '../support/fixture.js';

const rows = fixtureRows().filter((r) => r.payload_type === 5 && r.id !== 465);
const keyring = fixtureKeyring();

test('81/81 recorded decryptions reproduce sender, text, timestamp and channel', () => {
  const recorded = rows.filter((r) => JSON.parse(r.decoded_json).type === 'CHAN');
  assert.equal(recorded.length, 81);
  for (const r of recorded) {
    const want = JSON.parse(r.decoded_json);
    const res = decodePacket(r.raw_hex, { keyring });
    assert.ok(res.ok);
    const p = res.packet.payload;
    assert.equal(p.type, 'CHAN', `#${r.id}`);
    assert.ok(p.type === 'CHAN');
    assert.equal(p.text, want.text, `#${r.id}`);
    assert.equal(p.sender, want.sender, `#${r.id}`);
    assert.equal(p.sender_timestamp, want.sender_timestamp, `#${r.id}`);
    assert.equal(p.channel, want.channel === 'public' ? 'Public' : want.channel, `#${r.id}`);
    assert.equal(p.channelHash, want.channelHash ?? 0);
  }
});

test('the other 84 report decryption_failed with the keyring, no_key without one', () => {
  const failed = rows.filter((r) => JSON.parse(r.decoded_json).type === 'GRP_TXT');
  assert.equal(failed.length, 84);
  for (const r of failed) {
    const withKeys = decodePacket(r.raw_hex, { keyring });
    const without = decodePacket(r.raw_hex);
    assert.ok(withKeys.ok && without.ok);
    assert.equal(withKeys.packet.payload.type, 'GRP_TXT');
    assert.ok(!('error' in withKeys.packet.payload) && withKeys.packet.payload.type === 'GRP_TXT');
    assert.ok(!('error' in without.packet.payload) && without.packet.payload.type === 'GRP_TXT');
    assert.equal(withKeys.packet.payload.decryptionStatus, 'decryption_failed', `#${r.id}`);
    assert.equal(without.packet.payload.decryptionStatus, 'no_key');
  }
});

test('only the Public key decrypts only the Public rows', () => {
  const publicOnly = ChannelKeyring.create();
  const n = rows.filter((r) => {
    const res = decodePacket(r.raw_hex, { keyring: publicOnly });
    return res.ok && res.packet.payload.type === 'CHAN';
  }).length;
  assert.equal(n, 13);
});

test('hashtag keys are SHA-256("#name")[0..16], Public hash is 0x11 (spec §6.1)', () => {
  assert.equal(Buffer.from(hashtagKey('#test')).toString('hex'), '9cd8fcf22a47333b591d96a2b848b73f');
  assert.equal(Buffer.from(hashtagKey('test')).toString('hex'), '9cd8fcf22a47333b591d96a2b848b73f');
  assert.notEqual(Buffer.from(hashtagKey('#Test')).toString('hex'), '9cd8fcf22a47333b591d96a2b848b73f');
  assert.equal(channelHashByte(PUBLIC_CHANNEL_KEY), 0x11);
  assert.equal(channelHashByte(hashtagKey('#test')), 0xd9);
});

test('keyring: every fixture hashtag key equals its derived key; candidates filtered by hash', () => {
  for (const k of keyring.keys()) {
    if (k.name === 'Public') continue;
    assert.deepEqual(Buffer.from(k.secret), Buffer.from(hashtagKey(k.name)), k.name);
    assert.ok(keyring.candidates(k.hash).includes(k));
  }
  assert.equal(keyring.size, 297); // Public appears twice (built-in + file) but is one secret
  assert.throws(() => ChannelKeyring.create({ hexKeys: ['abc'] }), RangeError);
});

test('round trip: encryptThenMac, then decode as GRP_TXT with a hashtag or a 32-byte secret', () => {
  for (const secret of [hashtagKey('#meshlens'), Buffer.alloc(32, 7)]) {
    const plain = Buffer.concat([Buffer.from([0x80, 0xa3, 0xc9, 0x69, 0]), Buffer.from('bob: hi there')]);
    const body = encryptThenMac(secret, plain);
    const frame = Buffer.concat([Buffer.from([0x15, 0x00, channelHashByte(secret)]), body]);
    const ring = ChannelKeyring.create({ public: false }).add('#meshlens', secret);
    const res = decodePacket(frame, { keyring: ring });
    assert.ok(res.ok && res.packet.payload.type === 'CHAN');
    assert.equal(res.packet.payload.text, 'bob: hi there');
    assert.equal(res.packet.payload.sender, 'bob');
    assert.equal(res.packet.payload.message, 'hi there');
    assert.equal(res.packet.payload.sender_timestamp, 0x69c9a380);
    // A flipped MAC byte fails before decryption.
    frame[3] ^= 1;
    const bad = decodePacket(frame, { keyring: ring });
    assert.ok(bad.ok && bad.packet.payload.type === 'GRP_TXT' && !('error' in bad.packet.payload));
    assert.equal(bad.packet.payload.decryptionStatus, 'decryption_failed');
    assert.equal(bad.packet.payload.candidateKeys, 1);
  }
});

test('group text rules: sender split by byte index, garbage rejected (spec §6.3)', () => {
  const pt = (s: string | Buffer) =>
    Buffer.concat([Buffer.from([1, 0, 0, 0, 0]), Buffer.from(s), Buffer.alloc(3)]);
  assert.deepEqual(parseGroupText(pt('alice: hi')), {
    senderTimestamp: 1,
    text: 'alice: hi',
    sender: 'alice',
    message: 'hi',
  });
  assert.deepEqual(parseGroupText(pt('[x]: hi')), {
    senderTimestamp: 1,
    text: '[x]: hi',
    message: '[x]: hi',
  });
  assert.deepEqual(parseGroupText(pt(': hi')), { senderTimestamp: 1, text: ': hi', message: ': hi' });
  assert.equal(parseGroupText(pt('a'.repeat(50) + ': x'))?.sender, undefined);
  assert.equal(parseGroupText(pt('a'.repeat(49) + ': x'))?.sender, 'a'.repeat(49));
  assert.equal(parseGroupText(pt(Buffer.from([0x41, 1, 2, 3]))), null, '3 control chars');
  assert.equal(parseGroupText(pt(Buffer.from([0x41, 1, 2, 0x0a, 0x09])))?.text, 'A\x01\x02\n\t');
  assert.equal(parseGroupText(pt(Buffer.from([0x41, 0xff]))), null, 'invalid UTF-8');
  assert.equal(parseGroupText(Buffer.from([1, 2, 3, 4])), null);
});
