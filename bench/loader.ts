// Startup-load benchmark (spec ingest-store-api §3.3; target "fully loaded <= 20 s at 5M
// observations"): scales the fixture up into a temp SQLite file written by the SqliteWriter
// (replicas of the 499 transmissions with distinct content hashes, OBS_PER_TX observations each
// by distinct observers with fixture paths), then times StoreLoader into a fresh MemoryStore.
// Reports median rows/s and observations/s over several runs, the longest synchronous stretch
// between two yields, the event-loop delay p99 during the load, CPU time (all threads) and RSS.
// Datasets: the scaled fixture (--obs N), a simulator scale built once into bench/.cache
// (--scale cascadia, via bench/lib/dataset-cache.ts), or any file (--db path).
// --server <root>: instead of loading in-process, start `node <root>/bin/meshlens.js serve`
// (compiled JS; root = the repository after `npm run build`) on a copy of the database and
// report spawn -> listening, -> loaded, the server process RSS after the load, and the latency
// of /api/healthz polled every 20 ms during the load (what a client sees of the event loop).
// Usage: npm run bench:loader [-- --obs 200000 | --scale cascadia | --db f.db] [--runs 3]
//        [--workers 2] [--keep /tmp/scaled.db] [--server .]
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { prepareDataset } from './lib/dataset-cache.js';
import { freePort, procRssMb } from './lib/server.js';
import { sleep } from './lib/stats.js';
import { contentHash } from '../src/protocol/hash.js';
import { StoreLoader } from '../src/store/load/loader.js';
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
const scale = arg('scale', '');
const workers = arg('workers', '');
const serverRoot = arg('server', '');
try {
  const file =
    given !== ''
      ? given
      : scale !== ''
        ? prepareDataset(process.cwd(), scale, 1, { log: (m) => console.log(m) }).path
        : buildScaled();
  const countDb = openDatabase(file, { readonly: true });
  const stored = readCounts(countDb);
  countDb.close();
  console.log(
    `load ${file}: ${JSON.stringify(stored)}; load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  if (serverRoot !== '') await serverRuns(file);
  else await inProcessRuns(file, stored);

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
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/** --server mode: the real server on a copy of `file`, `runs` times. */
async function serverRuns(file: string): Promise<void> {
  const pct = (xs: number[], p: number) =>
    [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
  const rows: Record<string, number | null>[] = [];
  for (let r = 0; r < runs; r++) {
    const copy = join(dir, `server-${r}.db`);
    copyFileSync(file, copy);
    const port = await freePort();
    const config = join(dir, 'config.json');
    writeFileSync(
      config,
      JSON.stringify({
        host: '127.0.0.1',
        broker: { enabled: true, host: '127.0.0.1', port: await freePort() },
      }),
    );
    const t0 = performance.now();
    const child = spawn(
      process.execPath,
      [
        join(serverRoot, 'bin/meshlens.js'),
        'serve',
        '--db',
        copy,
        '--port',
        String(port),
        '--config',
        config,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let reported: number | null = null;
    for (const s of [child.stdout, child.stderr])
      s.on('data', (d: Buffer) => {
        const m = /store loaded in (\d+) ms/.exec(d.toString());
        if (m) reported = Number(m[1]);
      });
    let listenMs: number | null = null;
    let loadedMs: number | null = null;
    const latencies: number[] = [];
    let peakRss = 0;
    while (loadedMs === null && performance.now() - t0 < 600_000) {
      const q0 = performance.now();
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/healthz`);
        await res.arrayBuffer();
        const now = performance.now();
        listenMs ??= now - t0;
        latencies.push(now - q0);
        if (res.status === 200) loadedMs = now - t0;
      } catch {
        // not listening yet
      }
      peakRss = Math.max(peakRss, procRssMb(child.pid!) ?? 0);
      await sleep(20);
    }
    const rssLoaded = procRssMb(child.pid!);
    await sleep(10_000);
    const rss10s = procRssMb(child.pid!);
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(copy, { force: true });
    rmSync(`${copy}-wal`, { force: true });
    rmSync(`${copy}-shm`, { force: true });
    const row = {
      listenMs,
      loadedMs,
      loadReportedMs: reported,
      healthzP50Ms: pct(latencies, 50),
      healthzP99Ms: pct(latencies, 99),
      healthzMaxMs: Math.max(...latencies),
      healthzSamples: latencies.length,
      rssMbAtLoaded: rssLoaded,
      rssMbPeakDuringLoad: peakRss,
      rssMb10sLater: rss10s,
    };
    rows.push(row);
    console.log(`server run ${r + 1}: ${JSON.stringify(row)}`);
  }
  const med = (k: string) => median(rows.map((x) => x[k] ?? NaN));
  console.log(
    JSON.stringify(
      {
        machine: `${cpus()[0].model} x${cpus().length}, node ${process.version}`,
        loadAverage: loadavg(),
        medians: Object.fromEntries(Object.keys(rows[0]).map((k) => [k, Math.round(med(k) * 10) / 10])),
      },
      null,
      2,
    ),
  );
}

/** Default mode: StoreLoader into a fresh MemoryStore in this process, `runs` times. */
async function inProcessRuns(file: string, stored: ReturnType<typeof readCounts>): Promise<void> {
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
}
