import { test } from 'node:test';
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import { EmbeddedBroker } from '../../src/ingest/broker.js';
import { MqttSource } from '../../src/ingest/mqtt-source.js';
import { startMosquitto } from './mosquitto.js';
import { until } from '../support/until.js';

const OBS = 'AB'.repeat(32);

const EVERY_20MS = { intervalMs: 20 };

/** The same scenario against any broker URL: receive, refuse oversize, report status. */
async function exercise(url: string) {
  const received: [string, string, string][] = [];
  const rejected: [string, number][] = [];
  let warm = false;
  const source = new MqttSource(
    { name: 'test', url, topics: ['meshcore/#'], maxMessageBytes: 100, connectTimeoutSec: 5 },
    {
      onMessage: (topic, payload, src) => {
        if (topic === 'meshcore/warmup') warm = true;
        else received.push([topic, payload.toString(), src.name]);
      },
      onReject: (code, d) => rejected.push([code, d.bytes]),
    },
  );
  assert.equal(await source.start(), true);
  assert.equal(await source.start(), true);
  const publisher = await mqtt.connectAsync(url);
  // Wait for the SUBACK to have been processed: publish until one arrives.
  await until(() => {
    if (!warm) void publisher.publishAsync('meshcore/warmup', '{}');
    return warm;
  }, EVERY_20MS);
  await publisher.publishAsync(`meshcore/SEA/${OBS}/packets`, '{"raw":"1200AB"}');
  await publisher.publishAsync(`meshcore/SEA/${OBS}/packets`, 'x'.repeat(101));
  await publisher.publishAsync('other/topic', 'not subscribed');
  await publisher.publishAsync(`meshcore/PDX/${OBS}/packets`, '{"raw":"1500"}');
  await until(() => received.length === 2 && rejected.length === 1, EVERY_20MS);
  assert.deepEqual(received, [
    [`meshcore/SEA/${OBS}/packets`, '{"raw":"1200AB"}', 'test'],
    [`meshcore/PDX/${OBS}/packets`, '{"raw":"1500"}', 'test'],
  ]);
  assert.deepEqual(rejected, [['oversize', 101]]);
  const status = source.status();
  assert.equal(status.connected, true);
  assert.equal(status.connectCount, 1);
  assert.equal(status.disconnectCount, 0);
  assert.equal(status.rejectedTotal, 1);
  assert.equal(status.packetsTotal, status.packetsLast5m);
  assert.ok(status.packetsTotal >= 3, String(status.packetsTotal));
  assert.ok(status.lastPacketMs !== null && status.lastHandledMs! >= status.lastPacketMs);
  assert.equal(status.lastError, null);
  await publisher.endAsync();
  await source.stop();
  await source.stop();
  assert.equal(source.status().connected, false);
}

test('MqttSource against the embedded broker', async () => {
  const broker = new EmbeddedBroker({ host: '127.0.0.1', port: 0 });
  await broker.start();
  try {
    await exercise(broker.url);
  } finally {
    await broker.stop();
  }
});

test('MqttSource against a real Mosquitto, same code', async () => {
  const mosquitto = await startMosquitto();
  try {
    await exercise(mosquitto.url);
  } finally {
    await mosquitto.stop();
  }
});

test('reconnects after the broker restarts and counts it; password masked', async () => {
  const first = new EmbeddedBroker({ host: '127.0.0.1', port: 0 });
  const { port } = await first.start();
  const source = new MqttSource(
    { name: 'r', url: `mqtt://u:hunter2@127.0.0.1:${port}`, topics: ['meshcore/#'], maxMessageBytes: 1000 },
    { onMessage: () => undefined },
  );
  assert.equal(source.status().broker, `mqtt://u:***@127.0.0.1:${port}`);
  assert.equal(await source.start(), true);
  await first.stop();
  await until(() => !source.connected, EVERY_20MS);
  const second = new EmbeddedBroker({ host: '127.0.0.1', port });
  await second.start();
  await until(() => source.connected, EVERY_20MS);
  const status = source.status();
  assert.equal(status.connectCount, 2);
  assert.equal(status.disconnectCount, 1);
  assert.ok(status.lastDisconnectMs! <= status.lastConnectMs!);
  await source.stop();
  await second.stop();
});

test('start() resolves false after connectTimeoutSec when nothing listens, and records the error', async () => {
  const broker = new EmbeddedBroker({ host: '127.0.0.1', port: 0 });
  const { port } = await broker.start();
  await broker.stop();
  const source = new MqttSource(
    {
      name: 'down',
      url: `mqtt://127.0.0.1:${port}`,
      topics: ['meshcore/#'],
      maxMessageBytes: 1000,
      connectTimeoutSec: 0.5,
    },
    { onMessage: () => undefined },
  );
  assert.equal(await source.start(), false);
  assert.match(source.status().lastError ?? '', /ECONNREFUSED/);
  assert.equal(source.status().connectCount, 0);
  await source.stop();
});

test('a broker that stays down: the repeated connect error is logged once a minute, not per retry', async () => {
  const broker = new EmbeddedBroker({ host: '127.0.0.1', port: 0 });
  const { port } = await broker.start();
  await broker.stop();
  const errors: string[] = [];
  const source = new MqttSource(
    {
      name: 'down',
      url: `mqtt://127.0.0.1:${port}`,
      topics: ['meshcore/#'],
      maxMessageBytes: 1000,
      connectTimeoutSec: 0.2,
      maxReconnectDelayMs: 100,
    },
    {
      onMessage: () => undefined,
      log: (level, m) => {
        if (level === 'error') errors.push(m);
      },
    },
  );
  await source.start();
  // Reconnects every 50-100 ms: wait for several failed attempts.
  await until(() => source.status().errorsTotal >= 5);
  await source.stop();
  assert.equal(
    errors.length,
    1,
    `one line for ${source.status().errorsTotal} failures: ${JSON.stringify(errors)}`,
  );
  assert.match(errors[0], /^mqtt source down: connect ECONNREFUSED/);
});

test('two clients with one client id take the session from each other: said in lastError', async () => {
  const mosquitto = await startMosquitto();
  const options = {
    url: mosquitto.url,
    topics: ['meshcore/#'],
    maxMessageBytes: 1000,
    clientId: 'meshlens-same-id',
    persistentSession: true,
  };
  const a = new MqttSource({ ...options, name: 'a' }, { onMessage: () => undefined });
  const b = new MqttSource({ ...options, name: 'b' }, { onMessage: () => undefined });
  try {
    await a.start();
    await b.start();
    const flapping = await until(
      () => [a, b].map((s) => s.status().lastError ?? '').find((e) => e.includes('client id')),
      { what: 'the takeover to be named', ...EVERY_20MS },
    );
    assert.match(flapping, /is client id 'meshlens-same-id' used by another client\?/);
  } finally {
    await a.stop();
    await b.stop();
    await mosquitto.stop();
  }
});
