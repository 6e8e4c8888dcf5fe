import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, defaultConfig, loadConfig } from '../../src/config/index.js';

const dir = mkdtempSync(join(tmpdir(), 'meshlens-config-'));
let n = 0;
function file(value: unknown): string {
  const p = join(dir, `config-${n++}.json`);
  writeFileSync(p, typeof value === 'string' ? value : JSON.stringify(value));
  return p;
}
function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.problems;
  }
  assert.fail('expected a ConfigError');
}

test('no file and no env gives the defaults, deep-frozen', () => {
  const { config, warnings, path } = loadConfig({ path: file({}), env: {} });
  assert.equal(config.port, 3000);
  assert.deepEqual(config.broker, {
    enabled: true,
    host: '127.0.0.1',
    port: 1883,
    users: [],
    allowAnonymous: 'auto',
  });
  assert.deepEqual(config.retention, defaultConfig.retention);
  assert.deepEqual(warnings, []);
  assert.match(path ?? '', /config-\d+\.json$/);
  assert.ok(
    Object.isFrozen(config) &&
      Object.isFrozen(config.retention) &&
      Object.isFrozen(config.hiddenNamePrefixes),
  );
  assert.throws(() => {
    (config.retention as { nodeDays: number }).nodeDays = 1;
  }, TypeError);
});

test('file values merge over nested defaults', () => {
  const { config } = loadConfig({
    path: file({ retention: { packetDays: 30 }, broker: { port: 1999 } }),
    env: {},
  });
  assert.equal(config.retention.packetDays, 30);
  assert.equal(config.retention.nodeDays, 7);
  assert.deepEqual(config.broker, {
    enabled: true,
    host: '127.0.0.1',
    port: 1999,
    users: [],
    allowAnonymous: 'auto',
  });
});

// Rule class: types, ranges, enums, patterns.
test('type, range, enum and pattern errors name the key path', () => {
  const problems = problemsOf(() =>
    loadConfig({
      path: file({
        port: 70000,
        validateSignatures: 'yes',
        foreignAdverts: { mode: 'hide' },
        channelKeys: { '#x': 'nothex' },
        mqttSources: [{ name: 'a', broker: 'http://example' }],
        analytics: { loraPreset: { sf: 13 } },
      }),
      env: {},
    }),
  );
  assert.deepEqual(problems.sort(), [
    'analytics.loraPreset.sf: must be <= 12',
    'channelKeys.#x: must NOT have fewer than 32 characters',
    'channelKeys.#x: must be hex digits',
    'foreignAdverts.mode: must be one of "flag", "drop"',
    'mqttSources[0].broker: must be an mqtt://, mqtts://, ws:// or wss:// URL',
    'port: must be <= 65535',
    'validateSignatures: must be boolean',
  ]);
});

// Rule class: closed objects and required keys.
test('unknown nested keys and missing required keys are errors, all reported at once', () => {
  const err = (() => {
    try {
      loadConfig({ path: file({ retention: { nodeDay: 3 }, mqttSources: [{ name: 'x' }] }), env: {} });
    } catch (e) {
      return e as ConfigError;
    }
  })();
  assert.ok(err instanceof ConfigError);
  assert.equal(err.code, 'MESHLENS_ERR_CONFIG');
  assert.deepEqual(err.problems, [
    'mqttSources[0].broker: is required',
    'retention.nodeDay: unknown key (allowed: nodeDays, observerDays, packetDays, metricsDays, clientRxDays, observerNoPacketHours)',
  ]);
  assert.match(err.message, /2 problems:\n {2}- mqttSources\[0\]\.broker: is required\n/);
});

// Rule class: cross-field rules the schema cannot express.
test('weak API key, duplicate source names and half broker credentials are rejected', () => {
  const problems = problemsOf(() =>
    loadConfig({
      path: file({
        apiKey: 'short',
        mqttSources: [
          { name: 'a', broker: 'mqtt://h1' },
          { name: 'a', broker: 'mqtt://h2' },
        ],
        broker: { username: 'u' },
      }),
      env: {},
    }),
  );
  assert.deepEqual(problems, [
    'apiKey: too weak: is shorter than 16 characters',
    "mqttSources[1].name: duplicate source name 'a'",
    'broker: username and password must be given together',
  ]);
  assert.deepEqual(
    problemsOf(() => loadConfig({ path: file({ apiKey: 'change-me' }), env: {} })),
    ['apiKey: too weak: is a well-known placeholder'],
  );
  assert.deepEqual(
    problemsOf(() => loadConfig({ path: file({ apiKey: 'a'.repeat(20) }), env: {} })),
    ['apiKey: too weak: repeats one character'],
  );
});

// Rule class: top-level keys outside our schema.
test('_comment keys are dropped, UI keys pass through, CoreScope and unknown keys warn', () => {
  const { config, warnings } = loadConfig({
    path: file({
      _comment: 'doc',
      _comment_port: 'doc',
      retention: { _comment: 'nested doc', nodeDays: 3 },
      branding: { siteName: 'Mesh' },
      packetStore: { maxMemoryMB: 1024 },
      prot: 3000,
    }),
    env: {},
  });
  assert.deepEqual(config.ui, { branding: { siteName: 'Mesh' } });
  assert.equal(config.retention.nodeDays, 3);
  assert.equal('_comment' in config, false);
  assert.equal('_comment' in config.retention, false);
  assert.deepEqual(warnings, [
    'packetStore: CoreScope key not used by meshlens; ignored',
    "prot: unknown key, ignored (did you mean 'port'?)",
  ]);
});

test('unreadable, non-JSON and non-object files are config errors', () => {
  assert.deepEqual(
    problemsOf(() => loadConfig({ path: file('[1]'), env: {} })),
    ['(top level): must be a JSON object'],
  );
  assert.match(problemsOf(() => loadConfig({ path: file('{ port: 1'), env: {} }))[0], /^invalid JSON: /);
  assert.match(
    problemsOf(() => loadConfig({ path: join(dir, 'missing.json'), env: {} }))[0],
    /^cannot read the file: /,
  );
});

test('environment overrides the file; flags override the environment', () => {
  const path = file({
    port: 4000,
    dbPath: 'file.db',
    apiKey: 'file-key-0123456789',
    corsAllowedOrigins: ['https://a'],
  });
  const env = {
    PORT: '5000',
    DB_PATH: 'env.db',
    API_KEY: 'env-key-0123456789',
    CHANNEL_KEYS_PATH: '/keys.json',
    CORS_ALLOWED_ORIGINS: 'https://b, https://c,',
  };
  const { config } = loadConfig({ path, env });
  assert.equal(config.port, 5000);
  assert.equal(config.dbPath, 'env.db');
  assert.equal(config.apiKey, 'env-key-0123456789');
  assert.equal(config.channelKeysPath, '/keys.json');
  assert.deepEqual(config.corsAllowedOrigins, ['https://b', 'https://c']);
  const flagged = loadConfig({ path, env, overrides: { port: '6000', dbPath: 'flag.db' } }).config;
  assert.equal(flagged.port, 6000);
  assert.equal(flagged.dbPath, 'flag.db');
  assert.equal(loadConfig({ path, env: { PORT: '' } }).config.port, 4000);
});

test('MQTT_BROKER (+MQTT_TOPIC) replaces every configured source', () => {
  const path = file({ mqtt: { broker: 'mqtt://legacy' }, mqttSources: [{ name: 'a', broker: 'mqtt://a' }] });
  const { config } = loadConfig({
    path,
    env: { MQTT_BROKER: 'mqtts://env:8883', MQTT_TOPIC: 'meshcore/SEA/#' },
  });
  assert.deepEqual(config.mqttSources, [
    { name: 'env', broker: 'mqtts://env:8883', topics: ['meshcore/SEA/#'] },
  ]);
  assert.equal(config.mqtt, undefined);
  assert.deepEqual(loadConfig({ path, env: { MQTT_BROKER: 'mqtt://e' } }).config.mqttSources[0].topics, [
    'meshcore/#',
  ]);
});

test('a bad value from the environment or a flag says where it came from', () => {
  assert.deepEqual(
    problemsOf(() => loadConfig({ path: file({}), env: { PORT: 'abc', API_KEY: 'test' } })),
    [
      'port: must be integer (from env PORT)',
      'apiKey: too weak: is a well-known placeholder (from env API_KEY)',
    ],
  );
  assert.deepEqual(
    problemsOf(() => loadConfig({ path: file({}), env: {}, overrides: { port: '-1' } })),
    ['port: must be integer (from --port)'],
  );
});

// Issue 13: MQTT delivery and resilience keys (defaults, per-source overrides, bad values).
test('mqttIngest defaults, per-source qos/clientId/persistentSession, and their problems', () => {
  const { config } = loadConfig({ path: file({}), env: {} });
  assert.deepEqual(config.mqttIngest, {
    qos: 1,
    persistentSession: true,
    maxReconnectDelayMs: 2000,
    silenceFloorSec: 60,
    silenceFactor: 10,
    redeliverAfterSec: 5,
    readyRequiresSources: true,
  });
  assert.deepEqual(
    problemsOf(() =>
      loadConfig({
        path: file({
          mqttIngest: { qos: 2, silenceFloorSec: 0, maxReconnectDelayMs: 10 },
          mqttSources: [
            { name: 'a', broker: 'mqtt://h1', clientId: 'x', qos: 1, persistentSession: false },
            { name: 'b', broker: 'mqtt://h2', clientId: 'x' },
          ],
        }),
        env: {},
      }),
    ).sort(),
    [
      'mqttIngest.maxReconnectDelayMs: must be >= 50',
      'mqttIngest.qos: must be one of 0, 1',
      'mqttIngest.silenceFloorSec: must be >= 0.1',
      "mqttSources[1].clientId: duplicate client id 'x'",
    ].sort(),
  );
});
