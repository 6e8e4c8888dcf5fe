// Analytics engine benchmark at staging scale (≈78k transmissions, 2.3M observations, 2k
// nodes; spec analytics §8): a synthetic MemoryStore (bench/analytics-pure.ts's generator,
// appended as records), the real worker pool, recomputer and routes on a listening server.
// Measures: per-analytic compute time in the worker (median of --runs, JSON + gzip included),
// total recompute time (all nine, first pass), analytics GET p50/p99 with 8 and 64
// concurrent clients (autocannon in a child process) while recomputing and ingesting
// --ingest observations/s, event-loop delay p99 (monitorEventLoopDelay), snapshot staleness.
// Run: npm run bench:analytics [-- --tx 78000 --obs-per-tx 30 --seconds 10 --runs 3 --threads N]
import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify from 'fastify';
import { MemoryStore } from '../src/store/memory/memory-store.js';
import { AnalyticsService } from '../src/analytics/service.js';
import { ANALYTICS } from '../src/analytics/registry.js';
import { WorkerPool } from '../src/analytics/worker-pool.js';
import type { ResultBody } from '../src/analytics/worker-protocol.js';
import { DEFAULT_QUERY } from '../src/analytics/query.js';
import { analyticsRoutes } from '../src/api/routes/analytics.js';
import { NOW, appendObs, fill } from './analytics-synth.js';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}
const TX = arg('tx', 78_000);
const OBS_PER_TX = arg('obs-per-tx', 30);
const SECONDS = arg('seconds', 10);
const RUNS = arg('runs', 3);
const INGEST_PER_S = arg('ingest', 500);
const THREADS = arg('threads', 0) || undefined;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

/** autocannon in a child process so the load generator does not share our event loop. */
function autocannon(
  port: number,
  connections: number,
  seconds: number,
  paths: string[],
): Promise<Record<string, any>> {
  const script = `
    import autocannon from 'autocannon';
    const [port, connections, duration, paths] = [${port}, ${connections}, ${seconds}, ${JSON.stringify(paths)}];
    const r = await autocannon({ url: 'http://127.0.0.1:' + port, connections, duration,
      headers: { 'accept-encoding': 'gzip' }, requests: paths.map((p) => ({ method: 'GET', path: p })) });
    process.stdout.write(JSON.stringify(r));`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`autocannon exit ${code}`)),
    );
  });
}

async function main(): Promise<void> {
  console.log(
    `# analytics engine bench: ${TX} tx x ${OBS_PER_TX} obs, ${cpus().length} cores (${cpus()[0].model}), node ${process.version}`,
  );
  const store = new MemoryStore();
  let t0 = performance.now();
  const synth = fill(store, TX, OBS_PER_TX);
  console.log(
    `store: ${store.transmissionCount} tx, ${store.observationCount} obs, loaded in ${fmt(performance.now() - t0)} ms`,
  );

  // 1. Per-analytic compute time in a worker (JSON + gzip included), median of RUNS. Each run
  // is one recompute round as the service runs it: the first analytic takes a fresh snapshot
  // (and builds the shared intermediates), the other eight reuse it.
  const pool = new WorkerPool(store, { size: 1 });
  const nowMs = NOW;
  const perAnalytic: Record<string, number[]> = {};
  const rounds: number[] = [];
  const roundsCpu: number[] = [];
  await pool.run({ kind: 'analytic', name: 'channels', query: DEFAULT_QUERY, nowMs }); // worker start-up
  for (let run = 0; run < RUNS; run++) {
    let round = 0;
    let roundCpu = 0;
    for (const [i, a] of ANALYTICS.entries()) {
      const r = (await pool.run({
        kind: 'analytic',
        name: a.name,
        query: DEFAULT_QUERY,
        nowMs,
        fresh: i === 0,
        reuseMs: 60_000,
      })) as ResultBody;
      round += r.durationMs;
      roundCpu += r.cpuMs;
      (perAnalytic[a.name] ??= []).push(r.durationMs);
      (perAnalytic[`${a.name}:cpu`] ??= []).push(r.cpuMs);
      if (run === 0) perAnalytic[`${a.name}:bytes`] = [r.gzip.byteLength, r.jsonBytes];
    }
    rounds.push(round);
    roundsCpu.push(roundCpu);
  }
  await pool.close();
  console.log(
    '\n| analytic | compute ms (median, wall) | worker CPU ms (median) | JSON KiB | gzip KiB |\n|---|---|---|---|---|',
  );
  let sum = 0;
  let sumCpu = 0;
  for (const a of ANALYTICS) {
    const m = median(perAnalytic[a.name]);
    sum += m;
    const [gz, js] = perAnalytic[`${a.name}:bytes`];
    const c = median(perAnalytic[`${a.name}:cpu`]);
    sumCpu += c;
    console.log(`| ${a.name} | ${fmt(m)} | ${fmt(c)} | ${fmt(js / 1024)} | ${fmt(gz / 1024)} |`);
  }
  console.log(`| **all nine (sum of medians)** | ${fmt(sum)} | ${fmt(sumCpu)} | | |`);
  console.log(
    `| **one round of all nine (median of ${RUNS})** | ${fmt(median(rounds))} | ${fmt(median(roundsCpu))} | | |`,
  );

  // 2. The service: first full recompute, then load while recomputing and ingesting.
  const service = new AnalyticsService({
    store,
    config: {
      analytics: {
        defaultIntervalSeconds: 300,
        recomputeIntervalSeconds: {},
        loraPreset: { freq: 869.6e6, bw: 62.5, sf: 8, cr: 5 },
      },
      cacheTTL: {},
    },
    isLoaded: () => true,
    workerThreads: THREADS,
    minRefreshSeconds: 5,
    maxCpuShare: 0.5,
  });
  t0 = performance.now();
  service.start();
  while (service.stats().analytics.some((s) => s.warmingUp)) await sleep(5);
  console.log(
    `\nfirst full recompute (pool start-up + nine passes): ${fmt(performance.now() - t0)} ms, pool size ${service.stats().pool!.size}`,
  );
  const app = Fastify();
  await app.register(analyticsRoutes, { prefix: '/api', service, areas: {} });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  const paths = [
    '/api/analytics/topology',
    '/api/analytics/rf',
    '/api/analytics/distance',
    '/api/analytics/channels',
    '/api/analytics/hash-collisions',
    '/api/analytics/hash-sizes',
    '/api/analytics/roles',
    '/api/observers/clock-skew',
    '/api/nodes/clock-skew',
  ];

  // Ingest INGEST_PER_S observations/s on the main thread (re-sightings of recent transmissions).
  let nextObsId = store.observationCount + 1;
  const ingest = setInterval(() => {
    for (let k = 0; k < INGEST_PER_S / 20; k++) {
      const t = store.transmissionCount - 1 - Math.floor(synth.rand() * 1000);
      appendObs(store, synth, t, nextObsId++, Date.now());
    }
  }, 50);

  for (const connections of [8, 64]) {
    const eld = monitorEventLoopDelay({ resolution: 10 });
    const staleness: number[] = [];
    const sampler = setInterval(() => {
      const s = service.stats().analytics;
      staleness.push(Math.max(...s.map((x) => x.snapshotAgeMs ?? 0)));
    }, 250);
    const before = service.stats().analytics.reduce((n, s) => n + s.runs, 0);
    eld.enable();
    const r = await autocannon(port, connections, SECONDS, paths);
    eld.disable();
    clearInterval(sampler);
    const runs = service.stats().analytics.reduce((n, s) => n + s.runs, 0) - before;
    console.log(
      `\nGET x${connections} while recomputing + ingesting ${INGEST_PER_S} obs/s: ${r.requests.total} requests, ` +
        `${r.non2xx} non-2xx, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, max ${r.latency.max} ms; ` +
        `event-loop delay p99 ${fmt(eld.percentile(99) / 1e6)} ms (max ${fmt(eld.max / 1e6)}); ` +
        `recompute passes ${runs}; staleness (max over analytics) median ${fmt(median(staleness))} ms, max ${fmt(Math.max(...staleness))} ms`,
    );
  }
  clearInterval(ingest);
  const s = service.stats();
  console.log(
    '\n| analytic | runs | data-driven | interval | last ms | failures |\n|---|---|---|---|---|---|',
  );
  for (const a of s.analytics)
    console.log(
      `| ${a.name} | ${a.runs} | ${a.dataDrivenRuns} | ${a.intervalRuns} | ${a.lastDurationMs} | ${a.failures} |`,
    );
  await app.close();
  await service.stop();
}

await main();
