// The embedded aedes broker (the default and demo path) with the issue-13 delivery settings:
// its source subscribes at QoS 1 on a persistent session, and a QoS 1 publication is stored
// and acknowledged to the broker after the commit, like through Mosquitto.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { until } from '../support/until.js';
import { connectPublisher, observerTopic, simPackets, start, tempDir, testConfig } from './harness.js';

test('embedded broker: QoS 1 publications stored, then acknowledged after the commit', async () => {
  const server = await start(testConfig(tempDir()));
  const publisher = await connectPublisher(server);
  try {
    const source = server.sources.find((s) => s.name === 'embedded')!;
    await until(() => source.status().subscribed, { what: 'subscribed' });
    assert.deepEqual([source.status().qos, source.status().persistentSession], [1, true]);
    const frames = simPackets(30).map((m) => m.payload.raw);
    // publishAsync at QoS 1 resolves on aedes's PUBACK to the publisher (not meshlens's).
    await Promise.all(
      frames.map((raw) =>
        publisher.publishAsync(observerTopic('A9'.repeat(32)), JSON.stringify({ raw }), { qos: 1 }),
      ),
    );
    await until(() => server.store.memory().rows.transmissions === frames.length, { what: 'stored' });
    await until(() => source.status().acks.sent >= frames.length, {
      what: 'PUBACKs to aedes after the commit',
    });
    assert.equal(source.status().acks.pending, 0);
    assert.ok(server.pipeline.stats().acks.acked >= frames.length);
  } finally {
    await publisher.endAsync();
    await server.stop();
  }
});
