// Startup-load benchmark (spec ingest-store-api §3.3; target "fully loaded <= 20 s at 5M
// observations"): scales the fixture up into a temp SQLite file written by the SqliteWriter
// (replicas of the 499 transmissions with distinct content hashes, OBS_PER_TX observations each
// by distinct observers with fixture paths), then times StoreLoader into a fresh MemoryStore.
// Reports median rows/s and observations/s over several runs, the longest synchronous stretch
// between two yields, and the event-loop delay p99 during the load.
// Usage: npm run bench:loader [-- --obs 200000 --runs 3 --keep /tmp/scaled.db]
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { contentHash } from '../src/protocol/hash.js';
import { StoreLoader } from '../src/store/loader.js';
import { MemoryStore } from '../src/store/memory/memory-store.js';
import {
  SqliteWriter,
  migrate,
  nodeChunks,
  observationChunks,
  observerChunks,
  openDatabase,
  readCounts,
  transmissionChunks,
} from '../src/store/sqlite/index.js';

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? def : process.argv[i + 1];
}
const targetObs = Number(arg('obs', '200000'));
const runs = Number(arg('runs', '3'));
const OBS_PER_TX = 8;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const dir = mkdtempSync(join(tmpdir(), 'meshlens-bench-loader-'));
const given = arg('db', '');
const workers = arg('workers', '');
try {
  const file = given !== '' ? given : buildScaled();
  const stored = readCounts(openDatabase(file, { readonly: true }));

  function buildScaled(): string {
    // Fixture records.
    const fx = join(dir, 'fixture.db');
    copyFileSync(new URL('../test/fixtures/corescope-staging.db', import.meta.url), fx);
    const src = openDatabase(fx);
    migrate(src);
    const observers = [...observerChunks(src)].flat();
    const nodes = [...nodeChunks(src)].flat();
    const txs = [...transmissionChunks(src)].flat().filter((t) => t.rawHex.length >= 8);
    const paths = [...observationChunks(src)].flat().map((o) => o.path);
    src.close();

    // Scaled database.
    const file = join(dir, 'scaled.db');
    const db = openDatabase(file);
    migrate(db);
    const writer = new SqliteWriter(db, { log: () => {} });
    const t0 = Date.parse('2026-05-01T00:00:00Z');
    for (const o of observers)
      writer.upsertObserverFromPacket({ id: o.id, name: o.name, iata: o.iata, seenMs: t0 });
    for (const n of nodes)
      writer.upsertNode({
        ...n,
        seenMs: n.lastSeenMs,
        isNewAdvert: false,
        batteryMv: null,
        temperatureC: null,
      });
    const txCount = Math.ceil(targetObs / OBS_PER_TX);
    let obsId = 0;
    for (let i = 0; i < txCount; i++) {
      const base = txs[i % txs.length];
      const k = Math.floor(i / txs.length);
      // Distinct frames: XOR the last two payload bytes with the replica number.
      const raw = Buffer.from(base.rawHex, 'hex');
      raw[raw.length - 1] ^= k & 0xff;
      raw[raw.length - 2] ^= (k >> 8) & 0xff;
      const rawHex = raw.toString('hex').toUpperCase();
      const ms = t0 + i * 100;
      writer.insertTransmission({
        ...base,
        id: i + 1,
        rawHex,
        hash: contentHash(rawHex).toLowerCase(),
        firstSeenMs: ms,
        lastSeenMs: ms + 5000,
      });
      for (let j = 0; j < OBS_PER_TX; j++) {
        const o = observers[(i * 7 + j) % observers.length];
        writer.insertObservation({
          id: ++obsId,
          transmissionId: i + 1,
          observerId: o.id,
          direction: 'rx',
          snr: 5.25,
          rssi: -101,
          score: null,
          path: paths[(i + j) % paths.length],
          rxMs: ms + j * 10,
          uploaderMs: null,
        });
      }
      if (i % 2000 === 1999) writer.flush();
    }
    writer.close();
    db.close();
    const keep = arg('keep', '');
    if (keep !== '') copyFileSync(file, keep);
    console.log(
      `scaled db: ${txCount} transmissions, ${obsId} observations, ${observers.length} observers, ${nodes.length} nodes`,
    );
    return file;
  }

  const results: {
    ms: number;
    rowsPerSec: number;
    obsPerSec: number;
    maxChunkMs: number;
    loopP99: number;
    obsMs: number;
    rssMb: number;
    storeMb: number;
    cpuMs: number;
    busyMs: number;
  }[] = [];
  for (let r = 0; r < runs; r++) {
    const rdb = openDatabase(file);
    const store = new MemoryStore();
    const loop = monitorEventLoopDelay({ resolution: 1 });
    loop.enable();
    const cpu0 = process.cpuUsage();
    const res = await new StoreLoader(rdb, store, workers === '' ? {} : { workers: Number(workers) }).run();
    const cpu = process.cpuUsage(cpu0);
    loop.disable();
    rdb.close();
    const rows = res.counts.observers + res.counts.nodes + res.counts.transmissions + res.counts.observations;
    if (res.counts.observations !== stored.observations || Object.keys(res.rejected).length > 0)
      throw new Error(`load mismatch: ${JSON.stringify(res.counts)} ${JSON.stringify(res.rejected)}`);
    results.push({
      ms: res.totalMs,
      rowsPerSec: rows / (res.totalMs / 1000),
      obsPerSec: res.counts.observations / (res.timingsMs.observations / 1000),
      obsMs: res.timingsMs.observations,
      maxChunkMs: res.maxChunkMs,
      loopP99: loop.percentile(99) / 1e6,
      rssMb: process.memoryUsage().rss / 2 ** 20,
      storeMb: store.memory().totalBytes / 2 ** 20,
      cpuMs: (cpu.user + cpu.system) / 1000,
      busyMs: res.busyMs,
    });
    console.log(
      `run ${r + 1}: total ${res.totalMs.toFixed(0)} ms (tx ${res.timingsMs.transmissions.toFixed(0)} ms, obs ${res.timingsMs.observations.toFixed(0)} ms, compact ${res.timingsMs.compact.toFixed(0)} ms), rehashed ${res.rehashed}, cpu ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms (main busy ${res.busyMs.toFixed(0)} ms, ${res.workers} workers), max chunk ${res.maxChunkMs.toFixed(1)} ms, loop p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms, rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB, store ${(store.memory().totalBytes / 2 ** 20).toFixed(0)} MB`,
    );
  }
  const m = (k: keyof (typeof results)[0]) => median(results.map((x) => x[k]));
  console.log(
    JSON.stringify(
      {
        machine: `${cpus()[0].model} x${cpus().length}, node ${process.version}`,
        observations: stored.observations,
        medianTotalMs: Math.round(m('ms')),
        medianRowsPerSec: Math.round(m('rowsPerSec')),
        medianObservationsPerSec: Math.round(m('obsPerSec')),
        medianMaxChunkMs: Math.round(m('maxChunkMs') * 10) / 10,
        medianLoopDelayP99Ms: Math.round(m('loopP99') * 10) / 10,
        medianRssMb: Math.round(m('rssMb')),
        medianCpuMs: Math.round(m('cpuMs')),
        medianMainBusyMs: Math.round(m('busyMs')),
        medianStoreMb: Math.round(m('storeMb')),
        projected5MObservationsSec: Math.round((5e6 / m('obsPerSec')) * 10) / 10,
      },
      null,
      2,
    ),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
