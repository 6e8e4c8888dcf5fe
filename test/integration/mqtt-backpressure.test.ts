// Issue 13, back-pressure on MQTT ingest (real server, real Mosquitto): while the SQLite writer
// reports itself backlogged, QoS 1 messages are refused, counted by reason and NOT acknowledged;
// once it recovers, the source cycles its connection and the broker redelivers them: every
// message is stored in the end, none twice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import { startMosquitto } from '../ingest/mosquitto.js';
import { until } from '../support/until.js';
import { observerTopic, simPackets, start, tempDir, testConfig } from './harness.js';

test('writer backlogged: MQTT QoS 1 messages refused (counted, not acked), then redelivered and stored', async () => {
  const mosquitto = await startMosquitto();
  const config = testConfig(tempDir(), {
    broker: { enabled: false },
    mqttSources: [{ name: 'mosq', broker: mosquitto.url }],
    mqttIngest: { redeliverAfterSec: 0.5 },
  });
  const server = await start(config);
  const publisher = await mqtt.connectAsync(mosquitto.url);
  try {
    await until(() => server.sources[0].status().subscribed, { what: 'subscribed' });
    // The writer's own signal (SqliteWriterThread.backlogged(): over highWaterOps), forced here.
    let backlogged = true;
    (server.writer as unknown as { backlogged(): boolean }).backlogged = () => backlogged;
    const frames = simPackets(15).map((m) => m.payload.raw);
    for (const raw of frames)
      await publisher.publishAsync(observerTopic('C3'.repeat(32)), JSON.stringify({ raw }), { qos: 1 });
    await until(() => server.rejections.count('writer_backlogged') >= frames.length, {
      what: 'refusals counted',
    });
    assert.equal(server.store.memory().rows.transmissions, 0);
    assert.equal(
      server.pipeline.stats().acks.nacked.writer_backlogged,
      server.rejections.count('writer_backlogged'),
    );
    assert.equal(server.pipeline.stats().acks.acked, 0, 'nothing refused was acknowledged');

    backlogged = false;
    await until(() => server.store.memory().rows.transmissions === frames.length, {
      what: 'redelivered messages stored',
    });
    // The worker's status reaches the main thread within ~50 ms.
    await until(() => server.sources[0].status().connectCount >= 2, {
      what: 'reconnected for the redelivery',
    });
    await server.writer.flush();
    assert.equal(server.store.memory().rows.observations, frames.length, 'each once');
  } finally {
    await publisher.endAsync();
    await server.stop();
    await mosquitto.stop();
  }
});
