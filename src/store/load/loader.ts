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
    const run = new LoadRun(this.db, this.store, this.options, this.progress);
    try {
      await run.recordPhase('observers', observerChunks(this.db, run.chunkOptions), (o) =>
        this.store.upsertObserver(o),
      );
      await run.recordPhase('nodes', nodeChunks(this.db, run.chunkOptions), (n) => this.store.upsertNode(n));
      await run.transmissionPhase();
      await run.observationPhase();
      await run.compactPhase();
      return run.finish();
    } finally {
      await run.close();
    }
  }
}

/**
 * The state of one load while it runs, one method per phase. Every synchronous stretch goes
 * through `slice()` (for maxChunkMs / busyMs) and is followed by a yield to the event loop.
 */
class LoadRun {
  readonly chunkOptions: { chunkSize: number; stats: ReadStats };
  private readonly t0 = performance.now();
  private readonly sliceMs: number;
  private readonly yieldFn: () => Promise<void>;
  private readonly readStats = newReadStats();
  private readonly rejected: Record<string, number> = {};
  private readonly timingsMs = { observers: 0, nodes: 0, transmissions: 0, observations: 0, compact: 0 };
  private readonly counts = { observers: 0, nodes: 0, transmissions: 0, observations: 0 };
  private readonly tallies = { transmissions: newBatchTally(), observations: newBatchTally() };
  private maxChunkMs = 0;
  private busyMs = 0;
  private readonly workers: number;
  /** Transmission/observation batch sources, started first so their startup (and first reads)
   *  overlap the observers and nodes phases; the first worker also counts the rows, off this thread. */
  private readonly sources: BatchSource[] = [];
  /** One dictionary mapping per source: each builder numbers its strings independently. */
  private readonly dicts: BatchDictionaries[];

  constructor(
    db: Db,
    private readonly store: MemoryStore,
    private readonly options: LoadOptions,
    private readonly progress: LoadProgress,
  ) {
    const chunkSize = options.chunkSize;
    this.sliceMs = options.sliceMs ?? 8;
    this.yieldFn = options.yieldFn ?? yieldToLoop;
    this.chunkOptions = { chunkSize: chunkSize ?? 2000, stats: this.readStats };
    this.workers = db.memory || db.name === '' ? 0 : (options.workers ?? 2);
    const produce = (first: number, stride: number): ProduceOptions => ({
      rehash: options.rehash ?? true,
      txBatchRows: chunkSize ?? 2048,
      obsBatchRows: chunkSize ?? 8192,
      stats: newReadStats(),
      transmissions: first === 0,
      first,
      stride,
    });
    const setTotal = (c: RowCounts) => {
      progress.rowsTotal = c.observers + c.nodes + c.transmissions + c.observations;
      this.report();
    };
    if (this.workers === 0) {
      setTotal(readCounts(db));
      this.sources.push(new InThreadSource(db, produce(0, 1)));
    } else
      for (let w = 0; w < this.workers; w++)
        this.sources.push(
          new WorkerSource(db.name, { ...produce(w, this.workers), counts: w === 0 }, setTotal),
        );
    this.dicts = this.sources.map(() => new BatchDictionaries(store));
  }

  private report(): void {
    this.options.onProgress?.(this.progress);
  }

  private enter(phase: LoadPhase): number {
    this.progress.phase = phase;
    this.report();
    return performance.now();
  }

  /** Accounts one synchronous stretch that began at `start`. */
  private slice(start: number): void {
    const ms = performance.now() - start;
    this.busyMs += ms;
    if (ms > this.maxChunkMs) this.maxChunkMs = ms;
  }

  private reject(err: unknown): void {
    if (!(err instanceof StoreError)) throw err;
    this.rejected[err.code] = (this.rejected[err.code] ?? 0) + 1;
  }

  /** Drives one record reader: apply each chunk synchronously, then yield. */
  async recordPhase<R>(name: 'observers' | 'nodes', chunks: Iterable<R[]>, apply: (rec: R) => void) {
    const start = this.enter(name);
    let sliceStart = start;
    for (const chunk of chunks) {
      for (let i = 0; i < chunk.length; i++) {
        try {
          apply(chunk[i]);
          this.counts[name]++;
        } catch (err) {
          this.reject(err);
        }
      }
      this.progress.rowsLoaded += chunk.length;
      this.report();
      this.slice(sliceStart);
      await this.yieldFn();
      sliceStart = performance.now();
    }
    this.timingsMs[name] = performance.now() - start;
  }

  /** All transmissions, from the first source. */
  async transmissionPhase(): Promise<void> {
    const start = this.enter('transmissions');
    for (let msg = await this.next(0); msg.kind !== 'tx-done'; msg = await this.next(0))
      await this.apply(0, msg);
    this.timingsMs.transmissions = performance.now() - start;
  }

  /** Observation pages in id order, page p from source p mod n; the first missing page ends it. */
  async observationPhase(): Promise<void> {
    const start = this.enter('observations');
    const done = new Set<number>();
    for (let page = 0; ; page++) {
      const w = page % this.sources.length;
      const msg = await this.next(w);
      if (msg.kind === 'done') {
        done.add(w);
        break;
      }
      if (msg.kind !== 'obs' || msg.page !== page)
        throw new Error(`load worker ${w}: expected observation page ${page}, got ${msg.kind}`);
      await this.apply(w, msg);
    }
    for (let w = 0; w < this.sources.length; w++) {
      if (done.has(w)) continue;
      const msg = await this.next(w);
      if (msg.kind !== 'done') throw new Error(`load worker ${w}: pages past the last one`);
    }
    this.timingsMs.observations = performance.now() - start;
  }

  /** The store's post-load compaction, in slices. */
  async compactPhase(): Promise<void> {
    const c0 = this.enter('compact');
    const steps = this.store.compactSteps();
    for (let more = true; more;) {
      const sliceStart = performance.now();
      while ((more = !steps.next().done) && performance.now() - sliceStart < this.sliceMs);
      this.slice(sliceStart);
      if (more) await this.yieldFn();
    }
    this.timingsMs.compact = performance.now() - c0;
  }

  finish(): LoadResult {
    for (const name of ['transmissions', 'observations'] as const) {
      this.counts[name] = this.tallies[name].stored;
      for (const [code, n] of Object.entries(this.tallies[name].rejected))
        this.rejected[code] = (this.rejected[code] ?? 0) + n;
    }
    this.enter('done');
    return {
      counts: this.counts,
      rejected: this.rejected,
      rehashed: this.tallies.transmissions.rehashed,
      readStats: this.readStats,
      timingsMs: this.timingsMs,
      totalMs: performance.now() - this.t0,
      maxChunkMs: this.maxChunkMs,
      busyMs: this.busyMs,
      workers: this.workers,
    };
  }

  close(): Promise<unknown> {
    return Promise.all(this.sources.map((src) => src.close()));
  }

  private async next(w: number): Promise<LoadWorkerMessage> {
    const msg = await this.sources[w].next();
    if (msg.kind === 'error') throw new Error(msg.message);
    if (msg.kind === 'done') this.mergeStats(msg.stats);
    return msg;
  }

  private mergeStats(st: ReadStats): void {
    this.readStats.badPathJson += st.badPathJson;
    this.readStats.badTimes += st.badTimes;
    this.readStats.unknownObserver += st.unknownObserver;
  }

  /** Appends one batch in time slices, then acknowledges it. */
  private async apply(w: number, msg: LoadWorkerMessage): Promise<void> {
    if (msg.kind !== 'tx' && msg.kind !== 'obs') throw new Error(`load worker: unexpected ${msg.kind}`);
    const tally = msg.kind === 'tx' ? this.tallies.transmissions : this.tallies.observations;
    const dict = this.dicts[w];
    dict.add(msg.batch.dict);
    for (let at = 0; at < msg.batch.n;) {
      const sliceStart = performance.now();
      const deadline = sliceStart + this.sliceMs;
      const next =
        msg.kind === 'tx'
          ? appendTransmissionBatch(this.store, msg.batch, at, dict, tally, deadline)
          : appendObservationBatch(this.store, msg.batch, at, dict, tally, deadline);
      this.progress.rowsLoaded += next - at;
      at = next;
      this.report();
      this.slice(sliceStart);
      await this.yieldFn();
    }
    this.sources[w].ack(msg.seq);
  }
}

/** Convenience: run one load to completion. */
export function loadStore(db: Db, store: MemoryStore, options: LoadOptions = {}): Promise<LoadResult> {
  return new StoreLoader(db, store, options).run();
}
