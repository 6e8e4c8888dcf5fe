// A meshlens server under test: `node bin/meshlens.js serve` (compiled JS after `npm run build`)
// as a child process on free ports, with its own config, its startup timeline and its RSS, and
// a resettable event-loop delay window of its main thread (loop-probe.mjs, preloaded).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KNOWN_HASHTAGS } from '../../src/sim/channels.js';
import { sleep, waitFor } from './stats.js';

export const BENCH_API_KEY = 'bench-api-key-0123456789';

export interface ServerStartup {
  /** Spawn to the first HTTP answer (any status), ms. */
  listenMs: number | null;
  /** Spawn to the "store loaded" log line, ms. */
  storeLoadedMs: number | null;
  /** Spawn to /api/healthz 200, ms. */
  readyMs: number | null;
  /** Spawn to every analytic's first snapshot (none warming up in /api/perf), ms. */
  analyticsReadyMs: number | null;
  /** The server's own figure from its log ("store loaded in N ms"). */
  loadReportedMs: number | null;
  rssMbAfterLoad: number | null;
}

/** Event-loop delay of the server's main thread over one window (loop-probe.mjs). */
export interface LoopWindow {
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
}

const LOOP_PROBE = fileURLToPath(new URL('loop-probe.mjs', import.meta.url));

export interface BenchServer {
  url: string;
  brokerUrl: string;
  pid: number;
  startup: ServerStartup;
  logs: string[];
  get<T = unknown>(path: string): Promise<{ status: number; body: T; headers: Headers }>;
  rssMb(): number | null;
  /**
   * The event-loop delay since the last reset (or since start), then resets the window when
   * `reset` (default true); null if the probe does not answer within 2 s.
   */
  loopWindow(reset?: boolean): Promise<LoopWindow | null>;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** VmRSS of a process in MB, from /proc (Linux). */
export function procRssMb(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

export interface StartOptions {
  root: string;
  dbPath: string;
  tmpDir: string;
  /** Extra config merged over the bench defaults (e.g. analytics intervals). */
  config?: Record<string, unknown>;
  timeoutMs: number;
  /** Wait for the analytics' first snapshots too. */
  waitAnalytics?: boolean;
}

export async function startServer(o: StartOptions): Promise<BenchServer> {
  const port = await freePort();
  const brokerPort = await freePort();
  const configPath = join(o.tmpDir, `config-${port}.json`);
  writeFileSync(
    configPath,
    JSON.stringify({
      host: '127.0.0.1',
      apiKey: BENCH_API_KEY,
      broker: { enabled: true, host: '127.0.0.1', port: brokerPort },
      hashChannels: KNOWN_HASHTAGS,
      // Datasets are simulated history (weeks old by now): retention would age their nodes and
      // observers out at the first pass, and every node route would be measured on an empty
      // directory. Benchmarks measure the data as generated.
      retention: {
        nodeDays: 0,
        observerDays: 0,
        packetDays: 0,
        metricsDays: 0,
        clientRxDays: 0,
        observerNoPacketHours: 0,
      },
      // Bench clients all come from loopback but stand for many users: the per-IP rate limit of
      // the heavy routes (issue 13) would measure the limiter. The concurrency gate stays on.
      http: { rateLimit: { max: 0 } },
      ...o.config,
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const t0 = performance.now();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      // e.g. MESHLENS_BENCH_SERVER_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile it.
      ...(process.env.MESHLENS_BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean),
      '--import',
      LOOP_PROBE,
      'bin/meshlens.js',
      'serve',
      '--db',
      o.dbPath,
      '--port',
      String(port),
      '--config',
      configPath,
    ],
    { cwd: o.root, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] },
  );
  const logs: string[] = [];
  const startup: ServerStartup = {
    listenMs: null,
    storeLoadedMs: null,
    readyMs: null,
    analyticsReadyMs: null,
    loadReportedMs: null,
    rssMbAfterLoad: null,
  };
  const onLine = (line: string) => {
    logs.push(line);
    const m = /store loaded in (\d+) ms/.exec(line);
    if (m && startup.storeLoadedMs === null) {
      startup.storeLoadedMs = performance.now() - t0;
      startup.loadReportedMs = Number(m[1]);
    }
  };
  for (const stream of [child.stdout!, child.stderr!]) {
    let buf = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      buf += chunk;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        onLine(buf.slice(0, i));
        buf = buf.slice(i + 1);
      }
    });
  }
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );

  const get = async <T>(path: string) => {
    const res = await fetch(url + path, { headers: { 'accept-encoding': 'identity' } });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: body as T, headers: res.headers };
  };
  let loopRequest = 0;
  const loopWindow = (reset = true) =>
    new Promise<LoopWindow | null>((resolve) => {
      if (exited || !child.connected) return resolve(null);
      const id = ++loopRequest;
      let timer: NodeJS.Timeout | undefined;
      const done = (v: LoopWindow | null) => {
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve(v);
      };
      const onMessage = (m: unknown) => {
        const w = m as (LoopWindow & { type?: string; id?: number }) | null;
        if (w?.type !== 'meshlens-bench-loop' || w.id !== id) return;
        done({ samples: w.samples, p50Ms: w.p50Ms, p99Ms: w.p99Ms, maxMs: w.maxMs, meanMs: w.meanMs });
      };
      timer = setTimeout(() => done(null), 2000);
      child.on('message', onMessage);
      child.send({ type: 'meshlens-bench-loop', id, reset }, (err) => {
        if (err) done(null);
      });
    });
  const stop = async () => {
    if (!exited) child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exit;
    clearTimeout(killer);
  };

  const failIfExited = () => {
    if (exited) throw new Error(`server exited during startup:\n${logs.slice(-20).join('\n')}`);
  };
  const listened = await waitFor(
    async () => {
      failIfExited();
      await get('/api/healthz');
      return performance.now() - t0;
    },
    o.timeoutMs,
    10,
  );
  startup.listenMs = listened;
  const ready = await waitFor(
    async () => {
      failIfExited();
      const r = await get('/api/healthz');
      return r.status === 200 ? performance.now() - t0 : null;
    },
    o.timeoutMs,
    50,
  );
  startup.readyMs = ready;
  if (ready === null) {
    await stop();
    throw new Error(`server not ready within ${o.timeoutMs} ms:\n${logs.slice(-20).join('\n')}`);
  }
  startup.rssMbAfterLoad = procRssMb(child.pid!);
  if (o.waitAnalytics) {
    startup.analyticsReadyMs = await waitFor(
      async () => {
        const r = await get<{ analytics?: { analytics?: { warmingUp: boolean }[] } }>('/api/perf');
        const list = r.body.analytics?.analytics;
        return list && list.length > 0 && list.every((a) => !a.warmingUp) ? performance.now() - t0 : null;
      },
      o.timeoutMs,
      100,
    );
  }
  await sleep(0);
  return {
    url,
    brokerUrl: `mqtt://127.0.0.1:${brokerPort}`,
    pid: child.pid!,
    startup,
    logs,
    get,
    rssMb: () => procRssMb(child.pid!),
    loopWindow,
    stop,
  };
}
