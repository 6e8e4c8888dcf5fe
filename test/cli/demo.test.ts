// Demo mode end to end, as a new user runs it: `meshlens serve --demo` in an empty directory
// must create its own database under ./data, feed the embedded broker, and show live packets,
// nodes and the demo marker through the API within seconds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { demoConfig, DEMO_DB, parseServeArgs } from '../../src/cli/serve.js';
import { loadConfig } from '../../src/config/index.js';
import { until } from '../support/until.js';

const BIN = resolve('bin/meshlens.js');

async function getJson(url: string): Promise<{ status: number; body: any }> {
  const r = await fetch(url);
  return { status: r.status, body: await r.json() };
}

/** Polls every 250 ms; a failing fetch (server not up yet) counts as "not yet". */
const poll = (what: string, timeoutMs: number) => ({ what, timeoutMs, intervalMs: 250, ignoreErrors: true });

test('--demo is a flag without a value; demoConfig forces the broker and the demo channels', () => {
  assert.equal(parseServeArgs(['--demo']).demo, true);
  assert.throws(() => parseServeArgs(['--demo=1']), /unknown option/);
  const dir = mkdtempSync(join(tmpdir(), 'meshlens-democfg-'));
  const path = join(dir, 'c.json');
  writeFileSync(path, JSON.stringify({ broker: { enabled: false }, hashChannels: ['#mine'] }));
  const c = demoConfig(loadConfig({ path, env: {} }).config);
  assert.equal(c.broker.enabled, true);
  assert.ok(c.hashChannels.includes('#mine') && c.hashChannels.includes('#test'));
});

test('meshlens serve --demo in an empty directory serves live simulated traffic', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'meshlens-demo-'));
  writeFileSync(
    join(cwd, 'config.json'),
    JSON.stringify({ host: '127.0.0.1', port: 0, broker: { port: 0 } }),
  );
  // DB_PATH must not redirect demo traffic into an operator's database.
  const operatorDb = join(cwd, 'operator.db');
  const child = spawn(process.execPath, [BIN, 'serve', '--demo', '--config', 'config.json'], {
    cwd,
    env: { ...process.env, DB_PATH: operatorDb },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  try {
    const base = await until(
      async () => out.match(/listening on (http:\/\/\S+)/)?.[1],
      poll('the URL', 60_000),
    );
    assert.match(out, /demo mode/);
    const health = await until(
      async () => {
        const h = await getJson(`${base}/api/health`);
        return h.body.demo ? h.body : undefined;
      },
      poll('the demo marker', 30_000),
    );
    assert.equal(health.demo.demo, true);
    assert.equal(health.demo.dbPath, DEMO_DB);
    // Packets, observers and advertising nodes appear within seconds.
    const stats = await until(
      async () => {
        const s = await getJson(`${base}/api/stats`);
        return s.status === 200 && s.body.totalTransmissions >= 5 && s.body.totalNodesAllTime > 0
          ? s.body
          : undefined;
      },
      poll('packets and nodes', 60_000),
    );
    assert.ok(stats.totalTransmissions > 0 && stats.totalObservers > 0);
    const packets = await getJson(`${base}/api/packets?limit=5`);
    assert.equal(packets.status, 200);
    assert.equal(packets.body.packets.length, 5);
    assert.ok(packets.body.total >= 5);
    assert.ok(existsSync(join(cwd, DEMO_DB)), 'demo database under ./data');
    assert.ok(!existsSync(operatorDb), 'the operator database is never touched');
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
});
