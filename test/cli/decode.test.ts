// `meshlens decode`: JSON in CoreScope's shape, --pretty offsets, exit 2 with the reason code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { runDecode } from '../../src/cli/decode.js';

function run(argv: string[]) {
  let out = '';
  let err = '';
  const code = runDecode(argv, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

const TEST_CHANNEL = '150185D975F35D5A2D1F8102F2D6A9E2F69CCE0B55CBE2EC90B1E220ACE785A6098F1A60880B';
const ADVERT =
  '11427d1d1f5d300ddc9e145dbe6cb4d6c2d93c74e9f862f5e247783f64ef89a4732e68dd473c4c62c9697f70e27d27e4a0d3f001c4032a262c390f868b2c7df763b2171969f29dde33a01785f01b6e37e7a1d7ba39735cb6013ad3a7f00c76ae84623ef286f99c3ee60292ec9f3e02c688b9f852352d443420333030442052616b';

test('JSON output: decoded, hash, signatureValid for adverts', () => {
  const r = run([ADVERT]);
  assert.equal(r.code, 0);
  const j = JSON.parse(r.out);
  assert.deepEqual(Object.keys(j), ['decoded', 'hash', 'signatureValid']);
  assert.equal(j.hash, '09f282f70cc1ff60');
  assert.equal(j.signatureValid, true);
  assert.deepEqual(j.decoded.path, { hashSize: 2, hashCount: 2, hops: ['7D1D', '1F5D'] });
  assert.equal(j.decoded.payload.name, 'R5-D4 300D Rak');
});

test('only the Public key and the given keys are tried', () => {
  const without = JSON.parse(run([TEST_CHANNEL]).out);
  assert.equal(without.decoded.payload.decryptionStatus, 'decryption_failed');
  assert.equal('signatureValid' in without, false);
  const byName = JSON.parse(run([TEST_CHANNEL, '--channel', '#test']).out);
  assert.equal(byName.decoded.payload.text, 'derekivey: !path');
  const byKey = JSON.parse(run(['--key', '9cd8fcf22a47333b591d96a2b848b73f', TEST_CHANNEL]).out);
  assert.equal(byKey.decoded.payload.sender, 'derekivey');
});

test('--pretty shows fields with byte offsets', () => {
  const r = run([TEST_CHANNEL, '--channel', 'test', '--pretty']);
  assert.equal(r.code, 0);
  assert.match(r.out, /^frame 38 bytes, content hash 8bced9c3fa19b096$/m);
  assert.match(r.out, /^\[0\]\s+15\s+header: route FLOOD \(1\), payload GRP_TXT \(5\), version 0$/m);
  assert.match(r.out, /^\[2\]\s+85\s+path hops: 85$/m);
  assert.match(r.out, /^\[4\.\.5\]\s+75F3\s+mac$/m);
  assert.match(r.out, /^ {2}text: "derekivey: !path"$/m);
});

test('bad input exits 2 with one line naming the reason code', () => {
  for (const [hex, code] of [
    ['zz', 'invalid_hex'],
    ['11', 'too_short'],
    ['11C000', 'bad_path_encoding'],
    ['1165' + '00'.repeat(80), 'path_too_long'],
  ]) {
    const r = run([hex]);
    assert.equal(r.code, 2);
    assert.equal(r.out, '');
    assert.equal(r.err.split('\n').length, 2, r.err);
    assert.ok(r.err.startsWith(`meshlens decode: ${code}: `), r.err);
  }
  assert.equal(run([]).code, 2);
  assert.equal(run(['--key', 'xyz', ADVERT]).code, 2);
  assert.equal(run(['--bogus', ADVERT]).code, 2);
});

test('--help documents the key policy', () => {
  const r = run(['--help']);
  assert.equal(r.code, 0);
  assert.match(r.out, /only the well-known Public key plus the keys given here/);
});

test('the installed command runs end to end', () => {
  const r = spawnSync(process.execPath, ['bin/meshlens.js', 'decode', '1165AA'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^meshlens decode: path_too_long: /);
});
