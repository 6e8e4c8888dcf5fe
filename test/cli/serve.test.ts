import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { loadConfig } from '../../src/config/index.js';
import { parseServeArgs, serveHelp } from '../../src/cli/serve.js';
import { startServer } from '../../src/server/index.js';
import { until } from '../support/until.js';

type HealthBody = {
  ingest: { packets: number; statuses: number; rejected: Record<string, number> };
  mqtt: { sources: { name: string; connected: boolean }[] };
};
type PerfBody = {
  rejections: { byCode: Record<string, number> };
  endpoints: Record<string, { count: number }>;
};

const dir = mkdtempSync(join(tmpdir(), 'meshlens-serve-'));
const OBS = 'CD'.repeat(32);
function file(name: string, value: unknown): string {
  const p = join(dir, name);
  writeFileSync(p, JSON.stringify(value));
  return p;
}
const testConfig = (extra: Record<string, unknown> = {}) =>
  loadConfig({
    path: file(`c${Math.random()}.json`, {
      host: '127.0.0.1',
      port: 0,
      broker: { port: 0 },
      dbPath: join(dir, `db-${Math.random()}.db`),
      ...extra,
    }),
    env: {},
  }).config;

test('config.example.json loads, warns only about the keys not used yet, and equals the defaults', () => {
  const example = loadConfig({ path: 'config.example.json', env: {} });
  // Every key of the example is applied now (neighbor edges and the LoRa preset since issue 10):
  // no warnings.
  assert.deepEqual(
    example.warnings.map((w) => w.split(':')[0]),
    [],
  );
  assert.deepEqual(example.config, loadConfig({ path: file('empty.json', {}), env: {} }).config);
});

test('--help lists every flag and environment variable', () => {
  const help = serveHelp();
  for (const word of [
    '--config',
    '--port',
    '--db',
    '--help',
    'PORT',
    'DB_PATH',
    'MQTT_BROKER',
    'MQTT_TOPIC',
    'API_KEY',
    'CHANNEL_KEYS_PATH',
    'CORS_ALLOWED_ORIGINS',
  ])
    assert.ok(help.includes(word), word);
  assert.deepEqual(parseServeArgs(['--config', 'a.json', '--port=8080', '--db', 'x.db']), {
    help: false,
    config: 'a.json',
    port: '8080',
    db: 'x.db',
  });
  assert.throws(() => parseServeArgs(['--bogus']), /unknown option '--bogus'/);
  assert.throws(() => parseServeArgs(['--port']), /--port needs a value/);
});

test('meshlens serve: bad config exits 2 naming every problem; unknown flag exits 2', () => {
  const bad = file('bad.json', { port: 'x', retention: { nodeDay: 1 } });
  const r = spawnSync(process.execPath, ['bin/meshlens.js', 'serve', '--config', bad], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /bad configuration: .*bad\.json: 2 problems:/);
  assert.match(r.stderr, /- port: must be integer/);
  assert.match(r.stderr, /- retention\.nodeDay: unknown key/);
  const env = spawnSync(process.execPath, ['bin/meshlens.js', 'serve', '--config', file('ok.json', {})], {
    encoding: 'utf8',
    env: { ...process.env, API_KEY: 'test' },
  });
  assert.equal(env.status, 2);
  assert.match(env.stderr, /apiKey: too weak: is a well-known placeholder \(from env API_KEY\)/);
  const flag = spawnSync(process.execPath, ['bin/meshlens.js', 'serve', '--nope'], { encoding: 'utf8' });
  assert.equal(flag.status, 2);
  assert.match(flag.stderr, /unknown option '--nope'/);
});

test('startServer: HTTP + embedded broker; messages parsed, rejections counted; stop is idempotent', async () => {
  const server = await startServer(testConfig(), { analytics: false });
  try {
    await server.loaded;
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(server.brokerUrl ?? '', /^mqtt:\/\/127\.0\.0\.1:\d+$/);
    const client = await mqtt.connectAsync(server.brokerUrl!);
    const source = server.sources[0];
    const poll = { timeoutMs: 10_000, intervalMs: 20 };
    await until(() => source.connected, { ...poll, what: 'the source to connect' });
    // Subscription is live once a probe comes through.
    await until(
      async () => {
        if (source.status().packetsTotal > 0) return true;
        await client.publishAsync('meshcore/probe', '{}');
        return false;
      },
      { ...poll, what: 'a probe to come through' },
    );
    await client.publishAsync(`meshcore/SEA/${OBS}/packets`, '{"raw":"1200AB","SNR":"-5dB"}');
    await client.publishAsync(`meshcore/SEA/${OBS}/status`, '{"model":"Heltec V3"}');
    await client.publishAsync(`meshcore/SEA/${OBS}/packets`, 'not json');
    await client.publishAsync(`meshcore/SEA/${OBS}/packets`, 'x'.repeat(20000));
    await until(() => server.rejections.count('oversize') > 0, { ...poll, what: 'the oversize rejection' });
    await client.endAsync();
    await server.pipeline.idle();

    const health = (await (await fetch(`${server.url}/api/health`)).json()) as HealthBody;
    assert.equal(health.ingest.packets, 1);
    assert.equal(health.ingest.statuses, 1);
    // 1200AB is an ADVERT header with a 1-byte payload: decoded, then refused by the gate.
    assert.equal(health.ingest.rejected.advert_payload_error, 1);
    assert.equal(health.ingest.rejected.invalid_json, 1);
    assert.equal(health.ingest.rejected.oversize, 1);
    assert.ok(health.ingest.rejected.unknown_topic >= 1);
    assert.equal(health.mqtt.sources[0].name, 'embedded');
    assert.equal(health.mqtt.sources[0].connected, true);
    const healthz = await fetch(`${server.url}/api/healthz`);
    assert.equal(healthz.status, 200);
    const perf = (await (await fetch(`${server.url}/api/perf`)).json()) as PerfBody;
    assert.equal(perf.rejections.byCode.invalid_json, 1);
    assert.equal(perf.endpoints['GET /api/health'].count, 1);
  } finally {
    await Promise.all([server.stop(), server.stop()]);
  }
  await server.stop();
  await assert.rejects(fetch(`${server.url}/api/healthz`));
  // One lifecycle: units started in the documented order, each stopped exactly once.
  assert.deepEqual(
    server.units().map((u) => [u.name, u.state]),
    [
      'database',
      'writer thread',
      'sqlite readers',
      'memory store',
      'ingest pipeline',
      'retention scheduler',
      'channel discovery',
      'http',
      'store load',
      'mqtt broker',
      'mqtt sources',
    ].map((name) => [name, 'stopped']),
  );
});

test('meshlens serve prints the URL, serves, and exits 0 on SIGTERM', async () => {
  const config = file('run.json', {
    host: '127.0.0.1',
    port: 0,
    broker: { port: 0 },
    dbPath: join(dir, 'run.db'),
  });
  const child = spawn(process.execPath, ['bin/meshlens.js', 'serve', '--config', config], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += String(d);
      const m = /listening on (http:\/\/\S+)\n[^]*embedded MQTT broker on/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
  assert.match(out, /embedded MQTT broker on mqtt:\/\/127\.0\.0\.1:\d+/);
  // HTTP answers at once; /api/healthz is 503 until the (empty) store has loaded.
  const r = await until(
    async () => {
      const res = await fetch(`${url}/api/healthz`);
      return res.status === 503 ? null : res;
    },
    { what: 'the store to load', timeoutMs: 10_000, intervalMs: 50 },
  );
  assert.equal(r.status, 200);
  const body = (await r.json()) as { ready: boolean; components: { store: { ready: boolean } } };
  assert.equal(body.ready, true);
  assert.equal(body.components.store.ready, true);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
});
