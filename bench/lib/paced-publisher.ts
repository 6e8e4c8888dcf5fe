// Publishing at a fixed rate for long runs (the soak): pre-encoded QoS 0 PUBLISH frames
// (publisher.ts encodePublishes) written over one raw MQTT 3.1.1 connection in 20 ms ticks, so
// the publisher costs only socket writes (mqtt.js at 2,000 messages/s would compete with the
// server for the same two cores). Frames are cycled when the run outlasts them.
import { connect } from 'node:net';

export interface PacedPublisher {
  /** Frames written so far. */
  published(): number;
  /** Stops publishing, sends DISCONNECT, resolves when the socket has closed. */
  stop(): Promise<void>;
}

function mqttString(s: string): Buffer {
  const b = Buffer.from(s);
  const len = Buffer.alloc(2);
  len.writeUInt16BE(b.length);
  return Buffer.concat([len, b]);
}

export async function startPacedPublisher(
  brokerUrl: string,
  frames: Buffer[],
  ratePerSec: number,
): Promise<PacedPublisher> {
  const { hostname, port } = new URL(brokerUrl);
  const socket = connect(Number(port || 1883), hostname);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const body = Buffer.concat([
    mqttString('MQTT'),
    Buffer.from([4, 0x02, 0, 60]),
    mqttString(`soak-${process.pid}-${Date.now() % 1e6}`),
  ]);
  const connack = new Promise<void>((resolve, reject) =>
    socket.once('data', (d: Buffer) =>
      d[0] === 0x20 && d[3] === 0 ? resolve() : reject(new Error('CONNACK refused')),
    ),
  );
  socket.write(Buffer.concat([Buffer.from([0x10, body.length]), body]));
  await connack;
  // Keep-alive: a PINGREQ every 20 s (the connection asked for 60 s).
  const ping = setInterval(() => socket.write(Buffer.from([0xc0, 0])), 20_000);
  const started = performance.now();
  let n = 0;
  let stopped = false;
  const tick = setInterval(() => {
    if (stopped || socket.writableNeedDrain) return;
    const due = Math.floor(((performance.now() - started) / 1000) * ratePerSec);
    const chunk: Buffer[] = [];
    for (; n < due && chunk.length < 5000; n++) chunk.push(frames[n % frames.length]);
    if (chunk.length > 0) socket.write(Buffer.concat(chunk));
  }, 20);
  return {
    published: () => n,
    async stop() {
      stopped = true;
      clearInterval(tick);
      clearInterval(ping);
      socket.end(Buffer.from([0xe0, 0]));
      await new Promise((r) => socket.once('close', r));
    },
  };
}
