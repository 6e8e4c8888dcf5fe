import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { createSimulator } from '../../src/sim/index.js';
import { parseRate, publishStream } from '../../src/sim/mqtt-publisher.js';
import { until } from '../support/until.js';

test('parseRate accepts per-second, per-minute and max', () => {
  assert.equal(parseRate('200/s'), 200);
  assert.equal(parseRate('200'), 200);
  assert.equal(parseRate('30/min'), 0.5);
  assert.equal(parseRate('max'), Infinity);
  assert.throws(() => parseRate('fast'), RangeError);
});

test('publishes the stream to a real broker in the observer format, paced by rate', async () => {
  const broker = await Aedes.createBroker();
  const server = createServer(broker.handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sub = await mqtt.connectAsync(url);
  const received: { topic: string; payload: unknown }[] = [];
  sub.on('message', (topic, buf) => received.push({ topic, payload: JSON.parse(buf.toString()) }));
  await sub.subscribeAsync('meshcore/#');
  try {
    const expected = [...createSimulator('fixture', { seed: 5 })].slice(0, 60);
    const result = await publishStream(createSimulator('fixture', { seed: 5 }), {
      brokerUrl: url,
      ratePerSec: 200,
      limit: 60,
    });
    assert.equal(result.published, 60);
    // 60 messages at 200/s take at least ~295 ms (the first goes out at t=0).
    assert.ok(result.elapsedMs >= 280, `paced: ${result.elapsedMs} ms`);
    await until(() => received.length >= 60, { what: '60 messages', timeoutMs: 2000, intervalMs: 20 });
    assert.deepEqual(
      received,
      expected.map((m) => ({ topic: m.topic, payload: m.payload })),
    );
  } finally {
    await sub.endAsync();
    await new Promise<void>((r) => broker.close(() => r()));
    await new Promise<void>((r) => server.close(() => r()));
  }
});
