// Figures /api/health, /api/healthz and /api/perf show beside the route timings, supplied by the
// composition root (each optional, so buildApp works without a server behind it), plus the
// process-level samplers those routes own.
import { availableParallelism } from 'node:os';
import { readFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';

/** Rows and bytes of the in-memory store (loadedTx/loadedObs, packetStore). */
export interface StoreFigures {
  transmissions: number;
  observations: number;
  /** Bytes the store occupies (shared columns, heaps, interns, index estimate). */
  estimatedBytes: number;
  /** Transmissions appended since start (ingest), when known. */
  inserts?: number;
  /** Entries of the main lookup indexes, in CoreScope's names. */
  indexes?: { byHash: number; byObserver: number; byNode: number; advertByObserver: number | null };
}

export interface CacheFigures {
  entries: number;
  hits: number;
  misses: number;
  staleHits: number;
  recomputes: number;
}

/** Per MQTT source, CoreScope's two-clock liveness (unix seconds, 0 = never). */
export interface SourceLiveness {
  lastReceiptUnix: number;
  lastMessageUnix: number;
}

export interface BuildInfo {
  /** Git commit the build was made from; null when unknown. */
  commit: string | null;
  /** ISO time of the build; null when unknown. */
  buildTime: string | null;
}

/** The writer thread's state as health reads it (SqliteWriterThread.stats()). */
export interface WriterHealth {
  failed: boolean;
  backlogged: boolean;
  degraded: { code: string; message: string; sinceMs: number; retries: number } | null;
}

export interface Telemetry {
  build?: BuildInfo;
  store?: () => StoreFigures;
  /** The store's detailed memory report (`?mem=1`). */
  storeMemory?: () => unknown;
  cache?: () => CacheFigures;
  ingestLiveness?: () => Record<string, SourceLiveness>;
  /** SQLite figures, read off the event loop (the writer thread). */
  sqlite?: () => Promise<unknown>;
  /** issue 13 i13a: the writer's state; degraded or failed writes turn health and healthz degraded. */
  writer?: () => WriterHealth;
}

/**
 * The event loop's current lag: a 500 ms timer measures how late it fires. (The histogram of
 * monitorEventLoopDelay gives percentiles and the max; "current" is the latest sample.)
 */
export class LagSampler {
  #currentMs = 0;
  #timer: NodeJS.Timeout;
  constructor(periodMs = 500) {
    let expected = performance.now() + periodMs;
    this.#timer = setInterval(() => {
      const now = performance.now();
      this.#currentMs = Math.max(0, Math.round((now - expected) * 100) / 100);
      expected = now + periodMs;
    }, periodMs);
    this.#timer.unref();
  }
  currentMs(): number {
    return this.#currentMs;
  }
  stop(): void {
    clearInterval(this.#timer);
  }
}

const gc = { count: 0, totalMs: 0, lastMs: 0 };
let gcObserved = false;
function observeGc(): void {
  if (gcObserved) return;
  gcObserved = true;
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gc.count++;
      gc.totalMs += e.duration;
      gc.lastMs = e.duration;
    }
  });
  obs.observe({ entryTypes: ['gc'] });
}

function threadCount(): number | null {
  try {
    const m = /^Threads:\s+(\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

const mb = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;

/**
 * CoreScope's `goRuntime` block with this process's V8/Node equivalents: goroutines = OS
 * threads of the process, GC figures from perf_hooks' gc entries since the first call,
 * heap figures from process.memoryUsage().
 */
export function processRuntime(mem: NodeJS.MemoryUsage) {
  observeGc();
  return {
    goroutines: threadCount(),
    numGC: gc.count,
    pauseTotalMs: Math.round(gc.totalMs * 100) / 100,
    lastPauseMs: Math.round(gc.lastMs * 100) / 100,
    heapAllocMB: mb(mem.heapUsed),
    heapSysMB: mb(mem.heapTotal),
    heapInuseMB: mb(mem.heapUsed),
    heapIdleMB: mb(mem.heapTotal - mem.heapUsed),
    numCPU: availableParallelism(),
  };
}
