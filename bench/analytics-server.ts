// The server side of bench/analytics-engine.ts, run as its own process (fork with IPC) so the
// load generator never shares this event loop: a synthetic staging-scale MemoryStore, the real
// AnalyticsService (worker pool + recomputer) and routes on fastify, a trivial /api/healthz as
// the baseline, and ingest of --ingest observations/s appended to the store on this thread (new
// transmissions with ~obs-per-tx sightings each, as live traffic). Event-loop delay is measured
// here, per phase, with a histogram reset at each phase start.
//
// IPC: parent -> { cmd: 'phase-start' } | { cmd: 'phase-end' } | { cmd: 'stop' };
//      child  -> { kind: 'ready', port, ... } | { kind: 'phase', ... } | { kind: 'compute', ... }
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify from 'fastify';
import { MemoryStore } from '../src/store/memory/memory-store.js';
import { AnalyticsService } from '../src/analytics/engine/service.js';
import { ANALYTICS } from '../src/analytics/registry.js';
import { WorkerPool } from '../src/analytics/engine/analytics-thread.js';
import type { ResultBody } from '../src/analytics/engine/analytics-protocol.js';
import { DEFAULT_QUERY } from '../src/analytics/shared/query.js';
import { analyticsRoutes } from '../src/api/routes/analytics.js';
import { NOW, appendObs, appendTx, fill } from './analytics-synth.js';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}
const TX = arg('tx', 78_000);
const OBS_PER_TX = arg('obs-per-tx', 30);
const RUNS = arg('runs', 3);
const INGEST_PER_S = arg('ingest', 500);
const THREADS = arg('threads', 0) || undefined;
const NICENESS = process.argv.includes('--niceness') ? arg('niceness', 5) : undefined;
const MAX_CPU_SHARE = arg('max-cpu-share', 0.5);
const send = (m: unknown) => process.send!(m);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

const store = new MemoryStore();
let t0 = performance.now();
const synth = fill(store, TX, OBS_PER_TX);
const fillMs = performance.now() - t0;

// Per-analytic compute time in one worker (JSON + gzip included), median of RUNS rounds; the
// first analytic of a round takes a fresh snapshot and builds the shared intermediates.
const perAnalytic: Record<string, { wall: number[]; cpu: number[]; gzip: number; json: number }> = {};
const rounds: number[] = [];
const roundsCpu: number[] = [];
if (RUNS > 0) {
  const pool = new WorkerPool(store, { size: 1 });
  await pool.run({ kind: 'analytic', name: 'channels', query: DEFAULT_QUERY, nowMs: NOW });
  for (let run = 0; run < RUNS; run++) {
    let wall = 0;
    let cpu = 0;
    for (const [i, a] of ANALYTICS.entries()) {
      const r = (await pool.run({
        kind: 'analytic',
        name: a.name,
        query: DEFAULT_QUERY,
        nowMs: NOW,
        fresh: i === 0,
        reuseMs: 60_000,
      })) as ResultBody;
      wall += r.durationMs;
      cpu += r.cpuMs;
      const e = (perAnalytic[a.name] ??= { wall: [], cpu: [], gzip: r.gzip.byteLength, json: r.jsonBytes });
      e.wall.push(r.durationMs);
      e.cpu.push(r.cpuMs);
    }
    rounds.push(wall);
    roundsCpu.push(cpu);
  }
  await pool.close();
}
send({
  kind: 'compute',
  tx: store.transmissionCount,
  obs: store.observationCount,
  fillMs,
  perAnalytic: Object.fromEntries(
    Object.entries(perAnalytic).map(([k, v]) => [
      k,
      { wallMs: median(v.wall), cpuMs: median(v.cpu), gzip: v.gzip, json: v.json },
    ]),
  ),
  roundMs: median(rounds),
  roundCpuMs: median(roundsCpu),
});

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
  maxCpuShare: MAX_CPU_SHARE,
  poolOptions: NICENESS === undefined ? undefined : { niceness: NICENESS },
});
t0 = performance.now();
service.start();
while (service.stats().analytics.some((s) => s.warmingUp)) await sleep(5);
const firstRecomputeMs = performance.now() - t0;

const app = Fastify();
app.get('/api/healthz', async () => ({ ready: true }));
await app.register(analyticsRoutes({ service, areas: {} }), { prefix: '/api' });
await app.listen({ port: 0, host: '127.0.0.1' });
const port = (app.server.address() as { port: number }).port;

// Live traffic: every 50 ms, INGEST_PER_S / 20 observations; a new transmission (with its first
// sighting) every OBS_PER_TX observations, the rest re-sightings of the last 1000.
let nextTx = store.transmissionCount;
let nextObsId = store.observationCount + 1;
let ingested = 0;
let ingestMs = 0;
const ingest = setInterval(() => {
  const s = performance.now();
  for (let k = 0; k < INGEST_PER_S / 20; k++) {
    let t: number;
    if (ingested++ % OBS_PER_TX === 0) appendTx(store, synth, (t = nextTx++), Date.now());
    else t = nextTx - 1 - Math.floor(synth.rand() * Math.min(1000, nextTx));
    appendObs(store, synth, t, nextObsId++, Date.now());
  }
  ingestMs += performance.now() - s;
}, 50);

const eld = monitorEventLoopDelay({ resolution: 1 });
let staleness: number[] = [];
const sampler = setInterval(() => {
  const s = service.stats().analytics;
  staleness.push(Math.max(...s.map((x) => x.snapshotAgeMs ?? 0)));
}, 250);
let phase = { runs: 0, ingested: 0, ingestMs: 0, cpu: process.cpuUsage(), t: 0 };
const totalRuns = () => service.stats().analytics.reduce((n, s) => n + s.runs, 0);

process.on('message', async (m: { cmd: string }) => {
  if (m.cmd === 'phase-start') {
    eld.reset();
    eld.enable();
    staleness = [];
    phase = { runs: totalRuns(), ingested, ingestMs, cpu: process.cpuUsage(), t: performance.now() };
  } else if (m.cmd === 'phase-end') {
    eld.disable();
    const cpu = process.cpuUsage(phase.cpu);
    const wall = performance.now() - phase.t;
    send({
      kind: 'phase',
      eldP50: eld.percentile(50) / 1e6,
      eldP99: eld.percentile(99) / 1e6,
      eldMax: eld.max / 1e6,
      recomputes: totalRuns() - phase.runs,
      ingestedPerS: ((ingested - phase.ingested) * 1000) / wall,
      ingestMainMs: ingestMs - phase.ingestMs,
      processCpuShare: (cpu.user + cpu.system) / 1000 / wall,
      stalenessMedianMs: median(staleness),
      stalenessMaxMs: Math.max(...staleness),
      stats: service.stats().analytics.map((a) => ({
        name: a.name,
        runs: a.runs,
        lastDurationMs: a.lastDurationMs,
        failures: a.failures,
      })),
    });
  } else if (m.cmd === 'stop') {
    clearInterval(ingest);
    clearInterval(sampler);
    await app.close();
    await service.stop();
    process.exit(0);
  }
});

send({ kind: 'ready', port, firstRecomputeMs, poolSize: service.stats().pool!.size });
