// Conformance on real traffic: the 499 rows of the CoreScope fixture (spec §11). The fixture's
// decoded_json was written by an older decoder; every category of difference from the current
// output is asserted here with its current expected values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodePacket,
  observationPath,
  payloadJson,
  payloadJsonText,
  toCoreScopeJson,
  type Packet,
} from '../../src/protocol/index.js';
import { fixtureKeyring, fixtureRows } from '../support/fixture.js';

const rows = fixtureRows();
const keyring = fixtureKeyring();
const decoded = new Map<number, Packet>();
for (const r of rows) {
  const res = decodePacket(r.raw_hex, { keyring });
  if (res.ok) decoded.set(r.id, res.packet);
}

const PUBLIC_LOWERCASE_IDS = [78, 179, 262, 283, 310, 336, 356, 358, 416, 481, 487, 496, 498];
const LEGACY_TRACE_IDS = [363, 364, 367, 370, 372, 374, 375, 429];
const LEGACY_CONTROL_IDS = [117, 295, 296, 297];

test('the fixture holds 499 frames', () => {
  assert.equal(rows.length, 499);
});

test('row 465 is rejected: 37 x 2-byte hops = 74 path bytes > 64 (spec §13)', () => {
  const r = rows.find((x) => x.id === 465)!;
  const res = decodePacket(r.raw_hex);
  assert.equal(res.ok, false);
  assert.ok(!res.ok);
  assert.equal(res.error.code, 'path_too_long');
  assert.equal(res.error.offset, 1);
  assert.match(res.error.message, /37 x 2 = 74 bytes exceeds 64/);
  assert.equal(decoded.size, 498);
});

test('header matches route_type/payload_type; version 0 everywhere', () => {
  for (const r of rows) {
    const p = decoded.get(r.id);
    if (!p) continue;
    assert.equal(p.header.routeType, r.route_type, `#${r.id}`);
    assert.equal(p.header.payloadType, r.payload_type, `#${r.id}`);
    assert.equal(p.header.payloadVersion, 0, `#${r.id}`);
  }
});

test('371 rows are byte-exact with the fixture, including key order', () => {
  const exact = rows.filter(
    (r) => decoded.has(r.id) && payloadJsonText(decoded.get(r.id)!) === r.decoded_json,
  );
  assert.equal(exact.length, 371);
  const byType: Record<string, number> = {};
  for (const r of exact)
    byType[decoded.get(r.id)!.payload.type] = (byType[decoded.get(r.id)!.payload.type] ?? 0) + 1;
  assert.deepEqual(byType, {
    REQ: 60,
    RESPONSE: 78,
    TXT_MSG: 44,
    ANON_REQ: 17,
    PATH: 20,
    CHAN: 68,
    GRP_TXT: 84,
  });
});

test('ADVERT (102): current output adds hasFeat1/hasFeat2 and signatureValid; otherwise exact', () => {
  const adverts = rows.filter((r) => r.payload_type === 4);
  assert.equal(adverts.length, 102);
  for (const r of adverts) {
    const p = decoded.get(r.id)!;
    const json = payloadJson(p) as { flags: Record<string, unknown>; signatureValid: boolean };
    // Current values of the two new schema fields.
    assert.equal(json.signatureValid, true, `#${r.id}`);
    assert.equal(json.flags.hasFeat1, false, `#${r.id}`);
    assert.equal(json.flags.hasFeat2, false, `#${r.id}`);
    assert.deepEqual(Object.keys(json.flags), [
      'raw',
      'type',
      'chat',
      'repeater',
      'room',
      'sensor',
      'hasLocation',
      'hasFeat1',
      'hasFeat2',
      'hasName',
    ]);
    // Emulating the older schema gives the fixture text byte for byte.
    const legacy = structuredClone(json) as Record<string, unknown> & { flags: Record<string, unknown> };
    delete legacy.signatureValid;
    delete legacy.flags.hasFeat1;
    delete legacy.flags.hasFeat2;
    assert.equal(JSON.stringify(legacy), r.decoded_json, `#${r.id}`);
    assert.ok(p.payload.type === 'ADVERT' && !('error' in p.payload));
    assert.equal(p.payload.pubKey, r.from_pubkey);
  }
});

test('Public channel (13 rows): "Public" now, "public" in the fixture', () => {
  const lower = rows.filter((r) => r.decoded_json.includes('"channel":"public"')).map((r) => r.id);
  assert.deepEqual(lower, PUBLIC_LOWERCASE_IDS);
  for (const id of PUBLIC_LOWERCASE_IDS) {
    const r = rows.find((x) => x.id === id)!;
    const json = payloadJson(decoded.get(id)!);
    assert.equal(json.channel, 'Public');
    assert.equal(r.channel_hash, 'public');
    assert.equal(JSON.stringify({ ...json, channel: 'public' }), r.decoded_json, `#${id}`);
  }
});

// Current expected output of the 8 legacy TRACE rows (spec §10 gives #363 and #429; the
// others follow the same layout, cross-checked below against the raw bytes).
const TRACE_EXPECTED: Record<number, { path: object; payload: object }> = {
  363: {
    path: { hashSize: 1, hashCount: 1, hops: ['27'], hopsCompleted: 1 },
    payload: { type: 'TRACE', pathData: '27', snrValues: [3.75], tag: 1575253178, traceFlags: 0 },
  },
  364: {
    path: { hashSize: 1, hashCount: 1, hops: ['27'], hopsCompleted: 0 },
    payload: { type: 'TRACE', pathData: '27', tag: 1519436900, traceFlags: 0 },
  },
  367: {
    path: { hashSize: 1, hashCount: 1, hops: ['27'], hopsCompleted: 0 },
    payload: { type: 'TRACE', pathData: '27', tag: 1649105355, traceFlags: 0 },
  },
  370: {
    path: { hashSize: 1, hashCount: 1, hops: ['27'], hopsCompleted: 0 },
    payload: { type: 'TRACE', pathData: '27', tag: 656393047, traceFlags: 0 },
  },
  372: {
    path: { hashSize: 1, hashCount: 1, hops: ['27'], hopsCompleted: 1 },
    payload: { type: 'TRACE', pathData: '27', snrValues: [12], tag: 1821214196, traceFlags: 0 },
  },
  374: {
    path: { hashSize: 1, hashCount: 1, hops: ['27'], hopsCompleted: 0 },
    payload: { type: 'TRACE', pathData: '27', tag: 3974043187, traceFlags: 0 },
  },
  375: {
    path: { hashSize: 1, hashCount: 1, hops: ['27'], hopsCompleted: 0 },
    payload: { type: 'TRACE', pathData: '27', tag: 1630702174, traceFlags: 0 },
  },
  429: {
    path: { hashSize: 1, hashCount: 3, hops: ['3F', '70', '3F'], hopsCompleted: 0 },
    payload: { type: 'TRACE', pathData: '3f703f', tag: 1250134420, traceFlags: 0 },
  },
};

test('TRACE (8 rows): decoded with the 9-byte minimum, where the fixture has legacy shapes', () => {
  const traces = rows.filter((r) => r.payload_type === 9).map((r) => r.id);
  assert.deepEqual(traces, LEGACY_TRACE_IDS);
  for (const id of LEGACY_TRACE_IDS) {
    const r = rows.find((x) => x.id === id)!;
    const p = decoded.get(id)!;
    const full = toCoreScopeJson(p);
    const legacy = JSON.parse(r.decoded_json);
    if (id === 429)
      assert.deepEqual(legacy, { type: 'TRACE', destHash: '000000003f70', srcHash: '3f', tag: 4883337 });
    else assert.deepEqual(Object.keys(legacy), ['type', 'raw', 'error']);
    assert.equal(full.anomaly, undefined, 'all fixture traces are DIRECT');
    const bytes = Buffer.from(r.raw_hex, 'hex').subarray(p.payloadOffset);
    assert.equal(full.payload.tag, bytes.readUInt32LE(0));
    assert.equal(full.payload.authCode, bytes.readUInt32LE(4) || undefined);
    assert.equal(full.payload.pathData, bytes.subarray(9).toString('hex'));
    assert.equal(full.path.hopsCompleted, p.path.hashCount);
    assert.deepEqual(observationPath(p), full.path.hops);
    assert.deepEqual(full.path, TRACE_EXPECTED[id].path, `#${id}`);
    assert.equal(JSON.stringify(full.payload), JSON.stringify(TRACE_EXPECTED[id].payload), `#${id}`);
  }
});

test('CONTROL (4 rows): DISCOVER_RESP now, UNKNOWN in the fixture', () => {
  const controls = rows.filter((r) => r.payload_type === 11).map((r) => r.id);
  assert.deepEqual(controls, LEGACY_CONTROL_IDS);
  for (const id of LEGACY_CONTROL_IDS) {
    const r = rows.find((x) => x.id === id)!;
    const json = payloadJson(decoded.get(id)!);
    const legacy = JSON.parse(r.decoded_json);
    assert.deepEqual(Object.keys(legacy), ['type', 'raw']);
    assert.equal(legacy.type, 'UNKNOWN');
    assert.equal(json.raw, legacy.raw);
    assert.equal(json.ctrlSubtype, 'DISCOVER_RESP');
    assert.equal(json.ctrlLength, 38);
    assert.equal(json.ctrlZeroHop, true);
    assert.equal(json.ctrlPubKey, legacy.raw.slice(12, 76));
  }
  assert.equal(
    JSON.stringify(payloadJson(decoded.get(117)!)),
    JSON.stringify({
      type: 'CONTROL',
      raw: '921875c1e09c7d1d3e1bdaf93de28bb991d9cde997ae9cab2f325cfc94a82b7b0807decd0e77',
      ctrlFlags: '92',
      ctrlZeroHop: true,
      ctrlLength: 38,
      ctrlSubtype: 'DISCOVER_RESP',
      ctrlTag: 2631975285,
      ctrlNodeType: 2,
      ctrlSNR: 24,
      ctrlPubKey: '7d1d3e1bdaf93de28bb991d9cde997ae9cab2f325cfc94a82b7b0807decd0e77',
    }),
  );
  assert.equal(payloadJson(decoded.get(295)!).ctrlSNR, -4, 'int8, raw quarter-dB');
});

test('every difference is one of the documented categories: 371 + 102 + 13 + 8 + 4 + #465 = 499', () => {
  const explained = new Set([...PUBLIC_LOWERCASE_IDS, ...LEGACY_TRACE_IDS, ...LEGACY_CONTROL_IDS, 465]);
  for (const r of rows) {
    if (r.payload_type === 4 || explained.has(r.id)) continue;
    assert.equal(payloadJsonText(decoded.get(r.id)!), r.decoded_json, `#${r.id}`);
  }
});

test('path hops: hops.length == hashCount, sizes 1/2/3 = 461/37/1 (incl. #465)', () => {
  const sizes: Record<number, number> = {};
  for (const r of rows) {
    const pb = Buffer.from(r.raw_hex.slice(2, 4), 'hex')[0];
    sizes[(pb >> 6) + 1] = (sizes[(pb >> 6) + 1] ?? 0) + 1;
    const p = decoded.get(r.id);
    if (!p) continue;
    assert.equal(p.path.hops.length, p.path.hashCount);
    for (const h of p.path.hops) assert.match(h, new RegExp(`^[0-9A-F]{${2 * p.path.hashSize}}$`));
  }
  assert.deepEqual(sizes, { 1: 461, 2: 37, 3: 1 });
});

test('full decode object: zero-hop direct quirk and uppercase raw (spec §9, §10 #5)', () => {
  const full = toCoreScopeJson(decoded.get(5)!);
  assert.deepEqual(full.path, { hashSize: 0, hashCount: 0, hops: [] });
  assert.equal(full.transportCodes, null);
  assert.equal(full.raw, '0200331F69B5655CEBC5BE734C0010D680C6E0BC7439');
  assert.deepEqual(Object.keys(full), ['header', 'transportCodes', 'path', 'payload', 'raw']);
});
