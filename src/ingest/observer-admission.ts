// The budget for new observers (issue 13 #5): 70,000 fake observer keys published in ~5 s
// filled the store's 65,535 observers, after which every real observer was refused. Each
// source (MQTT source name, or 'api' for POST /api/packets) gets a token bucket of new
// observers: `burst` at once, refilled at `newPerMinute`. Known observers never spend tokens.
// A real deployment adds a few observers a day; the defaults (120/min, burst 500) are far
// above that and still hold a flood to ~7,700 new observers in its first hour.

export interface ObserverAdmissionConfig {
  /** New observers per minute per source, refilled continuously; 0 = no limit. */
  newPerMinute: number;
  /** New observers a source may add at once (the bucket's size). */
  burst: number;
}

interface Bucket {
  tokens: number;
  atMs: number;
}

/** Sources tracked at most; the oldest bucket is evicted (a full bucket is the default). */
const MAX_SOURCES = 10_000;

export class ObserverAdmission {
  readonly #buckets = new Map<string, Bucket>();
  readonly #perMs: number;
  #refused = 0;

  constructor(
    private readonly config: ObserverAdmissionConfig,
    private readonly now: () => number = Date.now,
  ) {
    this.#perMs = config.newPerMinute / 60_000;
  }

  /** Spends one token of `source` for a new observer; false when its budget is used up. */
  take(source: string): boolean {
    if (this.config.newPerMinute <= 0) return true;
    const nowMs = this.now();
    let b = this.#buckets.get(source);
    if (!b) {
      if (this.#buckets.size >= MAX_SOURCES) this.#buckets.delete(this.#buckets.keys().next().value!);
      b = { tokens: this.config.burst, atMs: nowMs };
      this.#buckets.set(source, b);
    } else if (nowMs > b.atMs) {
      b.tokens = Math.min(this.config.burst, b.tokens + (nowMs - b.atMs) * this.#perMs);
      b.atMs = nowMs;
    }
    if (b.tokens < 1) {
      this.#refused++;
      return false;
    }
    b.tokens -= 1;
    return true;
  }

  /** New-observer messages refused so far (all sources). */
  get refused(): number {
    return this.#refused;
  }
}
