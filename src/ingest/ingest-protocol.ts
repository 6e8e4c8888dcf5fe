// Messages between IngestWorker (ingest-thread.ts) and its worker (ingest-worker.ts). Parsed
// messages travel as one flat array of primitives per batch: structured clone of nested objects
// costs the receiving (main) thread several times more per message.
import type { ObserverMessage } from './observer-message.js';
import type { MqttSourceOptions } from './mqtt-source.js';
import type { SourceStatus } from './source-status.js';

/**
 * Record layouts in a batch, each starting with its tag, the source index, the topic and the
 * receive time (ms):
 *   PACKET: observerId, region, rawHex, snr, rssi, score, direction, origin, uploaderMs,
 *           advertSignatureValid (ADVERTs when validating signatures, else null)
 *   STATUS: the parsed status message (an object; status messages are rare)
 *   REJECT: code, detail, payload (Uint8Array, or null for `oversize`)
 */
export const PACKET = 0;
export const STATUS = 1;
export const REJECT = 2;
export const PACKET_FIELDS = 14;
export const STATUS_FIELDS = 5;
export const REJECT_FIELDS = 7;

/** Messages per batch at most (a batch is otherwise posted once per event-loop turn). */
export const FLUSH_AT = 512;

export interface IngestWorkerInit {
  sources: MqttSourceOptions[];
  observerIATAWhitelist: string[];
  observerBlacklist: string[];
  /** Verify ADVERT signatures here (config `validateSignatures`), off the main thread. */
  validateSignatures: boolean;
}

export type ToIngestWorker = { t: 'stop' };

export type FromIngestWorker =
  | { t: 'batch'; flat: unknown[] }
  | { t: 'state'; statuses: SourceStatus[] }
  | { t: 'started'; index: number; ok: boolean }
  | { t: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  | { t: 'stopped' };

export type StatusMessage = Extract<ObserverMessage, { kind: 'status' }>;
