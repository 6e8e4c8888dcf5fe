// Runs retention (spec ingest-store-api §1.10 "Packet retention", "Metrics / dropped_packets",
// "Node aging", "Observer aging", "Client RX coverage") through the writer thread, so deletes
// never run on the event loop: at startup, then every period (the composition root uses one
// hour, node ageing's period; the other jobs are idempotent and cheap when nothing is due).
// SQLite only: the in-memory store is append-only and evicts nothing, so pruned transmissions
// and aged nodes stay readable from memory until the next restart (the load then skips them).
// Off unless one of packetDays, metricsDays, nodeDays, observerDays or clientRxDays is on.
import type { RetentionConfig, RetentionResult } from './sqlite/retention.js';

export interface RetentionSchedulerOptions {
  config: RetentionConfig;
  run: (config: RetentionConfig) => Promise<RetentionResult>;
  /** Default one day. */
  periodMs?: number;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** Issue 13 #5: after a run, with the observers it deleted (the memory store hides them). */
  onResult?: (result: RetentionResult) => void;
}

export interface RetentionSchedulerStats {
  enabled: boolean;
  runs: number;
  errors: number;
  lastRunAtMs: number | null;
  lastResult: Omit<RetentionResult, 'transmissionIds' | 'removedObserverIds'> | null;
  lastError: string | null;
  /** Deleted in SQLite but still served from memory until restart. */
  memoryEvicts: false;
}

export class RetentionScheduler {
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  readonly #s: RetentionSchedulerStats;

  constructor(private readonly o: RetentionSchedulerOptions) {
    const c = o.config;
    const enabled = [
      c.packetDays,
      c.metricsDays,
      c.nodeDays,
      c.observerDays,
      c.clientRxDays,
      c.observerNoPacketHours,
    ].some((d) => (d ?? 0) > 0);
    this.#s = {
      enabled,
      runs: 0,
      errors: 0,
      lastRunAtMs: null,
      lastResult: null,
      lastError: null,
      memoryEvicts: false,
    };
  }

  /** Runs once now (in the background) and then every period; no-op when disabled. */
  start(): void {
    if (!this.#s.enabled || this.#timer) return;
    void this.runOnce();
    this.#timer = setInterval(() => void this.runOnce(), this.o.periodMs ?? 86_400_000);
    this.#timer.unref();
  }

  runOnce(): Promise<void> {
    this.#running ??= (async () => {
      try {
        const r = await this.o.run(this.o.config);
        const { transmissionIds: _ids, removedObserverIds: _obs, ...counts } = r;
        this.#s.lastResult = counts;
        this.o.onResult?.(r);
        if (r.observersRemoved > 0)
          this.o.log?.(
            'info',
            `retention: deleted ${r.observersRemoved} observers that never sent a valid packet`,
          );
        if (r.neighborEdges > 0)
          this.o.log?.('info', `retention: deleted ${r.neighborEdges} neighbor_edges rows`);
        if (r.transmissions + r.observerMetrics + r.droppedPackets + r.clientReceptions > 0)
          this.o.log?.(
            'info',
            `retention: deleted ${r.transmissions} transmissions, ${r.observations} observations, ${r.observerMetrics} metrics rows, ${r.droppedPackets} dropped-packet rows, ${r.clientReceptions} client receptions`,
          );
        if (r.nodesAged + r.observersAged > 0)
          this.o.log?.(
            'info',
            `retention: ${r.nodesAged} nodes moved to inactive_nodes, ${r.observersAged} observers marked inactive (${r.agedObserverMetrics} metrics rows deleted)`,
          );
      } catch (err) {
        this.#s.errors++;
        this.#s.lastError = (err as Error).message;
        this.o.log?.('error', `retention failed: ${(err as Error).message}`);
      } finally {
        this.#s.runs++;
        this.#s.lastRunAtMs = Date.now();
        this.#running = null;
      }
    })();
    return this.#running;
  }

  /** Stops the timer and waits for a run in progress. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running;
  }

  stats(): RetentionSchedulerStats {
    return { ...this.#s };
  }
}
