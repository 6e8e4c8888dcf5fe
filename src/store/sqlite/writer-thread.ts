// The SQLite writer in a worker thread (main-thread side). On the main thread a single COMMIT
// still held the event loop 33-200 ms under disk contention (bench/sqlite-write.ts), far over
// issue 3's "a few ms per batch". Here each operation is only appended, flat-encoded (op-codec.ts),
// to the current batch; batches are posted to a worker, whose own connection and SqliteWriter
// commit them.
//
// Exactly-once across worker crashes: the worker commits each batch as one transaction that also
// records the batch's sequence number (writer-worker.ts, table ml_writer_progress). A restarted
// worker reports the last committed sequence number, so batches committed but not yet
// acknowledged are dropped here and only the rest are re-sent, in order.
import { randomUUID } from 'node:crypto';
import type { CheckpointerStats } from './checkpointer-thread.js';
import type { SqliteFileStats, ThreadIoCounters, WriterRead } from './diagnostics.js';
import type { DroppedPacketQuery, StoredDroppedPacket } from '../records.js';
import { encodeOp } from './op-codec.js';
import { WriterOps, type WriteOp } from './operations.js';
import type { RetentionConfig, RetentionResult } from './retention.js';
import type { FromWriterWorker, ToWriterWorker, WriterWorkerInit } from './writer-protocol.js';
import { emptyWriterStats, type WriterOptions, type WriterStats } from './writer.js';
import { backoffDelay, WorkerHandle, type ExitInfo } from '../../util/worker-handle.js';
import { scriptExt } from '../../util/worker-script.js';

export interface WriterThreadOptions {
  /** Post queued operations to the worker after this long (ms). Default 25. */
  batchIntervalMs?: number;
  /** Post at once when this many operations are queued; also the largest batch. Default 1000:
   * posting a flat-encoded batch of 1,000 takes the main thread ~1-2 ms. */
  batchMaxOps?: number;
  /** Batches posted but not yet committed before posting waits. Default 4. */
  maxInFlightBatches?: number;
  /** Queued operations above which the writer reports itself overloaded (logged, counted). Default 200000. */
  highWaterOps?: number;
  /** Hard cap on queued operations: past it new operations are dropped and counted. Default 2000000. */
  maxQueuedOps?: number;
  /** WAL checkpoint period in the worker (ms); 0 = leave SQLite's automatic checkpoints on. Default 2000. */
  checkpointPeriodMs?: number;
  /** Consecutive worker crashes without progress before giving up. Default 5. */
  maxRestarts?: number;
  /** Options of the SqliteWriter inside the worker (its batching is replaced by ours). */
  writer?: Pick<WriterOptions, 'maxDroppedPackets' | 'metricsBucketMs'>;
  /** Where crashes, overload and statement errors are reported. Default console.error. */
  log?: (message: string) => void;
  /** Test hook: the first worker exits right after committing this batch, before acknowledging it. */
  crashAfterCommitSeq?: number;
}

export interface WriterThreadStats extends WriterStats {
  /** Operations queued on the main thread, not yet posted. */
  queuedOps: number;
  inFlightBatches: number;
  inFlightOps: number;
  /** Age of the oldest posted, unacknowledged batch (ms); 0 when none. */
  workerLagMs: number;
  maxRoundTripMs: number;
  batchesPosted: number;
  /** Largest main-thread postMessage (structured clone) time (ms). */
  maxPostMs: number;
  workerRestarts: number;
  /** Batches found committed after a crash (not re-sent) / re-sent to the new worker. */
  recoveredBatches: number;
  resentBatches: number;
  overloaded: boolean;
  overloadEvents: number;
  /** Operations refused at the hard cap (maxQueuedOps). */
  droppedOps: number;
  checkpoints: CheckpointerStats;
  failed: boolean;
}

/** Flat-encoded operations (op-codec.ts) and how many. */
interface Chunk {
  flat: unknown[];
  n: number;
}

interface Batch extends Chunk {
  seq: number;
  /** enqueued-op count once this batch is committed */
  endOp: number;
  sentAt: number;
}

interface Rpc {
  resolve(value: unknown): void;
  reject(err: Error): void;
}

// Under tsx (tests, benches) this file is .ts and so is the worker; compiled, both are .js.
const WORKER_URL = new URL(`./writer-worker${scriptExt(import.meta.url)}`, import.meta.url);

export class SqliteWriterThread extends WriterOps {
  private readonly o: Required<Omit<WriterThreadOptions, 'log' | 'writer' | 'crashAfterCommitSeq'>>;
  private readonly log: (message: string) => void;
  private readonly stream = randomUUID();
  private readonly handle: WorkerHandle<ToWriterWorker, FromWriterWorker>;
  /** Full chunks waiting to be posted, then the one being filled. */
  private full: Chunk[] = [];
  private current: Chunk = { flat: [], n: 0 };
  private queuedOps = 0;
  private inFlight: Batch[] = [];
  private seq = 0;
  /** Operations accepted so far / committed so far (flush targets compare against these). */
  private enqueued = 0;
  private committed = 0;
  private flushWaiters: { target: number; resolve(): void; reject(err: Error): void }[] = [];
  private rpcs = new Map<number, Rpc>();
  private rpcId = 0;
  private timer: NodeJS.Timeout | null = null;
  private closing: Promise<void> | null = null;
  private failure: Error | null = null;
  /** Stats of previous (crashed) workers, added to the current one's. */
  private pastStats = emptyWriterStats();
  private workerStats = emptyWriterStats();
  private checkpoints: CheckpointerStats = { runs: 0, errors: 0 };
  private readonly local = {
    maxQueuedOps: 0,
    maxRoundTripMs: 0,
    batchesPosted: 0,
    maxPostMs: 0,
    workerRestarts: 0,
    recoveredBatches: 0,
    resentBatches: 0,
    overloaded: false,
    overloadEvents: 0,
    droppedOps: 0,
  };

  /** Starts the worker on the database file at `path` (already migrated by the caller). */
  constructor(
    private readonly path: string,
    private readonly options: WriterThreadOptions = {},
  ) {
    super();
    this.o = {
      batchIntervalMs: options.batchIntervalMs ?? 25,
      batchMaxOps: options.batchMaxOps ?? 1000,
      maxInFlightBatches: options.maxInFlightBatches ?? 4,
      highWaterOps: options.highWaterOps ?? 200_000,
      maxQueuedOps: options.maxQueuedOps ?? 2_000_000,
      checkpointPeriodMs: options.checkpointPeriodMs ?? 2000,
      maxRestarts: options.maxRestarts ?? 5,
    };
    this.log = options.log ?? ((m) => console.error(m));
    this.handle = new WorkerHandle({
      name: 'sqlite writer worker',
      script: WORKER_URL,
      start: (attempt) => ({ workerData: this.workerInit(attempt > 0) }),
      isReady: (m) => m.t === 'ready',
      restart: { maxRestarts: this.o.maxRestarts, delayMs: backoffDelay },
      onMessage: (m) => this.onMessage(m),
      onError: (err) => this.log(`sqlite writer thread: worker error: ${err.stack}`),
      onExit: (code, info) => this.onExit(code, info),
      onStart: () => this.updateRef(),
    });
  }

  /** Resolves once the worker has opened the database (startup under tsx takes ~1 s). */
  ready(): Promise<void> {
    return this.handle.ready();
  }

  /** True while more operations are queued than `highWaterOps` (ingest back-pressure, i13b). */
  backlogged(): boolean {
    return this.local.overloaded;
  }

  /** Resolves once every operation queued before the call is committed. */
  flush(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const target = this.enqueued;
    if (this.committed >= target) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.flushWaiters.push({ target, resolve, reject });
      this.pump(true);
      this.updateRef();
    });
  }

  /** `VACUUM INTO path` in the worker, after everything queued so far is committed. */
  async backup(path: string): Promise<{ ms: number }> {
    await this.flush();
    return (await this.call({ t: 'backup', id: 0, path })) as { ms: number };
  }

  /** Retention (retention.ts) in the worker, after everything queued so far is committed. */
  async applyRetention(
    config: RetentionConfig,
    options: { nowMs?: number; chunk?: number } = {},
  ): Promise<RetentionResult> {
    await this.flush();
    const m: ToWriterWorker = { t: 'retention', id: 0, config, nowMs: options.nowMs, chunk: options.chunk };
    return (await this.call(m)) as RetentionResult;
  }

  /** I9c: deletes these nodes (geo-filter prune) in the worker, after everything queued is committed. */
  async deleteNodes(pubkeys: string[]): Promise<{ nodes: number; inactiveNodes: number }> {
    await this.flush();
    return (await this.call({ t: 'deleteNodes', id: 0, pubkeys })) as {
      nodes: number;
      inactiveNodes: number;
    };
  }

  /** The newest dropped_packets rows (filters indexed), read in the worker. */
  async droppedPackets(query: DroppedPacketQuery): Promise<StoredDroppedPacket[]> {
    return (await this.read({ kind: 'droppedPackets', query })) as StoredDroppedPacket[];
  }

  /** Page, freelist, cache and WAL figures of the database file, read in the worker. */
  async sqliteStats(): Promise<SqliteFileStats> {
    return (await this.read({ kind: 'sqliteStats' })) as SqliteFileStats;
  }

  /** The writer thread's cumulative I/O counters (null where the kernel has none). */
  async threadIo(): Promise<ThreadIoCounters | null> {
    return (await this.read({ kind: 'threadIo' })) as ThreadIoCounters | null;
  }

  private read(read: WriterRead): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    return this.call({ t: 'read', id: 0, read });
  }

  /** Final flush, WAL checkpoint, worker exit. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      try {
        await this.flush();
      } finally {
        if (this.timer) clearTimeout(this.timer);
        this.timer = null;
        await this.handle.stop({ message: { t: 'close' } });
      }
    })();
    return this.closing;
  }

  stats(): WriterThreadStats {
    const p = this.pastStats;
    const c = this.workerStats;
    const errorsByCode = { ...p.errorsByCode };
    for (const [k, v] of Object.entries(c.errorsByCode)) errorsByCode[k] = (errorsByCode[k] ?? 0) + v;
    const queuedOps = this.queuedOps;
    const inFlightOps = this.inFlightOps();
    return {
      batches: p.batches + c.batches,
      opsWritten: p.opsWritten + c.opsWritten,
      rowsWritten: p.rowsWritten + c.rowsWritten,
      writeErrors: p.writeErrors + c.writeErrors,
      errorsByCode,
      pendingOps: queuedOps + inFlightOps,
      lastBatchMs: c.lastBatchMs,
      maxBatchMs: Math.max(p.maxBatchMs, c.maxBatchMs),
      maxCommitMs: Math.max(p.maxCommitMs, c.maxCommitMs),
      lastBatchOps: c.lastBatchOps,
      droppedPacketsTrimmed: p.droppedPacketsTrimmed + c.droppedPacketsTrimmed,
      queuedOps,
      inFlightBatches: this.inFlight.length,
      inFlightOps,
      workerLagMs: this.inFlight.length ? performance.now() - this.inFlight[0].sentAt : 0,
      ...this.local,
      checkpoints: { ...this.checkpoints },
      failed: this.failure !== null,
    };
  }

  /** Test hook: kills the worker as a crash would (the writer restarts it and re-sends). */
  terminateWorkerForTest(): Promise<number> {
    return this.handle.terminate();
  }

  protected enqueue(op: WriteOp): void {
    if (this.closing) throw new Error('SqliteWriterThread is closed');
    const n = this.queuedOps;
    if (n >= this.o.maxQueuedOps) {
      // Last resort against running out of memory when the disk stalls for minutes.
      if (this.local.droppedOps++ % 10_000 === 0)
        this.log(
          `sqlite writer thread: queue full (${n} ops), dropping writes (${this.local.droppedOps} so far)`,
        );
      return;
    }
    const c = this.current;
    encodeOp(c.flat, op);
    if (++c.n >= this.o.batchMaxOps) {
      this.full.push(c);
      this.current = { flat: [], n: 0 };
    }
    this.queuedOps++;
    this.enqueued++;
    if (n + 1 > this.local.maxQueuedOps) this.local.maxQueuedOps = n + 1;
    if (n + 1 >= this.o.highWaterOps && !this.local.overloaded) {
      this.local.overloaded = true;
      this.local.overloadEvents++;
      this.log(
        `sqlite writer thread: worker behind, ${n + 1} ops queued, ${this.inFlight.length} batches in flight`,
      );
    }
    if (this.full.length > 0) this.pump(true);
    else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.pump(true);
      }, this.o.batchIntervalMs);
      this.timer.unref();
    }
  }

  /** Posts queued operations while in-flight batches are under the limit. */
  private pump(force: boolean): void {
    if (!this.handle.isReady) return;
    while (this.queuedOps > 0 && this.inFlight.length < this.o.maxInFlightBatches) {
      let chunk = this.full.shift();
      if (!chunk) {
        if (!force) break;
        chunk = this.current;
        this.current = { flat: [], n: 0 };
      }
      this.queuedOps -= chunk.n;
      const batch: Batch = { seq: ++this.seq, flat: chunk.flat, n: chunk.n, endOp: 0, sentAt: 0 };
      batch.endOp = this.committed + this.inFlightOps() + chunk.n;
      this.inFlight.push(batch);
      this.post(batch);
      this.local.batchesPosted++;
    }
    if (this.local.overloaded && this.queuedOps < this.o.highWaterOps / 2) {
      this.local.overloaded = false;
      this.log(`sqlite writer thread: caught up (${this.queuedOps} ops queued)`);
    }
    this.updateRef();
  }

  private inFlightOps(): number {
    let n = 0;
    for (const b of this.inFlight) n += b.n;
    return n;
  }

  private post(batch: Batch): void {
    const t0 = performance.now();
    batch.sentAt = t0;
    this.handle.post({ t: 'batch', seq: batch.seq, ops: batch.flat });
    const ms = performance.now() - t0;
    if (ms > this.local.maxPostMs) this.local.maxPostMs = ms;
  }

  private call(m: ToWriterWorker & { id: number }): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    if (!this.handle.worker || this.closing)
      return Promise.reject(
        new Error(this.closing ? 'SqliteWriterThread is closed' : 'sqlite writer worker is restarting'),
      );
    const id = ++this.rpcId;
    return new Promise((resolve, reject) => {
      this.rpcs.set(id, { resolve, reject });
      this.handle.post({ ...m, id } as ToWriterWorker);
      this.updateRef();
    });
  }

  private workerInit(resume: boolean): WriterWorkerInit {
    return {
      path: this.path,
      stream: this.stream,
      resume,
      checkpointPeriodMs: this.o.checkpointPeriodMs,
      writer: this.options.writer ?? {},
      crashAfterCommitSeq: resume ? 0 : (this.options.crashAfterCommitSeq ?? 0),
    };
  }

  private onMessage(m: FromWriterWorker): void {
    switch (m.t) {
      case 'ready':
        this.recover(m.committedSeq);
        this.pump(true);
        return;
      case 'ack': {
        this.workerStats = m.stats;
        this.checkpoints = m.checkpoints;
        this.handle.resetCrashes();
        const b = this.inFlight.shift();
        if (!b || b.seq !== m.seq) throw new Error(`writer thread: ack ${m.seq} out of order`);
        const rtt = performance.now() - b.sentAt;
        if (rtt > this.local.maxRoundTripMs) this.local.maxRoundTripMs = rtt;
        this.committed = b.endOp;
        this.settle();
        // A pending timer will post a partial batch; without one nothing else would.
        this.pump(this.timer === null || this.flushWaiters.length > 0);
        return;
      }
      case 'result':
      case 'error': {
        const rpc = this.rpcs.get(m.id);
        this.rpcs.delete(m.id);
        if (m.t === 'result') rpc?.resolve(m.value);
        else rpc?.reject(Object.assign(new Error(m.message), { code: m.code }));
        this.updateRef();
        return;
      }
      case 'log':
        this.log(m.message);
        return;
      case 'checkpoints':
        this.checkpoints = m.checkpoints;
        return;
      case 'closed':
        this.workerStats = m.stats;
        this.checkpoints = m.checkpoints;
        return;
    }
  }

  /** After a restart: batches the dead worker committed are done; the rest are posted again. */
  private recover(committedSeq: number): void {
    while (this.inFlight.length && this.inFlight[0].seq <= committedSeq) {
      this.committed = this.inFlight.shift()!.endOp;
      this.local.recoveredBatches++;
    }
    for (const b of this.inFlight) {
      this.post(b);
      this.local.resentBatches++;
    }
    this.settle();
  }

  private onExit(code: number, info: ExitInfo): void {
    for (const rpc of this.rpcs.values()) rpc.reject(new Error(`sqlite writer worker exited (code ${code})`));
    this.rpcs.clear();
    if (info.stopping) return;
    // A crash: keep what the dead worker had reported; the handle starts another (backoff) and
    // its ready message tells which batches to re-send.
    this.local.workerRestarts++;
    for (const k of ['batches', 'opsWritten', 'rowsWritten', 'writeErrors', 'droppedPacketsTrimmed'] as const)
      this.pastStats[k] += this.workerStats[k];
    for (const [k, v] of Object.entries(this.workerStats.errorsByCode))
      this.pastStats.errorsByCode[k] = (this.pastStats.errorsByCode[k] ?? 0) + v;
    this.pastStats.maxBatchMs = Math.max(this.pastStats.maxBatchMs, this.workerStats.maxBatchMs);
    this.pastStats.maxCommitMs = Math.max(this.pastStats.maxCommitMs, this.workerStats.maxCommitMs);
    this.workerStats = emptyWriterStats();
    if (!info.restarting) {
      this.failure = this.handle.failure;
      this.log(`sqlite writer thread: ${this.failure?.message}; writes stop`);
      for (const f of this.flushWaiters) f.reject(this.failure!);
      this.flushWaiters = [];
      return;
    }
    this.log(
      `sqlite writer thread: worker exited (code ${code}), restarting; ${this.inFlight.length} batches to recover`,
    );
  }

  private settle(): void {
    if (this.flushWaiters.length === 0) return;
    const waiting = [];
    for (const f of this.flushWaiters) {
      if (this.committed >= f.target) f.resolve();
      else waiting.push(f);
    }
    this.flushWaiters = waiting;
    this.updateRef();
  }

  /** The worker keeps the process alive only while something waits on it. */
  private updateRef(): void {
    // (During the constructor the first start runs before `handle` is assigned.)
    const h = this.handle as typeof this.handle | undefined;
    if (!h) return;
    if (this.inFlight.length || this.flushWaiters.length || this.rpcs.size || this.closing || !h.isReady)
      h.ref();
    else h.unref();
  }
}
