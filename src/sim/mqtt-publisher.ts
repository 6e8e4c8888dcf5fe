// Live output: publishes the simulator's stream to any MQTT broker at a chosen rate, in the
// observer message format (spec ingest-store-api §1.1–1.3). Pacing is by message count
// (`ratePerSec`), not by simulated time, so a day of traffic can be replayed in minutes.
import mqtt, { type MqttClient } from 'mqtt';
import type { SimMessage } from './messages.js';

export interface PublishOptions {
  brokerUrl: string;
  /** Messages per second; Infinity publishes as fast as the client drains. */
  ratePerSec: number;
  /** Stop after this many messages (default: the whole stream). */
  limit?: number;
  username?: string;
  password?: string;
  /** Called about once a second with the running totals. */
  onProgress?: (published: number, elapsedMs: number) => void;
  signal?: AbortSignal;
}

export interface PublishResult {
  published: number;
  elapsedMs: number;
}

/** Parses `200/s`, `200`, `12/min` or `max` into messages per second. */
export function parseRate(text: string): number {
  if (text === 'max' || text === 'inf') return Infinity;
  const m = /^(\d+(?:\.\d+)?)\s*(?:\/\s*(s|sec|m|min))?$/.exec(text.trim());
  if (!m) throw new RangeError(`bad rate '${text}' (expected e.g. 200/s, 30/min or max)`);
  const n = Number(m[1]);
  return m[2] === 'm' || m[2] === 'min' ? n / 60 : n;
}

function connect(opts: PublishOptions): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(opts.brokerUrl, {
      username: opts.username,
      password: opts.password,
      clientId: `meshlens-sim-${process.pid}-${Date.now() % 100000}`,
      reconnectPeriod: 0,
      connectTimeout: 10_000,
    });
    client.once('connect', () => resolve(client));
    client.once('error', (err) => {
      client.end(true);
      reject(err);
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Publishes messages from `source` (QoS 0, as observers do) until it ends, `limit`, or abort. */
export async function publishStream(
  source: Iterable<SimMessage>,
  opts: PublishOptions,
): Promise<PublishResult> {
  const client = await connect(opts);
  const started = performance.now();
  let published = 0;
  let lastProgress = started;
  const limit = opts.limit ?? Infinity;
  try {
    for (const msg of source) {
      if (published >= limit || opts.signal?.aborted) break;
      await client.publishAsync(msg.topic, JSON.stringify(msg.payload), { qos: 0 });
      published++;
      const now = performance.now();
      if (opts.onProgress && now - lastProgress >= 1000) {
        lastProgress = now;
        opts.onProgress(published, now - started);
      }
      if (Number.isFinite(opts.ratePerSec)) {
        // Sleep until this message's slot; batches small waits so timers are not per message.
        const due = started + (published / opts.ratePerSec) * 1000;
        if (due - now > 4) await sleep(due - now);
      } else if (published % 1000 === 0) {
        await sleep(0);
      }
    }
  } finally {
    await client.endAsync();
  }
  return { published, elapsedMs: performance.now() - started };
}
