// Writes dist/build-info.json after `npm run build`: the git commit of the working tree (null
// outside a git checkout) and the build time. The server reads it for /api/health and
// /api/stats (`commit`, `buildTime`); without the file both are null.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

let commit = null;
try {
  commit = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || null;
} catch {
  commit = null;
}
const info = { commit, buildTime: new Date().toISOString() };
writeFileSync(new URL('../dist/build-info.json', import.meta.url), JSON.stringify(info, null, 2) + '\n');
console.log(`build-info: commit ${commit ?? 'unknown'}, ${info.buildTime}`);
