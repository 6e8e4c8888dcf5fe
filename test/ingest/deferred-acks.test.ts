// PUBACKs held until ack(token) without holding the stream (deferred-acks.ts), against a real
// Mosquitto: the broker's in-flight window (max_inflight_messages, 20 by default) fills with
// unacknowledged messages, the stream goes on as acks are released, and a crash before the
// ack gets exactly the unacknowledged messages redelivered on the resumed session.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import { MqttSource } from '../../src/ingest/mqtt-source.js';
import { CommitAcks } from '../../src/ingest/commit-acks.js';
import { startMosquitto } from './mosquitto.js';
import { until } from '../support/until.js';

function source(url: string, clientId: string, got: { body: string; ack: number }[]): MqttSource {
  return new MqttSource(
    {
      name: 'acks',
      url,
      topics: ['meshcore/#'],
      maxMessageBytes: 1000,
      qos: 1,
      persistentSession: true,
      clientId,
      deferAcks: true,
    },
    { onMessage: (_topic, payload, _src, ack) => got.push({ body: payload.toString(), ack }) },
  );
}

test('QoS 1 acks are deferred without blocking the stream; unacked messages come back after a crash', async () => {
  const mosquitto = await startMosquitto();
  const clientId = `acks-${process.pid}`;
  const got: { body: string; ack: number }[] = [];
  let first = source(mosquitto.url, clientId, got);
  let publisher: mqtt.MqttClient | null = null;
  try {
    assert.equal(await first.start(), true);
    await until(() => first.status().subscribed, { what: 'SUBACK' });
    const pub = (publisher = await mqtt.connectAsync(mosquitto.url));
    await Promise.all(
      Array.from({ length: 60 }, (_, i) => pub.publishAsync('meshcore/x', `m${i}`, { qos: 1 })),
    );
    // Twenty arrive without a single ack (one message per ack would be 1): Mosquitto's window.
    await until(() => got.length === 20, { what: '20 unacknowledged messages' });
    assert.ok(got.every((m) => m.ack > 0));
    assert.equal(first.status().acks.pending, 20);
    // Acks open the window again (Mosquitto then sends what it queued meanwhile).
    first.ack(got.slice(0, 20).map((m) => m.ack));
    await until(() => got.length === 60, { what: 'the rest after the acks' });
    first.ack(got.slice(20, 30).map((m) => m.ack));
    assert.deepEqual(
      got.map((m) => m.body),
      Array.from({ length: 60 }, (_, i) => `m${i}`),
    );
    const acked = new Set(got.slice(0, 30).map((m) => m.body));
    assert.equal(first.status().acks.sent, 30);
    // A crash: the 20 received-but-unacknowledged messages were never acknowledged.
    await first.stop();
    got.length = 0;
    first = source(mosquitto.url, clientId, got);
    assert.equal(await first.start(), true);
    const again = await until(
      () => {
        first.ack(got.map((m) => m.ack));
        return got.length >= 30 ? got : null;
      },
      { what: 'redelivery on the resumed session' },
    );
    const bodies = again.map((m) => m.body);
    assert.deepEqual(
      [...new Set(bodies)].sort(),
      Array.from({ length: 30 }, (_, i) => `m${i + 30}`).sort(),
      'exactly the unacknowledged ones and the rest, none of the acknowledged',
    );
    assert.ok(bodies.every((b) => !acked.has(b)));
  } finally {
    await publisher?.endAsync();
    await first.stop();
    await mosquitto.stop();
  }
});

test('CommitAcks: tokens are released only after the writer flush resolves, one flush per batch', async () => {
  const flushes: (() => void)[] = [];
  const acks = new CommitAcks(() => new Promise<void>((resolve) => flushes.push(resolve)));
  const acked: number[][] = [];
  const refused: number[][] = [];
  acks.setSink({ ack: (t) => acked.push(t), nack: (t) => refused.push(t) });
  acks.done(1);
  acks.done(2);
  acks.done(0); // nothing to acknowledge
  acks.refuse(3, 'queue_full');
  await until(() => flushes.length === 1, { what: 'a flush' });
  acks.done(4); // while the flush is in flight: waits for the next one
  assert.deepEqual(acked, []);
  let settled = false;
  void acks.settled().then(() => (settled = true));
  flushes[0]();
  await until(() => acked.length === 1, { what: 'acks after commit' });
  assert.deepEqual(acked, [[1, 2]]);
  assert.equal(settled, false, 'token 4 still waits');
  await until(() => flushes.length === 2, { what: 'the next flush' });
  flushes[1]();
  await until(() => acked.length === 2, { what: 'the second batch' });
  assert.deepEqual(acked[1], [4]);
  await until(() => settled, { what: 'settled once both batches were committed' });
  assert.deepEqual(refused, [[3]]);
  assert.deepEqual(acks.stats(), { acked: 3, flushes: 2, nacked: { queue_full: 1 }, waiting: 0 });

  const failing = new CommitAcks(() => Promise.reject(new Error('SQLITE_FULL')));
  const back: number[][] = [];
  failing.setSink({ ack: () => assert.fail('acked without a commit'), nack: (t) => back.push(t) });
  failing.done(7);
  await until(() => back.length === 1, { what: 'nack after a failed commit' });
  assert.deepEqual(back, [[7]]);
  assert.deepEqual(failing.stats().nacked, { commit_failed: 1 });
});
