// Memory-store benchmark: append rate, bytes per observation (store accounting and process
// RSS) and a full-column scan, at 1M and 5M synthetic observations (Cascadia scale is ~5M
// observations / ~200k transmissions / 2.6k nodes: 25 observations per transmission).
// Usage: npm run bench:store [-- --runs 3 --sizes 1000000,5000000]

import { cpus } from 'node:os';
import { MemoryStore } from '../src/store/memory/memory-store.js';
import { chunkSpans } from '../src/store/memory/view.js';
import type { ObservationRecord, TransmissionRecord } from '../src/store/records.js';
import { randomHex, xorshift32 } from '../test/support/store-builders.js';

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? def : process.argv[i + 1];
}
const runs = Number(arg('runs', '3'));
const sizes = arg('sizes', '1000000,5000000').split(',').map(Number);
const OBS_PER_TX = 25;

const rng = xorshift32;
const hex = randomHex;

interface Result {
  obs: number;
  appendMs: number;
  obsPerSec: number;
  bytesPerObs: number;
  rssPerObs: number;
  rssMB: number;
  scanMs: number;
  report: ReturnType<MemoryStore['memory']>;
}

function runOnce(nObs: number, seed: number): Result {
  const r = rng(seed);
  const observers = Array.from({ length: 300 }, () => hex(r, 32));
  const nodes = Array.from({ length: 2600 }, () => hex(r, 32).toLowerCase());
  const nTx = Math.ceil(nObs / OBS_PER_TX);
  // Pre-build a pool of records so generation is not timed; ids and times are set per append.
  const txPool: TransmissionRecord[] = Array.from({ length: 512 }, (_, i) => {
    const type = [4, 5, 5, 2, 1, 9][i % 6];
    return {
      id: 0,
      rawHex: hex(r, 40 + ((r() * 100) | 0)),
      hash: '',
      firstSeenMs: 0,
      lastSeenMs: 0,
      routeType: i % 4,
      payloadType: type,
      payloadVersion: 0,
      decodedJson: JSON.stringify(
        type === 4
          ? {
              type: 'ADVERT',
              pubKey: nodes[i % nodes.length],
              timestamp: 1_700_000_000,
              name: `node-${i}`,
              lat: 47.6,
              lon: -122.3,
              flags: 146,
            }
          : { type: 'CHAN', channel: 'Public', sender: `user${i}`, text: hex(r, 20 + ((r() * 40) | 0)) },
      ),
      fromPubkey: type === 4 ? nodes[i % nodes.length] : null,
      channelHash: type === 5 ? ['Public', '#wx', 'enc_3F'][i % 3] : null,
      scopeName: null,
    };
  });
  const pathPool = Array.from({ length: 4096 }, () => {
    const size = r() < 0.7 ? 1 : 2;
    return Array.from({ length: (r() * 6) | 0 }, () =>
      nodes[(r() * nodes.length) | 0].slice(0, size * 2).toUpperCase(),
    );
  });
  const obsRec: ObservationRecord = {
    id: 0,
    transmissionId: 0,
    observerId: '',
    direction: 'rx',
    snr: 0,
    rssi: 0,
    score: null,
    path: [],
    rxMs: 0,
    uploaderMs: null,
  };
  const hashes = Array.from(
    { length: nTx },
    (_, i) => (i + 1).toString(16).padStart(8, '0') + hex(r, 4).toLowerCase(),
  );

  global.gc?.();
  const rss0 = process.memoryUsage().rss;
  const store = new MemoryStore();
  const t0 = 1_700_000_000_000;
  let obsId = 1;
  const start = performance.now();
  for (let i = 0; i < nTx && obsId <= nObs; i++) {
    const tx = txPool[i & 511];
    const t = t0 + i * 400;
    tx.id = i + 1;
    tx.hash = hashes[i];
    tx.firstSeenMs = t;
    tx.lastSeenMs = t;
    store.appendTransmission(tx);
    for (let k = 0; k < OBS_PER_TX && obsId <= nObs; k++) {
      obsRec.id = obsId++;
      obsRec.transmissionId = i + 1;
      obsRec.observerId = observers[(i * 7 + k * 13) % observers.length];
      obsRec.snr = (((obsId * 13) % 120) - 60) / 4;
      obsRec.rssi = -120 + (obsId % 90);
      // A flood: each observer hears the transmission after some prefix of one route.
      const route = pathPool[i & 4095];
      obsRec.path = route.slice(0, k % (route.length + 1));
      obsRec.rxMs = t + k * 50;
      obsRec.uploaderMs = k % 3 === 0 ? null : t + k * 50 - 300;
      store.appendObservation(obsRec);
    }
  }
  const appendMs = performance.now() - start;
  store.compact();
  global.gc?.();
  const rss1 = process.memoryUsage().rss;
  const report = store.memory();

  // Full-column scan: mean SNR over every observation, straight over the typed arrays.
  const view = store.view();
  const s0 = performance.now();
  let sum = 0;
  let n = 0;
  for (const span of chunkSpans(view.obs.chunkRows, view.counts.obs)) {
    const snr = view.obs.cols.snr[span.chunk];
    for (let i = 0; i < span.length; i++) {
      const v = snr[i];
      if (v !== -32768) {
        sum += v;
        n++;
      }
    }
  }
  const scanMs = performance.now() - s0;
  if (n === 0 || !Number.isFinite(sum)) throw new Error('scan saw nothing');
  return {
    obs: report.rows.observations,
    appendMs,
    obsPerSec: report.rows.observations / (appendMs / 1000),
    bytesPerObs: report.bytesPerObservation,
    rssPerObs: (rss1 - rss0) / report.rows.observations,
    rssMB: rss1 / 1048576,
    scanMs,
    report,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log(`bench:store on ${cpus()[0]?.model} x${cpus().length}, node ${process.version}, runs=${runs}`);
for (const size of sizes) {
  const results: Result[] = [];
  for (let k = 0; k < runs; k++) results.push(runOnce(size, 1234 + k));
  const rep = results[0].report;
  const mb = (b: number) => (b / 1048576).toFixed(1);
  console.log(
    JSON.stringify({
      observations: results[0].obs,
      transmissions: rep.rows.transmissions,
      appendObsPerSec_median: Math.round(median(results.map((x) => x.obsPerSec))),
      appendMs_median: Math.round(median(results.map((x) => x.appendMs))),
      storeBytesPerObs_median: +median(results.map((x) => x.bytesPerObs)).toFixed(1),
      // Only the first run starts from a clean heap; later runs reuse the memory it freed.
      rssGrowthBytesPerObs_firstRun: +results[0].rssPerObs.toFixed(1),
      processRssMB_max: Math.round(Math.max(...results.map((x) => x.rssMB))),
      scanSnrMs_median: +median(results.map((x) => x.scanMs)).toFixed(2),
      breakdownMB: {
        tx: mb(rep.tables.tx),
        obs: mb(rep.tables.obs),
        raw: mb(rep.heaps.raw.allocated),
        json: mb(rep.heaps.json.allocated),
        path: mb(rep.heaps.path.allocated),
        interns: mb(rep.interns),
        indexes: mb(rep.indexes),
        total: mb(rep.totalBytes),
      },
    }),
  );
}
