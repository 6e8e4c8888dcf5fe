// Builds the web UI (web/ -> web/dist) with Vite when it is missing or older than its sources,
// so `npm start` and `npm test` always serve the current UI without rebuilding needlessly.
// `--force` rebuilds anyway.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const inputs = ['web/src', 'web/public', 'web/index.html', 'web/vite.config.ts', 'src/api/contract.ts', 'src/protocol', 'package-lock.json'];

function files(p) {
  const abs = join(root, p);
  if (!existsSync(abs)) return [];
  if (!statSync(abs).isDirectory()) return [p];
  return readdirSync(abs).flatMap((n) => files(join(p, n)));
}

// A digest of every input's path and bytes: timestamps lie after a git checkout.
const h = createHash('sha256');
for (const f of inputs.flatMap(files).sort()) h.update(f).update(readFileSync(join(root, f)));
const digest = h.digest('hex');
const stamp = join(root, 'web/dist/.build-digest');
const fresh = existsSync(stamp) && readFileSync(stamp, 'utf8') === digest && existsSync(join(root, 'web/dist/index.html'));
if (fresh && !process.argv.includes('--force')) process.exit(0);

const r = spawnSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
  cwd: join(root, 'web'),
  stdio: 'inherit',
  env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
});
if (r.status !== 0) process.exit(r.status ?? 1);
writeFileSync(stamp, digest);
console.log('build-web: web/dist rebuilt');
