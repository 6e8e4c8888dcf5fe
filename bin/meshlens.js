#!/usr/bin/env node
// Entry point of the `meshlens` command: runs the compiled CLI (npm run build) when it is at
// least as new as every source file, else the TypeScript sources through tsx, so a stale build
// in a development checkout never runs old code.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = join(root, 'dist/cli/main.js');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

const src = join(root, 'src');
const useBuild = existsSync(built) && (!existsSync(src) || statSync(built).mtimeMs >= newestMtime(src));
let cli;
if (useBuild) {
  cli = await import(pathToFileURL(built).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import(pathToFileURL(join(src, 'cli/main.ts')).href);
}
process.exitCode = await cli.main(process.argv.slice(2));
