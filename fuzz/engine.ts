// The fuzz engine (issue 13 acceptance: "a bounded fuzz run of >= 1,000,000 generated and
// mutated inputs"): starts a real server, drives every input surface at once (direct observer
// messages, MQTT through the embedded broker, POST /api/packets, the other write routes, GET
// query strings of every listed route, WebSocket messages), and checks the oracles: no crash,
// no hang (a time bound per input), no 5xx, bounded memory, and every input accounted for
// (reconcile.ts compares the ledger with /api/health and the stored rows).
import { setImmediate as yieldTurn } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { buildCorpus, type Corpus } from './corpus.js';
import { Ledger, perSurface, SURFACES, type Surface } from './ledger.js';
import { reconcile, type Check } from './reconcile.js';
import { Rng } from './rng.js';
import { FUZZ_API_KEY, startTarget, type Target } from './target.js';
import * as http from './surfaces/http.js';
import { MqttPublisher, publishableTopic } from './surfaces/mqtt.js';
import { rawMqttInput, sendRaw } from './surfaces/mqtt-raw.js';
import {
  describeObserverInput,
  ingestDirect,
  minimiseObserverInput,
  observerInput,
  predictParse,
} from './surfaces/observer.js';
import { WsClient, wsInput } from './surfaces/ws.js';

export interface FuzzOptions {
  seed: number;
  count: number;
  /** Share of the inputs per surface (the direct surface takes the rest). */
  shares?: Partial<Record<Exclude<Surface, 'direct'>, number>>;
  /** Analytics workers on (their routes are fuzzed too); default true. */
  analytics?: boolean;
  /** Peak RSS limit, MB (default 2048). */
  maxRssMb?: number;
  /** RSS growth allowed after warm-up beyond the stored rows' share, MB (default 256). */
  maxGrowthMb?: number;
  /** Where failing inputs are saved (default fuzz/failures). */
  failuresDir?: string;
  log?: (m: string) => void;
}

export interface FuzzReport {
  seed: number;
  count: number;
  ok: boolean;
  durationS: number;
  inputsPerSec: number;
  sent: Record<Surface, number>;
  outcomes: Record<Surface, Record<string, number>>;
  /** Seconds from the start until each surface's last input was answered. */
  taskSeconds: Partial<Record<Surface, number>>;
  slowestMs: Record<Surface, number>;
  checks: Check[];
  rss: {
    /** JS heap after a full collection at warm-up, at the end, per 10 % (--expose-gc only). */
    heapAfterGcMb: { warm: number; end: number; series: number[] } | null;
    /** Growth of the memory store's own accounting after warm-up (legitimate growth). */
    storeGrowthMb: number;
    startMb: number;
    warmMb: number;
    peakMb: number;
    endMb: number;
    limitGrowthMb: number;
    series: number[];
  };
  failures: Ledger['failures'];
  failureFiles: string[];
  serverErrors: string[];
}

export const DEFAULT_SHARES = {
  mqtt: 0.05,
  'mqtt-raw': 0.002,
  'post-packets': 0.04,
  'post-other': 0.01,
  get: 0.04,
  ws: 0.01,
};
/** Per-input time bounds, ms. */
const BOUND = { direct: 1000, http: 15_000, ws: 5000 };

interface Run {
  o: FuzzOptions;
  t: Target;
  corpus: Corpus;
  ledger: Ledger;
  counts: Record<Surface, number>;
  base: string;
  routes: http.RouteSpec[];
  /** Set on a crash: every task stops. */
  stopped: boolean;
}

export async function runFuzz(o: FuzzOptions): Promise<FuzzReport> {
  const log = o.log ?? (() => undefined);
  const ledger = new Ledger();
  const crash = (err: unknown) => {
    ledger.fail({
      oracle: 'crash',
      surface: 'server',
      detail: String((err as Error)?.stack ?? err).slice(0, 2000),
    });
    if (run) run.stopped = true;
  };
  let run: Run | null = null;
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  let startupCrash: (err: unknown) => void = () => undefined;
  const crashed = new Promise<never>((_, reject) => (startupCrash = reject));
  const onStartupCrash = (err: unknown) => startupCrash(err);
  process.on('uncaughtException', onStartupCrash);
  // A server that dies while starting fails the run at once instead of hanging it.
  const t = await Promise.race([startTarget({ analytics: o.analytics ?? true }), crashed]).finally(() =>
    process.off('uncaughtException', onStartupCrash),
  );
  try {
    const spec = (await (await fetch(`${t.server.url}/api/spec`)).json()) as Parameters<
      typeof http.routesOf
    >[0];
    run = {
      o,
      t,
      corpus: buildCorpus(o.seed),
      ledger,
      counts: splitCounts(o),
      base: t.server.url,
      routes: http.routesOf(spec),
      stopped: false,
    };
    log(`seed ${o.seed}, ${o.count} inputs: ${JSON.stringify(run.counts)}; ${run.routes.length} routes`);
    const before = await health(run.base);
    const { durationS, taskS, mem } = await runSurfaces(run, before, log);
    await t.server.pipeline.idle();
    await t.server.writer.flush();
    return await finish(run, before, mem, durationS, taskS);
  } finally {
    process.off('uncaughtException', crash);
    process.off('unhandledRejection', crash);
    await t.stop();
  }
}

/** Every surface at once; resolves when each has sent its share. */
async function runSurfaces(run: Run, before: Record<string, any>, log: (m: string) => void) {
  const mem = new RssSampler();
  const started = performance.now();
  const progress = startProgress(run, mem, log);
  const taskS: Partial<Record<Surface, number>> = {};
  const timed = async (surface: Surface, task: Promise<void>) => {
    await task;
    taskS[surface] = Math.round((performance.now() - started) / 100) / 10;
  };
  await Promise.all([
    timed('direct', directTask(run)),
    timed('mqtt', mqttTask(run, before)),
    timed('mqtt-raw', mqttRawTask(run)),
    timed('get', getTask(run)),
    timed('post-packets', postTask(run, 'post-packets')),
    timed('post-other', postTask(run, 'post-other')),
    timed('ws', wsTask(run)),
  ]);
  clearInterval(progress);
  return { durationS: (performance.now() - started) / 1000, taskS, mem };
}

/** The oracles that need the end state (accounting, memory, server errors), then the report. */
async function finish(
  run: Run,
  before: Record<string, any>,
  mem: RssSampler,
  durationS: number,
  taskS: Partial<Record<Surface, number>>,
): Promise<FuzzReport> {
  const { ledger, t, o } = run;
  const after = await health(run.base);
  const checks = reconcile(ledger, before, after, t.dbPath);
  const rss = mem.finish(run, ledger.sent, o);
  for (const c of checks)
    if (!c.ok)
      ledger.fail({
        oracle: 'unaccounted',
        surface: 'server',
        detail: `${c.name}: expected ${c.expected}, got ${c.actual}`,
      });
  for (const e of t.errors.slice(0, 20))
    ledger.fail({ oracle: 'server-error', surface: 'server', detail: e });
  const failureFiles = ledger.save(o.failuresDir ?? 'fuzz/failures', o.seed);
  return {
    seed: o.seed,
    count: o.count,
    ok: ledger.failures.length === 0,
    durationS: Math.round(durationS * 10) / 10,
    inputsPerSec: Math.round(ledger.total / durationS),
    sent: ledger.sent,
    outcomes: ledger.outcomes,
    taskSeconds: taskS,
    slowestMs: Object.fromEntries(SURFACES.map((s) => [s, Math.round(ledger.slowestMs[s])])) as Record<
      Surface,
      number
    >,
    checks,
    rss,
    failures: ledger.failures,
    failureFiles,
    serverErrors: t.errors.slice(0, 20),
  };
}

function splitCounts(o: FuzzOptions): Record<Surface, number> {
  const shares = { ...DEFAULT_SHARES, ...o.shares };
  const c = perSurface(() => 0);
  let rest = o.count;
  for (const s of SURFACES.slice(1, -1)) {
    c[s] = Math.round(o.count * (shares[s as keyof typeof shares] ?? 0));
    rest -= c[s];
  }
  c.direct = Math.max(0, rest);
  return c;
}

async function health(base: string): Promise<Record<string, any>> {
  return (await (await fetch(`${base}/api/health`)).json()) as Record<string, any>;
}

/** Observer messages straight into parse + pipeline, synchronously, yielding every 64. */
async function directTask(r: Run): Promise<void> {
  const rng = Rng.derive(r.o.seed, 'direct');
  const pipeline = r.t.server.pipeline;
  for (let i = 0; i < r.counts.direct && !r.stopped; i++) {
    const input = observerInput(rng, r.corpus);
    const t0 = performance.now();
    let outcome: string;
    try {
      outcome = ingestDirect(pipeline, input);
    } catch (err) {
      outcome = 'exception';
      // Each retry is a real input to the server: the ledger counts it (surface `replay`).
      const throws = (x: typeof input) => {
        try {
          r.ledger.note('replay', ingestDirect(pipeline, x));
          return false;
        } catch {
          r.ledger.note('replay', 'exception');
          return true;
        }
      };
      r.ledger.fail({
        oracle: 'crash',
        surface: 'direct',
        detail: String((err as Error).stack ?? err).slice(0, 1500),
        input: describeObserverInput(input),
        minimised: describeObserverInput(minimiseObserverInput(input, throws)),
      });
    }
    const ms = performance.now() - t0;
    if (ms > BOUND.direct)
      r.ledger.fail({
        oracle: 'hang',
        surface: 'direct',
        detail: `${Math.round(ms)} ms`,
        input: describeObserverInput(input),
      });
    r.ledger.note('direct', outcome, ms);
    if ((i & 63) === 63) await yieldTurn();
    if ((i & 4095) === 4095) await writerBackPressure(r);
  }
}

/** Waits while the writer holds a long queue: the direct surface bypasses ingest's own pacing. */
async function writerBackPressure(r: Run): Promise<void> {
  for (let k = 0; k < 500 && r.t.server.writer.stats().queuedOps > 100_000; k++)
    await new Promise((res) => setTimeout(res, 10));
}

/** Observer messages published to the embedded broker; the parse outcome is predicted. */
async function mqttTask(r: Run, before: Record<string, any>): Promise<void> {
  if (r.counts.mqtt === 0) return;
  const rng = Rng.derive(r.o.seed, 'mqtt');
  const pub = await MqttPublisher.connect(r.t.server.brokerUrl!);
  const source = r.t.server.sources[0];
  const delivered = () => {
    const s = source.status();
    return s.packetsTotal + s.rejectedTotal;
  };
  const base = delivered();
  const maxBytes = r.t.config.maxMessageBytes;
  let last: Promise<unknown> = Promise.resolve();
  for (let i = 0; i < r.counts.mqtt && !r.stopped; i++) {
    const raw = observerInput(rng, r.corpus);
    const input = {
      topic: publishableTopic(raw.topic),
      payload: rng.chance(0.01) ? Buffer.alloc(maxBytes + 1 + rng.int(20000), 0x7b) : raw.payload,
    };
    const p = predictParse(input.topic, input.payload, maxBytes);
    r.ledger.note('mqtt', p.kind === 'rejected' ? `rejected:${p.code}` : p.kind);
    last = pub.publish(input);
    if ((i & 63) === 63) {
      await last;
      // Pace to what the server has taken in: a flood here would only measure queue_full.
      for (let k = 0; k < 1000 && base + i - delivered() > 2000; k++)
        await new Promise((res) => setTimeout(res, 5));
    }
  }
  await last;
  const deadline = performance.now() + 30_000;
  while (delivered() - base < r.ledger.sent.mqtt && performance.now() < deadline)
    await new Promise((res) => setTimeout(res, 20));
  await pub.end();
  void before;
}

/** Malformed MQTT on raw connections; the broker must stay up (the MQTT surface checks delivery). */
async function mqttRawTask(r: Run): Promise<void> {
  const rng = Rng.derive(r.o.seed, 'mqtt-raw');
  let i = 0;
  const worker = async () => {
    while (i < r.counts['mqtt-raw'] && !r.stopped) {
      i++;
      const bytes = rawMqttInput(rng);
      const t0 = performance.now();
      const outcome = await sendRaw(r.t.server.brokerUrl!, bytes);
      if (outcome === 'refused')
        r.ledger.fail({
          oracle: 'crash',
          surface: 'mqtt-raw',
          detail: 'the broker refused a connection',
          input: { base64: bytes.toString('base64') },
        });
      r.ledger.note('mqtt-raw', outcome, performance.now() - t0);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
}

/** Keeps `n` requests in flight from `next()` until it returns null. */
async function pool(
  r: Run,
  n: number,
  surface: Surface,
  next: (i: number) => http.HttpInput | Promise<http.HttpInput> | null,
): Promise<void> {
  let i = 0;
  const worker = async () => {
    for (;;) {
      if (r.stopped || i >= r.counts[surface]) return;
      const req = await next(i++);
      if (!req) return;
      try {
        http.account(r.ledger, surface, req, await http.send(r.base, req, BOUND.http));
      } catch (err) {
        const timeout = (err as Error).name === 'TimeoutError';
        r.ledger.fail({
          oracle: timeout ? 'hang' : 'no-reason',
          surface,
          detail: `${req.method} ${req.url.slice(0, 200)}: ${timeout ? `no answer in ${BOUND.http} ms` : String((err as Error).cause ?? err)}`,
          input: http.describeHttpInput(req),
        });
        r.ledger.note(surface, timeout ? 'hang' : 'network-error');
      }
    }
  };
  await Promise.all(Array.from({ length: n }, worker));
}

async function getTask(r: Run): Promise<void> {
  const rng = Rng.derive(r.o.seed, 'get');
  const gets = [
    ...r.routes.filter((x) => x.method === 'GET' && x.path !== '/api/backup'),
    ...http.HIDDEN_GET_ROUTES,
  ];
  const backup = r.routes.filter((x) => x.path === '/api/backup');
  let samples = await http.fetchSamples(r.base);
  await pool(r, 4, 'get', async (i) => {
    if (i % 500 === 499) samples = await http.fetchSamples(r.base);
    // A backup copies the whole database: one in 5,000.
    return http.getInput(rng, i % 5000 === 4999 && backup.length > 0 ? backup : gets, samples);
  });
}

async function postTask(r: Run, surface: 'post-packets' | 'post-other'): Promise<void> {
  const rng = Rng.derive(r.o.seed, surface);
  const writes = r.routes.filter(
    (x) => x.method !== 'GET' && !(x.method === 'POST' && x.path === '/api/packets'),
  );
  await pool(r, 2, surface, () =>
    surface === 'post-packets'
      ? http.postPacketInput(rng, r.corpus, FUZZ_API_KEY)
      : http.postOtherInput(rng, writes, r.corpus, FUZZ_API_KEY),
  );
}

async function wsTask(r: Run): Promise<void> {
  const url = r.base.replace(/^http/, 'ws') + '/ws';
  let i = 0;
  const client = async (k: number) => {
    const rng = Rng.derive(r.o.seed, `ws-${k}`);
    const c = new WsClient(url);
    try {
      while (!r.stopped && i < r.counts.ws) {
        i++;
        const input = wsInput(rng);
        const t0 = performance.now();
        const outcome = await c.send(input, BOUND.ws).catch((err: Error) => `connect-failed:${err.message}`);
        if (outcome === 'hang' || outcome.startsWith('connect-failed'))
          r.ledger.fail({
            oracle: outcome === 'hang' ? 'hang' : 'no-reason',
            surface: 'ws',
            detail: outcome,
            input: { text: input.data.toString('utf8').slice(0, 2000), binary: input.binary },
          });
        r.ledger.note('ws', outcome, performance.now() - t0);
      }
    } finally {
      c.close();
    }
  };
  await Promise.all([client(0), client(1)]);
}

/** RSS every 250 ms; a point per 10 % of the inputs. */
class RssSampler {
  readonly startMb = mb(process.memoryUsage.rss());
  peakMb = this.startMb;
  readonly series: number[] = [];
  warmMb = 0;
  warmStoreMb = 0;
  readonly #timer = setInterval(
    () => (this.peakMb = Math.max(this.peakMb, mb(process.memoryUsage.rss()))),
    250,
  );

  /** Heap in use after a full collection (when run with --expose-gc), per mark. */
  readonly heapSeries: number[] = [];
  warmHeapMb = 0;

  mark(r: Run, fraction: number): void {
    const heap = gcHeapMb();
    if (heap !== null) this.heapSeries.push(heap);
    const now = mb(process.memoryUsage.rss());
    this.series.push(now);
    if (this.warmMb === 0 && fraction >= 0.2) {
      this.warmMb = now;
      this.warmStoreMb = storeMb(r);
      this.warmHeapMb = heap ?? 0;
    }
  }

  finish(r: Run, _sent: Record<Surface, number>, o: FuzzOptions): FuzzReport['rss'] {
    clearInterval(this.#timer);
    const endMb = mb(process.memoryUsage.rss());
    if (this.warmMb === 0) this.warmMb = this.startMb;
    // The store legitimately grows with what is stored (its own accounting: tables, heaps,
    // interned strings, indexes); the rest of the process must not grow beyond the budget.
    const storeGrowthMb = storeMb(r) - this.warmStoreMb;
    const limitGrowthMb = Math.round((o.maxGrowthMb ?? 256) + Math.max(0, storeGrowthMb));
    const maxRss = o.maxRssMb ?? 2048;
    if (this.peakMb > maxRss)
      r.ledger.fail({
        oracle: 'memory',
        surface: 'server',
        detail: `RSS peak ${this.peakMb} MB > ${maxRss} MB`,
      });
    if (endMb - this.warmMb > limitGrowthMb)
      r.ledger.fail({
        oracle: 'memory',
        surface: 'server',
        detail: `RSS grew ${Math.round(endMb - this.warmMb)} MB after warm-up (limit ${limitGrowthMb} MB)`,
      });
    const endHeap = gcHeapMb();
    // The main thread's JS objects (ingest state, caches, the API's) after a full collection:
    // a per-input leak there shows here first, whatever the allocator does with RSS.
    if (endHeap !== null && endHeap - this.warmHeapMb > HEAP_GROWTH_MB)
      r.ledger.fail({
        oracle: 'memory',
        surface: 'server',
        detail: `JS heap after GC grew ${endHeap - this.warmHeapMb} MB after warm-up (limit ${HEAP_GROWTH_MB} MB)`,
      });
    return {
      heapAfterGcMb:
        endHeap === null ? null : { warm: this.warmHeapMb, end: endHeap, series: this.heapSeries },
      storeGrowthMb: Math.round(storeGrowthMb),
      startMb: this.startMb,
      warmMb: this.warmMb,
      peakMb: this.peakMb,
      endMb,
      limitGrowthMb,
      series: this.series,
    };
  }
}

const mb = (bytes: number) => Math.round(bytes / 1048576);
/**
 * JS heap in use after a full GC, MB. The flag is set at run time (a `--expose-gc` on the
 * command line would be inherited by the server's worker threads, which refuse it).
 */
function gcHeapMb(): number | null {
  if (!collect) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
  return mb(process.memoryUsage().heapUsed);
}
let collect: (() => void) | null = null;
const HEAP_GROWTH_MB = 128;
/** The memory store's own accounting of what it holds, MB. */
const storeMb = (r: Run) => r.t.server.store.memory().totalBytes / 1048576;

function startProgress(r: Run, mem: RssSampler, log: (m: string) => void): NodeJS.Timeout {
  let next = 0.1;
  const t0 = performance.now();
  return setInterval(() => {
    const done = (r.ledger.total - r.ledger.sent.replay) / r.o.count;
    if (done < next) return;
    mem.mark(r, done);
    next = Math.floor(done * 10) / 10 + 0.1;
    log(
      `${Math.round(done * 100)} %: ${r.ledger.total} inputs in ${Math.round((performance.now() - t0) / 1000)} s, RSS ${mem.series.at(-1)} MB, failures ${r.ledger.failures.length}`,
    );
  }, 200);
}
