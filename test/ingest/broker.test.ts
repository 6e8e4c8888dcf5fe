import { test } from 'node:test';
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import { EmbeddedBroker } from '../../src/ingest/broker.js';

test('start on port 0, publish/subscribe round trip, idempotent start and stop', async () => {
  const broker = new EmbeddedBroker({ host: '127.0.0.1', port: 0 });
  const a = await broker.start();
  assert.deepEqual(await broker.start(), a);
  assert.ok(a.port > 0);
  assert.equal(broker.url, `mqtt://127.0.0.1:${a.port}`);
  const sub = await mqtt.connectAsync(broker.url);
  const pub = await mqtt.connectAsync(broker.url);
  await sub.subscribeAsync('meshcore/#');
  const got = new Promise<[string, string]>((resolve) =>
    sub.once('message', (t, p) => resolve([t, String(p)])),
  );
  await pub.publishAsync('meshcore/SEA/X/packets', '{"raw":"1200"}');
  assert.deepEqual(await got, ['meshcore/SEA/X/packets', '{"raw":"1200"}']);
  assert.equal(broker.stats().clients, 2);
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(broker.stats().publishedTotal, 1);
  await Promise.all([sub.endAsync(), pub.endAsync()]);
  await Promise.all([broker.stop(), broker.stop()]);
  await broker.stop();
  assert.equal(broker.address, null);
});

test('stop closes connected clients', async () => {
  const broker = new EmbeddedBroker({ host: '127.0.0.1', port: 0 });
  await broker.start();
  const client = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
  const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
  await broker.stop();
  await closed;
  assert.equal(client.connected, false);
  await client.endAsync(true);
});

test('with credentials: right ones connect, wrong or missing ones are refused', async () => {
  const broker = new EmbeddedBroker({
    host: '127.0.0.1',
    port: 0,
    username: 'obs',
    password: 's3cret-password',
  });
  await broker.start();
  const ok = await mqtt.connectAsync(broker.url, { username: 'obs', password: 's3cret-password' });
  assert.equal(ok.connected, true);
  await ok.endAsync();
  for (const creds of [
    { username: 'obs', password: 'wrong' },
    { username: 'other', password: 's3cret-password' },
    {},
  ]) {
    await assert.rejects(
      mqtt.connectAsync(broker.url, { ...creds, reconnectPeriod: 0 }),
      (err: Error & { code?: number }) => {
        assert.equal(err.code, 4);
        return true;
      },
    );
  }
  await broker.stop();
});

test('a port in use gives an error that says what to change', async () => {
  const first = new EmbeddedBroker({ host: '127.0.0.1', port: 0 });
  const { port } = await first.start();
  const second = new EmbeddedBroker({ host: '127.0.0.1', port });
  await assert.rejects(
    second.start(),
    /127\.0\.0\.1:\d+ is in use \(set broker\.port, or broker\.enabled: false/,
  );
  await second.stop();
  await first.stop();
});
