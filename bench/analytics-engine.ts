// Analytics engine benchmark at staging scale (≈78k transmissions, 2.3M observations, 2k
// nodes; spec analytics §8): a synthetic MemoryStore (bench/analytics-pure.ts's generator,
// appended as records), the real worker pool, recomputer and routes on a listening server.
// Measures: per-analytic compute time in the worker (median of --runs, JSON + gzip included),
// total recompute time (all nine, first pass), analytics GET p50/p99 with 8 and 64
// concurrent clients (autocannon in a child process) while recomputing and ingesting
// --ingest observations/s, event-loop delay p99 (monitorEventLoopDelay), snapshot staleness.
// Run: npm run bench:analytics [-- --tx 78000 --obs-per-tx 30 --seconds 10 --runs 3 --threads N]
import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify from 'fastify';
import { MemoryStore } from '../src/store/memory/memory-store.js';
import { AnalyticsService } from '../src/analytics/service.js';
import { ANALYTICS } from '../src/analytics/registry.js';
import { WorkerPool } from '../src/analytics/worker-pool.js';
import type { ResultBody } from '../src/analytics/worker-protocol.js';
import { DEFAULT_QUERY } from '../src/analytics/query.js';
import { analyticsRoutes } from '../src/api/routes/analytics.js';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}
const TX = arg('tx', 78_000);
const OBS_PER_TX = arg('obs-per-tx', 30);
const SECONDS = arg('seconds', 10);
const RUNS = arg('runs', 3);
const INGEST_PER_S = arg('ingest', 500);
const THREADS = arg('threads', 0) || undefined;

const HEX = '0123456789ABCDEF';
const hex2 = (v: number) => HEX[(v >> 4) & 15] + HEX[v & 15];

/** Deterministic PRNG (mulberry32), as bench/analytics-pure.ts (which runs on import, so not imported). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NOW = Date.parse('2026-05-17T18:00:00Z');
const GRP = [
  [
    217,
    '#test',
    '{"type":"CHAN","channelHash":217,"decryptionStatus":"decrypted","channel":"#test","text":"alice: hi","sender":"alice"}',
  ],
  [
    17,
    'Public',
    '{"type":"CHAN","channelHash":17,"decryptionStatus":"decrypted","channel":"Public","text":"bob: yo","sender":"bob"}',
  ],
  [195, 'enc_C3', '{"type":"GRP_TXT","channelHash":195,"decryptionStatus":"decryption_failed"}'],
] as const;

interface Synth {
  rand: () => number;
  keys: string[];
  relays: number[];
  observerIds: string[];
  /** Per transmission: hop width and relay route (node indexes). */
  width: Uint8Array;
  route: number[][];
}

/** A staging-like mesh: 2k nodes in the Bay Area (80 % repeaters), 60 observers, 7 days of traffic. */
function fill(store: MemoryStore, txCount: number, obsPerTx: number): Synth {
  const rand = rng(42);
  const hex = (n: number) => Array.from({ length: n }, () => HEX[Math.floor(rand() * 16)]).join('');
  const keys = Array.from({ length: 2000 }, () => hex(64).toLowerCase());
  const roles = keys.map((_, i) => (i % 10 < 8 ? 'repeater' : i % 10 === 8 ? 'room' : 'companion'));
  const relays = keys.map((_, i) => i).filter((i) => roles[i] !== 'companion');
  const observerIds = Array.from({ length: 60 }, (_, o) =>
    (o < 40 ? keys[relays[o]] : hex(64)).toUpperCase(),
  );
  observerIds.forEach((id, o) =>
    store.upsertObserver({
      id,
      name: `observer ${o}`,
      iata: ['SJC', 'OAK', 'SFO', 'MRY'][o % 4],
      firstSeenMs: NOW,
      lastSeenMs: NOW,
      packetCount: 0,
      model: null,
      firmware: null,
      clientVersion: null,
      radio: null,
      batteryMv: null,
      uptimeSecs: null,
      noiseFloor: null,
      lastPacketAtMs: null,
    }),
  );
  keys.forEach((k, i) =>
    store.upsertNode({
      publicKey: k,
      name: `node ${i}`,
      role: roles[i],
      lat: 37 + rand() * 2,
      lon: -123 + rand() * 2,
      firstSeenMs: NOW - 30 * 86_400_000,
      lastSeenMs: NOW - (i % 10) * 86_400_000,
      advertCount: Math.floor(rand() * 200),
      batteryMv: null,
      temperatureC: null,
    }),
  );
  const types = [5, 5, 5, 4, 4, 0, 1, 2, 8, 9, 3];
  const width = new Uint8Array(txCount);
  const route: number[][] = [];
  let obsId = 1;
  for (let t = 0; t < txCount; t++) {
    const pt = types[Math.floor(rand() * types.length)];
    const firstSeenMs = NOW - 7 * 86_400_000 + (t / txCount) * 7 * 86_400_000;
    width[t] = rand() < 0.8 ? 1 : 2;
    const hops = Array.from(
      { length: Math.floor(rand() * 13) },
      () => relays[Math.floor(rand() * relays.length)],
    );
    route.push(hops);
    const advertiser = pt === 4 ? Math.floor(rand() * keys.length) : -1;
    const grp = pt === 5 ? GRP[t % 3] : null;
    const raw =
      hex2((pt << 2) | 1) +
      hex2(((width[t] - 1) << 6) | hops.length) +
      '00'.repeat(20 + Math.floor(rand() * 150));
    store.appendTransmission({
      id: t + 1,
      rawHex: raw,
      hash: (t + 1).toString(16).padStart(16, '0'),
      firstSeenMs,
      lastSeenMs: firstSeenMs,
      routeType: 1,
      payloadType: pt,
      payloadVersion: 0,
      decodedJson:
        advertiser >= 0
          ? `{"type":"ADVERT","pubKey":"${keys[advertiser]}","timestamp":${Math.floor(firstSeenMs / 1000) - (advertiser % 50) * 30}}`
          : grp
            ? grp[2]
            : '{}',
      fromPubkey: advertiser >= 0 ? keys[advertiser] : null,
      channelHash: grp ? grp[1] : null,
      scopeName: null,
    });
    for (let k = 0; k < obsPerTx; k++)
      appendObs(
        store,
        { rand, keys, relays, observerIds, width, route },
        t,
        obsId++,
        firstSeenMs + Math.floor(rand() * 5000),
      );
  }
  return { rand, keys, relays, observerIds, width, route };
}

/** One sighting of transmission row t by a random observer, somewhere along its route. */
function appendObs(store: MemoryStore, s: Synth, t: number, id: number, rxMs: number): void {
  const hops = s.route[t].slice(0, Math.floor(s.rand() * (s.route[t].length + 1)));
  const w = s.width[t];
  store.appendObservation({
    id,
    transmissionId: t + 1,
    observerId: s.observerIds[Math.floor(s.rand() * s.observerIds.length)],
    direction: null,
    snr: s.rand() < 0.9 ? Math.round((s.rand() * 30 - 15) * 4) / 4 : null,
    rssi: -40 - Math.floor(s.rand() * 90),
    score: null,
    path: hops.map((n) => s.keys[n].slice(0, 2 * w).toUpperCase()),
    rxMs,
    uploaderMs: null,
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

/** autocannon in a child process so the load generator does not share our event loop. */
function autocannon(
  port: number,
  connections: number,
  seconds: number,
  paths: string[],
): Promise<Record<string, any>> {
  const script = `
    import autocannon from 'autocannon';
    const [port, connections, duration, paths] = [${port}, ${connections}, ${seconds}, ${JSON.stringify(paths)}];
    const r = await autocannon({ url: 'http://127.0.0.1:' + port, connections, duration,
      headers: { 'accept-encoding': 'gzip' }, requests: paths.map((p) => ({ method: 'GET', path: p })) });
    process.stdout.write(JSON.stringify(r));`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`autocannon exit ${code}`)),
    );
  });
}

async function main(): Promise<void> {
  console.log(
    `# analytics engine bench: ${TX} tx x ${OBS_PER_TX} obs, ${cpus().length} cores (${cpus()[0].model}), node ${process.version}`,
  );
  const store = new MemoryStore();
  let t0 = performance.now();
  const synth = fill(store, TX, OBS_PER_TX);
  console.log(
    `store: ${store.transmissionCount} tx, ${store.observationCount} obs, loaded in ${fmt(performance.now() - t0)} ms`,
  );

  // 1. Per-analytic compute time in a worker (JSON + gzip included), median of RUNS.
  const pool = new WorkerPool(store, { size: 1 });
  const nowMs = NOW;
  const perAnalytic: Record<string, number[]> = {};
  await pool.run({ kind: 'analytic', name: 'channels', query: DEFAULT_QUERY, nowMs }); // worker start-up
  for (let run = 0; run < RUNS; run++) {
    for (const a of ANALYTICS) {
      const r = (await pool.run({
        kind: 'analytic',
        name: a.name,
        query: DEFAULT_QUERY,
        nowMs,
      })) as ResultBody;
      (perAnalytic[a.name] ??= []).push(r.durationMs);
      if (run === 0) perAnalytic[`${a.name}:bytes`] = [r.gzip.byteLength, r.jsonBytes];
    }
  }
  await pool.close();
  console.log('\n| analytic | compute ms (median) | JSON KiB | gzip KiB |\n|---|---|---|---|');
  let sum = 0;
  for (const a of ANALYTICS) {
    const m = median(perAnalytic[a.name]);
    sum += m;
    const [gz, js] = perAnalytic[`${a.name}:bytes`];
    console.log(`| ${a.name} | ${fmt(m)} | ${fmt(js / 1024)} | ${fmt(gz / 1024)} |`);
  }
  console.log(`| **all nine (sum of medians, engine shared)** | ${fmt(sum)} | | |`);

  // 2. The service: first full recompute, then load while recomputing and ingesting.
  const service = new AnalyticsService({
    store,
    config: {
      analytics: {
        defaultIntervalSeconds: 300,
        recomputeIntervalSeconds: {},
        loraPreset: { freq: 869.6e6, bw: 62.5, sf: 8, cr: 5 },
      },
      cacheTTL: {},
    },
    isLoaded: () => true,
    workerThreads: THREADS,
    minRefreshSeconds: 5,
    maxCpuShare: 0.5,
  });
  t0 = performance.now();
  service.start();
  while (service.stats().analytics.some((s) => s.warmingUp)) await sleep(5);
  console.log(
    `\nfirst full recompute (pool start-up + nine passes): ${fmt(performance.now() - t0)} ms, pool size ${service.stats().pool!.size}`,
  );
  const app = Fastify();
  await app.register(analyticsRoutes, { prefix: '/api', service, areas: {} });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  const paths = [
    '/api/analytics/topology',
    '/api/analytics/rf',
    '/api/analytics/distance',
    '/api/analytics/channels',
    '/api/analytics/hash-collisions',
    '/api/analytics/hash-sizes',
    '/api/analytics/roles',
    '/api/observers/clock-skew',
    '/api/nodes/clock-skew',
  ];

  // Ingest INGEST_PER_S observations/s on the main thread (re-sightings of recent transmissions).
  let nextObsId = store.observationCount + 1;
  const ingest = setInterval(() => {
    for (let k = 0; k < INGEST_PER_S / 20; k++) {
      const t = store.transmissionCount - 1 - Math.floor(synth.rand() * 1000);
      appendObs(store, synth, t, nextObsId++, Date.now());
    }
  }, 50);

  for (const connections of [8, 64]) {
    const eld = monitorEventLoopDelay({ resolution: 10 });
    const staleness: number[] = [];
    const sampler = setInterval(() => {
      const s = service.stats().analytics;
      staleness.push(Math.max(...s.map((x) => x.snapshotAgeMs ?? 0)));
    }, 250);
    const before = service.stats().analytics.reduce((n, s) => n + s.runs, 0);
    eld.enable();
    const r = await autocannon(port, connections, SECONDS, paths);
    eld.disable();
    clearInterval(sampler);
    const runs = service.stats().analytics.reduce((n, s) => n + s.runs, 0) - before;
    console.log(
      `\nGET x${connections} while recomputing + ingesting ${INGEST_PER_S} obs/s: ${r.requests.total} requests, ` +
        `${r.non2xx} non-2xx, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, max ${r.latency.max} ms; ` +
        `event-loop delay p99 ${fmt(eld.percentile(99) / 1e6)} ms (max ${fmt(eld.max / 1e6)}); ` +
        `recompute passes ${runs}; staleness (max over analytics) median ${fmt(median(staleness))} ms, max ${fmt(Math.max(...staleness))} ms`,
    );
  }
  clearInterval(ingest);
  const s = service.stats();
  console.log(
    '\n| analytic | runs | data-driven | interval | last ms | failures |\n|---|---|---|---|---|---|',
  );
  for (const a of s.analytics)
    console.log(
      `| ${a.name} | ${a.runs} | ${a.dataDrivenRuns} | ${a.intervalRuns} | ${a.lastDurationMs} | ${a.failures} |`,
    );
  await app.close();
  await service.stop();
}

await main();
