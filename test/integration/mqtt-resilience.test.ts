// Issue 13, MQTT risks, against the real server (startServer on a SQLite file):
// - /api/healthz is ready only once every source is subscribed: a message published right
//   after "ready" is stored;
// - after a Mosquitto outage the source is back (connected and subscribed) within ~2 s of the
//   broker, and what is published afterwards is all stored;
// - a broker that keeps the connection but stops delivering is detected against the source's
//   own rate, resubscribed then reconnected, reported degraded, and recovers by itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { startMosquitto } from '../ingest/mosquitto.js';
import { until } from '../support/until.js';
import { observerTopic, simPackets, start, tempDir, testConfig } from './harness.js';
import { getAny } from './serve-process.js';
import type { RunningServer } from '../../src/server/index.js';

const OBSERVER = 'E7'.repeat(32);

async function healthz(server: RunningServer) {
  return getAny<{ ready: boolean; reason?: string }>(server.url, '/api/healthz');
}

/** Receipts of the server's first source (its worker-side counter). */
const received = (server: RunningServer) => server.sources[0].status().packetsTotal;

test('healthz is ready only once subscribed: messages published right after ready are all stored', async () => {
  // A broker slow to confirm subscriptions (SUBACK 1.5 s after SUBSCRIBE): connected is not
  // subscribed, and what is published in between is not delivered.
  const broker = await testBroker({ subscribeDelayMs: 1500 });
  const config = testConfig(tempDir(), {
    broker: { enabled: false },
    mqttSources: [{ name: 'slow', broker: broker.url }],
  });
  const publisher = await mqtt.connectAsync(broker.url);
  const server = await start(config);
  try {
    const ready = await until(
      async () => {
        const h = await healthz(server);
        return h.status === 200 ? h : null;
      },
      { what: 'healthz ready', intervalMs: 5 },
    );
    assert.equal(ready.body.ready, true);
    const frames = simPackets(50).map((m) => m.payload.raw);
    for (const raw of frames) await publisher.publishAsync(observerTopic(OBSERVER), JSON.stringify({ raw }));
    await until(() => server.store.memory().rows.transmissions >= frames.length, {
      what: `${frames.length} transmissions`,
      timeoutMs: 5000,
    }).catch(() => undefined);
    assert.equal(
      server.store.memory().rows.transmissions,
      frames.length,
      'none published after ready was lost',
    );
  } finally {
    await publisher.endAsync();
    await server.stop();
    await broker.stop();
  }
});

test('a Mosquitto outage: resubscribed within 3 s of the broker coming back; later messages all stored', async (t) => {
  let mosquitto = await startMosquitto();
  const port = mosquitto.port;
  const config = testConfig(tempDir(), {
    broker: { enabled: false },
    mqttSources: [{ name: 'mosq', broker: mosquitto.url }],
  });
  const server = await start(config);
  try {
    await until(async () => (await healthz(server)).status === 200, { what: 'healthz ready' });
    await mosquitto.stop();
    await until(() => !server.sources[0].status().connected, { what: 'the source to see the outage' });
    // Asserted after the timing below (what the outage is mainly about).
    const down = await until(
      async () => {
        const h = await healthz(server);
        return h.status === 503 ? h : null;
      },
      { what: 'healthz not ready while the broker is down', timeoutMs: 2000 },
    ).catch(() => null);
    // The outage: long enough for a doubling backoff without a cap to wait ~8 s more.
    await new Promise((r) => setTimeout(r, 8000));
    mosquitto = await startMosquitto({ port });
    const backAt = performance.now();
    const publisher = await mqtt.connectAsync(mosquitto.url);
    try {
      // Subscribed = a probe published now is received.
      const before = received(server);
      await until(
        async () => {
          await publisher.publishAsync('meshcore/probe', '{}');
          return received(server) > before;
        },
        { what: 'resubscription', timeoutMs: 20_000, intervalMs: 25 },
      );
      const ms = performance.now() - backAt;
      t.diagnostic(`resubscribed ${Math.round(ms)} ms after the broker came back`);
      assert.ok(ms <= 3000, `resubscribed ${Math.round(ms)} ms after the broker came back`);
      assert.match(down?.body.reason ?? 'healthz stayed ready', /^mqtt source mosq: not connected/);
      const frames = simPackets(40).map((m) => m.payload.raw);
      const base = server.store.memory().rows.transmissions;
      for (const raw of frames)
        await publisher.publishAsync(observerTopic(OBSERVER), JSON.stringify({ raw }), { qos: 1 });
      await until(() => server.store.memory().rows.transmissions >= base + frames.length, {
        what: 'the messages published after the outage',
      });
      assert.equal((await healthz(server)).status, 200);
    } finally {
      await publisher.endAsync();
    }
  } finally {
    await server.stop();
    await mosquitto.stop();
  }
});

/**
 * An aedes broker (a real broker's choices): it stops forwarding to meshlens's client while
 * `block(true)` is set, and can confirm subscriptions late.
 */
async function testBroker(
  o: { subscribeDelayMs?: number } = {},
): Promise<{ url: string; block(on: boolean): void; stop(): Promise<void> }> {
  let blocked = false;
  const aedes = await Aedes.createBroker({
    authorizeForward: (client, packet) =>
      blocked && client?.id.startsWith('meshlens-') && packet.topic.startsWith('meshcore/') ? null : packet,
    authorizeSubscribe: (client, sub, done) => {
      if (client?.id.startsWith('meshlens-') && o.subscribeDelayMs)
        setTimeout(() => done(null, sub), o.subscribeDelayMs);
      else done(null, sub);
    },
  });
  const server: Server = createServer(aedes.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `mqtt://127.0.0.1:${port}`,
    block: (on) => (blocked = on),
    async stop() {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

test('a broker that stops delivering: detected within seconds, resubscribed, reconnected, degraded, recovered', async (t) => {
  const broker = await testBroker();
  const config = testConfig(tempDir(), {
    broker: { enabled: false },
    mqttSources: [{ name: 'stall', broker: broker.url }],
    mqttIngest: { silenceFloorSec: 1, silenceFactor: 3 },
  });
  const server = await start(config);
  const publisher = await mqtt.connectAsync(broker.url);
  const frames = simPackets(400).map((m) => m.payload.raw);
  let next = 0;
  // A steady observer: 20 messages a second.
  const feed = setInterval(() => {
    const raw = frames[next++ % frames.length];
    void publisher.publishAsync(observerTopic(OBSERVER), JSON.stringify({ raw })).catch(() => undefined);
  }, 50);
  try {
    await until(() => received(server) >= 20, { what: 'a steady rate' });
    assert.equal((await healthz(server)).status, 200);
    broker.block(true);
    const blockedAt = performance.now();
    await until(() => server.sources[0].status().silent, { what: 'silence detected', timeoutMs: 10_000 });
    const detectedMs = performance.now() - blockedAt;
    t.diagnostic(`silence detected ${Math.round(detectedMs)} ms after the broker stopped forwarding`);
    assert.ok(detectedMs <= 3000, `silence detected after ${Math.round(detectedMs)} ms`);
    const h = await until(
      async () => {
        const r = await healthz(server);
        return r.status === 503 ? r : null;
      },
      { what: 'healthz degraded' },
    );
    assert.equal(h.body.reason, 'mqtt source stall: silent');
    // /api/health's mqtt section says which source and why.
    await until(
      async () => {
        const health = await getAny<{ mqtt: { sources: { name: string; degraded: string | null }[] } }>(
          server.url,
          '/api/health',
        );
        return health.body.mqtt.sources.map((s) => `${s.name}: ${s.degraded}`).join() === 'stall: silent';
      },
      { what: '/api/health: source stall degraded (silent)' },
    );
    await until(() => server.sources[0].status().stallReconnects >= 1, {
      what: 'a reconnect after the resubscription',
      timeoutMs: 10_000,
    });
    assert.ok(server.sources[0].status().resubscribes >= 1);
    assert.equal(server.sources[0].status().silent, true, 'still silent after the reconnect');

    broker.block(false);
    await until(() => !server.sources[0].status().silent, { what: 'delivery again', timeoutMs: 10_000 });
    await until(async () => (await healthz(server)).status === 200, { what: 'healthz ready again' });
    assert.equal(server.sources[0].status().degraded, null);
  } finally {
    clearInterval(feed);
    await publisher.endAsync();
    await server.stop();
    await broker.stop();
  }
});
