// Runs every test file under test/ with Node's built-in runner through the tsx loader.
// (Node 20's `--test` takes no globs, so the file list is built here.) Files that measure
// latency mark themselves with the line `// meshlens-test: serial`; they run afterwards, one at
// a time, so another test file on the same 2 cores cannot skew their timings.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.test.ts') ? [p] : [];
  });
}

const filter = process.argv.slice(2);
const files = walk('test')
  .filter((f) => filter.length === 0 || filter.some((s) => f.includes(s)))
  .sort();
const serial = files.filter((f) => readFileSync(f, 'utf8').includes('// meshlens-test: serial'));
const parallel = files.filter((f) => !serial.includes(f));

function run(list, concurrency) {
  if (list.length === 0) return 0;
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--import',
      './test/support/hang-report.mjs',
      '--test',
      `--test-concurrency=${concurrency}`,
      '--test-timeout=180000',
      ...list,
    ],
    { stdio: 'inherit' },
  );
  return r.status ?? 1;
}

const a = run(parallel, 2);
const b = run(serial, 1);
process.exit(a || b);
