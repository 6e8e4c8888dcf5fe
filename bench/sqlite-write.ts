// Benchmark: sustained SQLite writes through SqliteWriter, in the ingest pipeline's operation mix
// (per observation: an observer upsert and the observation insert; per new transmission: its
// insert, else a last_seen raise; one in 30 a node upsert). Ingest is simulated in bursts of
// 500 observations per event-loop turn. Reports, per transaction budget, the median over runs of
// observations/s, the longest single transaction (event-loop hold) and event-loop delay p99.
// Modes: `main:<budgetMs>` is SqliteWriter on the main thread; `thread` is SqliteWriterThread
// (the same writer in a worker). Each mode runs unpaced (as fast as ingest can enqueue) and paced
// at PACED_RATE observations/s (issue 3's target: loop delay p99 <= 20 ms at >= 10,000 obs/s).
// Run: npm run bench:sqlite [-- observations runs modes], e.g. `-- 100000 3 main:4,thread`
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { openDatabase } from '../src/store/sqlite/open.js';
import { migrate } from '../src/store/sqlite/migrate.js';
import { SqliteWriter } from '../src/store/sqlite/writer.js';
import { WalCheckpointer } from '../src/store/sqlite/checkpointer-thread.js';
import { SqliteWriterThread } from '../src/store/sqlite/writer-thread.js';

const OBSERVATIONS = Number(process.argv[2] ?? 100_000);
const RUNS = Number(process.argv[3] ?? 3);
const MODES = (process.argv[4] ?? 'main:4,thread').split(',');
const PACED_RATE = 10_000;
const OBS_PER_TX = 3;
const OBSERVERS = Array.from({ length: 40 }, (_, i) =>
  i.toString(16).padStart(2, '0').repeat(32).toUpperCase(),
);
const BURST = 500;

interface RunResult {
  obsPerSec: number;
  maxBatchMs: number;
  maxCommitMs: number;
  loopP99Ms: number;
  loopMaxMs: number;
  batches: number;
  /** Thread mode: longest main-thread postMessage (structured clone of a batch). */
  maxPostMs: number;
}

type Ops = Pick<
  SqliteWriter,
  | 'upsertObserverFromPacket'
  | 'insertTransmission'
  | 'raiseTransmissionLastSeen'
  | 'insertObservation'
  | 'upsertNode'
>;

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** One writer of either kind, behind the same three calls. */
interface Subject {
  ops: Ops;
  ready(): Promise<void>;
  /** Resolves when everything enqueued is committed. */
  drain(): Promise<void>;
  stats(): {
    maxBatchMs: number;
    maxCommitMs: number;
    batches: number;
    writeErrors: number;
    maxPostMs: number;
  };
  close(): Promise<void>;
}

function subject(mode: string, db: ReturnType<typeof openDatabase>): Subject {
  if (mode === 'thread') {
    const w = new SqliteWriterThread(db.name);
    return {
      ops: w,
      ready: () => w.ready(),
      drain: () => w.flush(),
      stats: () => w.stats(),
      close: () => w.close(),
    };
  }
  const budgetMs = Number(mode.split(':')[1] ?? 4);
  const checkpointer = process.env.AUTO_CHECKPOINT ? null : new WalCheckpointer(db);
  const w = new SqliteWriter(db, { transactionBudgetMs: budgetMs });
  return {
    ops: w,
    ready: () => Promise.resolve(),
    drain: () => w.drain(),
    stats: () => ({ ...w.getStats(), maxPostMs: 0 }),
    close: async () => {
      await checkpointer?.stop();
      w.close();
    },
  };
}

async function run(mode: string, paced: boolean): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'meshlens-bench-sqlite-'));
  const db = openDatabase(join(dir, 'bench.db'));
  migrate(db);
  const s = subject(mode, db);
  const w = s.ops;
  // Thread mode: let the worker start before the clock does (a server starts it once).
  await s.ready();
  const raw = '15' + '00' + 'AB'.repeat(60);
  const decoded = JSON.stringify({
    type: 'GRP_TXT',
    channelHash: 17,
    mac: 'abcd',
    encryptedData: 'ab'.repeat(50),
  });
  const t0 = Date.UTC(2026, 4, 17);
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  const start = performance.now();
  let txId = 0;
  for (let i = 1; i <= OBSERVATIONS; i++) {
    const rxMs = t0 + i * 7;
    const observerId = OBSERVERS[i % OBSERVERS.length];
    w.upsertObserverFromPacket({ id: observerId, name: 'bench', iata: 'SJC', seenMs: rxMs });
    if (i % OBS_PER_TX === 1) {
      txId++;
      w.insertTransmission({
        id: txId,
        rawHex: raw,
        hash: txId.toString(16).padStart(16, '0'),
        firstSeenMs: rxMs,
        lastSeenMs: rxMs,
        routeType: 1,
        payloadType: 5,
        payloadVersion: 0,
        decodedJson: decoded,
        fromPubkey: null,
        channelHash: 'enc_11',
        scopeName: null,
      });
    } else {
      w.raiseTransmissionLastSeen(txId, rxMs);
    }
    w.insertObservation({
      id: i,
      transmissionId: txId,
      observerId,
      direction: null,
      snr: 5.25,
      rssi: -100,
      score: null,
      path: ['A1', 'B2', 'C3'],
      rxMs,
      uploaderMs: rxMs - 40,
    });
    if (i % 30 === 0) {
      w.upsertNode({
        publicKey: (i % 2000).toString(16).padStart(64, '0'),
        name: 'node',
        role: 'repeater',
        lat: 37.5,
        lon: -122.1,
        seenMs: rxMs,
        isNewAdvert: true,
        batteryMv: null,
        temperatureC: null,
        foreign: null,
        defaultScope: null,
      });
    }
    if (paced) {
      // PACED_RATE/s in 10 ms slices, as a broker would deliver them.
      if (i % (PACED_RATE / 100) === 0) {
        const due = start + (i / PACED_RATE) * 1000;
        const wait = due - performance.now();
        await (wait > 0 ? sleep(wait) : turn());
      }
    } else if (i % BURST === 0) await turn();
  }
  await s.drain();
  const elapsed = performance.now() - start;
  h.disable();
  const stats = s.stats();
  await s.close();
  const count = (db.prepare('SELECT count(*) AS n FROM observations').get() as { n: number }).n;
  db.close();
  rmSync(dir, { recursive: true, force: true });
  if (count !== OBSERVATIONS || stats.writeErrors !== 0)
    throw new Error(`wrote ${count}, errors ${stats.writeErrors}`);
  return {
    obsPerSec: OBSERVATIONS / (elapsed / 1000),
    maxBatchMs: stats.maxBatchMs,
    maxCommitMs: stats.maxCommitMs,
    loopP99Ms: h.percentile(99) / 1e6,
    loopMaxMs: h.max / 1e6,
    batches: stats.batches,
    maxPostMs: stats.maxPostMs,
  };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

console.log(
  `sqlite-write: ${OBSERVATIONS} observations x ${RUNS} runs per mode, unpaced and paced at ${PACED_RATE}/s (node ${process.version})`,
);
for (const paced of [false, true]) {
  for (const mode of MODES) {
    const results: RunResult[] = [];
    for (let r = 0; r < RUNS; r++) results.push(await run(mode, paced));
    const med = (f: (r: RunResult) => number, digits = 2): number => +median(results.map(f)).toFixed(digits);
    console.log(
      JSON.stringify({
        mode,
        paced: paced ? PACED_RATE : false,
        medianObsPerSec: Math.round(median(results.map((r) => r.obsPerSec))),
        medianLoopDelayP99Ms: med((r) => r.loopP99Ms),
        medianLoopDelayMaxMs: med((r) => r.loopMaxMs),
        medianMaxBatchMs: med((r) => r.maxBatchMs),
        medianMaxCommitMs: med((r) => r.maxCommitMs),
        medianMaxPostMs: med((r) => r.maxPostMs),
        medianBatches: median(results.map((r) => r.batches)),
        loopDelayP99MsPerRun: results.map((r) => +r.loopP99Ms.toFixed(2)),
      }),
    );
  }
}
