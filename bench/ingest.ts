// Benchmark: sustained ingest through the real server (issue 3): simulator traffic published to
// the embedded aedes broker by a separate publisher process, parsed, queued, decoded, deduped,
// appended to the in-memory store and written to SQLite by the writer thread. Analytics workers
// are off, so the numbers are ingest's alone. Per run: a fresh database, the same messages.
// Reports, as medians over runs: observations/s (new observations + re-deliveries handled per
// second of ingest), the time until SQLite has committed everything, event-loop delay p99/max
// during ingest (perf_hooks.monitorEventLoopDelay) and RSS. Two modes: `max` (the publisher as
// fast as it can: capacity) and `paced` at PACED_RATE messages/s (the issue's target rate).
// Run: npm run bench:ingest [-- messages runs modes], e.g. `-- 100000 3 max,paced`
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startServer } from '../src/server/index.js';
import { loadConfig } from '../src/config/index.js';
import { createSimulator } from '../src/sim/index.js';

const PACED_RATE = 10_000;

if (process.argv[2] === '--publisher')
  await publisher(process.argv[3], process.argv[4], Number(process.argv[5]));
else await main();

/**
 * Child process: publishes the prepared messages at `rate` per second (0 = as fast as the socket
 * drains). PUBLISH packets (QoS 0) are encoded once up front and written raw to the broker's TCP
 * socket: an mqtt.js client topped out near 3,000 messages/s on this machine, which measured the
 * publisher instead of the server.
 */
async function publisher(url: string, file: string, rate: number): Promise<void> {
  const messages = JSON.parse(readFileSync(file, 'utf8')) as [string, string][];
  const frames = messages.map(([topic, payload]) => publishPacket(topic, payload));
  const { hostname, port } = new URL(url);
  const socket = createConnection({ host: hostname, port: Number(port) });
  await new Promise((r) => socket.once('connect', r));
  const id = Buffer.from(`bench-${process.pid}`);
  const body = Buffer.concat([
    Buffer.from([0, 4]),
    Buffer.from('MQTT'),
    Buffer.from([4, 2, 0, 60, 0, id.length]),
    id,
  ]);
  socket.write(Buffer.concat([Buffer.from([0x10]), varint(body.length), body]));
  await new Promise((r) => socket.once('data', r)); // CONNACK
  const start = performance.now();
  const slice = 200;
  for (let i = 0; i < frames.length; i += slice) {
    const ok = socket.write(Buffer.concat(frames.slice(i, i + slice)));
    if (rate > 0) {
      const wait = start + ((i + slice) / rate) * 1000 - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    } else if (!ok) await new Promise((r) => socket.once('drain', r));
  }
  socket.end(Buffer.from([0xe0, 0])); // DISCONNECT
  await new Promise((r) => socket.once('close', r));
  if (process.env.BENCH_DEBUG)
    console.log(`publisher: ${messages.length} in ${(performance.now() - start).toFixed(0)} ms`);
}

function varint(n: number): Buffer {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return Buffer.from(out);
}

function publishPacket(topic: string, payload: string): Buffer {
  const t = Buffer.from(topic);
  const p = Buffer.from(payload);
  const rest = Buffer.concat([Buffer.from([t.length >> 8, t.length & 0xff]), t, p]);
  return Buffer.concat([Buffer.from([0x30]), varint(rest.length), rest]);
}

interface Run {
  obsPerSec: number;
  msgPerSec: number;
  toSqliteSec: number;
  loopP99Ms: number;
  loopMaxMs: number;
  rssMB: number;
  /** CPU time per message: the main thread alone, and the whole process (+ writer worker). */
  mainCpuUs: number;
  procCpuUs: number;
  maxSliceMs: number;
  meanPacketUs: number;
  dropped: number;
  rejected: number;
}

async function main(): Promise<void> {
  const total = Number(process.argv[2] ?? 100_000);
  const runs = Number(process.argv[3] ?? 3);
  const modes = (process.argv[4] ?? 'max,paced').split(',');
  const dir = mkdtempSync(join(tmpdir(), 'meshlens-bench-ingest-'));
  const file = join(dir, 'messages.json');
  const sim = createSimulator('small', { seed: 42 });
  const messages: [string, string][] = [];
  for (let m = sim.next(); m && messages.length < total; m = sim.next())
    messages.push([m.topic, JSON.stringify(m.payload)]);
  writeFileSync(file, JSON.stringify(messages));
  const packets = messages.filter(([t]) => t.endsWith('/packets')).length;
  console.log(
    `bench:ingest  ${messages.length} simulator messages (${packets} packets), ${runs} runs per mode; ` +
      `node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? '?'}`,
  );
  try {
    for (const mode of modes) {
      const results: Run[] = [];
      for (let r = 0; r < runs; r++)
        results.push(await runOnce(dir, file, messages.length, mode === 'paced' ? PACED_RATE : 0, r));
      const med = (k: keyof Run) => median(results.map((x) => x[k]));
      console.log(
        `${mode.padEnd(6)} obs/s ${fmt(med('obsPerSec'))} (runs: ${results.map((x) => fmt(x.obsPerSec)).join(', ')}), ` +
          `msg/s ${fmt(med('msgPerSec'))}, all committed to SQLite after ${med('toSqliteSec').toFixed(2)} s, ` +
          `loop p99 ${med('loopP99Ms').toFixed(1)} ms (max ${med('loopMaxMs').toFixed(1)}), ` +
          `longest ingest slice ${med('maxSliceMs').toFixed(1)} ms, ${med('meanPacketUs').toFixed(1)} us/packet, ` +
          `CPU/msg main ${med('mainCpuUs').toFixed(0)} us, process ${med('procCpuUs').toFixed(0)} us, ` +
          `RSS ${med('rssMB').toFixed(0)} MB, dropped ${med('dropped')}, rejected ${med('rejected')}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runOnce(dir: string, file: string, count: number, rate: number, r: number): Promise<Run> {
  const cfgPath = join(dir, `config-${rate}-${r}.json`);
  writeFileSync(
    cfgPath,
    JSON.stringify({
      host: '127.0.0.1',
      port: 0,
      broker: { port: 0 },
      dbPath: join(dir, `run-${rate}-${r}.db`),
    }),
  );
  const server = await startServer(loadConfig({ path: cfgPath, env: {} }).config, { analytics: false });
  await server.loaded;
  const source = server.sources[0];
  while (!source.connected) await new Promise((res) => setTimeout(res, 20));
  await new Promise((res) => setTimeout(res, 200));
  const loop = monitorEventLoopDelay({ resolution: 1 });
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'bench/ingest.ts', '--publisher', server.brokerUrl!, file, String(rate)],
    { stdio: 'inherit' },
  );
  const childExit = new Promise((res) => child.once('exit', res));
  const q = () => server.pipeline.queue.stats();
  const handled = () =>
    q().consumed + q().dropped + server.rejections.total - server.pipeline.stats().rejected;
  // The clock starts at the first message in, and stops when every message is handled.
  while (q().enqueued === 0) await new Promise((res) => setTimeout(res, 1));
  const t0 = performance.now();
  const main0 = mainThreadCpuMs();
  const threads0 = threadCpuMs();
  const proc0 = process.cpuUsage();
  loop.enable();
  while (handled() < count) {
    await new Promise((res) => setTimeout(res, 5));
    if (process.env.BENCH_DEBUG) console.log(handled(), JSON.stringify(server.pipeline.stats()));
  }
  await server.pipeline.idle();
  const ingestSec = (performance.now() - t0) / 1000;
  const mainCpuMs = mainThreadCpuMs() - main0;
  if (process.env.BENCH_THREADS) {
    const t1 = threadCpuMs();
    const rows = [...t1].map(([tid, v]) => [tid, v.name, v.ms - (threads0.get(tid)?.ms ?? 0)] as const);
    rows.sort((a, b) => b[2] - a[2]);
    console.log(
      `  thread CPU us/msg: ${rows
        .slice(0, 6)
        .map(
          ([tid, name, ms]) =>
            `${tid === process.pid ? 'main' : `${name}#${tid}`} ${((ms * 1000) / count).toFixed(0)}`,
        )
        .join(', ')}`,
    );
  }
  const proc = process.cpuUsage(proc0);
  loop.disable();
  await server.writer.flush();
  const toSqliteSec = (performance.now() - t0) / 1000;
  const rssMB = process.memoryUsage().rss / 1048576;
  const s = server.pipeline.stats();
  await childExit;
  await server.stop();
  return {
    obsPerSec: (s.observationsNew + s.redeliveries) / ingestSec,
    msgPerSec: count / ingestSec,
    toSqliteSec,
    loopP99Ms: loop.percentile(99) / 1e6,
    loopMaxMs: loop.max / 1e6,
    rssMB,
    mainCpuUs: (mainCpuMs * 1000) / count,
    procCpuUs: (proc.user + proc.system) / count,
    maxSliceMs: s.queue.maxSliceMs,
    meanPacketUs: s.meanPacketUs,
    dropped: s.queue.dropped,
    rejected: s.rejected,
  };
}

/**
 * CPU time of the main thread alone (Linux /proc, 10 ms ticks): unlike wall-clock rates it does
 * not move with what else the shared machine runs. NaN elsewhere.
 */
function mainThreadCpuMs(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return NaN;
  }
}

/** CPU ms of every thread of this process by thread id (BENCH_THREADS=1 prints the top ones). */
function threadCpuMs(): Map<number, { name: string; ms: number }> {
  const out = new Map<number, { name: string; ms: number }>();
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(tid), { name, ms: (Number(f[11]) + Number(f[12])) * 10 });
    }
  } catch {
    // not Linux: no per-thread breakdown
  }
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
