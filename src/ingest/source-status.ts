// Per-source counters shown at /api/mqtt/status and in /api/health (spec ingest-store-api §1.5).

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
  /** Connected but silent for longer than the watchdog threshold. */
  silent: boolean;
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
    silent: false,
  };
}
