// Per-route latency (spec ingest-store-api §4.1, §7): route template, count, p50/p95/p99/max
// over a bounded window, and a slow-request log. Other modules add their own sections to
// /api/perf (and /api/health) through a SectionRegistry, so this file never imports them.

/** A named provider of one section of a stats document; called on every read. */
export type SectionProvider = () => unknown;

/** Named sections contributed by other modules (store, ingest, analytics, websocket, ...). */
export class SectionRegistry {
  readonly #providers = new Map<string, SectionProvider>();

  constructor(private readonly reserved: readonly string[] = []) {}

  /** Adds section `name`; returns the function that removes it. Names are unique. */
  register(name: string, provider: SectionProvider): () => void {
    if (this.reserved.includes(name) || this.#providers.has(name))
      throw new Error(`stats section '${name}' is already taken`);
    this.#providers.set(name, provider);
    return () => this.#providers.delete(name);
  }

  /** Every section's current value; a throwing provider shows its error instead. */
  collect(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [name, provider] of this.#providers) {
      try {
        out[name] = provider();
      } catch (err) {
        out[name] = { error: (err as Error).message };
      }
    }
    return out;
  }
}

export interface RouteStats {
  count: number;
  avgMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  totalMs: number;
}

export interface SlowRequest {
  method: string;
  route: string;
  url: string;
  status: number;
  ms: number;
  /** Epoch ms when the request finished. */
  atMs: number;
}

export interface PerfOptions {
  windowSamples: number;
  slowRequestMs: number;
  slowLogEntries: number;
}

class RouteWindow {
  count = 0;
  totalMs = 0;
  maxMs = 0;
  readonly samples: Float64Array;
  next = 0;
  constructor(size: number) {
    this.samples = new Float64Array(size);
  }
  add(ms: number): void {
    this.count++;
    this.totalMs += ms;
    if (ms > this.maxMs) this.maxMs = ms;
    this.samples[this.next] = ms;
    this.next = (this.next + 1) % this.samples.length;
  }
  stats(): RouteStats {
    const sorted = this.samples.slice(0, Math.min(this.count, this.samples.length)).sort();
    const at = (q: number) =>
      round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0);
    return {
      count: this.count,
      avgMs: round(this.totalMs / this.count),
      p50Ms: at(0.5),
      p95Ms: at(0.95),
      p99Ms: at(0.99),
      maxMs: round(this.maxMs),
      totalMs: round(this.totalMs),
    };
  }
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;

export class PerfRecorder {
  readonly sections = new SectionRegistry(['uptimeSec', 'totalRequests', 'endpoints', 'slowQueries']);
  readonly #routes = new Map<string, RouteWindow>();
  readonly #slow: SlowRequest[] = [];
  readonly #startedMs = Date.now();
  #total = 0;
  #totalMs = 0;

  constructor(readonly options: PerfOptions) {}

  /** Records one finished request under its route template (`GET /api/nodes/:pubkey`). */
  record(method: string, route: string, url: string, status: number, ms: number): void {
    this.#total++;
    this.#totalMs += ms;
    const key = `${method} ${route}`;
    let window = this.#routes.get(key);
    if (!window) this.#routes.set(key, (window = new RouteWindow(this.options.windowSamples)));
    window.add(ms);
    if (ms >= this.options.slowRequestMs && this.options.slowLogEntries > 0) {
      this.#slow.push({ method, route, url, status, ms: round(ms), atMs: Date.now() });
      if (this.#slow.length > this.options.slowLogEntries) this.#slow.shift();
    }
  }

  reset(): void {
    this.#routes.clear();
    this.#slow.length = 0;
    this.#total = 0;
    this.#totalMs = 0;
  }

  /** CoreScope's perf summary: requests, mean latency, requests in the slow log. */
  summary(): { totalRequests: number; avgMs: number; slowQueries: number } {
    return {
      totalRequests: this.#total,
      avgMs: this.#total === 0 ? 0 : round(this.#totalMs / this.#total),
      slowQueries: this.#slow.length,
    };
  }

  /** Newest first. */
  slowRequests(limit = this.options.slowLogEntries): SlowRequest[] {
    return this.#slow.slice(-limit).reverse();
  }

  /** The /api/perf document: endpoints sorted by total time, slow log, then every section. */
  snapshot(): Record<string, unknown> {
    const endpoints: Record<string, RouteStats> = {};
    const rows = [...this.#routes].map(([k, w]) => [k, w.stats()] as const);
    rows.sort((a, b) => b[1].totalMs - a[1].totalMs);
    for (const [k, s] of rows) endpoints[k] = s;
    return {
      uptimeSec: Math.round((Date.now() - this.#startedMs) / 1000),
      totalRequests: this.#total,
      endpoints,
      slowQueries: this.slowRequests(),
      ...this.sections.collect(),
    };
  }
}
