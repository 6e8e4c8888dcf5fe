// Simulator traffic for the ingest phases, generated before the clock starts (so generation
// does not compete with the server for CPU) and published over MQTT at a rate or flat out.
import mqtt from 'mqtt';
import { createSimulator } from '../../src/sim/index.js';

export interface Prepared {
  topic: string;
  payload: string;
}

/** `count` messages of `scale`'s stream for `seed` (a different seed from the dataset's). */
export function prepareMessages(scale: string, seed: number, count: number): Prepared[] {
  // Starting hours back keeps every uploader timestamp in the past however fast it is replayed.
  const sim = createSimulator(scale, { seed, startMs: Date.now() - 8 * 3_600_000 });
  const out: Prepared[] = [];
  for (let m = sim.next(); m && out.length < count; m = sim.next()) {
    out.push({ topic: m.topic, payload: JSON.stringify(m.payload) });
  }
  return out;
}

export interface PublishResult {
  published: number;
  elapsedMs: number;
}

/**
 * Publishes `msgs` (cycling) for `durationS` at `ratePerSec` (Infinity: as fast as the socket
 * drains), QoS 0 as observers do. Stops early on `signal`.
 */
export async function publishFor(
  brokerUrl: string,
  msgs: Prepared[],
  ratePerSec: number,
  durationS: number,
  signal?: AbortSignal,
): Promise<PublishResult> {
  const client = await mqtt.connectAsync(brokerUrl, { clientId: `bench-${process.pid}-${Math.random()}` });
  const started = performance.now();
  const end = started + durationS * 1000;
  let n = 0;
  try {
    while (performance.now() < end && !signal?.aborted) {
      const batch = Number.isFinite(ratePerSec) ? Math.max(1, Math.round(ratePerSec / 50)) : 200;
      let last: Promise<unknown> = Promise.resolve();
      for (let b = 0; b < batch; b++) {
        const m = msgs[n++ % msgs.length];
        last = client.publishAsync(m.topic, m.payload, { qos: 0 });
      }
      await last;
      if (Number.isFinite(ratePerSec)) {
        const due = started + (n / ratePerSec) * 1000;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      } else await new Promise((r) => setImmediate(r));
    }
  } finally {
    await client.endAsync();
  }
  return { published: n, elapsedMs: performance.now() - started };
}

/** MQTT 3.1.1 remaining-length varint. */
function varint(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
}

function packet(type: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([type, ...varint(body.length)]), body]);
}

function str(s: string | Buffer): Buffer {
  const b = typeof s === 'string' ? Buffer.from(s) : s;
  const len = Buffer.alloc(2);
  len.writeUInt16BE(b.length);
  return Buffer.concat([len, b]);
}

/** QoS 0 PUBLISH frames for `msgs`, encoded once so that publishing costs only socket writes. */
export function encodePublishes(msgs: Prepared[]): Buffer[] {
  return msgs.map((m) => packet(0x30, Buffer.concat([str(m.topic), Buffer.from(m.payload)])));
}

/**
 * Flat-out publishing for the ingest benchmark: a raw MQTT 3.1.1 connection writing pre-encoded
 * QoS 0 PUBLISH frames as fast as the socket drains (the mqtt.js client costs more CPU per
 * message than the server spends ingesting it, on a 2-core machine it would be the bottleneck).
 * Every frame is sent once at most: the count is capped at `frames.length`.
 */
export async function blastFor(
  brokerUrl: string,
  frames: Buffer[],
  durationS: number,
): Promise<PublishResult> {
  const { hostname, port } = new URL(brokerUrl);
  const { connect } = await import('node:net');
  const socket = connect(Number(port || 1883), hostname);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const connack = new Promise<void>((resolve, reject) => {
    socket.once('data', (d: Buffer) =>
      d[0] === 0x20 && d[3] === 0 ? resolve() : reject(new Error('CONNACK refused')),
    );
  });
  const connectBody = Buffer.concat([
    str('MQTT'),
    Buffer.from([4, 0x02, 0, 60]),
    str(`bench-blast-${process.pid}-${Date.now() % 100000}`),
  ]);
  socket.write(packet(0x10, connectBody));
  await connack;
  const started = performance.now();
  const end = started + durationS * 1000;
  let n = 0;
  while (n < frames.length && performance.now() < end) {
    const chunk = Buffer.concat(frames.slice(n, n + 500));
    n = Math.min(frames.length, n + 500);
    if (!socket.write(chunk)) await new Promise((r) => socket.once('drain', r));
  }
  const elapsedMs = performance.now() - started;
  socket.end(Buffer.from([0xe0, 0]));
  await new Promise((r) => socket.once('close', r));
  return { published: n, elapsedMs };
}
