// The startup load SQLite -> MemoryStore (spec ingest-store-api §3.3). HTTP listens before
// this starts. Observers and nodes (a few thousand rows) are read here in keyset chunks;
// transmissions then observations, in ascending id order (O(1) index appends), are read and
// converted into column batches by a worker thread with its own read-only connection
// (load-worker.ts, load-batches.ts) and appended here in bulk (memory/batch-append.ts) in
// time slices of ~sliceMs, yielding to the event loop between slices so requests (healthz,
// config) are answered meanwhile. Progress is readable at any time for /api/healthz and the log.
//
// A row the store rejects (StoreError) is counted by code and skipped; the load goes on.
// Transmission hashes are recomputed from raw_hex (in the batch builder): CoreScope re-hashes
// stale rows at start-up (fixtures/README.md caveat 2: 145 of the fixture's 499 stored hashes
// are wrong), and ingest dedups new sightings by the correct content hash, so the store must
// hold that one.
import { StoreError } from '../memory/errors.js';
import type { MemoryStore } from '../memory/memory-store.js';
import {
  BatchDictionaries,
  appendObservationBatch,
  appendTransmissionBatch,
  newBatchTally,
} from '../memory/batch-append.js';
import type { ProduceOptions } from './load-batches.js';
import type { LoadWorkerMessage } from './load-protocol.js';
import { InThreadSource, type BatchSource } from './load-sources.js';
import { WorkerSource } from './load-thread.js';
import type { Db } from '../sqlite/open.js';
import {
  newReadStats,
  nodeChunks,
  observerChunks,
  readCounts,
  type ReadStats,
  type RowCounts,
} from '../sqlite/readers.js';

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
  /** Sum of the synchronous stretches on this thread, ms (its share of the load's CPU). */
  busyMs: number;
  /** Load workers that read transmissions/observations (0 = read in this thread). */
  workers: number;
}

export interface LoadOptions {
  /**
   * Rows per SQLite read and per column batch. Default: 2000 for observers/nodes, 2048 for
   * transmissions, 8192 for observations (batches are appended in time slices, so their size
   * does not decide how long the loop is held).
   */
  chunkSize?: number;
  /** Longest synchronous append stretch before yielding, ms (default 8). */
  sliceMs?: number;
  /**
   * Worker threads that read and convert, each on its own read-only connection (default 2 when
   * the database is a file: reading is the bottleneck, ~3x the append cost per row; an
   * in-memory database can only be read through its own connection, so 0 = in this thread).
   */
  workers?: number;
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
    const chunkSize = this.options.chunkSize;
    const sliceMs = this.options.sliceMs ?? 8;
    const rehash = this.options.rehash ?? true;
    const yieldFn = this.options.yieldFn ?? yieldToLoop;
    const progress = this.progress;
    const report = () => this.options.onProgress?.(progress);
    const readStats = newReadStats();
    const rejected: Record<string, number> = {};
    const timingsMs = { observers: 0, nodes: 0, transmissions: 0, observations: 0, compact: 0 };
    const counts = { observers: 0, nodes: 0, transmissions: 0, observations: 0 };
    let maxChunkMs = 0;
    let busyMs = 0;
    /** Accounts one synchronous stretch that began at `start`. */
    const slice = (start: number) => {
      const ms = performance.now() - start;
      busyMs += ms;
      if (ms > maxChunkMs) maxChunkMs = ms;
    };
    const t0 = performance.now();

    const workers = db.memory || db.name === '' ? 0 : (this.options.workers ?? 2);
    const produce = (first: number, stride: number): ProduceOptions => ({
      rehash,
      txBatchRows: chunkSize ?? 2048,
      obsBatchRows: chunkSize ?? 8192,
      stats: newReadStats(),
      transmissions: first === 0,
      first,
      stride,
    });
    const setTotal = (c: RowCounts) => {
      progress.rowsTotal = c.observers + c.nodes + c.transmissions + c.observations;
      report();
    };
    // Started first so their startup (and first reads) overlap the observers and nodes phases.
    // The first worker also counts the rows (for progress), off this thread.
    const sources: BatchSource[] = [];
    if (workers === 0) {
      setTotal(readCounts(db));
      sources.push(new InThreadSource(db, produce(0, 1)));
    } else
      for (let w = 0; w < workers; w++)
        sources.push(new WorkerSource(db.name, { ...produce(w, workers), counts: w === 0 }, setTotal));
    try {
      const reject = (err: unknown) => {
        if (!(err instanceof StoreError)) throw err;
        rejected[err.code] = (rejected[err.code] ?? 0) + 1;
      };

      /** Drives one record reader: apply each chunk synchronously, then yield. */
      const recordPhase = async <R>(
        name: 'observers' | 'nodes',
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
          slice(sliceStart);
          await yieldFn();
          sliceStart = performance.now();
        }
        timingsMs[name] = performance.now() - start;
      };

      const opts = { chunkSize: chunkSize ?? 2000, stats: readStats };
      await recordPhase('observers', observerChunks(db, opts), (o) => store.upsertObserver(o));
      await recordPhase('nodes', nodeChunks(db, opts), (n) => store.upsertNode(n));

      // One dictionary mapping per source: each builder numbers its strings independently.
      const dicts = sources.map(() => new BatchDictionaries(store));
      const tallies = { transmissions: newBatchTally(), observations: newBatchTally() };
      const mergeStats = (st: ReadStats) => {
        readStats.badPathJson += st.badPathJson;
        readStats.badTimes += st.badTimes;
        readStats.unknownObserver += st.unknownObserver;
      };
      /** Appends one batch in time slices, then acknowledges it. */
      const apply = async (w: number, msg: LoadWorkerMessage) => {
        if (msg.kind !== 'tx' && msg.kind !== 'obs') throw new Error(`load worker: unexpected ${msg.kind}`);
        const tally = msg.kind === 'tx' ? tallies.transmissions : tallies.observations;
        dicts[w].add(msg.batch.dict);
        for (let at = 0; at < msg.batch.n;) {
          const sliceStart = performance.now();
          const next =
            msg.kind === 'tx'
              ? appendTransmissionBatch(store, msg.batch, at, dicts[w], tally, sliceStart + sliceMs)
              : appendObservationBatch(store, msg.batch, at, dicts[w], tally, sliceStart + sliceMs);
          progress.rowsLoaded += next - at;
          at = next;
          report();
          slice(sliceStart);
          await yieldFn();
        }
        sources[w].ack(msg.seq);
      };
      const next = async (w: number) => {
        const msg = await sources[w].next();
        if (msg.kind === 'error') throw new Error(msg.message);
        if (msg.kind === 'done') mergeStats(msg.stats);
        return msg;
      };

      progress.phase = 'transmissions';
      report();
      let start = performance.now();
      for (let msg = await next(0); msg.kind !== 'tx-done'; msg = await next(0)) await apply(0, msg);
      timingsMs.transmissions = performance.now() - start;

      // Observation pages in id order, page p from source p mod n; the first missing page ends it.
      progress.phase = 'observations';
      report();
      start = performance.now();
      const done = new Set<number>();
      for (let page = 0; ; page++) {
        const w = page % sources.length;
        const msg = await next(w);
        if (msg.kind === 'done') {
          done.add(w);
          break;
        }
        if (msg.kind !== 'obs' || msg.page !== page)
          throw new Error(`load worker ${w}: expected observation page ${page}, got ${msg.kind}`);
        await apply(w, msg);
      }
      for (let w = 0; w < sources.length; w++) {
        if (done.has(w)) continue;
        const msg = await next(w);
        if (msg.kind !== 'done') throw new Error(`load worker ${w}: pages past the last one`);
      }
      timingsMs.observations = performance.now() - start;
      for (const name of ['transmissions', 'observations'] as const) {
        counts[name] = tallies[name].stored;
        for (const [code, n] of Object.entries(tallies[name].rejected))
          rejected[code] = (rejected[code] ?? 0) + n;
      }

      progress.phase = 'compact';
      report();
      const c0 = performance.now();
      const steps = store.compactSteps();
      for (let more = true; more;) {
        const sliceStart = performance.now();
        while ((more = !steps.next().done) && performance.now() - sliceStart < sliceMs);
        slice(sliceStart);
        if (more) await yieldFn();
      }
      timingsMs.compact = performance.now() - c0;

      progress.phase = 'done';
      report();
      return {
        counts,
        rejected,
        rehashed: tallies.transmissions.rehashed,
        readStats,
        timingsMs,
        totalMs: performance.now() - t0,
        maxChunkMs,
        busyMs,
        workers,
      };
    } finally {
      await Promise.all(sources.map((src) => src.close()));
    }
  }
}

/** Convenience: run one load to completion. */
export function loadStore(db: Db, store: MemoryStore, options: LoadOptions = {}): Promise<LoadResult> {
  return new StoreLoader(db, store, options).run();
}
