// Counts rejected input by reason code and keeps a bounded sample of recent examples
// (issue 3: "each rejection is counted by reason ... and a bounded sample is kept").
// Generic over the code so that ingest, decode and advert validation share one counter;
// the samples feed /api/health, /api/perf and the dropped_packets table.

export interface RejectionSample {
  code: string;
  /** Server time of the rejection (epoch ms). */
  atMs: number;
  /** Human-readable detail, e.g. the decoder's message. */
  detail: string;
  topic?: string;
  /** Name of the MQTT source (or 'api' for POST /api/packets). */
  source?: string;
  /** Start of the offending payload (at most `excerptChars` characters). */
  excerpt?: string;
}

export interface RejectInput {
  detail?: string;
  topic?: string;
  source?: string;
  payload?: Uint8Array | string;
  atMs?: number;
}

export interface RejectionSnapshot {
  total: number;
  byCode: Record<string, number>;
  /** Newest first. */
  recent: RejectionSample[];
}

export interface RejectionCounterOptions {
  /** Recent samples kept across all codes (default 100). */
  recentSamples?: number;
  /** Characters of payload kept per sample (default 200). */
  excerptChars?: number;
}

type Listener = (sample: RejectionSample) => void;

export class RejectionCounter<Code extends string = string> {
  readonly #counts = new Map<Code, number>();
  readonly #recent: RejectionSample[] = [];
  readonly #recentSamples: number;
  readonly #excerptChars: number;
  readonly #listeners = new Set<Listener>();
  #total = 0;

  constructor(options: RejectionCounterOptions = {}) {
    this.#recentSamples = options.recentSamples ?? 100;
    this.#excerptChars = options.excerptChars ?? 200;
  }

  /** Counts one rejection; listeners (e.g. the dropped_packets writer) see the sample. */
  reject(code: Code, input: RejectInput = {}): RejectionSample {
    this.#total++;
    this.#counts.set(code, (this.#counts.get(code) ?? 0) + 1);
    const sample: RejectionSample = { code, atMs: input.atMs ?? Date.now(), detail: input.detail ?? code };
    if (input.topic !== undefined) sample.topic = input.topic;
    if (input.source !== undefined) sample.source = input.source;
    if (input.payload !== undefined) sample.excerpt = this.#excerpt(input.payload);
    this.#recent.push(sample);
    if (this.#recent.length > this.#recentSamples) this.#recent.shift();
    for (const listener of this.#listeners) {
      try {
        listener(sample);
      } catch (err) {
        // A failing consumer must not break ingest (style-examples §3).
        process.emitWarning(`rejection listener failed: ${(err as Error).message}`);
      }
    }
    return sample;
  }

  count(code: Code): number {
    return this.#counts.get(code) ?? 0;
  }

  get total(): number {
    return this.#total;
  }

  /** Subscribes to every future rejection; returns the unsubscribe function. */
  onReject(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  snapshot(): RejectionSnapshot {
    const byCode: Record<string, number> = {};
    for (const [code, n] of [...this.#counts].sort((a, b) => a[0].localeCompare(b[0]))) byCode[code] = n;
    return { total: this.#total, byCode, recent: this.#recent.slice().reverse() };
  }

  #excerpt(payload: Uint8Array | string): string {
    const max = this.#excerptChars;
    const text =
      typeof payload === 'string'
        ? payload.slice(0, max)
        : Buffer.from(payload.buffer, payload.byteOffset, Math.min(payload.byteLength, max * 4)).toString(
            'utf8',
          );
    // Control characters would corrupt logs and UI tables.
    return text.slice(0, max).replace(/[\u0000-\u001f\u007f]/g, '\ufffd');
  }
}
