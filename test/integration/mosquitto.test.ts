// The same flow against a real Mosquitto (Debian's /usr/sbin/mosquitto) instead of the embedded
// broker: the MQTT source code is unchanged, only the configuration differs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startMosquitto } from '../ingest/mosquitto.js';
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

test('observer messages through an external Mosquitto reach the store and the API', async () => {
  const mosquitto = await startMosquitto();
  const dir = tempDir();
  const config = testConfig(dir, {
    broker: { enabled: false },
    mqttSources: [{ name: 'mosq', broker: mosquitto.url }],
  });
  const server = await start(config);
  try {
    assert.equal(server.brokerUrl, null);
    const client = await connectPublisher(server, mosquitto.url);
    const frames = simPackets(4).map((m) => m.payload.raw);
    const consumed = server.pipeline.queue.stats().consumed;
    for (const raw of frames)
      await client.publishAsync(observerTopic('E5'.repeat(32)), JSON.stringify({ raw, SNR: 2 }));
    await client.publishAsync(observerTopic('F6'.repeat(32)), JSON.stringify({ raw: frames[0], SNR: 4 }));
    await settle(server, consumed, 5);
    const list = await getJson<{ total: number; packets: { hash: string; observation_count: number }[] }>(
      server,
      '/api/packets?limit=10',
    );
    assert.equal(list.total, 4);
    const first = (decodePacket(frames[0]) as { ok: true; packet: { hash: string } }).packet.hash;
    assert.equal(list.packets.find((p) => p.hash === first)?.observation_count, 2);
    const health = await getJson<{ mqtt: { sources: { name: string; connected: boolean }[] } }>(
      server,
      '/api/health',
    );
    assert.deepEqual(
      health.mqtt.sources.map((s) => [s.name, s.connected]),
      [['mosq', true]],
    );
    await client.endAsync();
  } finally {
    await server.stop();
    await mosquitto.stop();
  }
});
