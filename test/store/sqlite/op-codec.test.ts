import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeOps, encodeOp } from '../../../src/store/sqlite/op-codec.js';
import type { WriteOp } from '../../../src/store/sqlite/operations.js';

const ops: WriteOp[] = [
  {
    kind: 'insertTransmission',
    tx: {
      id: 7,
      rawHex: '1500AB',
      hash: 'abcdef0123456789',
      firstSeenMs: 1_700_000_000_123,
      lastSeenMs: 1_700_000_000_456,
      routeType: 1,
      payloadType: 5,
      payloadVersion: 0,
      decodedJson: '{"type":"GRP_TXT","text":"a \\"quoted\\" text"}',
      fromPubkey: null,
      channelHash: 'enc_AB',
      scopeName: null,
    },
  },
  {
    kind: 'insertObservation',
    obs: {
      id: 9,
      transmissionId: 7,
      observerId: 'AA'.repeat(32),
      direction: 'rx',
      snr: -7.25,
      rssi: -101,
      score: null,
      path: ['A1', 'B2'],
      rxMs: 1_700_000_000_456,
      uploaderMs: null,
    },
  },
  { kind: 'raiseTransmissionLastSeen', id: 7, ms: 1_700_000_001_000 },
  { kind: 'lowerTransmissionFirstSeen', id: 7, ms: 1_699_000_000_000 },
  { kind: 'fillObservationSignal', fill: { observationId: 9, snr: 1.5, rssi: null, score: 3 } },
  {
    kind: 'upsertNode',
    node: {
      publicKey: 'ab'.repeat(32),
      name: 'Node é',
      role: 'repeater',
      lat: 47.5,
      lon: -122.25,
      seenMs: 5,
      isNewAdvert: true,
      batteryMv: null,
      temperatureC: 21.5,
      foreign: true,
      defaultScope: '#west',
    },
  },
  { kind: 'upsertObserverPacket', observer: { id: 'CC'.repeat(32), name: null, iata: 'SEA', seenMs: 6 } },
  {
    kind: 'upsertObserverStatus',
    observer: {
      id: 'CC'.repeat(32),
      name: 'obs',
      iata: null,
      seenMs: 8,
      model: 'm',
      firmware: 'f',
      clientVersion: null,
      radio: '910.525,62.5,7,5',
      batteryMv: 4100,
      uptimeSecs: 99,
      noiseFloor: -110,
    },
  },
  {
    kind: 'insertObserverMetrics',
    sample: {
      observerId: 'CC'.repeat(32),
      atMs: 10,
      noiseFloor: null,
      txAirSecs: 1,
      rxAirSecs: 2,
      recvErrors: 0,
      batteryMv: null,
      packetsSent: 3,
      packetsRecv: 4,
      uptimeSecs: 7,
    },
  },
  {
    kind: 'recordDroppedPacket',
    dropped: {
      reason: 'invalid_raw',
      hash: null,
      rawHex: 'ZZ',
      observerId: null,
      observerName: null,
      nodePubkey: null,
      nodeName: null,
      droppedAtMs: 11,
    },
  },
];

test('every operation kind survives encode -> structured clone -> decode unchanged, in order', () => {
  const flat: unknown[] = [];
  for (const op of ops) encodeOp(flat, op);
  assert.ok(flat.every((v) => v === null || typeof v !== 'object' || Array.isArray(v)));
  assert.deepEqual(decodeOps(structuredClone(flat)), ops);
});

test('an unknown operation code is an error, not a silent skip', () => {
  assert.throws(() => decodeOps([99, 1, 2]), /unknown operation code 99/);
});
