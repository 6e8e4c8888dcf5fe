// Per-source counters shown at /api/mqtt/status and in /api/health (spec ingest-store-api §1.5).
import type { DeferredAcksStats } from './deferred-acks.js';

/** Packets per second over the last 5 minutes, in a 300-slot ring indexed by epoch second. */
export class PerSecondRing {
  readonly #counts: Uint32Array;
  readonly #seconds: Float64Array;

  constructor(readonly slots = 300) {
    this.#counts = new Uint32Array(slots);
    this.#seconds = new Float64Array(slots).fill(-1);
  }

  add(nowMs: number): void {
    const second = Math.floor(nowMs / 1000);
    const i = second % this.slots;
    if (this.#seconds[i] !== second) {
      this.#seconds[i] = second;
      this.#counts[i] = 0;
    }
    this.#counts[i]++;
  }

  /** Sum over the `slots` seconds ending at `nowMs`. */
  total(nowMs: number): number {
    const oldest = Math.floor(nowMs / 1000) - this.slots;
    let sum = 0;
    for (let i = 0; i < this.slots; i++) if (this.#seconds[i] > oldest) sum += this.#counts[i];
    return sum;
  }
}

/** A broker URL with any password replaced by `***`, safe for logs and the API. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
  }
}

export interface SourceStatus {
  name: string;
  /** Broker URL with the password masked. */
  broker: string;
  connected: boolean;
  /** Epoch ms, or null if it never happened. */
  lastConnectMs: number | null;
  lastDisconnectMs: number | null;
  /** Receipt time of the last message (stamped in the MQTT callback). */
  lastPacketMs: number | null;
  /** When the last message finished handling; lags lastPacketMs if the consumer is stuck. */
  lastHandledMs: number | null;
  connectCount: number;
  disconnectCount: number;
  packetsTotal: number;
  packetsLast5m: number;
  /** Messages refused before parsing (oversize). */
  rejectedTotal: number;
  lastError: string | null;
  /** Errors reported by the client (a broker that stays down: one per reconnect attempt). */
  errorsTotal: number;
  /** Connected, subscribed, and no message for longer than the silence threshold (silence.ts). */
  silent: boolean;
  /** SUBACK received on the current connection (readiness: every source subscribed). */
  subscribed: boolean;
  /** When the last SUBACK came. */
  lastSubscribeMs: number | null;
  /** Subscription QoS and session kind (clean: false = persistent). */
  qos: 0 | 1;
  persistentSession: boolean;
  /** Start of the current silence, or null. */
  silentSinceMs: number | null;
  /** The current silence threshold (ms), null before the first message. */
  silenceThresholdMs: number | null;
  /** Recovery attempts made for silences: resubscriptions, then reconnections. */
  resubscribes: number;
  stallReconnects: number;
  /** QoS 1 acknowledgements held until the commit (deferred-acks.ts). */
  acks: DeferredAcksStats;
  /** Why the source is not delivering ('not connected: …', 'not subscribed', 'silent'), or null. */
  degraded: string | null;
}

/** A source's status before it has connected (the worker's copy and the main thread's mirror). */
export function initialSourceStatus(name: string, url: string): SourceStatus {
  return {
    name,
    broker: maskUrl(url),
    connected: false,
    lastConnectMs: null,
    lastDisconnectMs: null,
    lastPacketMs: null,
    lastHandledMs: null,
    connectCount: 0,
    disconnectCount: 0,
    packetsTotal: 0,
    packetsLast5m: 0,
    rejectedTotal: 0,
    lastError: null,
    errorsTotal: 0,
    silent: false,
    subscribed: false,
    lastSubscribeMs: null,
    qos: 0,
    persistentSession: false,
    silentSinceMs: null,
    silenceThresholdMs: null,
    resubscribes: 0,
    stallReconnects: 0,
    acks: { pending: 0, sent: 0, dropped: 0, refused: 0 },
    degraded: 'not connected',
  };
}
