import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createSimulator, groundTruth, type SentInfo, type SimMessage } from '../../src/sim/index.js';
import { ChannelKeyring, decodePacket } from '../../src/protocol/index.js';
import type { AdvertPayload, Payload, TracePayload } from '../../src/protocol/index.js';
import { KNOWN_HASHTAGS } from '../../src/sim/channels.js';

const HOUR = 3_600_000;

function asAdvert(p: Payload): AdvertPayload {
  assert.ok(p.type === 'ADVERT' && 'pubKey' in p, 'a full ADVERT payload');
  return p as AdvertPayload;
}

function asTrace(p: Payload): TracePayload {
  assert.ok(p.type === 'TRACE' && 'route' in p, 'a full TRACE payload');
  return p as TracePayload;
}

function digest(seed: number, count: number): string {
  const sim = createSimulator('small', { seed, durationMs: 2 * HOUR });
  const h = createHash('sha256');
  let n = 0;
  for (let m = sim.next(); m && n < count; m = sim.next(), n++) h.update(JSON.stringify(m));
  assert.equal(n, count, 'stream long enough for the digest');
  return h.digest('hex');
}

test('same seed gives the same stream, a different seed a different one', () => {
  const a = digest(7, 3000);
  assert.equal(digest(7, 3000), a);
  assert.notEqual(digest(8, 3000), a);
});

test('same seed gives the same keys and ground truth', () => {
  const g1 = groundTruth(createSimulator('fixture', { seed: 3 }));
  const g2 = groundTruth(createSimulator('fixture', { seed: 3 }));
  assert.deepEqual(g1, g2);
  assert.deepEqual(JSON.parse(JSON.stringify(g1)), g1, 'ground truth is JSON-serialisable');
});

/** One pass over a 4-hour small scenario shared by the decode tests below. */
function runSmall(): {
  messages: SimMessage[];
  sent: SentInfo[];
  sim: ReturnType<typeof createSimulator>;
} {
  const sim = createSimulator('small', { seed: 42, durationMs: 4 * HOUR });
  const sent: SentInfo[] = [];
  sim.onSend = (info) => sent.push(info);
  const messages: SimMessage[] = [];
  for (let m = sim.next(); m; m = sim.next()) messages.push(m);
  return { messages, sent, sim };
}

const small = runSmall();
const keyring = ChannelKeyring.create({ hashtags: KNOWN_HASHTAGS });
const EXPECTED_TYPE: Record<number, string[]> = {
  0: ['REQ'],
  1: ['RESPONSE'],
  2: ['TXT_MSG'],
  3: ['ACK'],
  4: ['ADVERT'],
  5: ['CHAN', 'GRP_TXT'],
  7: ['ANON_REQ'],
  8: ['PATH'],
  9: ['TRACE'],
  11: ['CONTROL'],
};

test('every generated frame decodes with the expected type and every advert verifies', () => {
  const packets = small.messages.filter((m) => m.kind === 'packet');
  assert.ok(packets.length > 5000, `enough frames sampled (${packets.length})`);
  const typesSeen = new Set<string>();
  let adverts = 0;
  for (const m of packets) {
    const r = decodePacket(m.payload.raw, { keyring, verifySignatures: true });
    assert.ok(r.ok, `decodes: ${m.payload.raw} ${r.ok ? '' : r.error.code}`);
    const p = r.packet.payload;
    assert.ok(!('error' in p && p.error), `no payload error in ${m.payload.raw}`);
    assert.ok(EXPECTED_TYPE[m.payloadType].includes(p.type), `type ${p.type} for ${m.payloadType}`);
    assert.equal(r.packet.anomaly, undefined);
    typesSeen.add(p.type);
    if (p.type === 'ADVERT') {
      adverts++;
      assert.equal(asAdvert(p).signatureValid, true, `advert signature verifies: ${m.payload.raw}`);
    }
  }
  assert.ok(adverts > 500, `adverts checked (${adverts})`);
  for (const t of [
    'REQ',
    'RESPONSE',
    'TXT_MSG',
    'ACK',
    'ADVERT',
    'CHAN',
    'GRP_TXT',
    'ANON_REQ',
    'PATH',
    'TRACE',
    'CONTROL',
  ]) {
    assert.ok(typesSeen.has(t), `payload type ${t} generated`);
  }
});

test('txKey identifies the content hash exactly, and ground-truth counts equal the stream', () => {
  const hashToKey = new Map<string, number>();
  const keyToHash = new Map<number, string>();
  const observations = new Set<string>();
  const advertisers = new Set<string>();
  let packets = 0;
  let statuses = 0;
  let lastRx = -Infinity;
  for (const m of small.messages) {
    assert.ok(m.rxMs >= lastRx, 'stream is in broker-arrival order');
    lastRx = m.rxMs;
    if (m.kind === 'status') {
      statuses++;
      continue;
    }
    packets++;
    const r = decodePacket(m.payload.raw, { verifySignatures: false });
    assert.ok(r.ok);
    const hash = r.packet.hash;
    assert.equal(hashToKey.get(hash) ?? m.txKey, m.txKey);
    assert.equal(keyToHash.get(m.txKey) ?? hash, hash);
    hashToKey.set(hash, m.txKey);
    keyToHash.set(m.txKey, hash);
    observations.add(`${hash}|${m.topic}|${Buffer.from(r.packet.path.bytes).toString('hex')}`);
    if (r.packet.payload.type === 'ADVERT') advertisers.add(asAdvert(r.packet.payload).pubKey);
  }
  const gt = groundTruth(small.sim);
  assert.equal(gt.counts.packetMessages, packets);
  assert.equal(gt.counts.statusMessages, statuses);
  assert.equal(gt.counts.transmissions, hashToKey.size);
  assert.equal(gt.counts.observations, observations.size);
  assert.equal(gt.counts.advertisingNodes, advertisers.size);
  assert.deepEqual(new Set(gt.heardAdvertisers.map((i) => gt.nodes[i].pubkey.toLowerCase())), advertisers);
});

test('group texts decrypt with the Public and hashtag keys to the generated text', () => {
  const byPayload = new Map(small.sent.filter((s) => s.text).map((s) => [s.frame.payloadHex, s]));
  let decrypted = 0;
  let undecrypted = 0;
  for (const m of small.messages) {
    if (m.kind !== 'packet' || m.payloadType !== 5) continue;
    const r = decodePacket(m.payload.raw, { keyring });
    assert.ok(r.ok);
    const info = byPayload.get(r.packet.payloadBytes.toString('hex').toUpperCase());
    assert.ok(info?.channel, 'every group text was recorded at send time');
    const p = r.packet.payload;
    if (info.channel.known) {
      assert.equal(p.type, 'CHAN');
      if (p.type !== 'CHAN') continue;
      assert.equal(p.channel, info.channel.name);
      assert.equal(p.text, info.text);
      assert.equal(p.sender_timestamp, info.senderTimestampSec);
      decrypted++;
    } else {
      assert.equal(p.type, 'GRP_TXT');
      undecrypted++;
    }
  }
  assert.ok(decrypted > 100 && undecrypted > 10, `${decrypted} decrypted, ${undecrypted} not`);
});

test('flood paths use the originator hash size (1, 2 and 3 bytes) and real repeater hops', () => {
  const { world } = small.sim;
  const byKey = new Map(world.nodes.map((n) => [n.id.publicHex.toLowerCase(), n]));
  const relayPrefixes = new Set(
    world.nodes.filter((n) => n.relays).flatMap((n) => [1, 2, 3].map((s) => n.id.publicHex.slice(0, 2 * s))),
  );
  const sizes = new Set<number>();
  for (const m of small.messages) {
    if (m.kind !== 'packet') continue;
    const r = decodePacket(m.payload.raw, { verifySignatures: false });
    assert.ok(r.ok);
    const { header, path, payload } = r.packet;
    if (header.routeType !== 1 || payload.type === 'TRACE') continue;
    for (const hop of path.hops) assert.ok(relayPrefixes.has(hop), `hop ${hop} is a repeater prefix`);
    if (payload.type === 'ADVERT') {
      assert.equal(path.hashSize, byKey.get(asAdvert(payload).pubKey)!.hashSize);
      if (path.hashCount > 0) sizes.add(path.hashSize);
    }
  }
  assert.deepEqual([...sizes].sort(), [1, 2, 3]);
});

test('TRACE frames carry one SNR byte per completed hop', () => {
  let traces = 0;
  for (const m of small.messages) {
    if (m.kind !== 'packet' || m.payloadType !== 9) continue;
    const r = decodePacket(m.payload.raw, { verifySignatures: false });
    assert.ok(r.ok);
    const p = asTrace(r.packet.payload);
    assert.equal(r.packet.header.routeType, 2);
    assert.ok(r.packet.path.hashCount <= p.route.length);
    assert.equal(p.snrValues?.length ?? 0, r.packet.path.hashCount);
    traces++;
  }
  assert.ok(traces > 0);
});

test('planted repeaters share a 1-byte prefix and are in the ground truth', () => {
  const gt = groundTruth(createSimulator('staging', { durationMs: 0 }));
  assert.ok(gt.plantedSharedPrefix.length >= 12, `${gt.plantedSharedPrefix.length} planted pairs`);
  for (const [a, b] of gt.plantedSharedPrefix) {
    assert.equal(gt.nodes[a].pubkey.slice(0, 2), gt.nodes[b].pubkey.slice(0, 2));
    assert.notEqual(gt.nodes[a].pubkey, gt.nodes[b].pubkey);
    assert.equal(gt.nodes[a].role, 'repeater');
    assert.equal(gt.nodes[b].hashSize, 1);
    const group = gt.sharedPrefixGroups.find((g) => g.prefix === gt.nodes[a].pubkey.slice(0, 2));
    assert.ok(group?.nodes.includes(a) && group.nodes.includes(b));
  }
  assert.ok(gt.nodes.some((n) => n.relayOnly));
  assert.ok(gt.nodes.some((n) => n.gps === 'zero') && gt.nodes.some((n) => n.gps === 'none'));
  assert.ok(gt.observers.some((o) => o.isRepeater) && gt.observers.some((o) => !o.isRepeater));
  assert.equal(new Set(gt.nodes.map((n) => n.pubkey)).size, gt.nodes.length);
});

test('advert timestamps follow the node clock model recorded in the ground truth', () => {
  const gt = groundTruth(small.sim);
  const byKey = new Map(gt.nodes.map((n) => [n.pubkey.toLowerCase(), n]));
  let checked = 0;
  for (const m of small.messages) {
    if (m.kind !== 'packet' || m.payloadType !== 4) continue;
    const r = decodePacket(m.payload.raw, { verifySignatures: false });
    assert.ok(r.ok);
    const advert = asAdvert(r.packet.payload);
    const node = byKey.get(advert.pubKey)!;
    const expected = m.rxMs + node.clockErrorMs + ((m.rxMs - gt.startMs) * node.driftPpm) / 1e6;
    // rxMs is after the send by airtime, relay backoffs and upload delay (seconds for buffering
    // observers); planted clock offsets are at least a minute, so 5 minutes still tells them apart.
    const err = advert.timestamp * 1000 - expected;
    assert.ok(err <= 1000 && err > -300_000, `advert clock error ${err} ms for ${node.clockKind}`);
    checked++;
  }
  assert.ok(checked > 500);
});

test('observer messages follow the MQTT format', () => {
  const gt = groundTruth(small.sim);
  const obsByKey = new Map(gt.observers.map((o) => [o.pubkey, o]));
  for (const m of small.messages.slice(0, 2000)) {
    const [root, iata, id, kind] = m.topic.split('/');
    assert.equal(root, 'meshcore');
    const obs = obsByKey.get(id)!;
    assert.equal(iata, obs.iata);
    assert.equal(kind, m.kind === 'packet' ? 'packets' : 'status');
    if (m.kind === 'status') {
      assert.equal(m.payload.origin_id, id);
      assert.match(m.payload.radio, /^\d+\.\d+,\d+(\.\d+)?,\d+,\d+$/);
      continue;
    }
    assert.equal(m.payload.direction, 'rx');
    assert.equal(m.payload.origin, obs.name);
    assert.match(m.payload.raw, /^[0-9A-F]+$|^[0-9a-f]+$/);
    assert.ok(m.payload.SNR >= -7.5 && m.payload.SNR <= 15);
    assert.match(m.payload.timestamp, obs.naiveTimestamps ? /^\d{4}-\d\d-\d\dT[\d:.]{15}$/ : /Z$/);
  }
});
