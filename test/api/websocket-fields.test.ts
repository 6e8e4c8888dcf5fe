// The live feed's message fields (spec ingest-store-api §5): TRACE messages carry the header's
// hop count as decoded.path.hopsCompleted; resolved_path maps each hop through the resolver
// (null where ambiguous); timestamp is the transmission's first-seen time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { packetMessageData } from '../../src/api/websocket.js';
import type { ObservationEvent } from '../../src/ingest/pipeline.js';
import { decodePacket } from '../../src/protocol/index.js';
import { observationRecord } from '../support/store-builders.js';

const FIRST = Date.parse('2026-05-17T12:00:00Z');

function event(rawHex: string, path: string[]): ObservationEvent {
  const r = decodePacket(rawHex);
  assert.ok(r.ok);
  return {
    packet: r.packet,
    hash: r.packet.hash,
    transmissionId: 7,
    firstSeenMs: FIRST,
    decodedJson: null,
    observation: observationRecord(70, 7, 'AB'.repeat(32), FIRST + 4000, { path }),
    observerName: 'obs',
    region: 'SJC',
    observationCount: 2,
    isNewTransmission: false,
  };
}

test('TRACE: decoded.path carries hopsCompleted (header hop count) and the payload route', () => {
  // Spec packet-format §11 #363: DIRECT TRACE, one SNR byte, route ["27"].
  const one = packetMessageData(event('26010FBA74E45D000000000027', ['27']));
  assert.deepEqual(one.decoded, {
    header: { payloadTypeName: 'TRACE' },
    payload: (one.decoded as any).payload,
    path: { hashSize: 1, hashCount: 1, hops: ['27'], hopsCompleted: 1 },
  });
  // #429: no SNR byte yet, route there and back.
  const zero = packetMessageData(event('26009489834A00000000003F703F', ['3F', '70', '3F']));
  assert.equal((zero.decoded as any).path.hopsCompleted, 0);
  assert.deepEqual((zero.decoded as any).path.hops, ['3F', '70', '3F']);
  // timestamp is first_seen, not the observation's receive time.
  assert.equal(one.timestamp, new Date(FIRST).toISOString());
  assert.equal(one.first_seen, one.timestamp);
  assert.equal(one.rx_timestamp, new Date(FIRST + 4000).toISOString());
});

test('resolved_path: per hop through the resolver; null without a resolver or without hops', () => {
  const key = 'aa' + '11'.repeat(31);
  const resolve = (hops: readonly string[]) => hops.map((h) => (h === 'AA' ? key : null));
  const path = packetMessageData(event('26009489834A00000000003F703F', ['AA', '70']), resolve);
  assert.deepEqual(path.resolved_path, [key, null]);
  assert.deepEqual((path.packet as any).resolved_path, [key, null]);
  assert.equal(packetMessageData(event('26009489834A00000000003F703F', ['AA'])).resolved_path, null);
  assert.equal(packetMessageData(event('26009489834A00000000003F703F', []), resolve).resolved_path, null);
});
