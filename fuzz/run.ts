// `npm run fuzz -- [--seed N] [--count N] [--no-analytics] [--out file.json]`: the bounded fuzz
// run of issue 13 against a real server (fuzz/engine.ts). Prints the seed first (a failure
// reproduces with the same --seed and --count), a per-surface table and the reconciliation;
// failing inputs are saved under fuzz/failures/. Exit 1 when any oracle failed.
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { SURFACES } from './ledger.js';
import { runFuzz } from './engine.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string' },
    count: { type: 'string', default: '1000000' },
    'no-analytics': { type: 'boolean', default: false },
    'max-rss-mb': { type: 'string' },
    out: { type: 'string' },
  },
});
const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
const count = Number(values.count);
if (!Number.isInteger(seed) || !Number.isInteger(count) || count < 1) {
  process.stderr.write('usage: npm run fuzz -- [--seed N] [--count N] [--no-analytics] [--out file.json]\n');
  process.exit(2);
}
const log = (m: string) => process.stderr.write(`[fuzz] ${m}\n`);
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
log(
  `seed ${seed} count ${count} (reproduce: npm run fuzz -- --seed ${seed} --count ${count}); load ${load()}`,
);
const loadBefore = load();
const report = await runFuzz({
  seed,
  count,
  analytics: !values['no-analytics'],
  ...(values['max-rss-mb'] ? { maxRssMb: Number(values['max-rss-mb']) } : {}),
  log,
});
const pad = (s: string | number, n: number) => String(s).padStart(n);
const lines = ['surface        inputs  done at s  slowest ms  outcomes'];
for (const s of SURFACES) {
  const top = Object.entries(report.outcomes[s])
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  lines.push(
    `${s.padEnd(13)}${pad(report.sent[s], 8)}${pad(report.taskSeconds[s] ?? '', 11)}${pad(report.slowestMs[s], 12)}  ${top}`,
  );
}
lines.push('', 'reconciliation:');
for (const c of report.checks)
  lines.push(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: expected ${c.expected}, got ${c.actual}`);
lines.push(
  '',
  `${report.count} inputs in ${report.durationS} s (${report.inputsPerSec}/s); RSS start ${report.rss.startMb} MB, store growth after warm-up ${report.rss.storeGrowthMb} MB, after warm-up ${report.rss.warmMb} MB, peak ${report.rss.peakMb} MB, end ${report.rss.endMb} MB (growth limit ${report.rss.limitGrowthMb} MB)`,
  `JS heap after full GC per 10 %: ${report.rss.heapAfterGcMb?.series.join(' ')} MB (warm-up ${report.rss.heapAfterGcMb?.warm}, end ${report.rss.heapAfterGcMb?.end})`,
  `load average before ${loadBefore}, after ${load()}`,
  `seed ${seed}: ${report.ok ? 'no failures' : `${report.failures.length} failure(s)`}`,
);
for (const f of report.failures)
  lines.push(`  [${f.oracle}] ${f.surface}: ${f.detail.slice(0, 300)}${f.file ? ` (${f.file})` : ''}`);
process.stdout.write(`${lines.join('\n')}\n`);
if (values.out)
  writeFileSync(values.out, JSON.stringify({ ...report, loadBefore, loadAfter: load() }, null, 2));
process.exit(report.ok ? 0 : 1);
