// Start a worker thread from a script URL, compiled (.js) or run under tsx (.ts: tests, benches).
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** The extension of `moduleUrl`'s file: '.ts' under tsx, '.js' compiled. */
export function scriptExt(moduleUrl: string): string {
  return extname(fileURLToPath(moduleUrl));
}

/**
 * Start `url` as a worker. Compiled (.js) it loads directly. As .ts it needs tsx inside the
 * worker: on Node 20 an inherited `--import tsx` does not reach a worker's entry module
 * (ERR_UNKNOWN_FILE_EXTENSION), so an eval'd bootstrap registers tsx's hooks first, then imports
 * the script. The bootstrap gets no inherited execArgv unless the caller passes one.
 */
export function startWorker(url: URL, options: WorkerOptions = {}): Worker {
  if (scriptExt(url.href) !== '.ts') return new Worker(url, options);
  const api = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const entry = JSON.stringify(url.href);
  const boot = `import(${api}).then((tsx) => { tsx.register(); return import(${entry}); });`;
  return new Worker(boot, { execArgv: [], ...options, eval: true });
}
