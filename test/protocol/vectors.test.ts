// Worked examples and synthetic vectors of spec §10, and the §13 malformed-input rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ChannelKeyring,
  decodePacket,
  payloadJsonText,
  toCoreScopeJson,
  type DecodeErrorCode,
} from '../../src/protocol/index.js';

const publicRing = ChannelKeyring.create();

function decode(hex: string) {
  const res = decodePacket(hex, { keyring: publicRing });
  assert.ok(res.ok, hex);
  return res.packet;
}

test('TRANSPORT_FLOOD GRP_TXT: transport codes, 2-byte hop, Public decryption', () => {
  const p = decode('140DEC000041ABCD114C23FD74BD8A177F41CFD42CBB45B3E9CD175BE4E2761C62B2464FD9DDF422CD3FD3');
  const j = toCoreScopeJson(p);
  assert.deepEqual(p.transportCodes, { code1: 0xec0d, code2: 0 });
  assert.deepEqual(j.transportCodes, { code1: '0DEC', code2: '0000' });
  assert.deepEqual(j.path, { hashSize: 2, hashCount: 1, hops: ['ABCD'] });
  assert.equal(
    JSON.stringify(j.payload),
    '{"type":"CHAN","channelHash":17,"channelHashHex":"11","decryptionStatus":"decrypted","channel":"Public","text":"alice: hello mesh","sender":"alice","sender_timestamp":1774800000}',
  );
  assert.equal(p.hash, '04755d11d7c0ddce');
});

test('ACK, FLOOD, extended', () => {
  const p = decode('0D017FEFBEADDE029C');
  assert.equal(
    payloadJsonText(p),
    '{"type":"ACK","extraHash":"deadbeef","ackLen":6,"ackAttempt":2,"ackRand":156}',
  );
  assert.equal(p.hash, '8a14e55f0a497b0f');
  assert.equal(payloadJsonText(decode('0D00EFBEADDE')), '{"type":"ACK","extraHash":"deadbeef","ackLen":4}');
  assert.equal(payloadJsonText(decode('0D00EFBEAD')), '{"type":"ACK","raw":"efbead","error":"too short"}');
});

test('MULTIPART ACK, DIRECT', () => {
  const p = decode('2A013313EFBEADDE01');
  assert.equal(
    payloadJsonText(p),
    '{"type":"MULTIPART","remaining":1,"innerType":3,"innerTypeName":"ACK","innerAckCrc":"deadbeef","innerAckLen":5,"innerAckAttempt":1}',
  );
  assert.equal(
    payloadJsonText(decode('2A0025AABB')),
    '{"type":"MULTIPART","remaining":2,"innerType":5,"innerTypeName":"GRP_TXT","innerPayload":"aabb"}',
  );
  assert.equal(
    payloadJsonText(decode('2A000D')),
    '{"type":"MULTIPART","remaining":0,"innerType":13,"innerTypeName":"UNKNOWN"}',
  );
});

test('GRP_DATA, Public', () => {
  assert.equal(
    payloadJsonText(decode('19001178D3C2DC139517B4C154D2EF68685F456191')),
    '{"type":"GRP_DATA","channelHash":17,"channelHashHex":"11","decryptionStatus":"decrypted","channel":"Public","dataType":65535,"dataLen":3,"decryptedBlob":"010203"}',
  );
});

test('RAW_CUSTOM and reserved types', () => {
  assert.equal(
    payloadJsonText(decode('3E00C0FFEE')),
    '{"type":"RAW_CUSTOM","raw":"c0ffee","rawLength":3,"firstByteTag":"C0"}',
  );
  assert.equal(payloadJsonText(decode('3E00')), '{"type":"RAW_CUSTOM","rawLength":0}');
  const u = decode('3100ABCD');
  assert.equal(u.header.payloadTypeName, 'UNKNOWN');
  assert.equal(payloadJsonText(u), '{"type":"UNKNOWN","raw":"abcd"}');
  assert.equal(payloadJsonText(decode('3100')), '{"type":"UNKNOWN"}');
});

test('CONTROL DISCOVER_REQ: ctrlSince 0 is emitted (pointer field)', () => {
  assert.equal(
    payloadJsonText(decode('2E0080047856341200000000')),
    '{"type":"CONTROL","raw":"80047856341200000000","ctrlFlags":"80","ctrlZeroHop":true,"ctrlLength":10,"ctrlSubtype":"DISCOVER_REQ","ctrlFilter":4,"ctrlTag":305419896,"ctrlSince":0}',
  );
});

test('worked examples: RESPONSE 2-byte hops (#417), PATH 3-byte hops (#359), TXT_MSG (#38)', () => {
  const r = decode('05421000' + '3AACC184A96EDC7782B7BC3C1184F6516B3A968F892A');
  assert.deepEqual(r.path.hops, ['1000', '3AAC']);
  assert.equal(r.hash, '06e7d8552ce6fb83');
  const p = decode('2187831F4D16B5DB74ACC889A182C8463B7D1D3E1F5DD39A7816E0401f501aff00e25f3c17');
  assert.deepEqual(p.path.hops, ['831F4D', '16B5DB', '74ACC8', '89A182', 'C8463B', '7D1D3E', '1F5DD3']);
  assert.equal(
    payloadJsonText(p),
    '{"type":"PATH","destHash":"9a","srcHash":"78","mac":"16e0","pathData":"401f501aff00e25f3c17"}',
  );
  assert.equal(p.hash, '265920d4d690083a');
  const t = decode('0901DE43BB45A869F43F53B0AF3A2E4F0E0445696FF0F8');
  assert.equal(
    payloadJsonText(t),
    '{"type":"TXT_MSG","destHash":"43","srcHash":"bb","mac":"45a8","encryptedData":"69f43f53b0af3a2e4f0e0445696ff0f8"}',
  );
});

test('TRACE: FLOOD anomaly, too short anomaly, empty route keeps header bytes as hops', () => {
  const flood = decode('25010FBA74E45D000000000027');
  assert.equal(flood.anomaly, 'TRACE packet with non-DIRECT routing (expected DIRECT or TRANSPORT_DIRECT)');
  const short = decode('2600BA74E45D00');
  assert.equal(short.anomaly, 'TRACE payload decode failed: too short');
  assert.equal(payloadJsonText(short), '{"type":"TRACE","raw":"ba74e45d00","error":"too short"}');
  const empty = toCoreScopeJson(decode('26020F10BA74E45D0100000001'));
  assert.deepEqual(empty.path, { hashSize: 1, hashCount: 2, hops: ['0F', '10'] });
  assert.equal(
    JSON.stringify(empty.payload),
    '{"type":"TRACE","tag":1575253178,"authCode":1,"traceFlags":1}',
  );
  const wide = toCoreScopeJson(decode('2601F4BA74E45D0000000001AABBCCDDEE'));
  assert.deepEqual(wide.path, { hashSize: 2, hashCount: 2, hops: ['AABB', 'CCDD'], hopsCompleted: 1 });
  assert.deepEqual(wide.payload.snrValues, [-3]);
});

test('ADVERT rules: no app data, short location, telemetry, name cut at NUL and 32 bytes', () => {
  const base = 'aa'.repeat(32) + '00000000' + 'bb'.repeat(64);
  const bare = decode('1100' + base);
  assert.equal(
    payloadJsonText(bare),
    `{"type":"ADVERT","pubKey":"${'aa'.repeat(32)}","timestampISO":"1970-01-01T00:00:00.000Z","signature":"${'bb'.repeat(64)}","signatureValid":false}`,
  );
  assert.equal(decode('1100' + base.slice(0, -2)).payload.type, 'ADVERT');
  assert.equal(payloadJsonText(decode('1100' + base.slice(0, -2))).includes('too short for advert'), true);
  // Location flag with too few bytes: skipped, the name starts at app-data offset 1.
  const shortLoc = decode('1100' + base + '92' + Buffer.from('Rpt').toString('hex'));
  assert.ok(shortLoc.payload.type === 'ADVERT' && !('error' in shortLoc.payload));
  assert.equal(shortLoc.payload.lat, undefined);
  assert.equal(shortLoc.payload.name, 'Rpt');
  // Sensor with name, NUL, then battery 3700 mV and 21.5 °C.
  const sensor = decode('1100' + base + '84' + Buffer.from('s1').toString('hex') + '00' + '740e' + '6608');
  assert.ok(sensor.payload.type === 'ADVERT' && !('error' in sensor.payload));
  assert.equal(sensor.payload.role, 'sensor');
  assert.equal(sensor.payload.battery_mv, 3700);
  assert.equal(sensor.payload.temperature_c, 21.5);
  // Feat fields and a name longer than 32 bytes whose cut splits a 4-byte emoji.
  const name = 'a'.repeat(30) + '🏔';
  const feat = decode('1100' + base + 'E1' + '0100' + '0200' + Buffer.from(name).toString('hex'));
  assert.ok(feat.payload.type === 'ADVERT' && !('error' in feat.payload));
  assert.equal(feat.payload.feat1, 1);
  assert.equal(feat.payload.feat2, 2);
  assert.equal(feat.payload.name, 'a'.repeat(30) + '\ufffd\ufffd');
  assert.equal(feat.payload.role, 'companion');
});

const MALFORMED: [string, DecodeErrorCode, number][] = [
  ['0g00', 'invalid_hex', 1],
  ['010', 'invalid_hex', 3],
  ['', 'too_short', 0],
  ['11', 'too_short', 1],
  ['001122', 'transport_truncated', 1],
  ['0011223344', 'missing_path_length', 5],
  ['11C0', 'bad_path_encoding', 1],
  ['11FF00', 'bad_path_encoding', 1],
  ['11BF' + '00'.repeat(100), 'path_too_long', 1],
  ['1165' + '00'.repeat(100), 'path_too_long', 1],
  ['1105AABB', 'path_truncated', 2],
  ['1100' + '00'.repeat(185), 'payload_too_long', 2],
];

test('malformed frames: one stable code per §13 rule, with the offset', () => {
  for (const [hex, code, offset] of MALFORMED) {
    const res = decodePacket(hex);
    assert.ok(!res.ok, hex);
    assert.equal(res.error.code, code, hex);
    assert.equal(res.error.offset, offset, hex);
    assert.ok(res.error.message.length > 10, res.error.message);
  }
  assert.ok(decodePacket('1100' + '00'.repeat(184)).ok, '184 payload bytes are allowed');
  assert.ok(decodePacket('11 00\r\n0102 03').ok, 'spaces, CR and LF are stripped');
  assert.ok(decodePacket('1140' + '00'.repeat(4)).ok, 'zero hops with 2-byte size is valid');
});

test('payload-level problems are not errors: empty payloads, version 3', () => {
  assert.equal(payloadJsonText(decode('0200')), '{"type":"REQ","error":"too short"}');
  assert.equal(payloadJsonText(decode('1D00')), '{"type":"ANON_REQ","error":"too short"}');
  assert.equal(payloadJsonText(decode('1500AB')), '{"type":"GRP_TXT","raw":"ab","error":"too short"}');
  const v3 = decode('C200331F69B5655CEBC5BE734C0010D680C6E0BC7439');
  assert.equal(v3.header.payloadVersion, 3);
  assert.equal(v3.payload.type, 'REQ');
});
