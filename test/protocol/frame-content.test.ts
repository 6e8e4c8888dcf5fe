// frameContent() is the ingest worker's frame split for ADVERT signature checks: it must agree
// with decodePacket on success/failure, content hash and payload bytes, so the verdict it feeds
// the pipeline is the one a full decode would give (the payload is then decoded once, on main).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodePacket, frameContent } from '../../src/protocol/index.js';
import { simPackets } from '../integration/harness.js';

function agrees(hex: string): void {
  const d = decodePacket(hex, { verifySignatures: false });
  const f = frameContent(hex);
  if (!d.ok) return assert.equal(f, null, hex);
  assert.ok(f, hex);
  assert.equal(f.hash, d.packet.hash);
  assert.equal(f.payloadType, d.packet.header.payloadType);
  assert.deepEqual(Buffer.from(f.payloadBytes), Buffer.from(d.packet.payloadBytes));
}

test('frameContent matches decodePacket on simulated frames of every type', () => {
  for (const m of simPackets(300)) agrees(m.payload.raw.toUpperCase());
});

test('property: frameContent matches decodePacket on arbitrary hex', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 260 }), (bytes) => agrees(Buffer.from(bytes).toString('hex'))),
  );
  for (const bad of ['', 'zz', '1', '00']) agrees(bad);
});
