// Issue 13 #5: the real server with embedded-broker accounts. Anonymous clients and bad
// passwords are refused (CONNACK 4) and counted in /api/health; an observer with its account
// publishes within its ACL and its packet is stored; a publish outside the ACL is refused and
// counted; meshlens's own subscriber connects with its generated account; no secret is logged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import { getJson, observerTopic, simPackets, start, tempDir, testConfig } from './harness.js';
import { startServer } from '../../src/server/index.js';
import { until } from '../support/until.js';

const OBS = 'E7'.repeat(32);
const OTHER = 'E8'.repeat(32);
const PASSWORD = 'observer-secret-9d1c';

test('embedded broker accounts: refused, accepted, ACL enforced, counted; the server still ingests', async () => {
  const dir = tempDir();
  const logged: string[] = [];
  const config = testConfig(dir, {
    broker: {
      port: 0,
      allowAnonymous: false,
      users: [{ username: 'obs-e7', password: PASSWORD, topics: [`meshcore/+/${OBS}/#`] }],
    },
  });
  const server = await startServer(config, { analytics: false, log: (_l, m) => logged.push(m) });
  try {
    await server.loaded;
    const url = server.brokerUrl!;
    await until(() => server.sources[0].status().connected, { what: 'the internal subscriber connected' });
    for (const creds of [{}, { username: 'obs-e7', password: 'wrong' }])
      await assert.rejects(
        mqtt.connectAsync(url, { ...creds, reconnectPeriod: 0 }),
        (err: Error & { code?: number }) => err.code === 4,
      );

    const client = await mqtt.connectAsync(url, {
      username: 'obs-e7',
      password: PASSWORD,
      reconnectPeriod: 0,
    });
    const raw = simPackets(1)[0].payload.raw;
    await until(
      async () => {
        await client.publishAsync(observerTopic(OBS), JSON.stringify({ raw, SNR: 3 }), { qos: 1 });
        await server.pipeline.idle();
        return server.store.observerKnown(OBS);
      },
      { what: 'the observer packet stored', intervalMs: 100 },
    );
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.publish(observerTopic(OTHER), JSON.stringify({ raw }));
    await closed;
    await client.endAsync(true);

    await until(
      async () => {
        const h = await getJson(server, '/api/health');
        return h.mqtt.broker.authFailures === 2 && h.mqtt.broker.publishDenied === 1;
      },
      { what: 'auth failures and the denied publish in /api/health', intervalMs: 50 },
    );
    assert.equal(server.store.observerKnown(OTHER), false);
    const observers = await getJson<{ observers: { id: string }[] }>(server, '/api/observers');
    assert.deepEqual(
      observers.observers.map((o) => o.id),
      [OBS],
    );
  } finally {
    await server.stop();
  }
  assert.equal(logged.filter((m) => m.includes(PASSWORD) || /meshlens-internal/.test(m)).length, 0);
});

test('README demo setting: default config on loopback still takes anonymous observers', async () => {
  const server = await start(testConfig(tempDir()));
  try {
    const client = await mqtt.connectAsync(server.brokerUrl!, { reconnectPeriod: 0 });
    await client.endAsync();
    assert.equal((await getJson(server, '/api/health')).mqtt.broker.authFailures, 0);
  } finally {
    await server.stop();
  }
});
