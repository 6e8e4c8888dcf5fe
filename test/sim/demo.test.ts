import { test } from 'node:test';
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import { EmbeddedBroker } from '../../src/ingest/broker.js';
import { admission, parseObserverMessage } from '../../src/ingest/observer-message.js';
import { decodePacket } from '../../src/protocol/index.js';
import { Simulator } from '../../src/sim/index.js';
import { demoScenario, startDemoFeed, WARMUP_MS } from '../../src/sim/demo.js';

test('the demo scenario averages the requested rate over simulated time', () => {
  const startMs = Date.UTC(2026, 0, 1);
  for (const rate of [10, 60]) {
    const config = demoScenario('small', 3, rate, startMs);
    const sim = new Simulator(config);
    const spanMs = 20 * 60_000;
    let n = 0;
    for (let m = sim.next(); m && m.rxMs < startMs + spanMs; m = sim.next()) n++;
    const measured = n / (spanMs / 1000);
    assert.ok(
      measured > rate * 0.7 && measured < rate * 1.3,
      `rate ${rate}/s: measured ${measured.toFixed(1)}/s`,
    );
  }
});

test('publishes live, decodable traffic to the embedded broker at about the configured rate', async () => {
  const broker = new EmbeddedBroker({ host: '127.0.0.1', port: 0 });
  await broker.start();
  const sub = await mqtt.connectAsync(broker.url);
  const received: { topic: string; payload: Buffer; atMs: number }[] = [];
  sub.on('message', (topic, payload) => received.push({ topic, payload, atMs: Date.now() }));
  await sub.subscribeAsync('meshcore/#');
  const ratePerSec = 40;
  const feed = startDemoFeed({ brokerUrl: broker.url, seed: 2, ratePerSec });
  try {
    await new Promise((r) => setTimeout(r, 5000));
    const stats = feed.stats();
    const stoppedAt = Date.now();
    await feed.stop();
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(stats.connected, true);
    assert.ok(stats.trafficScale > 1, `traffic scaled up (${stats.trafficScale})`);
    // Every published message arrived, and what was published is the scenario's schedule up to
    // now: the same seed and start time offline, counted by broker-arrival time.
    assert.equal(received.length, feed.stats().published);
    const offline = new Simulator(demoScenario('small', 2, ratePerSec, stats.startedAtMs - WARMUP_MS));
    const due: number[] = [];
    for (let m = offline.next(); m && m.rxMs <= stoppedAt; m = offline.next())
      if (m.rxMs >= stats.startedAtMs) due.push(m.rxMs);
    // A timer-paced feed may trail its schedule by a turn or two on a loaded machine (CI runs
    // test files in parallel): everything due a second before the stop must have arrived.
    const dueBefore = due.filter((t) => t <= stoppedAt - 1000).length;
    assert.ok(
      received.length >= dueBefore && received.length <= due.length,
      `${received.length} received, ${dueBefore}..${due.length} due`,
    );
    const rate = received.length / ((stoppedAt - stats.startedAtMs) / 1000);
    assert.ok(rate > ratePerSec * 0.4 && rate < ratePerSec * 2.5, `measured ${rate.toFixed(1)}/s`);

    const filters = admission({ observerIATAWhitelist: [], observerBlacklist: [], iataFilter: [] });
    let packets = 0;
    for (const r of received) {
      const msg = parseObserverMessage(r.topic, r.payload, { nowMs: r.atMs, admission: filters });
      assert.ok(msg.ok, `parses: ${r.topic}`);
      if (msg.kind !== 'packets') continue;
      packets++;
      const d = decodePacket(msg.packet.rawHex);
      assert.ok(d.ok, 'decodes');
      const payload = d.packet.payload;
      if (payload.type === 'ADVERT') assert.ok(!('error' in payload) && payload.signatureValid === true);
      // Real time: uploader clocks are honest apart from the planted skews (well under 14 h).
      assert.notEqual(msg.packet.uploaderTime.status, 'too_far_future');
    }
    assert.ok(packets > 0.9 * received.length);
  } finally {
    await feed.stop();
    await feed.stop();
    await sub.endAsync();
    await broker.stop();
  }
  assert.equal(feed.stats().connected, false);
});
