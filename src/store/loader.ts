// The startup load SQLite -> MemoryStore (spec ingest-store-api §3.3). HTTP listens before
// this starts; the load reads observers, nodes, transmissions, then observations, each in
// ascending id order (O(1) index appends, design "Load in ascending id"), one keyset chunk at
// a time, and yields to the event loop between chunks so requests (healthz, config) are
// answered meanwhile. Progress is readable at any time for /api/healthz and the log.
//
// A row the store rejects (StoreError) is counted by code and skipped; the load goes on.
// Transmission hashes are recomputed from raw_hex: CoreScope re-hashes stale rows at start-up
// (fixtures/README.md caveat 2: 145 of the fixture's 499 stored hashes are wrong), and ingest
// dedups new sightings by the correct content hash, so the store must hold that one.
import { contentHash } from '../protocol/hash.js';
import { StoreError } from './memory/errors.js';
import type { MemoryStore } from './memory/memory-store.js';
import type { Db } from './sqlite/open.js';
import {
  newReadStats,
  nodeChunks,
  observationChunks,
  observerChunks,
  readCounts,
  transmissionChunks,
  type ReadStats,
} from './sqlite/readers.js';

export type LoadPhase =
  'pending' | 'observers' | 'nodes' | 'transmissions' | 'observations' | 'compact' | 'done' | 'failed';

export interface LoadProgress {
  phase: LoadPhase;
  /** Rows handled so far over all tables (loaded + rejected). */
  rowsLoaded: number;
  rowsTotal: number;
  error?: string;
}

export interface LoadResult {
  /** Rows now in the store, per table. */
  counts: { observers: number; nodes: number; transmissions: number; observations: number };
  /** Rows the store rejected, by StoreError code (e.g. observations of a missing transmission). */
  rejected: Record<string, number>;
  /** Transmissions whose stored hash differed from the recomputed content hash. */
  rehashed: number;
  /** Conversion fallbacks of the SQLite readers (bad path_json, times, observer_idx). */
  readStats: ReadStats;
  /** Wall time per phase, ms. */
  timingsMs: Record<'observers' | 'nodes' | 'transmissions' | 'observations' | 'compact', number>;
  totalMs: number;
  /** Longest synchronous stretch between two yields, ms (what a request could wait). */
  maxChunkMs: number;
}

export interface LoadOptions {
  /** Rows per SQLite read (default 2000: the read dominates, ~2-5 us/row, so a chunk holds the loop ~5-15 ms). */
  chunkSize?: number;
  /** Recompute content hashes from raw_hex (default true; see the file comment). */
  rehash?: boolean;
  /** Called after every chunk and phase change. */
  onProgress?: (p: Readonly<LoadProgress>) => void;
  /** Between chunks; default setImmediate (lets pending I/O callbacks run). */
  yieldFn?: () => Promise<void>;
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * One startup load. `status()` is O(1) and shaped like a readiness provider's answer, so the
 * composition root can `readiness.register('store', () => loader.status())`.
 */
export class StoreLoader {
  readonly progress: LoadProgress = { phase: 'pending', rowsLoaded: 0, rowsTotal: 0 };
  #result: LoadResult | null = null;

  constructor(
    private readonly db: Db,
    private readonly store: MemoryStore,
    private readonly options: LoadOptions = {},
  ) {}

  get result(): LoadResult | null {
    return this.#result;
  }

  status(): { ready: boolean; loadedRows: number; progress: Record<string, unknown> } {
    const p = this.progress;
    return {
      ready: p.phase === 'done',
      loadedRows: p.rowsLoaded,
      progress: {
        phase: p.phase,
        rowsLoaded: p.rowsLoaded,
        rowsTotal: p.rowsTotal,
        ...(p.error ? { error: p.error } : {}),
      },
    };
  }

  async run(): Promise<LoadResult> {
    try {
      this.#result = await this.#load();
      return this.#result;
    } catch (err) {
      this.progress.phase = 'failed';
      this.progress.error = (err as Error).message;
      this.options.onProgress?.(this.progress);
      throw err;
    }
  }

  async #load(): Promise<LoadResult> {
    const { db, store } = this;
    const chunkSize = this.options.chunkSize ?? 2000;
    const rehash = this.options.rehash ?? true;
    const yieldFn = this.options.yieldFn ?? yieldToLoop;
    const progress = this.progress;
    const report = () => this.options.onProgress?.(progress);
    const readStats = newReadStats();
    const rejected: Record<string, number> = {};
    const timingsMs = { observers: 0, nodes: 0, transmissions: 0, observations: 0, compact: 0 };
    const counts = { observers: 0, nodes: 0, transmissions: 0, observations: 0 };
    let rehashed = 0;
    let maxChunkMs = 0;
    const t0 = performance.now();

    const total = readCounts(db);
    progress.rowsTotal = total.observers + total.nodes + total.transmissions + total.observations;
    const reject = (err: unknown) => {
      if (!(err instanceof StoreError)) throw err;
      rejected[err.code] = (rejected[err.code] ?? 0) + 1;
    };

    /** Drives one reader: apply each chunk synchronously, then yield. */
    const phase = async <R>(
      name: keyof typeof timingsMs & keyof typeof counts,
      chunks: Iterable<R[]>,
      apply: (rec: R) => void,
    ) => {
      progress.phase = name;
      report();
      const start = performance.now();
      let sliceStart = start;
      for (const chunk of chunks) {
        for (let i = 0; i < chunk.length; i++) {
          try {
            apply(chunk[i]);
            counts[name]++;
          } catch (err) {
            reject(err);
          }
        }
        progress.rowsLoaded += chunk.length;
        report();
        maxChunkMs = Math.max(maxChunkMs, performance.now() - sliceStart);
        await yieldFn();
        sliceStart = performance.now();
      }
      timingsMs[name] = performance.now() - start;
    };

    const opts = { chunkSize, stats: readStats };
    await phase('observers', observerChunks(db, opts), (o) => store.upsertObserver(o));
    await phase('nodes', nodeChunks(db, opts), (n) => store.upsertNode(n));
    await phase('transmissions', transmissionChunks(db, opts), (t) => {
      if (rehash) {
        const h = contentHash(t.rawHex).toLowerCase();
        if (h !== t.hash && /^[0-9a-f]{16}$/.test(h) && store.txRowByHash(h) === -1) {
          t.hash = h;
          rehashed++;
        }
      }
      store.appendTransmission(t);
    });
    await phase('observations', observationChunks(db, opts), (o) => store.appendObservation(o));

    progress.phase = 'compact';
    report();
    const c0 = performance.now();
    store.compact();
    timingsMs.compact = performance.now() - c0;
    maxChunkMs = Math.max(maxChunkMs, timingsMs.compact);

    progress.phase = 'done';
    report();
    return { counts, rejected, rehashed, readStats, timingsMs, totalMs: performance.now() - t0, maxChunkMs };
  }
}

/** Convenience: run one load to completion. */
export function loadStore(db: Db, store: MemoryStore, options: LoadOptions = {}): Promise<LoadResult> {
  return new StoreLoader(db, store, options).run();
}
