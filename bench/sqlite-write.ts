// Benchmark: sustained SQLite writes through SqliteWriter, in the ingest pipeline's operation mix
// (per observation: an observer upsert and the observation insert; per new transmission: its
// insert, else a last_seen raise; one in 30 a node upsert). Ingest is simulated in bursts of
// 500 observations per event-loop turn. Reports, per transaction budget, the median over runs of
// observations/s, the longest single transaction (event-loop hold) and event-loop delay p99.
// Run: npm run bench:sqlite [-- observations runs]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { openDatabase } from '../src/store/sqlite/open.js';
import { migrate } from '../src/store/sqlite/migrate.js';
import { SqliteWriter } from '../src/store/sqlite/writer.js';
import { WalCheckpointer } from '../src/store/sqlite/checkpointer.js';

const OBSERVATIONS = Number(process.argv[2] ?? 150_000);
const RUNS = Number(process.argv[3] ?? 3);
const BUDGETS_MS = [2, 4, 8];
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
  batches: number;
}

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

async function run(budgetMs: number): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'meshlens-bench-sqlite-'));
  const db = openDatabase(join(dir, 'bench.db'));
  migrate(db);
  const checkpointer = process.env.AUTO_CHECKPOINT ? null : new WalCheckpointer(db);
  const w = new SqliteWriter(db, { transactionBudgetMs: budgetMs });
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
      });
    }
    if (i % BURST === 0) await turn();
  }
  await w.drain();
  const elapsed = performance.now() - start;
  h.disable();
  const stats = w.getStats();
  await checkpointer?.stop();
  w.close();
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
    batches: stats.batches,
  };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

console.log(`sqlite-write: ${OBSERVATIONS} observations x ${RUNS} runs per budget (node ${process.version})`);
for (const budget of BUDGETS_MS) {
  const results: RunResult[] = [];
  for (let r = 0; r < RUNS; r++) results.push(await run(budget));
  console.log(
    JSON.stringify({
      transactionBudgetMs: budget,
      medianObsPerSec: Math.round(median(results.map((r) => r.obsPerSec))),
      medianMaxBatchMs: +median(results.map((r) => r.maxBatchMs)).toFixed(2),
      medianMaxCommitMs: +median(results.map((r) => r.maxCommitMs)).toFixed(2),
      medianLoopDelayP99Ms: +median(results.map((r) => r.loopP99Ms)).toFixed(2),
      medianBatches: median(results.map((r) => r.batches)),
    }),
  );
}
