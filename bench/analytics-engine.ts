// Analytics engine benchmark at staging scale (≈78k transmissions, 2.3M observations, 2k
// nodes; spec analytics §8). The server runs in its own process (bench/analytics-server.ts:
// synthetic MemoryStore, the real worker pool, recomputer and routes, ingest of --ingest
// observations/s appended on its event loop); this process only generates load (autocannon)
// and prints. Measures: per-analytic compute time in the worker (median of --runs, JSON + gzip
// included), first full recompute, then per phase (/api/healthz as the trivial baseline, then
// the nine analytics cycled; 8 and 64 clients; all while recomputing and ingesting): client
// p50/p99, server event-loop delay p50/p99/max of that phase alone, recompute passes, snapshot
// staleness, and the server process's CPU share. `--cpu-prof DIR` profiles the server.
// Run: npm run bench:analytics [-- --tx 78000 --obs-per-tx 30 --seconds 10 --runs 3 --threads N
//        --max-cpu-share 0.5 --niceness 5 --ingest 500 --cpu-prof DIR]
import { fork, type ChildProcess } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { runLoad } from './lib/http-load.js';
import { ANALYTICS } from '../src/analytics/registry.js';

const argv = process.argv.slice(2);
function arg(name: string, dflt: number): number {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : dflt;
}
const SECONDS = arg('seconds', 10);
const profDir = argv.includes('--cpu-prof') ? argv[argv.indexOf('--cpu-prof') + 1] : null;
const fmt = (x: number) => (!Number.isFinite(x) ? '-' : x >= 100 ? x.toFixed(0) : x.toFixed(1));
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

const ANALYTICS_PATHS = ANALYTICS.map((a) => `/api${a.path}`);

type Msg = Record<string, any>;

function next(child: ChildProcess, kind: string): Promise<Msg> {
  return new Promise((resolve, reject) => {
    const onMsg = (m: Msg) => {
      if (m.kind !== kind) return;
      child.off('message', onMsg);
      child.off('exit', onExit);
      resolve(m);
    };
    const onExit = (code: number) => reject(new Error(`server exited with code ${code}`));
    child.on('message', onMsg);
    child.once('exit', onExit);
  });
}

async function main(): Promise<void> {
  const serverArgs = argv.filter((a, i) => a !== '--cpu-prof' && argv[i - 1] !== '--cpu-prof');
  const execArgv = ['--import', 'tsx'];
  if (profDir) execArgv.push('--cpu-prof', '--cpu-prof-dir', profDir);
  const child = fork(fileURLToPath(new URL('./analytics-server.ts', import.meta.url)), serverArgs, {
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  console.log(
    `# analytics engine bench: ${cpus().length} cores (${cpus()[0].model}), node ${process.version}, load ${load()}`,
  );
  const c = await next(child, 'compute');
  console.log(`store: ${c.tx} tx, ${c.obs} obs, built in ${fmt(c.fillMs)} ms (server process)`);
  if (c.roundMs === c.roundMs) {
    console.log(
      '\n| analytic | compute ms (median, wall) | worker CPU ms (median) | JSON KiB | gzip KiB |\n|---|---|---|---|---|',
    );
    let sum = 0;
    let sumCpu = 0;
    for (const [name, a] of Object.entries(c.perAnalytic as Record<string, Msg>)) {
      sum += a.wallMs;
      sumCpu += a.cpuMs;
      console.log(
        `| ${name} | ${fmt(a.wallMs)} | ${fmt(a.cpuMs)} | ${fmt(a.json / 1024)} | ${fmt(a.gzip / 1024)} |`,
      );
    }
    console.log(`| **all nine (sum of medians)** | ${fmt(sum)} | ${fmt(sumCpu)} | | |`);
    console.log(`| **one round of all nine (median)** | ${fmt(c.roundMs)} | ${fmt(c.roundCpuMs)} | | |`);
  }
  const ready = await next(child, 'ready');
  console.log(
    `\nfirst full recompute (pool start-up + nine passes): ${fmt(ready.firstRecomputeMs)} ms, pool size ${ready.poolSize}; load ${load()}`,
  );
  console.log(
    `\nAll phases while recomputing and ingesting; event-loop delay is the server's, this phase only.\n\n` +
      `| route | clients | req/s | p50 ms | p99 ms | max ms | non-2xx | ELD p50 / p99 / max ms | recomputes | staleness median / max s | ingest obs/s (main-thread ms) | server CPU | client CPU | load avg |\n` +
      `|---|---|---|---|---|---|---|---|---|---|---|---|---|---|`,
  );
  // rf alone (a 6 KiB body) separates per-request cost from moving the big bodies (topology
  // and hash-collisions are ~300 KiB gzip each).
  const rows: Array<[string, string[]]> = [
    ['/api/healthz', ['/api/healthz']],
    ['/api/analytics/rf only', ['/api/analytics/rf']],
    ['analytics (9 cycled)', ANALYTICS_PATHS],
  ];
  let last: Msg | null = null;
  for (const [label, paths] of rows) {
    for (const connections of [8, 64]) {
      child.send({ cmd: 'phase-start' });
      const clientCpu = process.cpuUsage();
      const t0 = performance.now();
      const r = await runLoad(`http://127.0.0.1:${ready.port}`, paths, connections, SECONDS);
      const cc = process.cpuUsage(clientCpu);
      const clientShare = (cc.user + cc.system) / 1000 / (performance.now() - t0);
      child.send({ cmd: 'phase-end' });
      const p = await next(child, 'phase');
      last = p;
      console.log(
        `| ${label} | ${connections} | ${fmt(r.rps)} | ${r.p50Ms} | ${r.p99Ms} | ${r.maxMs} | ${r.non2xx + r.errors} | ` +
          `${fmt(p.eldP50)} / ${fmt(p.eldP99)} / ${fmt(p.eldMax)} | ${p.recomputes} | ${fmt(p.stalenessMedianMs / 1000)} / ${fmt(p.stalenessMaxMs / 1000)} | ` +
          `${fmt(p.ingestedPerS)} (${fmt(p.ingestMainMs)}) | ${fmt(p.processCpuShare * 100)} % | ${fmt(clientShare * 100)} % | ${load()} |`,
      );
    }
  }
  console.log('\n| analytic | runs | last ms | failures |\n|---|---|---|---|');
  for (const a of last!.stats) console.log(`| ${a.name} | ${a.runs} | ${a.lastDurationMs} | ${a.failures} |`);
  child.send({ cmd: 'stop' });
  await new Promise((r) => child.once('exit', r));
  if (profDir) console.log(`\nserver CPU profile written to ${profDir}`);
}

await main();
