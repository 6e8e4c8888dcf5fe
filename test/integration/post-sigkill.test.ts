// Issue 13 defect 2: a 200 from POST /api/packets means the packet is committed. The real CLI
// server takes a sustained stream of distinct frames from concurrent clients and is SIGKILLed
// mid-stream; the SQLite file must then hold every packet that was answered 200, and pass
// integrity_check. Three runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { API_KEY, tempDir } from './harness.js';
import { distinctFrame, postFrame, readHashes } from './durability-support.js';
import { until } from '../support/until.js';

const CLIENTS = 8;
const KILL_AFTER_ACKS = 300;

async function runOnce(
  run: number,
): Promise<{ acked: number; stored: number; missing: string[]; integrity: string }> {
  const dir = tempDir('meshlens-kill-');
  const dbPath = join(dir, 'meshcore.db');
  const config = join(dir, 'config.json');
  writeFileSync(
    config,
    JSON.stringify({
      host: '127.0.0.1',
      port: 0,
      broker: { enabled: false },
      // No MQTT: ready = store loaded (the default source at localhost:1883 never connects).
      mqttIngest: { readyRequiresSources: false },
      dbPath,
      apiKey: API_KEY,
    }),
  );
  const child = spawn(process.execPath, ['bin/meshlens.js', 'serve', '--config', config], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        out += String(d);
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]);
      });
      child.once('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
    });
    await until(async () => (await fetch(`${url}/api/healthz`)).status === 200, {
      what: 'server ready',
      ignoreErrors: true,
      timeoutMs: 30_000,
    });
    const acked = new Set<string>();
    let next = 0;
    let killed = false;
    const client = async () => {
      while (!killed) {
        const frame = distinctFrame(next++, run);
        try {
          const r = await postFrame(url, API_KEY, frame);
          if (r.status === 200) acked.add(r.body.hash);
          else if (!killed) throw new Error(`POST answered ${r.status}: ${JSON.stringify(r.body)}`);
        } catch (err) {
          if (!killed) throw err;
        }
      }
    };
    const clients = Array.from({ length: CLIENTS }, client);
    await until(() => acked.size >= KILL_AFTER_ACKS, {
      what: `${KILL_AFTER_ACKS} acknowledged POSTs`,
      timeoutMs: 30_000,
    });
    // From here a failed request is the kill, not an error (it races the answers in flight).
    killed = true;
    child.kill('SIGKILL');
    await exited;
    await Promise.all(clients);
    const { hashes, integrity } = readHashes(dbPath);
    return {
      acked: acked.size,
      stored: hashes.size,
      missing: [...acked].filter((h) => !hashes.has(h)),
      integrity,
    };
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
}

test('SIGKILL during a sustained POST stream loses no acknowledged packet (three runs)', async () => {
  for (let run = 1; run <= 3; run++) {
    const r = await runOnce(run);
    assert.equal(r.integrity, 'ok', `run ${run}: integrity_check`);
    assert.ok(r.acked >= KILL_AFTER_ACKS, `run ${run}: ${r.acked} acknowledged`);
    assert.deepEqual(
      r.missing,
      [],
      `run ${run}: ${r.missing.length} of ${r.acked} acknowledged packets lost`,
    );
    assert.ok(r.stored >= r.acked, `run ${run}: ${r.stored} stored`);
  }
});
