// The server under fuzz: a real meshlens (startServer, as `meshlens serve` runs it) in this
// process, on a fresh SQLite file in a temp directory, HTTP and the embedded broker on free
// ports, an API key so the write routes run their handlers. In-process so that the direct
// surface can call the same parse and pipeline functions the ingest worker and POST use.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type MeshlensConfig } from '../src/config/index.js';
import { startServer, type RunningServer } from '../src/server/index.js';

export const FUZZ_API_KEY = 'fuzz-api-key-4d1c9e7a';

export interface Target {
  server: RunningServer;
  dir: string;
  dbPath: string;
  config: Readonly<MeshlensConfig>;
  /** Lines the server logged at level 'error' (each is a finding). */
  errors: string[];
  stop(): Promise<void>;
}

export async function startTarget(opts: { analytics: boolean; keepDir?: boolean }): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), 'meshlens-fuzz-'));
  const dbPath = join(dir, 'meshcore.db');
  const path = join(dir, 'config.json');
  writeFileSync(
    path,
    JSON.stringify({
      host: '127.0.0.1',
      port: 0,
      broker: { port: 0 },
      dbPath,
      apiKey: FUZZ_API_KEY,
      // Fastify's request log would print every refused input (a 5xx is caught by status).
      logLevel: 'fatal',
    }),
  );
  const config = loadConfig({ path, env: {} }).config;
  // A tiny built UI of its own, so the static routes serve files whether or not web/dist is built.
  const webRoot = join(dir, 'web');
  mkdirSync(join(webRoot, 'assets'), { recursive: true });
  writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>fuzz</title>');
  writeFileSync(join(webRoot, 'assets', 'app.js'), 'void 0;');
  const errors: string[] = [];
  const server = await startServer(config, {
    analytics: opts.analytics,
    webRoot,
    log: (level, message) => {
      if (level === 'error') errors.push(message.slice(0, 2000));
    },
  });
  await server.loaded;
  await Promise.all(server.sources.map((s) => s.start()));
  return {
    server,
    dir,
    dbPath,
    config,
    errors,
    async stop() {
      await server.stop();
      if (!opts.keepDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
