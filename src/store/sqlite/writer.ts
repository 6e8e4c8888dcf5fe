// The single SQLite writer: ingest enqueues operations, which are committed in batched
// transactions. CoreScope committed every packet on its own and its one attempt at group commit
// starved its MQTT client by holding a lock across the commit (spec ingest-store-api §1.9,
// #1117/#1130). Here the batch is bounded by a time budget, so each transaction holds the event
// loop for at most a few ms, and the loop is yielded between transactions.
import type { Db } from './open.js';
import type { ObserverPacketUpsert } from '../records.js';
import { OpApplier, WriterOps, type WriteOp } from './operations.js';

export interface WriterOptions {
  /** Flush timer period (ms). Default 50. */
  flushIntervalMs?: number;
  /** Flush at once when this many operations are queued. Default 2000. */
  flushAtOps?: number;
  /** Most operations in one transaction. Default 5000. */
  maxOpsPerTransaction?: number;
  /** Stop adding to a transaction once it has run this long (ms). Default 4. */
  transactionBudgetMs?: number;
  /** dropped_packets keeps at most this many newest rows. Default 10000. */
  maxDroppedPackets?: number;
  /** observer_metrics bucket size (ms). Default 300000 (5 min). */
  metricsBucketMs?: number;
  /** Where statement errors are reported. Default console.error. */
  log?: (message: string) => void;
}

export interface WriterStats {
  batches: number;
  opsWritten: number;
  rowsWritten: number;
  writeErrors: number;
  /** Errors by SQLite code (SQLITE_CONSTRAINT_PRIMARYKEY, ...). */
  errorsByCode: Record<string, number>;
  pendingOps: number;
  maxQueuedOps: number;
  lastBatchMs: number;
  maxBatchMs: number;
  /** Longest COMMIT alone (includes SQLite's automatic WAL checkpoints). */
  maxCommitMs: number;
  lastBatchOps: number;
  droppedPacketsTrimmed: number;
  /** Operations skipped for a permanent error of their own (constraint, bad data). */
  skippedOps: number;
  /** Transactions rolled back for a transient error and retried (every attempt counted). */
  retriesTotal: number;
  /** Times the writer came back from degraded (a commit after failed attempts). */
  recoveries: number;
  /** Set while the current batch fails: the last error, since when, attempts so far. */
  degraded: WriterDegraded | null;
}

/** Why writes are failing: the newest error of the batch being retried. */
export interface WriterDegraded {
  code: string;
  message: string;
  /** Epoch ms of the first failed attempt of this streak. */
  sinceMs: number;
  /** Failed attempts in this streak. */
  retries: number;
}

/** A transaction failed for a reason that may pass (lock, disk full, I/O): it stays queued. */
export class TransientWriteError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'TransientWriteError';
  }
}

// Errors that belong to one operation's data: that operation alone is skipped. Any other SQLite
// error (BUSY, LOCKED, FULL, IOERR, CANTOPEN, NOMEM, READONLY, CORRUPT...) is about the database,
// not the data, so the whole batch is kept and retried rather than lost.
const PERMANENT_OP_CODES = [
  'SQLITE_CONSTRAINT',
  'SQLITE_MISMATCH',
  'SQLITE_TOOBIG',
  'SQLITE_RANGE',
  'SQLITE_ERROR',
];

/** True for an operation's own error (constraint, bad value); false for a database condition. */
export function isPermanentOpError(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return true; // TypeError, RangeError: bad data
  return PERMANENT_OP_CODES.some((c) => code === c || code.startsWith(`${c}_`));
}

/** Delay before retry `attempt` (1-based) of a failed transaction: 50 ms doubling, capped at 5 s. */
export function retryDelayMs(attempt: number): number {
  return Math.min(5000, 50 * 2 ** Math.max(0, Math.min(attempt - 1, 16)));
}

/** All counters zero: a new writer (also a new or restarted writer worker, as seen by the thread). */
export const emptyWriterStats = (): WriterStats => ({
  batches: 0,
  opsWritten: 0,
  rowsWritten: 0,
  writeErrors: 0,
  errorsByCode: {},
  pendingOps: 0,
  maxQueuedOps: 0,
  lastBatchMs: 0,
  maxBatchMs: 0,
  maxCommitMs: 0,
  lastBatchOps: 0,
  droppedPacketsTrimmed: 0,
  skippedOps: 0,
  retriesTotal: 0,
  recoveries: 0,
  degraded: null,
});

// Checking the clock costs ~50 ns; every 32 operations keeps the overshoot of the budget small.
const CLOCK_EVERY = 32;

export class SqliteWriter extends WriterOps {
  private queue: WriteOp[] = [];
  private head = 0;
  private readonly applier: OpApplier;
  private readonly o: Required<Omit<WriterOptions, 'log'>>;
  private readonly log: (message: string) => void;
  private timer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private closed = false;
  private drainWaiters: (() => void)[] = [];
  private readonly stats: WriterStats = emptyWriterStats();

  constructor(
    private readonly db: Db,
    options: WriterOptions = {},
  ) {
    super();
    this.o = {
      flushIntervalMs: options.flushIntervalMs ?? 50,
      flushAtOps: options.flushAtOps ?? 2000,
      maxOpsPerTransaction: options.maxOpsPerTransaction ?? 5000,
      transactionBudgetMs: options.transactionBudgetMs ?? 4,
      maxDroppedPackets: options.maxDroppedPackets ?? 10_000,
      metricsBucketMs: options.metricsBucketMs ?? 300_000,
    };
    this.log = options.log ?? ((m) => console.error(m));
    this.applier = new OpApplier(db, this.o.metricsBucketMs);
  }

  /** A copy of the counters, for /api/perf and /api/health. */
  getStats(): WriterStats {
    const degraded = this.stats.degraded ? { ...this.stats.degraded } : null;
    return {
      ...this.stats,
      errorsByCode: { ...this.stats.errorsByCode },
      pendingOps: this.pending(),
      degraded,
    };
  }

  pending(): number {
    return this.queue.length - this.head;
  }

  /**
   * Commits everything queued now, synchronously (several bounded transactions). Idempotent.
   * Throws TransientWriteError when a transaction fails for a passing reason: what was not
   * committed stays queued, and the next flush (or the timer, with backoff) retries it.
   */
  flush(): void {
    while (this.pending() > 0) this.runTransaction();
    this.settle();
  }

  /** Resolves once the queue is empty, writing in bounded transactions and yielding between them. */
  drain(): Promise<void> {
    if (this.pending() === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.drainWaiters.push(resolve);
      this.schedule(true);
    });
  }

  /** Final flush and WAL checkpoint; the database handle stays open (its owner closes it). Idempotent. */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = null;
    this.retryTimer = null;
    this.immediate = null;
    if (this.db.open && !this.db.readonly) this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  protected enqueue(op: WriteOp): void {
    if (this.closed) throw new Error('SqliteWriter is closed');
    this.queue.push(op);
    const n = this.pending();
    if (n > this.stats.maxQueuedOps) this.stats.maxQueuedOps = n;
    this.schedule(n >= this.o.flushAtOps);
  }

  private schedule(now: boolean): void {
    if (this.closed || this.retryTimer) return;
    if (now) {
      if (this.immediate) return;
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      this.immediate = setImmediate(() => {
        this.immediate = null;
        this.tick();
      });
    } else if (!this.timer && !this.immediate) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.tick();
      }, this.o.flushIntervalMs);
      this.timer.unref?.();
    }
  }

  /** One bounded transaction, then yield; more work continues on the next turn of the loop. */
  private tick(): void {
    try {
      if (this.pending() > 0) this.runTransaction();
    } catch (err) {
      if (!(err instanceof TransientWriteError)) throw err;
      this.retryTimer = setTimeout(
        () => {
          this.retryTimer = null;
          this.tick();
        },
        retryDelayMs(this.stats.degraded?.retries ?? 1),
      );
      this.retryTimer.unref?.();
      return;
    }
    if (this.pending() > 0) this.schedule(true);
    else this.settle();
  }

  private settle(): void {
    if (this.pending() > 0) return;
    this.queue = [];
    this.head = 0;
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of waiters) w();
  }

  /**
   * One transaction over the queue's head. A permanent error of one operation skips that
   * operation only; any other failure rolls the whole transaction back, leaves every operation
   * queued and throws TransientWriteError (the caller retries with backoff).
   */
  private runTransaction(): void {
    const start = performance.now();
    const first = this.head;
    let done: { end: number; ops: number; rows: number } | null;
    try {
      done = this.applyBatch(start);
    } catch (err) {
      this.abort(first, start, err);
    }
    if (done === null) return; // restarted without a skipped operation: next turn
    if (this.stats.degraded) {
      this.log(
        `sqlite writer: writes recovered after ${this.stats.degraded.retries} failed attempts (${this.stats.degraded.code})`,
      );
      this.stats.degraded = null;
      this.stats.recoveries++;
    }
    this.head = done.end;
    this.recordBatch(start, done.ops, done.rows);
    // Under sustained load the queue never empties; drop the consumed prefix now and then.
    if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  /** BEGIN, the operations, COMMIT. Null: a skipped operation's error ended the transaction. */
  private applyBatch(start: number): { end: number; ops: number; rows: number } | null {
    const deadline = start + this.o.transactionBudgetMs;
    const limit = Math.min(this.queue.length, this.head + this.o.maxOpsPerTransaction);
    const first = this.head;
    let ops = 0;
    let rows = 0;
    // Packet sightings per observer, written once before COMMIT (see OpApplier.observerPackets).
    const sightings = new Map<string, ObserverPacketUpsert[]>();
    this.db.exec('BEGIN');
    let i = first;
    for (; i < limit; i++) {
      const op = this.queue[i];
      try {
        if (op.kind === 'upsertObserverPacket') {
          const key = op.observer.id.toUpperCase();
          const list = sightings.get(key);
          if (list) list.push(op.observer);
          else sightings.set(key, [op.observer]);
        } else {
          // A status message or clock state must land after the sightings queued before it, as
          // queued (a clock upsert creating the row first would set first_seen to its own time).
          if (op.kind === 'upsertObserverStatus')
            rows += this.writeSightings(sightings, op.observer.id.toUpperCase());
          else if (op.kind === 'upsertObserverClock')
            rows += this.writeSightings(sightings, op.clock.id.toUpperCase());
          rows += this.applier.apply(op);
        }
        ops++;
      } catch (err) {
        if (!isPermanentOpError(err)) throw err;
        this.countError(op, err);
        this.stats.skippedOps++;
        if (!this.db.inTransaction) {
          // SQLite rolled the whole transaction back: start over without the failing op.
          this.applier.clearObserverCache();
          this.queue.splice(i, 1);
          this.head = first;
          this.recordBatch(start, 0, 0);
          return null;
        }
      }
      if ((i - first) % CLOCK_EVERY === CLOCK_EVERY - 1 && performance.now() >= deadline) {
        i++;
        break;
      }
    }
    for (const key of [...sightings.keys()]) rows += this.writeSightings(sightings, key);
    if (this.applier.droppedInserted > 0) {
      this.stats.droppedPacketsTrimmed += this.applier.trimDropped(this.o.maxDroppedPackets);
    }
    const commitStart = performance.now();
    this.db.exec('COMMIT');
    const commitMs = performance.now() - commitStart;
    if (commitMs > this.stats.maxCommitMs) this.stats.maxCommitMs = commitMs;
    return { end: i, ops, rows };
  }

  /** A failed transaction: roll back, keep every operation queued, note the streak, throw. */
  private abort(first: number, start: number, err: unknown): never {
    const code = (err as { code?: string }).code ?? 'UNKNOWN';
    const message = (err as Error).message ?? String(err);
    try {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
    } catch {
      // The connection rolls back on its own when it cannot (SQLite's automatic rollback).
    }
    this.applier.clearObserverCache();
    this.head = first;
    this.stats.writeErrors++;
    this.stats.errorsByCode[code] = (this.stats.errorsByCode[code] ?? 0) + 1;
    this.stats.retriesTotal++;
    const d = this.stats.degraded;
    if (d) Object.assign(d, { code, message, retries: d.retries + 1 });
    else {
      this.stats.degraded = { code, message, sinceMs: Date.now(), retries: 1 };
      this.log(
        `sqlite writer: transaction failed (${code}): ${message}; ${this.pending()} ops kept, retrying`,
      );
    }
    this.recordBatch(start, 0, 0);
    throw new TransientWriteError(code, message);
  }

  private writeSightings(sightings: Map<string, ObserverPacketUpsert[]>, key: string): number {
    const list = sightings.get(key);
    if (!list) return 0;
    sightings.delete(key);
    try {
      return this.applier.observerPackets(list);
    } catch (err) {
      if (!isPermanentOpError(err)) throw err;
      this.countError({ kind: 'upsertObserverPacket', observer: list[0] }, err);
      return 0;
    }
  }

  private recordBatch(start: number, ops: number, rows: number): void {
    const ms = performance.now() - start;
    this.stats.batches++;
    this.stats.opsWritten += ops;
    this.stats.rowsWritten += rows;
    this.stats.lastBatchMs = ms;
    this.stats.lastBatchOps = ops;
    if (ms > this.stats.maxBatchMs) this.stats.maxBatchMs = ms;
  }

  private countError(op: WriteOp | undefined, err: unknown): void {
    const code = (err as { code?: string }).code ?? 'UNKNOWN';
    this.stats.writeErrors++;
    this.stats.errorsByCode[code] = (this.stats.errorsByCode[code] ?? 0) + 1;
    this.log(`sqlite writer: ${op?.kind ?? 'commit'} failed (${code}): ${(err as Error).message}`);
  }
}
