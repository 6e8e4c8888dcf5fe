// `npm run bench`: the benchmark suite at named scales (issue 4 item 4, issue 5's analytics
// section). Per scale: dataset generation (or the cache), server startup (median of --runs
// child processes of the compiled `meshlens serve`), RSS, core REST latency under 8 and 64
// clients with /api/healthz as the trivial-route baseline, MQTT ingest at full speed, and the
// analytics: compute times, GET latency while recomputing and while ingesting 500 obs/s,
// staleness, event-loop delay. The core-routes section loads every GET route of the reference
// (test/fixtures/reference-routes.json) that the server lists in /api/spec: p99 under 8
// clients and the server's event-loop delay p99 while each is hit (64 clients for ★ routes).
// The analytics section (issue 10) also measures each background analytic's compute time with no
// client load, and the parameterised analytics routes (per node, per observer, subpath detail,
// subpaths bulk, paths/inspect: bench/lib/param-routes.ts), first (uncached) requests apart
// from cached repeats, with the event-loop delay of every analytics phase on its own.
// Writes bench/results/<stamp>-<scales>.{json,md}; prints the table.
// Usage: npm run bench -- [--scale fixture,small,staging,cascadia] [--runs 3] [--duration 5]
//        [--ingest-seconds 10] [--seed 1] [--fresh] [--no-build] [--skip-analytics]
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { prepareDataset } from './lib/dataset-cache.js';
import { runLoad, type LoadResult } from './lib/http-load.js';
import { blastFor, encodePublishes, prepareMessages, publishFor } from './lib/publisher.js';
import { measureParamRoute, planParamRoutes, type ParamResult } from './lib/param-routes.js';
import { renderMarkdown, type AnalyticsRow, type LoopPhase, type ScaleResult } from './lib/report.js';
import { planRoutes, sampleValues } from './lib/route-list.js';
import { BENCH_API_KEY, startServer, type BenchServer } from './lib/server.js';
import { median, round, sleep, waitFor } from './lib/stats.js';
import { openDatabase, readCounts } from '../src/store/sqlite/index.js';
import { ANALYTICS } from '../src/analytics/registry.js';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: 'fixture,small' },
    seed: { type: 'string', default: '1' },
    runs: { type: 'string', default: '3' },
    duration: { type: 'string', default: '5' },
    'ingest-seconds': { type: 'string', default: '10' },
    fresh: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    'skip-analytics': { type: 'boolean', default: false },
  },
});
const root = process.cwd();
const seed = Number(values.seed);
const runs = Math.max(1, Number(values.runs));
const durationS = Number(values.duration);
const ingestS = Number(values['ingest-seconds']);
const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);
const CONNECTIONS = [8, 64];
const ANALYTICS_ROUTES = ANALYTICS.map((a) => `/api${a.path}`);
const TIMEOUT_MS: Record<string, number> = {
  fixture: 60_000,
  small: 60_000,
  staging: 240_000,
  cascadia: 400_000,
};

interface HealthBody {
  memory?: { rssMB: number };
  eventLoop?: { p99Ms: number; maxMs: number };
}
interface RecomputeStats {
  name: string;
  runs: number;
  lastDurationMs: number | null;
  snapshotAgeMs: number | null;
  warmingUp: boolean;
  computedAt: string | null;
  failures: number;
}
interface PerfBody {
  ingest?: {
    packets: number;
    observationsNew: number;
    queue: { dropped: number; depth: number; maxDepth: number };
  };
  analytics?: { analytics: RecomputeStats[] };
  writer?: { pendingOps?: number; pending?: number };
}

async function eventLoop(server: BenchServer, phase: string) {
  const h = await server.get<HealthBody>('/api/health');
  return { phase, p99Ms: h.body.eventLoop?.p99Ms ?? null, maxMs: h.body.eventLoop?.maxMs ?? null };
}

interface RouteLoad {
  name: string;
  paths: string[];
  /** ★ routes are loaded under 64 clients too. */
  core: boolean;
  apiKey?: boolean;
}

/** Each route under 8 clients (then 64 for ★ ones), with the event-loop window of the 8-client run. */
async function routeLoads(server: BenchServer, routes: RouteLoad[]) {
  const out: ScaleResult['routes'] = [];
  for (const r of routes) {
    const headers: Record<string, string> = r.apiKey ? { 'x-api-key': BENCH_API_KEY } : {};
    const loads: LoadResult[] = [];
    await server.loopWindow(true);
    loads.push(await runLoad(server.url, r.paths, 8, durationS, headers));
    const loop = await server.loopWindow(true);
    if (r.core) loads.push(await runLoad(server.url, r.paths, 64, durationS, headers));
    for (const l of loads)
      log(
        `  ${r.name} x${l.connections}: p50 ${l.p50Ms} ms, p99 ${l.p99Ms} ms, ${Math.round(l.rps)} req/s` +
          (l.non2xx ? `, ${l.non2xx} non-2xx` : '') +
          (l.connections === 8 && loop ? `; event loop p99 ${loop.p99Ms} ms` : ''),
      );
    out.push({ route: r.name, core: r.core, loads, loop });
  }
  return out;
}

/**
 * Polls /api/perf every `everyMs` until stopped: each pass that ends inside the window (a new
 * `lastDurationMs`, `computedAt` or failure count) contributes its `lastDurationMs`; snapshot
 * ages, max seen.
 */
function startSampler(server: BenchServer, everyMs = 500) {
  const durations = new Map<string, number[]>();
  const maxAge = new Map<string, number>();
  const seen = new Map<string, string>();
  let done = false;
  let first = true;
  const poll = (async () => {
    while (!done) {
      const p = await server.get<PerfBody>('/api/perf').catch(() => null);
      for (const a of p?.body.analytics?.analytics ?? []) {
        // A pass that ends changes its duration (0.1 ms resolution), the snapshot time when the
        // data moved, or the failure count; `runs` moves when a pass starts.
        const mark = `${a.lastDurationMs}|${a.computedAt}|${a.failures}`;
        // The first poll is the baseline: the pass it shows ended before the window.
        if (!first && seen.get(a.name) !== mark && a.lastDurationMs !== null)
          durations.set(a.name, [...(durations.get(a.name) ?? []), a.lastDurationMs]);
        seen.set(a.name, mark);
        if (!durations.has(a.name)) durations.set(a.name, []);
        if (a.snapshotAgeMs !== null) maxAge.set(a.name, Math.max(maxAge.get(a.name) ?? 0, a.snapshotAgeMs));
      }
      if (p) first = false;
      await sleep(everyMs);
    }
  })();
  return {
    durations,
    maxAge,
    stop: async () => {
      done = true;
      await poll;
    },
  };
}

/** Samples /api/perf while `during` runs: compute durations and snapshot ages. */
async function sampleAnalytics<T>(server: BenchServer, during: Promise<T>) {
  const sampler = startSampler(server);
  try {
    return { result: await during, durations: sampler.durations, maxAge: sampler.maxAge };
  } finally {
    await sampler.stop();
  }
}

/** One autocannon load step with the server's event-loop window of that step alone. */
async function loadWithLoop(server: BenchServer, condition: string, paths: string[], connections: number) {
  await server.loopWindow(true);
  const load = await runLoad(server.url, paths, connections, durationS);
  const loop = await server.loopWindow(true);
  log(
    `  ${condition} x${connections}: p50 ${load.p50Ms} ms, p99 ${load.p99Ms} ms, ${Math.round(load.rps)} req/s` +
      (load.non2xx ? `, ${load.non2xx} non-2xx` : '') +
      (loop ? `; event loop p99 ${loop.p99Ms} ms` : ''),
  );
  return { condition, load, loop } satisfies AnalyticsRow;
}

/** The parameterised analytics routes on a server whose caches have not seen them yet. */
async function paramSection(server: BenchServer) {
  const plan = await planParamRoutes(server.get);
  for (const n of plan.notes) log(`  ${n}`);
  const results: ParamResult[] = [];
  for (const route of plan.routes) {
    const r = await measureParamRoute(server, route, durationS);
    log(
      `  ${r.name}: ${r.distinct} distinct; first (uncached) p50 ${round(r.first.p50Ms, 1)} ms, p99 ${round(r.first.p99Ms, 1)} ms` +
        `; cached x8 p99 ${r.repeat.p99Ms} ms, ${Math.round(r.repeat.rps)} req/s` +
        (r.first.non2xx || r.repeat.non2xx ? `; non-2xx ${r.first.non2xx}+${r.repeat.non2xx}` : '') +
        `; event loop p99 ${r.firstLoop?.p99Ms ?? '?'} / ${r.repeatLoop?.p99Ms ?? '?'} ms`,
    );
    results.push(r);
  }
  return { results, notes: plan.notes };
}

async function ingestPhase(server: BenchServer) {
  const msgs = prepareMessages('staging', seed + 1000, Math.min(300_000, ingestS * 25_000));
  const frames = encodePublishes(msgs);
  const before = (await server.get<PerfBody>('/api/perf')).body.ingest;
  const t0 = performance.now();
  const pub = await blastFor(server.brokerUrl, frames, ingestS);
  // Wait until the pipeline has drained what the broker delivered.
  let last = -1;
  let after = before;
  let drainedAt = performance.now();
  for (let i = 0; i < 600; i++) {
    after = (await server.get<PerfBody>('/api/perf')).body.ingest;
    const n = (after?.packets ?? 0) + (after?.queue.dropped ?? 0);
    if (n === last && (after?.queue.depth ?? 0) === 0) break;
    if (n !== last) drainedAt = performance.now();
    last = n;
    await sleep(200);
  }
  const seconds = (drainedAt - t0) / 1000;
  const obs = (after?.observationsNew ?? 0) - (before?.observationsNew ?? 0);
  const packets = (after?.packets ?? 0) - (before?.packets ?? 0);
  return {
    published: pub.published,
    publishedPerS: pub.published / (pub.elapsedMs / 1000),
    packetsProcessed: packets,
    observationsStored: obs,
    observationsPerS: obs / seconds,
    packetsPerS: packets / seconds,
    dropped: (after?.queue.dropped ?? 0) - (before?.queue.dropped ?? 0),
    maxQueueDepth: after?.queue.maxDepth ?? null,
    seconds,
    distinctMessages: msgs.length,
  };
}

async function benchScale(scale: string, tmp: string): Promise<ScaleResult> {
  log(`== ${scale}`);
  const dataset = prepareDataset(root, scale, seed, { fresh: values.fresh, log });
  const dbMb = statSync(dataset.path).size / 1048576;
  const countsDb = openDatabase(dataset.path, { readonly: true });
  const counts = readCounts(countsDb);
  countsDb.close();
  const timeoutMs = TIMEOUT_MS[scale] ?? 400_000;
  const startups = [];
  let server: BenchServer | null = null;
  for (let r = 0; r < runs; r++) {
    const copy = join(tmp, `${scale}-${r}.db`);
    copyFileSync(dataset.path, copy);
    const s = await startServer({ root, dbPath: copy, tmpDir: tmp, timeoutMs, waitAnalytics: true });
    startups.push(s.startup);
    log(
      `startup ${r + 1}/${runs}: listening ${round(s.startup.listenMs, 0)} ms, store loaded ${round(s.startup.storeLoadedMs, 0)} ms, ready ${round(s.startup.readyMs, 0)} ms, analytics ${round(s.startup.analyticsReadyMs, 0)} ms, RSS ${round(s.startup.rssMbAfterLoad, 0)} MB`,
    );
    if (r < runs - 1) {
      await s.stop();
      rmSync(copy, { force: true });
    } else server = s;
  }
  const srv = server!;
  const result: ScaleResult = {
    scale,
    seed,
    dataset: {
      path: dataset.path,
      fromCache: dataset.fromCache,
      generatedS: dataset.generatedS ?? dataset.cachedGenerationS,
      generationCpuS: dataset.cpuS,
      sizeMb: dbMb,
      transmissions: counts.transmissions,
      observations: counts.observations,
      nodes: counts.nodes,
      observers: counts.observers,
    },
    startup: {
      runs: startups,
      listenMs: median(startups.map((s) => s.listenMs ?? NaN)),
      storeLoadedMs: median(startups.map((s) => s.storeLoadedMs ?? NaN)),
      readyMs: median(startups.map((s) => s.readyMs ?? NaN)),
      analyticsReadyMs: median(startups.map((s) => s.analyticsReadyMs ?? NaN)),
      rssMb: median(startups.map((s) => s.rssMbAfterLoad ?? NaN)),
    },
    routes: [],
    routesNotServed: [],
    routesSkipped: [],
    eventLoop: [],
    ingest: null,
    analytics: null,
  };
  try {
    await sleep(2000);
    result.eventLoop.push(await eventLoop(srv, 'after load (cumulative since start)'));
    // Before the core routes: they would warm the TTL cache of some of these URLs.
    let params: Awaited<ReturnType<typeof paramSection>> | null = null;
    if (!values['skip-analytics']) {
      log('analytics: parameterised routes (first requests uncached, then cached repeats x8)');
      params = await paramSection(srv);
    }
    log('core routes (the reference list, spec §4.2)');
    const spec = await srv.get<{ paths?: Record<string, object> }>('/api/spec');
    const plan = planRoutes(spec.body, await sampleValues(srv.get));
    result.routesNotServed = plan.notServed;
    result.routesSkipped = plan.skipped;
    if (plan.notServed.length) log(`  not served (not in /api/spec): ${plan.notServed.join(', ')}`);
    // GET /healthz comes first in the list: the trivial-route baseline of the run.
    result.routes = await routeLoads(srv, [
      ...plan.planned.map((r) => (r.name === 'GET /healthz' ? { ...r, name: 'GET /healthz (baseline)' } : r)),
      { name: 'GET /packets?type=ADVERT', paths: ['/api/packets?type=ADVERT'], core: true },
    ]);
    result.eventLoop.push(await eventLoop(srv, 'after core route load (cumulative)'));
    // The analytics baseline runs before ingest: new data would start data-driven recomputes.
    const idle: AnalyticsRow[] = [];
    if (!values['skip-analytics']) {
      log('analytics: GET with no recompute running (baseline)');
      for (const c of CONNECTIONS) idle.push(await loadWithLoop(srv, 'idle', ANALYTICS_ROUTES, c));
    }
    log('ingest at full speed');
    result.ingest = { ...(await ingestPhase(srv)), rssMbAfter: srv.rssMb() };
    log(
      `  ${Math.round(result.ingest.publishedPerS)} msg/s published, ${Math.round(result.ingest.observationsPerS)} obs/s stored, ${result.ingest.dropped} dropped`,
    );
    result.eventLoop.push(await eventLoop(srv, 'after ingest (cumulative)'));
    await srv.stop();
    if (!values['skip-analytics'])
      result.analytics = await analyticsSection(scale, dataset.path, tmp, idle, params);
  } finally {
    await srv.stop();
  }
  return result;
}

async function analyticsSection(
  scale: string,
  dbPath: string,
  tmp: string,
  idle: AnalyticsRow[],
  params: Awaited<ReturnType<typeof paramSection>> | null,
) {
  const paths = ANALYTICS_ROUTES;
  const rows: AnalyticsRow[] = [...idle];
  // A server that recomputes every analytic back to back (interval 1 s), for "while recomputing".
  const copy = join(tmp, `${scale}-analytics.db`);
  copyFileSync(dbPath, copy);
  const srv = await startServer({
    root,
    dbPath: copy,
    tmpDir: tmp,
    timeoutMs: TIMEOUT_MS[scale] ?? 400_000,
    waitAnalytics: true,
    // Every analytic's own interval too (neighbor-graph's comes from neighborGraph otherwise).
    config: {
      analytics: {
        defaultIntervalSeconds: 1,
        recomputeIntervalSeconds: Object.fromEntries(ANALYTICS.map((a) => [a.configKey, 1])),
      },
    },
  });
  try {
    const eventLoopRows = [await eventLoop(srv, 'analytics server after load (cumulative)')];
    // Compute times with no client load: until every analytic has finished 2 passes in the
    // window (at least 3 s, at most max(20 s, 4 x --duration)).
    log('analytics: compute times, recomputing with no client load');
    await srv.loopWindow(true);
    const quietSampler = startSampler(srv, 250);
    const t0 = performance.now();
    await waitFor(
      async () => {
        const lists = [...quietSampler.durations.values()];
        const enough = lists.length >= ANALYTICS.length && lists.every((l) => l.length >= 2);
        return enough && performance.now() - t0 >= 3000 ? true : null;
      },
      Math.max(20, 4 * durationS) * 1000,
      250,
    );
    await quietSampler.stop();
    const loopWindows: LoopPhase[] = [
      { phase: 'recomputing, no client load', window: await srv.loopWindow(true) },
    ];
    log('analytics: GET while recomputing');
    const recompute = await sampleAnalytics(
      srv,
      (async () => {
        const out: AnalyticsRow[] = [];
        for (const c of CONNECTIONS) out.push(await loadWithLoop(srv, 'recomputing', paths, c));
        return out;
      })(),
    );
    rows.push(...recompute.result);
    eventLoopRows.push(await eventLoop(srv, 'after GETs while recomputing (cumulative)'));
    log('analytics: GET while recomputing and ingesting 500 obs/s');
    const msgs = prepareMessages(
      'staging',
      seed + 2000,
      Math.ceil(500 * durationS * CONNECTIONS.length * 1.3),
    );
    const abort = new AbortController();
    const publishing = publishFor(srv.brokerUrl, msgs, 500, durationS * CONNECTIONS.length * 2, abort.signal);
    const ingesting = await sampleAnalytics(
      srv,
      (async () => {
        const out: AnalyticsRow[] = [];
        for (const c of CONNECTIONS)
          out.push(await loadWithLoop(srv, 'recomputing + ingest 500/s', paths, c));
        return out;
      })(),
    );
    abort.abort();
    await publishing;
    rows.push(...ingesting.result);
    eventLoopRows.push(await eventLoop(srv, 'after GETs while ingesting 500/s (cumulative)'));
    const names = new Set([...quietSampler.durations.keys(), ...recompute.durations.keys()]);
    const perAnalytic = [...names].sort().map((name) => {
      const all = [...(recompute.durations.get(name) ?? []), ...(ingesting.durations.get(name) ?? [])];
      const quiet = quietSampler.durations.get(name) ?? [];
      return {
        name,
        quietMsMedian: median(quiet),
        quietMsMax: quiet.length ? Math.max(...quiet) : null,
        quietSamples: quiet.length,
        computeMsMedian: median(all),
        computeMsMax: all.length ? Math.max(...all) : null,
        samples: all.length,
        maxSnapshotAgeMsIdleRecompute: recompute.maxAge.get(name) ?? null,
        maxSnapshotAgeMsIngest: ingesting.maxAge.get(name) ?? null,
      };
    });
    const totalRecomputeMs = perAnalytic.reduce((s, a) => s + (a.computeMsMedian ?? 0), 0);
    for (const r of rows)
      loopWindows.push({ phase: `GET ${r.condition} x${r.load.connections}`, window: r.loop ?? null });
    for (const p of params?.results ?? []) {
      loopWindows.push({ phase: `${p.name}, first requests`, window: p.firstLoop });
      loopWindows.push({ phase: `${p.name}, cached x8`, window: p.repeatLoop });
    }
    return {
      snapshotRoutes: paths,
      rows,
      perAnalytic,
      totalRecomputeMs,
      eventLoop: eventLoopRows,
      loopWindows,
      params: params?.results ?? [],
      paramNotes: params?.notes ?? [],
      rssMb: srv.rssMb(),
    };
  } finally {
    await srv.stop();
  }
}

async function main() {
  const scales = values.scale!.split(',').map((s) => s.trim());
  if (!values['no-build']) {
    log('npm run build');
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
  }
  const tmp = mkdtempSync(join(os.tmpdir(), 'meshlens-bench-'));
  const results: ScaleResult[] = [];
  try {
    for (const scale of scales) results.push(await benchScale(scale, tmp));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const env = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: `${os.cpus().length} x ${os.cpus()[0]?.model ?? '?'}`,
    memGb: round(os.totalmem() / 2 ** 30, 1),
    loadAvg: os.loadavg().map((x) => round(x, 2)),
    commit: gitCommit(),
    options: { seed, runs, durationS, ingestS },
  };
  const md = renderMarkdown(env, results);
  const dir = join(root, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const stem = `${env.date.slice(0, 16).replace(/[-:T]/g, '')}-${scales.join('-')}`;
  writeFileSync(join(dir, `${stem}.json`), JSON.stringify({ env, results }, null, 2));
  writeFileSync(join(dir, `${stem}.md`), md);
  process.stdout.write(md);
  log(`results: bench/results/${stem}.{json,md}`);
}

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
