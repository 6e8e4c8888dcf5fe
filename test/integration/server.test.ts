// The running server end to end (issue 3 acceptance): MQTT observer messages through the
// embedded broker into SQLite and the in-memory store, read back over REST and the WebSocket;
// a second observer adds an observation, not a transmission; a restart keeps everything.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { decodePacket } from '../../src/protocol/index.js';
import {
  connectPublisher,
  getJson,
  observerTopic,
  settle,
  simPackets,
  start,
  tempDir,
  testConfig,
} from './harness.js';

const OBS_A = 'A1'.repeat(32);
const OBS_B = 'B2'.repeat(32);

type PacketList = { packets: { id: number; hash: string; observation_count: number }[]; total: number };
type PacketDetail = {
  packet: { id: number; hash: string; raw_hex: string; payload_type: number };
  observation_count: number;
  observations: { observer_id: string; snr: number | null; rssi: number | null; path_json: string }[];
};
type NodeList = { nodes: { public_key: string; name: string | null; advert_count: number }[]; total: number };
type WsPacket = { type: string; data: Record<string, any> };

const hashOf = (raw: string) => {
  const r = decodePacket(raw);
  assert.ok(r.ok);
  return r.packet.hash;
};

test('MQTT -> store -> REST + WebSocket; second observer; re-delivery; restart keeps everything', async () => {
  const dir = tempDir();
  const config = testConfig(dir);
  const advert = simPackets(1, (m) => m.payloadType === 4)[0];
  const others = simPackets(5, (m) => m.payloadType !== 4);
  const frames = [advert, ...others].map((m) => m.payload.raw);
  const hashes = frames.map(hashOf);
  const advertKey = (decodePacket(frames[0]) as any).packet.payload.pubKey as string;
  const advertName = (decodePacket(frames[0]) as any).packet.payload.name as string;

  let server = await start(config);
  const received: WsPacket[] = [];
  const ws = new WebSocket(server.url.replace('http', 'ws') + '/ws');
  ws.on('message', (d) => received.push(JSON.parse(String(d))));
  await new Promise((r, j) => ws.once('open', r).once('error', j));
  try {
    const client = await connectPublisher(server);
    let consumed = server.pipeline.queue.stats().consumed;
    for (const raw of frames)
      await client.publishAsync(
        observerTopic(OBS_A),
        JSON.stringify({
          raw,
          SNR: '-5.5dB',
          RSSI: -91,
          origin: 'obs-A',
          timestamp: new Date().toISOString(),
        }),
      );
    await settle(server, consumed, frames.length);

    const list = await getJson<PacketList>(server, '/api/packets?limit=50');
    assert.equal(list.total, 6);
    assert.deepEqual(new Set(list.packets.map((p) => p.hash)), new Set(hashes));
    const advertRow = list.packets.find((p) => p.hash === hashes[0])!;
    const detail = await getJson<PacketDetail>(server, `/api/packets/${advertRow.id}`);
    assert.equal(detail.packet.hash, hashes[0]);
    assert.equal(detail.packet.raw_hex, frames[0].toUpperCase());
    assert.equal(detail.packet.payload_type, 4);
    assert.equal(detail.observation_count, 1);
    assert.equal(detail.observations[0].observer_id, OBS_A);
    assert.equal(detail.observations[0].snr, -5.5);
    assert.equal(detail.observations[0].rssi, -91);
    assert.deepEqual(await getJson<PacketDetail>(server, `/api/packets/${hashes[0]}`), detail);

    const nodes = await getJson<NodeList>(server, '/api/nodes?limit=100');
    const node = nodes.nodes.find((n) => n.public_key === advertKey.toLowerCase());
    assert.ok(node, 'the advertiser is a node');
    assert.equal(node.name, advertName);
    assert.equal(node.advert_count, 1);

    // WebSocket: one packet message per observation, both spellings, decoded header.
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(received.length, 6);
    for (const m of received) {
      assert.equal(m.type, 'packet');
      assert.equal(m.data.raw, m.data.raw_hex);
      assert.equal(m.data.observer, OBS_A);
      assert.equal(m.data.observer_id, OBS_A);
      assert.equal(m.data.observer_name, 'obs-A');
      assert.equal(m.data.snr, -5.5);
      assert.equal(typeof m.data.decoded.header.payloadTypeName, 'string');
      assert.deepEqual(m.data.decoded.payload, JSON.parse(m.data.decoded_json));
      assert.equal(m.data.packet.hash, m.data.hash);
    }
    assert.deepEqual(
      received.map((m) => m.data.hash),
      hashes,
    );
    assert.equal(received[0].data.decoded.header.payloadTypeName, 'ADVERT');

    // A second observer hearing the same frame: a new observation, not a transmission.
    consumed = server.pipeline.queue.stats().consumed;
    await client.publishAsync(observerTopic(OBS_B, 'PDX'), JSON.stringify({ raw: frames[0], snr: 3.25 }));
    // The same observer, same frame, same path again: a re-delivery (fills nothing new).
    await client.publishAsync(observerTopic(OBS_A), JSON.stringify({ raw: frames[1], SNR: 1 }));
    await settle(server, consumed, 2);
    assert.equal((await getJson<PacketList>(server, '/api/packets?limit=50')).total, 6);
    const detail2 = await getJson<PacketDetail>(server, `/api/packets/${advertRow.id}`);
    assert.equal(detail2.observation_count, 2);
    assert.deepEqual(detail2.observations.map((o) => o.observer_id).sort(), [OBS_A, OBS_B]);
    assert.equal(
      (await getJson<NodeList>(server, '/api/nodes?limit=100')).nodes.find(
        (n) => n.public_key === advertKey.toLowerCase(),
      )!.advert_count,
      1,
    );
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(received.length, 7);
    assert.equal(received[6].data.observer_id, OBS_B);
    assert.equal(received[6].data.observation_count, 2);
    assert.equal(received[6].data.id, advertRow.id);
    assert.equal(server.pipeline.stats().redeliveries, 1);
    const observers = await getJson<{
      observers: { id: string; name: string | null; iata: string | null }[];
    }>(server, '/api/observers');
    assert.deepEqual(
      observers.observers
        .filter((o) => o.id === OBS_A || o.id === OBS_B)
        .map((o) => [o.id, o.name, o.iata])
        .sort(),
      [
        [OBS_A, 'obs-A', 'SEA'],
        [OBS_B, null, 'PDX'],
      ],
    );
    await client.endAsync();
  } finally {
    ws.close();
    await server.stop();
  }

  // Restart on the same database: the same data, served from the reloaded store.
  server = await start(config);
  try {
    const list = await getJson<PacketList>(server, '/api/packets?limit=50');
    assert.equal(list.total, 6);
    assert.deepEqual(new Set(list.packets.map((p) => p.hash)), new Set(hashes));
    const advertRow = list.packets.find((p) => p.hash === hashes[0])!;
    const detail = await getJson<PacketDetail>(server, `/api/packets/${advertRow.id}`);
    assert.equal(detail.observation_count, 2);
    assert.equal(detail.observations.find((o) => o.observer_id === OBS_A)!.snr, -5.5);
    const node = (await getJson<NodeList>(server, '/api/nodes?limit=100')).nodes.find(
      (n) => n.public_key === advertKey.toLowerCase(),
    );
    assert.equal(node?.advert_count, 1);
    assert.equal(node?.name, advertName);
    // Ingest continues after the stored ids, and dedups against what was loaded.
    const client = await connectPublisher(server);
    const consumed = server.pipeline.queue.stats().consumed;
    const fresh = simPackets(7, (m) => m.payloadType !== 4)[6].payload.raw;
    await client.publishAsync(observerTopic(OBS_B), JSON.stringify({ raw: fresh }));
    await client.publishAsync(observerTopic(OBS_B), JSON.stringify({ raw: frames[2] }));
    await settle(server, consumed, 2);
    const after = await getJson<PacketList>(server, '/api/packets?limit=50');
    assert.equal(after.total, 7);
    const freshRow = after.packets.find((p) => p.hash === hashOf(fresh))!;
    assert.ok(freshRow.id > Math.max(...list.packets.map((p) => p.id)));
    assert.equal(after.packets.find((p) => p.hash === hashes[2])!.observation_count, 2);
    await client.endAsync();
  } finally {
    await server.stop();
  }
});
