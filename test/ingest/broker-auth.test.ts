// Issue 13 #5: the embedded broker's accounts, anonymous policy and per-user publish ACL,
// exercised with real mqtt.js clients.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/index.js';
import { EmbeddedBroker } from '../../src/ingest/broker.js';
import { isLoopbackHost, topicMatches } from '../../src/ingest/broker-auth.js';
import { until } from '../support/until.js';

const KEY = 'AB'.repeat(32);
const OTHER = 'CD'.repeat(32);

const refusedWith = (code: number) => (err: Error & { code?: number }) => {
  assert.equal(err.code, code);
  return true;
};

test('topic patterns and loopback hosts', () => {
  assert.equal(topicMatches(`meshcore/+/${KEY}/#`, `meshcore/SEA/${KEY}/packets`), true);
  assert.equal(topicMatches(`meshcore/+/${KEY}/#`, `meshcore/SEA/${OTHER}/packets`), false);
  assert.equal(topicMatches('meshcore/+/X/status', 'meshcore/SEA/X/status'), true);
  assert.equal(topicMatches('meshcore/+/X/status', 'meshcore/SEA/X/status/more'), false);
  assert.equal(topicMatches('meshcore/#', 'meshcore'), true);
  assert.equal(topicMatches('a/+', 'a'), false);
  assert.deepEqual(
    ['127.0.0.1', '127.1.2.3', '::1', 'localhost', '0.0.0.0', '192.168.1.2', '::'].map(isLoopbackHost),
    [true, true, true, true, false, false, false],
  );
});

test('users: bad password refused (CONNACK 4) and counted, good accepted, publish outside the ACL refused and counted', async () => {
  const broker = new EmbeddedBroker({
    host: '127.0.0.1',
    port: 0,
    users: [
      { username: 'obs1', password: 'pw-one-long', topics: [`meshcore/+/${KEY}/#`] },
      { username: 'uploader', password: 'pw-two' },
    ],
  });
  await broker.start();
  try {
    // Users configured on loopback: anonymous is off unless allowAnonymous says otherwise.
    for (const creds of [
      { username: 'obs1', password: 'wrong' },
      { username: 'nobody', password: 'pw-two' },
      {},
    ])
      await assert.rejects(mqtt.connectAsync(broker.url, { ...creds, reconnectPeriod: 0 }), refusedWith(4));
    assert.equal(broker.stats().authFailures, 3);

    const sub = await mqtt.connectAsync(broker.url, { username: 'uploader', password: 'pw-two' });
    await sub.subscribeAsync('meshcore/#');
    const got: string[] = [];
    sub.on('message', (t) => got.push(t));
    const obs = await mqtt.connectAsync(broker.url, {
      username: 'obs1',
      password: 'pw-one-long',
      reconnectPeriod: 0,
    });
    await obs.publishAsync(`meshcore/SEA/${KEY}/packets`, '{}', { qos: 1 });
    await until(() => got.length === 1, { what: 'the allowed publish' });
    // Outside its ACL: not delivered, counted, and the client is disconnected (MQTT-3.3.5-2).
    const closed = new Promise<void>((resolve) => obs.once('close', () => resolve()));
    obs.publish(`meshcore/SEA/${OTHER}/packets`, '{}');
    await closed;
    await until(() => broker.stats().publishDenied === 1, { what: 'the denied publish counted' });
    // The unrestricted user publishes anywhere, except $SYS/.
    await sub.publishAsync(`meshcore/SEA/${OTHER}/status`, '{}', { qos: 1 });
    await until(() => got.length === 2, { what: "the uploader's publish" });
    assert.deepEqual(got, [`meshcore/SEA/${KEY}/packets`, `meshcore/SEA/${OTHER}/status`]);
    assert.equal(broker.stats().authFailures, 3);
    await obs.endAsync(true);
    await sub.endAsync();
  } finally {
    await broker.stop();
  }
});

test('anonymous access: on by default on loopback only; allowAnonymous overrides', async () => {
  const cases: [opts: { host: string; allowAnonymous?: boolean }, anonymousOk: boolean][] = [
    [{ host: '127.0.0.1' }, true],
    [{ host: '0.0.0.0' }, false],
    [{ host: '0.0.0.0', allowAnonymous: true }, true],
    [{ host: '127.0.0.1', allowAnonymous: false }, false],
  ];
  for (const [opts, anonymousOk] of cases) {
    const broker = new EmbeddedBroker({
      ...opts,
      port: 0,
      internal: { username: 'int', password: 'int-pw' },
    });
    await broker.start();
    try {
      if (anonymousOk) await (await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 })).endAsync();
      else await assert.rejects(mqtt.connectAsync(broker.url, { reconnectPeriod: 0 }), refusedWith(4));
      // The internal account always connects.
      await (await mqtt.connectAsync(broker.url, { username: 'int', password: 'int-pw' })).endAsync();
      assert.equal(broker.stats().authFailures, anonymousOk ? 0 : 1, JSON.stringify(opts));
    } finally {
      await broker.stop();
    }
  }
});

test('anonymous on: an unknown name connects as anonymous, a known name still needs its password', async () => {
  const broker = new EmbeddedBroker({
    host: '127.0.0.1',
    port: 0,
    allowAnonymous: true,
    users: [{ username: 'obs1', password: 'pw-one', topics: [`meshcore/+/${KEY}/#`] }],
  });
  await broker.start();
  try {
    await (await mqtt.connectAsync(broker.url, { username: 'someone', password: 'x' })).endAsync();
    await assert.rejects(
      mqtt.connectAsync(broker.url, { username: 'obs1', password: 'nope', reconnectPeriod: 0 }),
      refusedWith(4),
    );
    assert.equal(broker.stats().authFailures, 1);
  } finally {
    await broker.stop();
  }
});

test('config: broker.users are checked (duplicate names, topic patterns, empty passwords)', () => {
  const problems = (broker: unknown): string[] => {
    const path = join(mkdtempSync(join(tmpdir(), 'meshlens-cfg-')), 'config.json');
    writeFileSync(path, JSON.stringify({ broker }));
    try {
      loadConfig({ path, env: {} });
    } catch (err) {
      return (err as ConfigError).problems;
    }
    return [];
  };
  assert.deepEqual(problems({ users: [{ username: 'a', password: 'p', topics: ['meshcore/+/X/#'] }] }), []);
  assert.deepEqual(
    problems({
      username: 'a',
      password: 'p',
      users: [
        { username: 'a', password: 'p' },
        { username: 'b', password: 'q' },
        { username: 'b', password: 'r' },
      ],
    }).sort(),
    ["broker.users: user name 'a' is given twice", "broker.users: user name 'b' is given twice"],
  );
  assert.equal(problems({ users: [{ username: 'c', password: '' }] }).length, 1);
  assert.equal(problems({ users: [{ username: 'c', password: 'p', topics: ['meshcore/#/x'] }] }).length, 1);
  assert.equal(problems({ allowAnonymous: 'yes' }).length, 1);
});
