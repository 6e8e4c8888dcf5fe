// Issue 13, defect #2 (MQTT half): SIGKILL during sustained QoS 1 ingest through a real
// Mosquitto loses nothing. meshlens subscribes with QoS 1 on a persistent session and sends
// each PUBACK only after the message's rows are committed, so what the kill lost (received,
// not committed) and what was published while it was down are delivered again on the resumed
// session; dedup absorbs the duplicates. Three runs, each on its own database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import mqtt from 'mqtt';
import { join } from 'node:path';
import { startMosquitto } from '../ingest/mosquitto.js';
import { frame } from '../ingest/hand-frames.js';
import { until } from '../support/until.js';
import { observerTopic, start, tempDir, testConfig } from './harness.js';
import { getAny, spawnServe, writeConfig, type ServeProcess } from './serve-process.js';

const N = 1200;
const OBSERVER = 'D1'.repeat(32);
const GRP_TXT = 5;
const FLOOD = 1;

/** N distinct GRP_TXT frames (unknown channel): channel hash, MAC, one block holding `i`. */
function frames(run: number): string[] {
  return Array.from({ length: N }, (_, i) => {
    const p = new Uint8Array(19);
    p[0] = 0x42;
    new DataView(p.buffer).setUint32(3, i);
    p[7] = run;
    return frame(FLOOD, GRP_TXT, p);
  });
}

function storedTransmissions(dbPath: string): number {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM transmissions').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

function integrity(dbPath: string): string {
  const db = new Database(dbPath, { readonly: true });
  try {
    return (db.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check;
  } finally {
    db.close();
  }
}

/** Started, and its source subscribed: a probe message published now reaches it. */
async function subscribed(server: ServeProcess, probe: mqtt.MqttClient): Promise<void> {
  await until(
    async () => {
      const h = await getAny<{ mqtt?: { sources: { packetsTotal: number }[] } }>(server.url, '/api/health');
      if ((h.body.mqtt?.sources[0]?.packetsTotal ?? 0) > 0) return true;
      await probe.publishAsync('meshcore/probe', '{}');
      return false;
    },
    { what: 'the source to receive a probe', timeoutMs: 20_000, intervalMs: 50, ignoreErrors: true },
  );
}

async function run(mosquittoUrl: string, runNo: number): Promise<void> {
  const dir = tempDir('meshlens-durable-');
  const dbPath = join(dir, 'meshcore.db');
  const configPath = writeConfig(dir, 'config.json', {
    host: '127.0.0.1',
    port: 0,
    dbPath,
    broker: { enabled: false },
    mqttSources: [{ name: 'mosq', broker: mosquittoUrl }],
  });
  const publisher = await mqtt.connectAsync(mosquittoUrl, { clean: true });
  let server = await spawnServe(configPath);
  try {
    await subscribed(server, publisher);
    const raws = frames(runNo);
    const killAt = Math.floor(N / 3);
    let restarted: Promise<ServeProcess> | null = null;
    for (let i = 0; i < N; i += 20) {
      // A sustained stream: 20 messages at QoS 1 per Mosquitto round trip, paced a little.
      await Promise.all(
        raws.slice(i, i + 20).map((raw) =>
          publisher.publishAsync(observerTopic(OBSERVER), JSON.stringify({ raw, SNR: 5, RSSI: -90 }), {
            qos: 1,
          }),
        ),
      );
      if (i + 20 >= killAt && restarted === null) {
        // Mid-stream: some messages received and not yet committed are lost with the process.
        await server.kill();
        restarted = spawnServe(configPath);
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    server = await restarted!;
    await until(() => storedTransmissions(dbPath) >= N, {
      what: `${N} transmissions in SQLite (run ${runNo})`,
      timeoutMs: 20_000,
      intervalMs: 100,
    }).catch(() => undefined);
    // Exactly N: none lost, and redeliveries were deduplicated.
    assert.equal(storedTransmissions(dbPath), N, `run ${runNo}: transmissions in SQLite`);
  } finally {
    await publisher.endAsync();
    await server.stop();
  }
  assert.equal(integrity(dbPath), 'ok');
}

test('SIGKILL during sustained QoS 1 ingest through Mosquitto: every message stored, three runs', async () => {
  // Messages for the persistent session while meshlens is down: above Mosquitto's default 1000.
  const mosquitto = await startMosquitto({ extraConfig: ['max_queued_messages 100000'] });
  try {
    for (let runNo = 1; runNo <= 3; runNo++) await run(mosquitto.url, runNo);
  } finally {
    await mosquitto.stop();
  }
});

test('a clean stop commits and acknowledges what arrived: the restart gets no redeliveries', async () => {
  const mosquitto = await startMosquitto();
  const dir = tempDir('meshlens-durable-');
  const config = testConfig(dir, {
    broker: { enabled: false },
    mqttSources: [{ name: 'mosq', broker: mosquitto.url }],
  });
  const publisher = await mqtt.connectAsync(mosquitto.url);
  let server = await start(config);
  try {
    await until(() => server.sources[0].status().subscribed, { what: 'subscribed' });
    const raws = frames(9).slice(0, 300);
    await Promise.all(
      raws.map((raw) => publisher.publishAsync(observerTopic(OBSERVER), JSON.stringify({ raw }), { qos: 1 })),
    );
    // Stop while the stream is being handled.
    await until(() => server.store.memory().rows.transmissions > 0, { what: 'ingest under way' });
    await server.stop();
    server = await start(config);
    await until(() => server.store.memory().rows.transmissions === raws.length, { what: 'all stored' });
    // Mosquitto resends unacknowledged messages right after the CONNACK, before the SUBACK.
    await until(() => server.sources[0].status().subscribed, { what: 'resubscribed' });
    await server.writer.flush();
    assert.equal(
      server.pipeline.stats().redeliveries,
      0,
      'every message handled before the stop was acknowledged',
    );
  } finally {
    await publisher.endAsync();
    await server.stop();
    await mosquitto.stop();
  }
});
