// A real `meshlens serve` process (bin/meshlens.js) for tests that kill it: its URL once HTTP
// listens, readiness and /api/health reads, SIGKILL and a clean SIGTERM stop.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { until } from '../support/until.js';

export interface ServeProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  /** SIGKILL, and wait for the exit. */
  kill(): Promise<void>;
  /** SIGTERM, and wait for the exit; returns the exit code. */
  stop(): Promise<number | null>;
}

/** Writes `config` as JSON into `dir` and returns its path. */
export function writeConfig(dir: string, name: string, config: Record<string, unknown>): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(config));
  return path;
}

export async function spawnServe(configPath: string): Promise<ServeProcess> {
  const child = spawn(process.execPath, ['bin/meshlens.js', 'serve', '--config', configPath], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (out += String(d)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await until(
    () => {
      if (child.exitCode !== null) throw new Error(`meshlens exited ${child.exitCode}: ${out}`);
      return /listening on (http:\/\/\S+)/.exec(out)?.[1];
    },
    { what: 'meshlens to listen', timeoutMs: 20_000, intervalMs: 20 },
  );
  return {
    url,
    child,
    output: () => out,
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** GET `path` as JSON whatever the status (healthz answers 503 with a body). */
export async function getAny<T = any>(url: string, path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(url + path);
  return { status: res.status, body: (await res.json()) as T };
}
