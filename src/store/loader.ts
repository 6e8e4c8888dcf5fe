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
import { StoreError } from './memory/errors.js';
import type { MemoryStore } from './memory/memory-store.js';
import {
  BatchDictionaries,
  appendObservationBatch,
  appendTransmissionBatch,
  newBatchTally,
  type BatchTally,
} from './memory/batch-append.js';
import { produceBatches } from './load-batches.js';
import { kAcked, startLoadWorker, type LoadWorkerMessage } from './load-protocol.js';
import type { Db } from './sqlite/open.js';
import { newReadStats, nodeChunks, observerChunks, readCounts, type ReadStats } from './sqlite/readers.js';

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
  /** Whether transmissions/observations were read by the load worker. */
  worker: boolean;
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
   * Read and convert in a worker thread (default: yes when the database is a file; an
   * in-memory database can only be read through its own connection, so in this thread).
   */
  worker?: boolean;
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
    const t0 = performance.now();

    const total = readCounts(db);
    progress.rowsTotal = total.observers + total.nodes + total.transmissions + total.observations;
    const useWorker = this.options.worker ?? (!db.memory && db.name !== '');
    const produce = {
      rehash,
      txBatchRows: chunkSize ?? 2048,
      obsBatchRows: chunkSize ?? 8192,
      stats: readStats,
    };
    // Started first so its startup (and first reads) overlap the observers and nodes phases.
    const source = useWorker ? new WorkerSource(db.name, produce) : new InThreadSource(db, produce);
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
          maxChunkMs = Math.max(maxChunkMs, performance.now() - sliceStart);
          await yieldFn();
          sliceStart = performance.now();
        }
        timingsMs[name] = performance.now() - start;
      };

      const opts = { chunkSize: chunkSize ?? 2000, stats: readStats };
      await recordPhase('observers', observerChunks(db, opts), (o) => store.upsertObserver(o));
      await recordPhase('nodes', nodeChunks(db, opts), (n) => store.upsertNode(n));

      const dicts = new BatchDictionaries(store);
      const tallies = { transmissions: newBatchTally(), observations: newBatchTally() };
      /** Appends the batches of one table in time slices until `end` arrives. */
      const batchPhase = async (name: 'transmissions' | 'observations', end: 'tx-done' | 'done') => {
        progress.phase = name;
        report();
        const start = performance.now();
        const tally: BatchTally = tallies[name];
        for (;;) {
          const msg = await source.next();
          if (msg.kind === 'error') throw new Error(msg.message);
          if (msg.kind === 'done') Object.assign(readStats, mergeStats(readStats, msg.stats));
          if (msg.kind === end) break;
          if (msg.kind !== 'tx' && msg.kind !== 'obs') throw new Error(`load worker: unexpected ${msg.kind}`);
          dicts.add(msg.batch.dict);
          for (let at = 0; at < msg.batch.n;) {
            const sliceStart = performance.now();
            const next =
              msg.kind === 'tx'
                ? appendTransmissionBatch(store, msg.batch, at, dicts, tally, sliceStart + sliceMs)
                : appendObservationBatch(store, msg.batch, at, dicts, tally, sliceStart + sliceMs);
            progress.rowsLoaded += next - at;
            at = next;
            report();
            maxChunkMs = Math.max(maxChunkMs, performance.now() - sliceStart);
            await yieldFn();
          }
          source.ack(msg.seq);
        }
        counts[name] = tally.stored;
        for (const [code, n] of Object.entries(tally.rejected)) rejected[code] = (rejected[code] ?? 0) + n;
        timingsMs[name] = performance.now() - start;
      };
      await batchPhase('transmissions', 'tx-done');
      await batchPhase('observations', 'done');

      progress.phase = 'compact';
      report();
      const c0 = performance.now();
      store.compact();
      timingsMs.compact = performance.now() - c0;
      maxChunkMs = Math.max(maxChunkMs, timingsMs.compact);

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
        worker: useWorker,
      };
    } finally {
      await source.close();
    }
  }
}

function mergeStats(main: ReadStats, worker: ReadStats): ReadStats {
  if (main === worker) return main;
  return {
    badPathJson: main.badPathJson + worker.badPathJson,
    badTimes: main.badTimes + worker.badTimes,
    unknownObserver: main.unknownObserver + worker.unknownObserver,
  };
}

interface ProduceConfig {
  rehash: boolean;
  txBatchRows: number;
  obsBatchRows: number;
  stats: ReadStats;
}

interface BatchSource {
  next(): Promise<LoadWorkerMessage>;
  /** The loader is done with batch `seq` (its buffers may be dropped). */
  ack(seq: number): void;
  close(): Promise<void>;
}

/** Batches from the load worker; at most MAX_IN_FLIGHT unacknowledged (memory bound). */
class WorkerSource implements BatchSource {
  private static readonly MAX_IN_FLIGHT = 4;
  private readonly worker;
  private readonly control = new Int32Array(new SharedArrayBuffer(4 * 4));
  private readonly queue: LoadWorkerMessage[] = [];
  private waiter: ((m: LoadWorkerMessage) => void) | null = null;
  private finished = false;

  constructor(dbPath: string, c: ProduceConfig) {
    this.worker = startLoadWorker({
      dbPath,
      rehash: c.rehash,
      txBatchRows: c.txBatchRows,
      obsBatchRows: c.obsBatchRows,
      maxInFlight: WorkerSource.MAX_IN_FLIGHT,
      control: this.control.buffer as SharedArrayBuffer,
    });
    this.worker.on('message', (m: LoadWorkerMessage) => this.push(m));
    this.worker.on('error', (err) => this.push({ kind: 'error', message: `load worker: ${err.message}` }));
    this.worker.on('exit', (code) => {
      if (!this.finished)
        this.push({ kind: 'error', message: `load worker exited (code ${code}) before the end` });
    });
  }

  private push(m: LoadWorkerMessage): void {
    if (m.kind === 'done' || m.kind === 'error') this.finished = true;
    const w = this.waiter;
    if (w) {
      this.waiter = null;
      w(m);
    } else this.queue.push(m);
  }

  next(): Promise<LoadWorkerMessage> {
    const m = this.queue.shift();
    if (m) return Promise.resolve(m);
    return new Promise((resolve) => (this.waiter = resolve));
  }

  ack(seq: number): void {
    Atomics.store(this.control, kAcked, seq);
    Atomics.notify(this.control, kAcked);
  }

  async close(): Promise<void> {
    this.finished = true;
    await this.worker.terminate();
  }
}

/** The same batches built in this thread from the loader's own connection (in-memory databases). */
class InThreadSource implements BatchSource {
  private readonly gen;
  private seq = 0;

  constructor(db: Db, c: ProduceConfig) {
    this.gen = produceBatches(db, c);
  }

  async next(): Promise<LoadWorkerMessage> {
    const r = this.gen.next();
    if (r.done) return { kind: 'error', message: 'batch producer ended early' };
    return { ...r.value, seq: ++this.seq };
  }

  ack(): void {}

  async close(): Promise<void> {
    this.gen.return(undefined);
  }
}

/** Convenience: run one load to completion. */
export function loadStore(db: Db, store: MemoryStore, options: LoadOptions = {}): Promise<LoadResult> {
  return new StoreLoader(db, store, options).run();
}
