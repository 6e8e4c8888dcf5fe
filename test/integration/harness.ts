// Shared setup for the integration tests: a real server (startServer) on a temp SQLite file,
// port 0 and the embedded broker on port 0 (or an external broker), plus an mqtt client.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { loadConfig, type MeshlensConfig } from '../../src/config/index.js';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { createSimulator, type SimPacketMessage } from '../../src/sim/index.js';
import { until } from '../support/until.js';

export const API_KEY = 'integration-Key-7f3b9c21';

export function tempDir(prefix = 'meshlens-it-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function testConfig(dir: string, extra: Record<string, unknown> = {}): Readonly<MeshlensConfig> {
  const path = join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(
    path,
    JSON.stringify({
      host: '127.0.0.1',
      port: 0,
      broker: { port: 0 },
      dbPath: join(dir, 'meshcore.db'),
      apiKey: API_KEY,
      ...extra,
    }),
  );
  return loadConfig({ path, env: {} }).config;
}

/** Starts the server and waits for the store load and a live subscription of source 0. */
export async function start(config: Readonly<MeshlensConfig>): Promise<RunningServer> {
  const server = await startServer(config, { analytics: false });
  await server.loaded;
  return server;
}

/** An mqtt client on `url`, once a probe shows that the server's first source is subscribed. */
export async function connectPublisher(server: RunningServer, url = server.brokerUrl!): Promise<MqttClient> {
  const client = await mqtt.connectAsync(url);
  const source = server.sources[0];
  await until(
    async () => {
      if (source.status().packetsTotal > 0) return true;
      await client.publishAsync('meshcore/status', '{}');
      await new Promise((r) => setTimeout(r, 30));
      return source.status().packetsTotal > 0;
    },
    { what: 'source subscription', intervalMs: 20 },
  );
  return client;
}

/** Waits until the pipeline has handled `n` more messages than `before` and drained. */
export async function settle(server: RunningServer, consumedBefore: number, n: number): Promise<void> {
  await until(() => server.pipeline.queue.stats().consumed >= consumedBefore + n, {
    what: `${n} messages ingested`,
  });
  await server.pipeline.idle();
}

export async function getJson<T = any>(server: RunningServer, path: string): Promise<T> {
  const res = await fetch(server.url + path);
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** The first `count` distinct-transmission packet messages of a seeded small simulation. */
export function simPackets(count: number, filter: (m: SimPacketMessage) => boolean = () => true) {
  const sim = createSimulator('small', { seed: 11 });
  const seen = new Set<number>();
  const out: SimPacketMessage[] = [];
  for (let m = sim.next(); m && out.length < count; m = sim.next()) {
    if (m.kind !== 'packet' || m.duplicate || seen.has(m.txKey) || !filter(m)) continue;
    seen.add(m.txKey);
    out.push(m);
  }
  return out;
}

export const observerTopic = (id: string, iata = 'SEA', kind = 'packets') => `meshcore/${iata}/${id}/${kind}`;
