// Worker entry of SqliteWriterThread (writer-thread.ts): its own connection, a SqliteWriter, the WAL
// checkpointer, and backup/retention, so none of them holds the main event loop.
//
// Each posted batch is committed as ONE transaction (the writer's time budget is lifted: blocking
// this thread is harmless) and that transaction also stores the batch's sequence number in
// ml_writer_progress. A replacement worker reads it back, which tells the main thread exactly
// which unacknowledged batches are already committed: re-sending only the others keeps
// non-idempotent operations (explicit-id inserts, packet_count and advert_count increments,
// dropped_packets rows) applied exactly once.
import { statSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { Statement } from 'better-sqlite3';
import { openDatabase, type Db } from './open.js';
import { retryDelayMs, SqliteWriter, TransientWriteError } from './writer.js';
import { WalCheckpointer, type CheckpointerStats } from './checkpointer-thread.js';
import { backupTo } from './backup.js';
import { applyRetention, deleteNodes } from './retention.js';
import { runWriterRead } from './diagnostics.js';
import type { WriteOp } from './operations.js';
import { decodeOps } from './op-codec.js';
import type { FromWriterWorker, ToWriterWorker, WriterWorkerInit } from './writer-protocol.js';
import { lowerThisThreadPriority } from '../../util/thread-priority.js';

// Commits can wait; the event loop cannot.
lowerThisThreadPriority();

const init = workerData as WriterWorkerInit;
const port = parentPort!;
const send = (m: FromWriterWorker): void => port.postMessage(m);

const db = openDatabase(init.path, { busyTimeoutMs: init.busyTimeoutMs });
// A WAL reset after a checkpoint shrinks the file back to this size (SQLite keeps it otherwise).
db.pragma(`journal_size_limit = ${Math.max(0, Math.floor(init.walLimitBytes))}`);
db.exec('CREATE TABLE IF NOT EXISTS ml_writer_progress (stream TEXT PRIMARY KEY, seq INTEGER NOT NULL)');
let committedSeq = 0;
if (init.resume) {
  const row = db.prepare('SELECT seq FROM ml_writer_progress WHERE stream = ?').get(init.stream) as
    { seq: number } | undefined;
  committedSeq = row?.seq ?? 0;
} else {
  // One writer per database: earlier streams are finished.
  db.transaction(() => {
    db.prepare('DELETE FROM ml_writer_progress').run();
    db.prepare('INSERT INTO ml_writer_progress (stream, seq) VALUES (?, 0)').run(init.stream);
  })();
}

// Each checkpoint's figures go to the main thread at once (/api/perf), not only with batch acks.
const checkpointer =
  init.checkpointPeriodMs > 0
    ? new WalCheckpointer(db, init.checkpointPeriodMs, () =>
        send({ t: 'checkpoints', checkpoints: checkpointStats() }),
      )
    : null;
const writer = new SqliteWriter(db, {
  ...init.writer,
  flushIntervalMs: 3_600_000,
  flushAtOps: Number.POSITIVE_INFINITY,
  maxOpsPerTransaction: Number.POSITIVE_INFINITY,
  transactionBudgetMs: Number.POSITIVE_INFINITY,
  log: (message) => send({ t: 'log', message }),
});

// The progress row joins the writer's transaction: SqliteWriter ends each transaction with
// exec('COMMIT') on this connection, so the sequence number is written just before it.
hookCommit(db, db.prepare<[number, string]>('UPDATE ml_writer_progress SET seq = ? WHERE stream = ?'));
let currentSeq = 0;

function hookCommit(conn: Db, setProgress: Statement<[number, string]>): void {
  const exec = conn.exec.bind(conn);
  conn.exec = ((sql: string) => {
    if (sql === 'COMMIT' && currentSeq > 0) setProgress.run(currentSeq, init.stream);
    return exec(sql);
  }) as Db['exec'];
}

function enqueue(op: WriteOp): void {
  switch (op.kind) {
    case 'insertTransmission':
      return writer.insertTransmission(op.tx);
    case 'insertObservation':
      return writer.insertObservation(op.obs);
    case 'raiseTransmissionLastSeen':
      return writer.raiseTransmissionLastSeen(op.id, op.ms);
    case 'lowerTransmissionFirstSeen':
      return writer.lowerTransmissionFirstSeen(op.id, op.ms);
    case 'fillObservationSignal':
      return writer.fillObservationSignal(op.fill);
    case 'upsertNode':
      return writer.upsertNode(op.node);
    case 'upsertObserverPacket':
      return writer.upsertObserverFromPacket(op.observer);
    case 'upsertObserverStatus':
      return writer.upsertObserverFromStatus(op.observer);
    case 'insertObserverMetrics':
      return writer.insertObserverMetrics(op.sample);
    case 'recordDroppedPacket':
      return writer.recordDroppedPacket(op.dropped);
    case 'upsertObserverClock':
      return writer.upsertObserverClock(op.clock);
  }
}

const checkpointStats = (): CheckpointerStats => ({
  ...(checkpointer?.stats ?? { runs: 0, errors: 0 }),
  walTruncates: wal.truncates,
  walLimitCheckpoints: wal.limitCheckpoints,
  walTruncateErrors: wal.errors,
  walBytes: wal.lastBytes,
});

// Batches wait here in order; the first is committed (retried with backoff while it fails) before
// the next one's operations reach the writer, so each transaction holds exactly one batch.
const batches: { seq: number; ops: WriteOp[]; queued: boolean }[] = [];
let retryTimer: NodeJS.Timeout | null = null;
let idleTimer: NodeJS.Timeout | null = null;
const wal = { truncates: 0, limitCheckpoints: 0, errors: 0, lastBytes: 0 };

function onBatch(seq: number, ops: WriteOp[]): void {
  batches.push({ seq, ops, queued: false });
  if (!retryTimer && batches.length === 1) commitBatches();
}

function commitBatches(): void {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = null;
  while (batches.length > 0) {
    const b = batches[0];
    if (!b.queued) {
      currentSeq = b.seq;
      for (const op of b.ops) enqueue(op);
      b.queued = true;
    }
    try {
      writer.flush();
    } catch (err) {
      if (!(err instanceof TransientWriteError)) throw err;
      const stats = writer.getStats();
      send({ t: 'retrying', seq: b.seq, stats });
      retryTimer = setTimeout(
        () => {
          retryTimer = null;
          commitBatches();
        },
        retryDelayMs(stats.degraded?.retries ?? 1),
      );
      return;
    }
    batches.shift();
    if (b.seq === init.crashAfterCommitSeq) process.exit(1);
    send({ t: 'ack', seq: b.seq, stats: writer.getStats(), checkpoints: checkpointStats() });
    if (walBytes() > init.walLimitBytes) truncateWal('limit');
  }
  idleTimer = setTimeout(() => {
    idleTimer = null;
    if (batches.length === 0 && walBytes() > 0) truncateWal('idle');
  }, init.walIdleMs);
}

function walBytes(): number {
  try {
    wal.lastBytes = statSync(`${init.path}-wal`).size;
  } catch {
    wal.lastBytes = 0;
  }
  return wal.lastBytes;
}

/**
 * Copies the WAL into the database and truncates it, on the writer's own connection between
 * batches (no writer to wait for; readers may make it give up, and the next call tries again).
 * PASSIVE checkpoints alone never shrink the file, and under steady writes they never catch up
 * with the writer, so the WAL grew without bound.
 */
function truncateWal(why: 'limit' | 'idle'): void {
  // TRUNCATE waits (busy handler) for readers still on the WAL: briefly, so that a long read
  // does not hold up the next batch; the next call tries again.
  db.pragma('busy_timeout = 200');
  try {
    const r = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    if (r[0]?.busy === 0) wal.truncates++;
    if (why === 'limit') wal.limitCheckpoints++;
  } catch (err) {
    wal.errors++;
    send({ t: 'log', message: `sqlite writer: WAL checkpoint failed: ${(err as Error).message}` });
  } finally {
    db.pragma(`busy_timeout = ${init.busyTimeoutMs}`);
  }
  walBytes();
  send({ t: 'checkpoints', checkpoints: checkpointStats() });
}

async function onCall(m: Extract<ToWriterWorker, { id: number }>): Promise<void> {
  try {
    const value =
      m.t === 'backup'
        ? backupTo(db, m.path)
        : m.t === 'deleteNodes'
          ? await deleteNodes(db, m.pubkeys)
          : m.t === 'read'
            ? runWriterRead(db, m.read)
            : m.t === 'testPragma'
              ? db.pragma(m.pragma)
              : await applyRetention(db, m.config, { nowMs: m.nowMs, chunk: m.chunk });
    send({ t: 'result', id: m.id, value });
  } catch (err) {
    send({ t: 'error', id: m.id, message: (err as Error).message, code: (err as { code?: string }).code });
  }
}

async function onClose(): Promise<void> {
  // The checkpointer first: a PASSIVE checkpoint running on its connection would make the
  // writer's final TRUNCATE checkpoint busy and leave the WAL behind.
  await checkpointer?.stop();
  if (retryTimer) clearTimeout(retryTimer);
  if (idleTimer) clearTimeout(idleTimer);
  writer.close();
  send({ t: 'closed', stats: writer.getStats(), checkpoints: checkpointStats() });
  db.close();
  port.close();
}

port.on('message', (m: ToWriterWorker) => {
  if (m.t === 'batch') onBatch(m.seq, decodeOps(m.ops));
  else if (m.t === 'close') void onClose();
  else void onCall(m);
});
send({ t: 'ready', committedSeq });
