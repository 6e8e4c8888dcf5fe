import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/index.js';
import { resolveSources, withDelivery } from '../../src/ingest/sources.js';

const dir = mkdtempSync(join(tmpdir(), 'meshlens-sources-'));
function config(value: unknown, env: Record<string, string> = {}) {
  const p = join(dir, `${Math.random()}.json`);
  writeFileSync(p, JSON.stringify(value));
  return loadConfig({ path: p, env }).config;
}

test('no sources and the embedded broker: subscribe to the embedded broker only', () => {
  const sources = resolveSources(config({}), 'mqtt://127.0.0.1:1883');
  assert.deepEqual(sources, [
    { maxMessageBytes: 16384, name: 'embedded', url: 'mqtt://127.0.0.1:1883', topics: ['meshcore/#'] },
  ]);
});

test('no sources and no embedded broker: CoreScope fallback to localhost:1883', () => {
  assert.deepEqual(resolveSources(config({ broker: { enabled: false } }), null), [
    { maxMessageBytes: 16384, name: 'default', url: 'mqtt://localhost:1883', topics: ['meshcore/#'] },
  ]);
});

test('legacy mqtt block becomes source default, its topic joined by meshcore/#', () => {
  const sources = resolveSources(
    config({ mqtt: { broker: 'mqtt://old:1883', topic: 'meshcore/+/+/packets' } }),
    null,
  );
  assert.deepEqual(sources, [
    {
      maxMessageBytes: 16384,
      name: 'default',
      url: 'mqtt://old:1883',
      topics: ['meshcore/+/+/packets', 'meshcore/#'],
    },
  ]);
});

test('configured sources keep their options; MQTT_BROKER replaces them; embedded credentials carried', () => {
  const c = config({
    mqtt: { broker: 'mqtt://ignored' },
    broker: { username: 'obs', password: 'pw-0123456789' },
    mqttSources: [
      {
        name: 'lm',
        broker: 'mqtts://u:p@x:8883',
        username: 'u',
        password: 'p',
        rejectUnauthorized: false,
        iataFilter: ['SEA'],
        region: 'SEA',
        connectTimeoutSec: 5,
      },
    ],
  });
  assert.deepEqual(resolveSources(c, 'mqtt://127.0.0.1:1883'), [
    {
      maxMessageBytes: 16384,
      name: 'lm',
      url: 'mqtts://u:p@x:8883',
      topics: ['meshcore/#'],
      username: 'u',
      password: 'p',
      rejectUnauthorized: false,
      iataFilter: ['SEA'],
      region: 'SEA',
      connectTimeoutSec: 5,
    },
    {
      maxMessageBytes: 16384,
      name: 'embedded',
      url: 'mqtt://127.0.0.1:1883',
      topics: ['meshcore/#'],
      username: 'obs',
      password: 'pw-0123456789',
    },
  ]);
  const env = resolveSources(
    config({ mqttSources: [{ name: 'a', broker: 'mqtt://a' }] }, { MQTT_BROKER: 'mqtt://e' }),
    null,
  );
  assert.deepEqual(
    env.map((s) => [s.name, s.url]),
    [['env', 'mqtt://e']],
  );
});

test('delivery options: QoS 1, persistent session, a client id stable per source and database', () => {
  const c = config({
    dbPath: join(dir, 'a.db'),
    mqttIngest: { silenceFloorSec: 30 },
    mqttSources: [
      { name: 'lm', broker: 'mqtt://x' },
      { name: 'own id', broker: 'mqtt://y', clientId: 'mine', qos: 0, persistentSession: false },
    ],
  });
  const [lm, own, embedded] = withDelivery(c, resolveSources(c, 'mqtt://127.0.0.1:1883'));
  assert.match(lm.clientId!, /^meshlens-lm-[0-9a-f]{12}$/);
  assert.deepEqual(
    [lm.qos, lm.persistentSession, lm.deferAcks, lm.silenceFloorMs, lm.maxReconnectDelayMs],
    [1, true, true, 30_000, 2000],
  );
  assert.deepEqual([own.clientId, own.qos, own.persistentSession], ['mine', 0, false]);
  assert.match(embedded.clientId!, /^meshlens-embedded-[0-9a-f]{12}$/);
  // The same database gives the same ids (a restart resumes the session); another one differs.
  const again = withDelivery(c, resolveSources(c, null));
  assert.equal(again[0].clientId, lm.clientId);
  const other = config({ dbPath: join(dir, 'b.db'), mqttSources: [{ name: 'lm', broker: 'mqtt://x' }] });
  assert.notEqual(withDelivery(other, resolveSources(other, null))[0].clientId, lm.clientId);
});
