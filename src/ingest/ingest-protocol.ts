// Messages between IngestWorker (ingest-thread.ts) and its worker (ingest-worker.ts). Parsed
// messages travel as one flat array of primitives per batch: structured clone of nested objects
// costs the receiving (main) thread several times more per message. Each record is its tag, the
// source's index, its ack token, then the fields of its checked codec (util/flat-codec.ts).
// Ack tokens (0: nothing to acknowledge) come back in 'acks' messages once committed.
import type { ObserverMessage } from './observer-message.js';
import type { MqttSourceOptions } from './mqtt-source.js';
import type { SourceStatus } from './source-status.js';
import { sightingCodec } from './sighting.js';
import { flatCodec } from '../util/flat-codec.js';

/** A parsed status message (an object: status messages are rare). */
export interface StatusRecord {
  topic: string;
  rxMs: number;
  message: StatusMessage;
}

/** A message the worker refused; `payload` is null for `oversize`. */
export interface RejectRecord {
  topic: string;
  atMs: number;
  code: string;
  detail: string;
  payload: Uint8Array | null;
}

export const PACKET = 0;
export const STATUS = 1;
export const REJECT = 2;

/** Record codecs by tag; PACKET records are sightings (sighting.ts). */
export const recordCodecs = {
  [PACKET]: sightingCodec,
  [STATUS]: flatCodec<StatusRecord>({ topic: 0, rxMs: 0, message: 0 }),
  [REJECT]: flatCodec<RejectRecord>({ topic: 0, atMs: 0, code: 0, detail: 0, payload: 0 }),
} as const;

/** Slots before a record's fields: tag, source index, ack token. */
export const RECORD_HEAD = 3;

/** Ack tokens carry their source: token = sourceToken x ACK_SOURCES + source index. */
export const ACK_SOURCES = 1024;

/** Messages per batch at most (a batch is otherwise posted once per event-loop turn). */
export const FLUSH_AT = 512;

export interface IngestWorkerInit {
  sources: MqttSourceOptions[];
  observerIATAWhitelist: string[];
  observerBlacklist: string[];
  /** Verify ADVERT signatures here (config `validateSignatures`), off the main thread. */
  validateSignatures: boolean;
}

export type ToIngestWorker =
  | { t: 'stop' }
  /** Stop reading from the brokers; answered by 'quiesced' after the last batch. */
  | { t: 'quiesce' }
  /** Committed (acknowledge to the broker) and refused (leave for redelivery) tokens. */
  | { t: 'acks'; ack: number[]; refuse: number[] };

export type FromIngestWorker =
  | { t: 'batch'; flat: unknown[] }
  | { t: 'state'; statuses: SourceStatus[] }
  | { t: 'started'; index: number; ok: boolean }
  | { t: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  | { t: 'quiesced' }
  | { t: 'stopped' };

export type StatusMessage = Extract<ObserverMessage, { kind: 'status' }>;
