// `npm run bench:soak` (issue 13 acceptance; not in CI): a real server at staging scale under
// 64 API clients (every GET route of the reference list, weighted towards the heavy ones:
// /api/packets with big limits, the analytics, node pages) and MQTT traffic through the
// embedded broker at a fixed rate, for minutes. Reported: request errors by status, messages
// lost (published - received, queue drops, writer drops), the server's event-loop delay
// (loop-probe, main thread), RSS over time and its growth after warm-up (medians of a minute,
// and net of the store's own growth: the data ingested meanwhile is not a leak).
//   --profile load   5 min, 2,000 msg/s, 64 clients (targets: 0 errors, loop p99 <= 50 ms)
//   --profile long  30 min,   200 msg/s, 64 clients (target: RSS growth <= 5 % after warm-up)
// Options: --minutes N, --rate N, --clients N, --warmup-minutes N, --scale staging|small|fixture,
// --mix ui|bulk (the big list pages in the mix: the web UI's own, or 5-22 MB pages only),
// --seed N, --server-config '{json}' (merged into the server's config), --force (run even
// when the load average is over 1.5: the figures would be the other processes' too).
// Writes bench/results/<stamp>-soak-<profile>.{json,md}.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ANALYTICS } from '../src/analytics/registry.js';
import { prepareDataset } from './lib/dataset-cache.js';
import { startPacedPublisher } from './lib/paced-publisher.js';
import { encodePublishes, prepareMessages } from './lib/publisher.js';
import { planRoutes, sampleValues } from './lib/route-list.js';
import { BENCH_API_KEY, startServer, type BenchServer } from './lib/server.js';
import { round, sleep, waitFor } from './lib/stats.js';

const PROFILES = {
  load: { minutes: 5, rate: 2000, warmup: 1 },
  long: { minutes: 30, rate: 200, warmup: 5 },
} as const;
/**
 * The big list pages of the mix. `ui`: what the web UI asks for (packets pages of 200, the map's
 * node pages of 500, a packet's observations, the compare page's 10k); `bulk`: 5-22 MB pages
 * only, every one of them (an abuse-level load the heavy gate sheds with 503 by design).
 */
const HEAVY_LISTS = {
  ui: [
    '/api/packets?limit=200',
    '/api/packets?limit=200&offset=200',
    '/api/packets?limit=200&type=ADVERT',
    '/api/nodes?limit=500',
    '/api/nodes?limit=500&offset=500',
    '/api/packets?limit=50&expand=observations',
    '/api/packets?limit=10000',
  ],
  bulk: [
    '/api/packets?limit=10000',
    '/api/packets?limit=2000&expand=observations',
    '/api/packets?limit=5000&type=ADVERT',
    '/api/nodes?limit=2000',
  ],
} as const;
const LOOP_P99_TARGET_MS = 50;
const RSS_GROWTH_TARGET_PCT = 5;
const MAX_LOAD = 1.5;

const { values } = parseArgs({
  options: {
    profile: { type: 'string', default: 'load' },
    minutes: { type: 'string' },
    rate: { type: 'string' },
    clients: { type: 'string', default: '64' },
    'warmup-minutes': { type: 'string' },
    scale: { type: 'string', default: 'staging' },
    seed: { type: 'string', default: '1' },
    'server-config': { type: 'string', default: '{}' },
    'sample-seconds': { type: 'string', default: '10' },
    force: { type: 'boolean', default: false },
    mix: { type: 'string', default: 'ui' },
  },
});
const profileName = values.profile as keyof typeof PROFILES;
if (!(profileName in PROFILES)) throw new Error(`--profile must be load or long, not ${values.profile}`);
const profile = PROFILES[profileName];
const minutes = Number(values.minutes ?? profile.minutes);
const rate = Number(values.rate ?? profile.rate);
const clients = Number(values.clients);
const warmupMin = Math.min(Number(values['warmup-minutes'] ?? profile.warmup), minutes / 2);
const sampleS = Number(values['sample-seconds']);
const mix = values.mix as keyof typeof HEAVY_LISTS;
if (!(mix in HEAVY_LISTS)) throw new Error(`--mix must be ui or bulk, not ${values.mix}`);
const seed = Number(values.seed);
const root = process.cwd();
const log = (m: string) => process.stderr.write(`[soak] ${m}\n`);
const uptime = () => execFileSync('uptime', { encoding: 'utf8' }).trim();

interface Sample {
  tS: number;
  rssMb: number | null;
  /** Event-loop delay of the server's main thread since the load started (cumulative). */
  loopP99Ms: number | null;
  loopMaxMs: number | null;
  published: number;
  received: number;
  queueDepth: number;
  writerQueuedOps: number;
  /** The store's own estimate of its memory (columns, heaps, indexes), MB. */
  storeMb: number | null;
  observations: number | null;
}

interface HealthBody {
  packetStore?: { observations: number; estimatedMB: number };
  ingest?: { packets: number; statuses: number; queue: { dropped: number; depth: number } };
  rejections?: { total: number };
  writer?: { queuedOps: number; droppedOps: number; failed: boolean; writeErrors: number };
  mqtt?: { sources: { packetsTotal: number; rejectedTotal: number }[] };
}

/** URLs left out of the mix after the preflight, with the status they answered. */
const excluded: { path: string; status: number }[] = [];

const received = (h: HealthBody) =>
  (h.mqtt?.sources[0]?.packetsTotal ?? 0) + (h.mqtt?.sources[0]?.rejectedTotal ?? 0);

/** The API mix: every planned GET route (a few URLs each), heavy ones repeated to ~1/3 of requests. */
async function apiPaths(server: BenchServer): Promise<string[]> {
  const samples = await sampleValues(server.get, 20);
  const spec = await server.get<{ paths?: Record<string, object> }>('/api/spec');
  const plan = planRoutes(spec.body, samples);
  const light = plan.planned.flatMap((r) => r.paths.slice(0, 3));
  const pk = samples.pubkeys;
  const heavy = [
    ...HEAVY_LISTS[mix],
    ...ANALYTICS.map((a) => `/api${a.path}`),
    ...pk
      .slice(0, 10)
      .flatMap((k) => [
        `/api/nodes/${k}`,
        `/api/nodes/${k}/health`,
        `/api/nodes/${k}/analytics?days=7`,
        `/api/nodes/${k}/paths`,
      ]),
  ];
  // Preflight: each URL once; one that does not answer 2xx before the load (a node without
  // paths, a disabled feature) is left out and listed, so that any non-2xx under load is an error.
  const ok = new Set<string>();
  for (const p of new Set([...light, ...heavy])) {
    const r = await fetch(server.url + p, { headers: { 'x-api-key': BENCH_API_KEY } })
      .then(async (res) => (await res.arrayBuffer(), res))
      .catch(() => ({ status: 0 }));
    if (r.status >= 200 && r.status < 300) ok.add(p);
    else excluded.push({ path: p, status: r.status });
  }
  const usable = (xs: string[]) => xs.filter((p) => ok.has(p));
  const out = usable(light);
  const heavyOk = usable(heavy);
  for (let i = 0; heavyOk.length > 0 && out.length < usable(light).length * 1.5; i++)
    out.push(heavyOk[i % heavyOk.length]);
  // Interleave so that heavy requests are spread over the run, not bunched at the end.
  return out
    .map((p, i) => ({ p, k: (i * 7919) % out.length }))
    .sort((a, b) => a.k - b.k)
    .map((x) => x.p);
}

interface AutocannonResult {
  latency: { p50: number; p99: number; max: number };
  requests: { average: number; total: number };
  errors: number;
  timeouts: number;
  statusCodeStats: Record<string, { count: number }>;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (
  o: Record<string, unknown>,
) => Promise<AutocannonResult>;

function runClients(url: string, paths: string[], durationS: number) {
  let i = 0;
  return autocannon({
    url,
    connections: clients,
    duration: durationS,
    timeout: 30,
    headers: { 'accept-encoding': 'gzip', 'x-api-key': BENCH_API_KEY },
    requests: [
      {
        method: 'GET',
        setupRequest: (req: Record<string, unknown>) => ({ ...req, path: paths[i++ % paths.length] }),
      },
    ],
  });
}

async function sampler(
  server: BenchServer,
  published: () => number,
  t0: number,
  out: Sample[],
  stop: { done: boolean },
) {
  while (!stop.done) {
    const [h, loop] = await Promise.all([
      server.get<HealthBody>('/api/health').catch(() => null),
      server.loopWindow(false),
    ]);
    out.push({
      tS: Math.round((performance.now() - t0) / 1000),
      rssMb: round(server.rssMb(), 0),
      loopP99Ms: loop?.p99Ms ?? null,
      loopMaxMs: loop?.maxMs ?? null,
      published: published(),
      received: h ? received(h.body) : -1,
      queueDepth: h?.body.ingest?.queue.depth ?? -1,
      writerQueuedOps: h?.body.writer?.queuedOps ?? -1,
      storeMb: h?.body.packetStore?.estimatedMB ?? null,
      observations: h?.body.packetStore?.observations ?? null,
    });
    const s = out[out.length - 1];
    log(
      `${s.tS} s: RSS ${s.rssMb} MB, loop p99 ${s.loopP99Ms} ms, published ${s.published}, received ${s.received}, queue ${s.queueDepth}`,
    );
    for (let waited = 0; waited < sampleS * 1000 && !stop.done; waited += 250) await sleep(250);
  }
}

async function main(): Promise<void> {
  const loadBefore = os.loadavg();
  const uptimeBefore = uptime();
  log(`load before: ${uptimeBefore}`);
  if (loadBefore[0] > MAX_LOAD && !values.force) {
    log(
      `load average ${loadBefore[0].toFixed(2)} > ${MAX_LOAD}: the figures would include other processes' work. Wait, or pass --force.`,
    );
    process.exit(2);
  }
  const tmp = mkdtempSync(join(os.tmpdir(), 'meshlens-soak-'));
  const dataset = prepareDataset(root, values.scale!, seed, { log });
  const dbPath = join(tmp, 'soak.db');
  copyFileSync(dataset.path, dbPath);
  const durationS = Math.round(minutes * 60);
  const count = Math.min(Math.ceil(rate * durationS * 1.05), 300_000);
  log(
    `profile ${profileName}: ${minutes} min, ${rate} msg/s, ${clients} clients; preparing ${count} messages (cycled beyond)`,
  );
  const frames = encodePublishes(
    prepareMessages(values.scale === 'fixture' ? 'small' : values.scale!, seed + 7, count),
  );
  const server = await startServer({
    root,
    dbPath,
    tmpDir: tmp,
    timeoutMs: 600_000,
    config: JSON.parse(values['server-config']!) as Record<string, unknown>,
  });
  try {
    const result = await soak(server, frames, durationS);
    const report = {
      profile: profileName,
      minutes,
      rate,
      clients,
      warmupMinutes: warmupMin,
      mix,
      heavyLists: HEAVY_LISTS[mix],
      scale: values.scale,
      seed,
      startup: server.startup,
      excluded,
      ...result,
      env: {
        loadBefore,
        uptimeBefore,
        loadAfter: os.loadavg(),
        uptimeAfter: uptime(),
        cpus: os.cpus().length,
        node: process.version,
      },
    };
    write(report);
  } finally {
    await server.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function soak(server: BenchServer, frames: Buffer[], durationS: number) {
  // Ready (healthz) can precede the broker and the source's subscription.
  const subscribed = await waitFor(async () => {
    const h = await server.get<{ mqtt?: { sources: { connected: boolean }[] } }>('/api/health');
    return h.body.mqtt?.sources[0]?.connected ? true : null;
  }, 60_000);
  if (!subscribed) throw new Error('the MQTT source did not connect to the embedded broker within 60 s');
  const paths = await apiPaths(server);
  const before = (await server.get<HealthBody>('/api/health')).body;
  await server.loopWindow(true);
  const t0 = performance.now();
  const pub = await startPacedPublisher(server.brokerUrl, frames, rate);
  const samples: Sample[] = [];
  const stop = { done: false };
  const sampling = sampler(server, () => pub.published(), t0, samples, stop);
  const load = await runClients(server.url, paths, durationS);
  await pub.stop();
  const published = pub.published();
  // Drain: everything published should arrive and leave the queue.
  const deadline = performance.now() + 60_000;
  let after = (await server.get<HealthBody>('/api/health')).body;
  while (
    performance.now() < deadline &&
    (received(after) - received(before) < published || (after.ingest?.queue.depth ?? 0) > 0)
  ) {
    await sleep(250);
    after = (await server.get<HealthBody>('/api/health')).body;
  }
  stop.done = true;
  await sampling;
  const loop = await server.loopWindow(false);
  return summarise(load, samples, before, after, published, loop);
}

function summarise(
  load: AutocannonResult,
  samples: Sample[],
  before: HealthBody,
  after: HealthBody,
  published: number,
  loop: Awaited<ReturnType<BenchServer['loopWindow']>>,
) {
  const byStatus = Object.fromEntries(Object.entries(load.statusCodeStats).map(([k, v]) => [k, v.count]));
  const httpErrors =
    load.errors +
    load.timeouts +
    Object.entries(byStatus)
      .filter(([k]) => Number(k) >= 400)
      .reduce((n, [, v]) => n + v, 0);
  const got = received(after) - received(before);
  const lost = {
    notReceived: Math.max(0, published - got),
    queueDropped: (after.ingest?.queue.dropped ?? 0) - (before.ingest?.queue.dropped ?? 0),
    writerDroppedOps: (after.writer?.droppedOps ?? 0) - (before.writer?.droppedOps ?? 0),
    writerErrors: (after.writer?.writeErrors ?? 0) - (before.writer?.writeErrors ?? 0),
  };
  const rss = rssGrowth(samples);
  const errors =
    httpErrors + lost.notReceived + lost.queueDropped + lost.writerDroppedOps + lost.writerErrors;
  return {
    http: {
      requests: load.requests.total,
      rps: round(load.requests.average, 0),
      p50Ms: load.latency.p50,
      p99Ms: load.latency.p99,
      maxMs: load.latency.max,
      errors: load.errors,
      timeouts: load.timeouts,
      byStatus,
    },
    mqtt: { published, received: got, ratePerSec: round(published / (samples.at(-1)?.tS || 1), 0), ...lost },
    loop,
    rss,
    verdict: {
      errors,
      errorsOk: errors === 0,
      loopP99Ok: loop !== null && loop.p99Ms <= LOOP_P99_TARGET_MS,
      rssGrowthOk: rss.netGrowthPct !== null && rss.netGrowthPct <= RSS_GROWTH_TARGET_PCT,
    },
    samples,
  };
}

const median = (xs: number[]) => {
  const v = [...xs].sort((a, b) => a - b);
  return v.length === 0 ? null : v[Math.floor(v.length / 2)];
};

/**
 * RSS after warm-up against the end, each the median of a minute of samples (one sample swings
 * by 100-200 MB with the GC), and the same net of the store's own growth: the data ingested
 * during the run is memory the store must take, a leak is what remains beyond it.
 */
function rssGrowth(samples: Sample[]) {
  const windowS = 60;
  const endS = samples.at(-1)?.tS ?? 0;
  const warmS = Math.min(warmupMin * 60, Math.max(0, endS - 2 * windowS));
  const warmWin = samples.filter((s) => s.tS >= warmS && s.tS < warmS + windowS);
  const endWin = samples.filter((s) => s.tS > endS - windowS);
  const med = (win: Sample[], f: (s: Sample) => number | null) =>
    median(win.map(f).filter((v): v is number => v !== null));
  const warmMb = med(warmWin, (s) => s.rssMb);
  const lastMb = med(endWin, (s) => s.rssMb);
  const storeWarmMb = med(warmWin, (s) => s.storeMb);
  const storeLastMb = med(endWin, (s) => s.storeMb);
  const obsWarm = med(warmWin, (s) => s.observations);
  const obsLast = med(endWin, (s) => s.observations);
  const pct = (a: number | null, b: number | null, extra = 0) =>
    a !== null && b !== null && a > 0 ? round(((b - a - extra) / a) * 100, 2) : null;
  const storeGrowthMb = storeWarmMb !== null && storeLastMb !== null ? storeLastMb - storeWarmMb : null;
  const addedObs = obsWarm !== null && obsLast !== null ? obsLast - obsWarm : null;
  const rssDelta = warmMb !== null && lastMb !== null ? lastMb - warmMb : null;
  return {
    warmMb,
    lastMb,
    maxMb: Math.max(...samples.map((s) => s.rssMb ?? 0)),
    growthAfterWarmupPct: pct(warmMb, lastMb),
    storeGrowthMb: round(storeGrowthMb, 1),
    addedObservations: addedObs,
    /** RSS growth per observation added after warm-up, bytes. */
    rssBytesPerAddedObs: rssDelta !== null && addedObs ? round((rssDelta * 1048576) / addedObs, 0) : null,
    /** RSS growth beyond the store's own growth: the leak figure judged against the target. */
    netGrowthPct: pct(warmMb, lastMb, storeGrowthMb ?? 0),
  };
}

function write(report: Record<string, any>): void {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').slice(0, 13);
  const base = join(root, 'bench/results', `${stamp}-soak-${report.profile}`);
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  const v = report.verdict;
  const md = [
    `# Soak (${report.profile}): ${report.minutes} min, ${report.rate} msg/s, ${report.clients} API clients, ${report.scale}, list pages '${report.mix}': ${report.heavyLists.join(' ')}`,
    '',
    '| figure | value | target |',
    '|---|---|---|',
    `| HTTP requests | ${report.http.requests} (${report.http.rps}/s), p50 ${report.http.p50Ms} ms, p99 ${report.http.p99Ms} ms, max ${report.http.maxMs} ms | |`,
    `| HTTP by status | ${JSON.stringify(report.http.byStatus)}; errors ${report.http.errors}, timeouts ${report.http.timeouts} | |`,
    `| MQTT | published ${report.mqtt.published} (${report.mqtt.ratePerSec}/s), received ${report.mqtt.received}, queue drops ${report.mqtt.queueDropped}, writer drops ${report.mqtt.writerDroppedOps}, write errors ${report.mqtt.writerErrors} | |`,
    `| errors (HTTP + lost messages) | ${v.errors} | 0 ${v.errorsOk ? 'ok' : 'FAIL'} |`,
    `| event loop (main thread) | p50 ${report.loop?.p50Ms} ms, p99 ${report.loop?.p99Ms} ms, max ${report.loop?.maxMs} ms | p99 <= ${LOOP_P99_TARGET_MS} ms ${v.loopP99Ok ? 'ok' : 'FAIL'} |`,
    `| RSS (median of a minute) | after ${report.warmupMinutes} min warm-up ${report.rss.warmMb} MB, last minute ${report.rss.lastMb} MB, max ${report.rss.maxMb} MB; growth ${report.rss.growthAfterWarmupPct} % | |`,
    `| store growth after warm-up | ${report.rss.storeGrowthMb} MB for ${report.rss.addedObservations} observations; RSS grew ${report.rss.rssBytesPerAddedObs} bytes per added observation | |`,
    `| RSS growth beyond the store's | ${report.rss.netGrowthPct} % | <= ${RSS_GROWTH_TARGET_PCT} % ${v.rssGrowthOk ? 'ok' : 'FAIL'} |`,
    '',
    `Left out after the preflight (not 2xx before the load): ${report.excluded.map((e: { path: string; status: number }) => `${e.path} (${e.status})`).join(', ') || 'none'}`,
    '',
    `RSS over time (MB, every ${sampleS} s): ${report.samples.map((s: Sample) => s.rssMb).join(' ')}`,
    '',
    `Load before: ${report.env.uptimeBefore}`,
    `Load after: ${report.env.uptimeAfter}`,
  ].join('\n');
  writeFileSync(`${base}.json`, JSON.stringify(report, null, 2));
  writeFileSync(`${base}.md`, `${md}\n`);
  process.stdout.write(`${md}\n\nwritten: ${base}.{json,md}\n`);
}

await main();
