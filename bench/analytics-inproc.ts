// In-process timing of the nine analytics over the store input at staging scale (no worker, no
// JSON): for profiling (`node --cpu-prof --import tsx bench/analytics-inproc.ts`) and quick
// before/after checks. Run: node --import tsx bench/analytics-inproc.ts [-- --tx N --runs 3]
import { performance } from 'node:perf_hooks';
import { MemoryStore } from '../src/store/memory/memory-store.js';
import { StoreInput } from '../src/analytics/inputs/store-input.js';
import { ANALYTICS, lazyContext } from '../src/analytics/registry.js';
import { DEFAULT_QUERY } from '../src/analytics/shared/query.js';
import { NOW, fill } from './analytics-synth.js';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

const store = new MemoryStore();
fill(store, arg('tx', 78_000), arg('obs-per-tx', 30));
const input = new StoreInput(store.view());
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : null;
for (let run = 0; run < arg('runs', 3); run++) {
  const snap = input.snapshot(NOW);
  const ctx = lazyContext(snap);
  const row: string[] = [];
  let total = 0;
  let totalCpu = 0;
  for (const a of ANALYTICS) {
    if (only && a.name !== only) continue;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const v = a.compute(snap, DEFAULT_QUERY, ctx);
    const ms = performance.now() - t0;
    const c = process.cpuUsage(c0);
    const cpu = (c.user + c.system) / 1000;
    total += ms;
    totalCpu += cpu;
    row.push(
      `${a.name} ${ms.toFixed(0)}/${cpu.toFixed(0)} (${(JSON.stringify(v).length / 1024).toFixed(0)} KiB)`,
    );
  }
  console.log(
    `run ${run}: wall/cpu ms, total ${total.toFixed(0)}/${totalCpu.toFixed(0)} | ${row.join(' | ')}`,
  );
}
