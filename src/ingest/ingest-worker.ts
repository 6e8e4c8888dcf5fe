// Worker entry of IngestWorker (ingest-thread.ts): the MQTT clients (the same MqttSource for the
// embedded broker and external ones) and the observer-message parsing run here, off the main
// thread, which under sustained ingest spent ~40% of its time in mqtt.js and JSON parsing. What
// reaches the main thread is compact: per event-loop turn one flat array (ingest-protocol.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { lowerThisThreadPriority } from '../util/thread-priority.js';
import { frameContent, verifyAdvertSignature } from '../protocol/index.js';
import { MqttSource } from './mqtt-source.js';
import { admission, packetSighting, parseObserverMessage } from './observer-message.js';
import {
  ACK_SOURCES,
  FLUSH_AT,
  PACKET,
  REJECT,
  STATUS,
  recordCodecs,
  type FromIngestWorker,
  type IngestWorkerInit,
  type ToIngestWorker,
} from './ingest-protocol.js';

lowerThisThreadPriority();
const init = workerData as IngestWorkerInit;
const port = parentPort!;
const send = (m: FromIngestWorker): void => port.postMessage(m);

let flat: unknown[] = [];
let count = 0;
let flushScheduled = false;

function flush(): void {
  flushScheduled = false;
  if (count === 0) return;
  const batch = flat;
  flat = [];
  count = 0;
  send({ t: 'batch', flat: batch });
}

function added(): void {
  if (++count >= FLUSH_AT) flush();
  else if (!flushScheduled) {
    // One post per turn: mqtt.js hands over a whole socket read before setImmediate runs.
    flushScheduled = true;
    setImmediate(flush);
  }
}

const ADVERT = 4;
/** Verdicts by content hash: every observer of an advert uploads the same signed payload. */
const verdicts = new Map<string, boolean>();
const verdictsMax = 20_000;

/**
 * An ADVERT's signature verdict (~100-250 us of Ed25519 per new advert), or undefined for other
 * frames, undecodable ones (the main thread rejects those) and when validation is off. Only the
 * frame is split here (content hash, payload bytes): the payload is decoded once, by the pipeline.
 */
function advertVerdict(rawHex: string): boolean | undefined {
  if (!init.validateSignatures || ((parseInt(rawHex.slice(0, 2), 16) >> 2) & 0x0f) !== ADVERT)
    return undefined;
  const frame = frameContent(rawHex);
  if (!frame) return undefined;
  const hash = frame.hash;
  let ok = verdicts.get(hash);
  if (ok === undefined) {
    ok = verifyAdvertSignature(frame.payloadBytes);
    if (verdicts.size >= verdictsMax) verdicts.clear();
    verdicts.set(hash, ok);
  }
  return ok;
}

/** A source's ack token as a worker-wide one (0 stays 0: nothing to acknowledge). */
const token = (ack: number, source: number): number => (ack === 0 ? 0 : ack * ACK_SOURCES + source);

/** Hands committed and refused tokens back to their sources. */
function settle(tokens: number[], how: 'ack' | 'refuse'): void {
  const bySource = new Map<number, number[]>();
  for (const t of tokens) {
    const i = t % ACK_SOURCES;
    let list = bySource.get(i);
    if (!list) bySource.set(i, (list = []));
    list.push(Math.floor(t / ACK_SOURCES));
  }
  for (const [i, list] of bySource) sources[i]?.[how](list);
}

const sources = init.sources.map((options, i) => {
  const filters = admission({
    observerIATAWhitelist: init.observerIATAWhitelist,
    observerBlacklist: init.observerBlacklist,
    iataFilter: options.iataFilter ?? [],
  });
  const ctx = {
    nowMs: 0,
    admission: filters,
    ...(options.region ? { sourceRegion: options.region } : {}),
  };
  return new MqttSource(options, {
    log: (level, message) => send({ t: 'log', level, message }),
    onReject: (code, d) => {
      const r = { topic: d.topic, atMs: Date.now(), code, detail: `${d.bytes} bytes`, payload: null };
      flat.push(REJECT, i, token(d.ack, i));
      recordCodecs[REJECT].write(flat, r);
      added();
    },
    onMessage: (topic, payload, _source, ack) => {
      const nowMs = Date.now();
      ctx.nowMs = nowMs;
      const m = parseObserverMessage(topic, payload, ctx);
      const t = token(ack, i);
      if (!m.ok) {
        flat.push(REJECT, i, t);
        const r = { topic, atMs: nowMs, code: m.code, detail: m.detail, payload: new Uint8Array(payload) };
        recordCodecs[REJECT].write(flat, r);
      } else if (m.kind === 'status') {
        flat.push(STATUS, i, t);
        recordCodecs[STATUS].write(flat, { topic, rxMs: nowMs, message: m });
      } else {
        // The source's name is its index here (RECORD_HEAD); the main thread maps it back.
        const s = packetSighting(m, '', nowMs, topic);
        s.advertSignatureValid = advertVerdict(s.rawHex);
        flat.push(PACKET, i, t);
        recordCodecs[PACKET].write(flat, s);
      }
      added();
    },
  });
});

// Source status for /api/health: sent when it changes (connects at once), else once a second.
let lastState = '';
let lastStateMs = 0;
function postState(): void {
  const now = Date.now();
  const statuses = sources.map((s) => s.status(now));
  const key = JSON.stringify(
    statuses.map((s) => [s.connected, s.connectCount, s.lastError, s.silent, s.subscribed, s.degraded]),
  );
  if (key === lastState && now - lastStateMs < 1000) return;
  lastState = key;
  lastStateMs = now;
  send({ t: 'state', statuses });
}
const stateTimer = setInterval(postState, 50);

sources.forEach(
  (s, i) =>
    void s.start().then((ok) => {
      postState();
      send({ t: 'started', index: i, ok });
    }),
);

port.on('message', (m: ToIngestWorker) => {
  if (m.t === 'quiesce') {
    for (const s of sources) s.pauseIntake();
    // Messages already parsed from a socket read are posted first (one turn later).
    setImmediate(() => {
      flush();
      send({ t: 'quiesced' });
    });
    return;
  }
  if (m.t === 'acks') {
    if (m.ack.length > 0) settle(m.ack, 'ack');
    if (m.refuse.length > 0) settle(m.refuse, 'refuse');
    return;
  }
  void Promise.all(sources.map((s) => s.stop())).then(() => {
    clearInterval(stateTimer);
    flush();
    lastState = '';
    postState();
    send({ t: 'stopped' });
    port.close();
  });
});
