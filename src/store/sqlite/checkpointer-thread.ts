// WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside the COMMIT that
// crosses 1,000 WAL pages and copies them to the database file with an fsync: measured at
// ~100 ms under load in bench/sqlite-write.ts, far over the writer's few-ms budget. So the writer
// connection turns automatic checkpoints off and a worker thread with its own connection runs
// PASSIVE checkpoints, which never block the writer (spec ingest-store-api §1.10 checkpoints hourly;
// we do it every few seconds so the WAL stays small).
import { createRequire } from 'node:module';
import type { Db } from './open.js';
import { WorkerHandle } from '../../util/worker-handle.js';

// The worker: eval'd CommonJS, so no TypeScript loader is needed in the thread (compiled or tsx).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.modulePath);
const db = new Database(workerData.path, { timeout: 5000 });
let runs = 0, errors = 0, walPages = null;
const tick = () => {
  try {
    const r = db.pragma('wal_checkpoint(PASSIVE)')[0];
    if (r) walPages = { total: r.log, checkpointed: r.checkpointed, busy: r.busy };
    runs++;
  } catch (e) { errors++; }
  parentPort.postMessage(walPages ? { runs, errors, walPages } : { runs, errors });
};
const timer = setInterval(tick, workerData.periodMs);
tick(); // at once: /api/perf shows WAL figures from the start
parentPort.on('message', (m) => {
  if (m === 'stop') { clearInterval(timer); tick(); db.close(); parentPort.close(); }
});
`;

export interface CheckpointerStats {
  runs: number;
  errors: number;
  /** WAL frames at the last checkpoint: in the log, checkpointed, busy (-1 each when not WAL). */
  walPages?: { total: number; checkpointed: number; busy: number };
  /** The writer's own TRUNCATE checkpoints (writer-worker.ts): completed, forced by the size limit, failed. */
  walTruncates?: number;
  walLimitCheckpoints?: number;
  walTruncateErrors?: number;
  /** WAL file size (bytes) at the writer's last look. */
  walBytes?: number;
}

export class WalCheckpointer {
  private readonly handle: WorkerHandle<'stop', CheckpointerStats>;
  stats: CheckpointerStats = { runs: 0, errors: 0 };

  /**
   * Turns off `db`'s automatic checkpoints and checkpoints its file every `periodMs` from a thread.
   * `onStats` hears each checkpoint's figures (the writer worker forwards them to the main thread).
   */
  constructor(db: Db, periodMs = 2000, onStats?: (s: CheckpointerStats) => void) {
    db.pragma('wal_autocheckpoint = 0');
    const modulePath = createRequire(import.meta.url).resolve('better-sqlite3');
    this.handle = new WorkerHandle({
      name: 'WAL checkpointer',
      script: { source: WORKER_SOURCE },
      start: () => ({ workerData: { modulePath, path: db.name, periodMs } }),
      onMessage: (s) => {
        this.stats = s;
        onStats?.(s);
      },
      onError: (err) => console.error(`WAL checkpointer thread failed: ${err.stack ?? err}`),
    });
    this.handle.unref();
  }

  /** Stops the thread after one last checkpoint. Idempotent. */
  stop(): Promise<void> {
    return this.handle.stop({ message: 'stop' });
  }
}
