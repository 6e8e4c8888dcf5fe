// Observer messages (topic + body): the direct surface feeds them to the same functions the
// ingest worker and the main thread run (parseObserverMessage -> pipeline), synchronously, so
// each input's outcome is known; the MQTT surface publishes the same kind of input through
// the embedded broker and predicts the parse outcome with the same function.
import { admission, packetSighting, parseObserverMessage } from '../../src/ingest/observer-message.js';
import type { IngestPipeline } from '../../src/ingest/pipeline.js';
import type { Corpus } from '../corpus.js';
import { frameHex, mutateObject, nastyNumber, serialize, topic } from '../mutate.js';
import type { Rng } from '../rng.js';

export interface ObserverInput {
  topic: string;
  payload: Buffer;
}

const allowAll = admission({});

/** A status body when the corpus has none (the small scenario may publish few). */
const baseStatus = {
  status: 'online',
  origin: 'fuzz',
  model: 'Heltec V3',
  firmware_version: '1.8.2',
  radio: '869.525,250,11,5',
  repeat: true,
  stats: { battery_mv: 4100, uptime_secs: 3600, noise_floor: -110, tx_air_secs: 10, rx_air_secs: 20 },
};

/** One observer message: frames mutated (most), bodies mutated, or topics mutated. */
export function observerInput(rng: Rng, c: Corpus): ObserverInput {
  const mode = rng.weighted([
    [6, 'frame'],
    [2, 'body'],
    [2, 'topic'],
    [1, 'status'],
  ] as const);
  const packetTopic = () => rng.pick(c.topics.filter((t) => t.endsWith('/packets')));
  if (mode === 'frame') {
    const body: Record<string, unknown> = { ...rng.pick(c.packetBodies), raw: frameHex(rng, c.frames) };
    if (rng.chance(0.2)) body.SNR = nastyNumber(rng);
    if (rng.chance(0.1)) body.RSSI = nastyNumber(rng);
    if (rng.chance(0.1)) body.score = nastyNumber(rng);
    return { topic: packetTopic(), payload: Buffer.from(JSON.stringify(body)) };
  }
  if (mode === 'body')
    return { topic: packetTopic(), payload: serialize(rng, mutateObject(rng, rng.pick(c.packetBodies))) };
  if (mode === 'status') {
    const base = c.statusBodies.length > 0 ? rng.pick(c.statusBodies) : baseStatus;
    const t = packetTopic().replace(/\/packets$/, '/status');
    return { topic: t, payload: serialize(rng, rng.chance(0.5) ? base : mutateObject(rng, base)) };
  }
  const body = rng.pick(c.packetBodies);
  return { topic: topic(rng, c.topics, c.observers), payload: Buffer.from(JSON.stringify(body)) };
}

export type ParseOutcome = { kind: 'packet' | 'status' } | { kind: 'rejected'; code: string };

/** What the ingest worker makes of a message (the oversize check is the MQTT source's). */
export function predictParse(topicText: string, payload: Buffer, maxMessageBytes: number): ParseOutcome {
  if (payload.length > maxMessageBytes) return { kind: 'rejected', code: 'oversize' };
  const m = parseObserverMessage(topicText, payload, { nowMs: Date.now(), admission: allowAll });
  if (!m.ok) return { kind: 'rejected', code: m.code };
  return { kind: m.kind === 'status' ? 'status' : 'packet' };
}

/**
 * One message through what the server does with an MQTT message after the broker: parse (the
 * ingest worker), then the pipeline (reject with the reason, status, or decode/dedup/store).
 * Returns the outcome: `stored`, `dedup`, `status` or `rejected:<code>`.
 */
export function ingestDirect(pipeline: IngestPipeline, input: ObserverInput): string {
  const nowMs = Date.now();
  const m = parseObserverMessage(input.topic, input.payload, { nowMs, admission: allowAll });
  if (!m.ok) {
    pipeline.reject(m.code, m.detail, {
      source: 'fuzz',
      topic: input.topic,
      atMs: nowMs,
      payload: input.payload,
      observerId: topicObserver(input.topic),
    });
    return `rejected:${m.code}`;
  }
  if (m.kind === 'status') {
    pipeline.ingestStatus(m.topic.observerId, m.region, m.status, nowMs);
    return 'status';
  }
  const out = pipeline.ingestPacket(packetSighting(m, 'fuzz', nowMs, input.topic));
  if (!out.ok) return `rejected:${out.code}`;
  return out.redelivery ? 'dedup' : 'stored';
}

/** As the composition root does for the worker's rejections (units.ts). */
function topicObserver(t: string): string | null {
  const id = t.split('/')[2];
  return id !== undefined && /^[0-9A-Fa-f]{64}$/.test(id) ? id.toUpperCase() : null;
}

/** JSON-safe form of an input for a failure file. */
export function describeObserverInput(i: ObserverInput) {
  return {
    topic: i.topic,
    payloadUtf8: i.payload.toString('utf8'),
    payloadBase64: i.payload.toString('base64'),
  };
}

/**
 * A smaller input that still makes `fails` true: drops JSON fields, then halves the frame,
 * then truncates the payload (greedy, bounded number of tries).
 */
export function minimiseObserverInput(
  input: ObserverInput,
  fails: (i: ObserverInput) => boolean,
): ObserverInput {
  let best = input;
  let tries = 0;
  const attempt = (cand: ObserverInput) => {
    if (tries++ > 500) return false;
    if (!fails(cand)) return false;
    best = cand;
    return true;
  };
  let obj: Record<string, unknown> | null = null;
  try {
    const v = JSON.parse(best.payload.toString('utf8')) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) obj = v as Record<string, unknown>;
  } catch {
    obj = null;
  }
  if (obj) {
    for (const key of Object.keys(obj)) {
      const { [key]: _drop, ...rest } = obj;
      if (attempt({ topic: best.topic, payload: Buffer.from(JSON.stringify(rest)) })) obj = rest;
    }
    for (let o: Record<string, unknown> = obj; typeof o.raw === 'string' && o.raw.length > 4;) {
      const cand: Record<string, unknown> = { ...o, raw: o.raw.slice(0, Math.floor(o.raw.length / 4) * 2) };
      if (!attempt({ topic: best.topic, payload: Buffer.from(JSON.stringify(cand)) })) break;
      o = cand;
    }
  }
  for (let n = best.payload.length >> 1; n > 0; n >>= 1)
    attempt({ topic: best.topic, payload: best.payload.subarray(0, n) });
  return best;
}
