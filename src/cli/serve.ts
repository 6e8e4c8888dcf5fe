// `meshlens serve`: flags -> config -> startServer(), the composition root. startServer reads
// like a table of contents (style-examples §1): config -> store (SQLite, writer thread, memory,
// loader) -> ingest -> analytics -> api -> MQTT, and stop() undoes it in reverse.
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { AnalyticsService } from '../analytics/engine/service.js';
import { buildApp } from '../api/app.js';
import { PerfRecorder, SectionRegistry } from '../api/perf.js';
import { Readiness } from '../api/readiness.js';
import { analyticsRoutes } from '../api/routes/analytics.js';
import { backupRoutes } from '../api/routes/backup.js';
import { coreRoutes } from '../api/routes/core.js';
import { ingestRoutes } from '../api/routes/ingest.js';
import { WebsocketFeed } from '../api/websocket.js';
import { ConfigError, loadConfig, type MeshlensConfig } from '../config/index.js';
import { EmbeddedBrokerThread } from '../ingest/broker-thread.js';
import { keyringFromConfig } from '../ingest/keyring-config.js';
import { IngestWorker, type SourceHandle } from '../ingest/ingest-thread.js';
import { IngestPipeline } from '../ingest/pipeline.js';
import { RejectionCounter } from '../ingest/rejections.js';
import { resolveSources } from '../ingest/sources.js';
import { StoreLoader } from '../store/load/loader.js';
import { MemoryStore } from '../store/memory/index.js';
import { RetentionScheduler } from '../store/retention-scheduler.js';
import { migrate, openDatabase, readMaxIds, SqliteWriterThread } from '../store/sqlite/index.js';
import { KNOWN_HASHTAGS } from '../sim/channels.js';
import type { DemoFeed } from '../sim/demo.js';
import type { Command } from './main.js';

export type Log = (level: 'info' | 'warn' | 'error', message: string) => void;

export interface StartOptions {
  log?: Log;
  version?: string;
  /** Start analytics workers (default true; some integration tests switch them off). */
  analytics?: boolean;
  /** Demo mode: feed the embedded broker live simulated traffic (see demoConfig). */
  demo?: { ratePerSec?: number; seed?: number };
}

export interface RunningServer {
  /** http://host:port of the API. */
  url: string;
  /** mqtt://host:port of the embedded broker, or null when it is off. */
  brokerUrl: string | null;
  app: FastifyInstance;
  rejections: RejectionCounter;
  sources: SourceHandle[];
  store: MemoryStore;
  pipeline: IngestPipeline;
  writer: SqliteWriterThread;
  /** Resolves when the startup load SQLite -> memory has finished (rejects if it failed). */
  loaded: Promise<void>;
  /** Stops everything; safe to call repeatedly. */
  stop(): Promise<void>;
}

export async function startServer(
  config: Readonly<MeshlensConfig>,
  options: StartOptions = {},
): Promise<RunningServer> {
  const log: Log = options.log ?? (() => undefined);
  const version = options.version ?? packageVersion();
  const perf = new PerfRecorder(config.perf);
  const health = new SectionRegistry();
  const readiness = new Readiness();
  const stops: (() => Promise<void>)[] = [];
  const section = (name: string, provider: () => unknown) => {
    health.register(name, provider);
    perf.sections.register(name, provider);
  };
  const keyring = keyringFromConfig(config);
  let demoFeed: DemoFeed | null = null;
  if (options.demo)
    section('demo', () => ({ demo: true, dbPath: config.dbPath, feed: demoFeed?.stats() ?? null }));

  // 1. Store: SQLite (additive migrations), the writer thread, the in-memory store and its
  //    loader. The loader runs after HTTP listens; ingest waits for it (spec §1.9, §3.3).
  const db = openDatabase(config.dbPath);
  let dbOpen = true;
  const closeDb = () => {
    if (dbOpen) db.close();
    dbOpen = false;
  };
  let writer: SqliteWriterThread;
  let maxIds: { transmissionId: number; observationId: number };
  try {
    const migration = migrate(db);
    if (migration.addedColumns.length + migration.createdTables.length > 0)
      log(
        'info',
        `database ${config.dbPath}: migrated (${[...migration.createdTables, ...migration.addedColumns].join(', ')})`,
      );
    maxIds = readMaxIds(db);
    writer = new SqliteWriterThread(config.dbPath, {
      log: (m) => log('warn', m),
      writer: { metricsBucketMs: config.metrics.sampleIntervalSec * 1000 },
    });
  } catch (err) {
    closeDb();
    throw err;
  }
  stops.push(() => writer.close());
  const store = new MemoryStore();
  const loader = new StoreLoader(db, store, { onProgress: loadLogger(log) });
  const isLoaded = () => loader.progress.phase === 'done';
  readiness.register('store', () => loader.status());
  section('store', () => ({ load: loader.status().progress, memory: store.memory() }));
  section('writer', () => writer.stats());
  const retention = new RetentionScheduler({
    config: { packetDays: config.retention.packetDays, metricsDays: config.retention.metricsDays },
    run: (c) => writer.applyRetention(c),
    log,
  });
  stops.push(() => retention.stop());
  section('retention', () => retention.stats());

  // 2. Ingest: MQTT message -> parse -> bounded queue -> pipeline -> memory + writer.
  const rejections = new RejectionCounter();
  const pipeline = new IngestPipeline({
    memory: store,
    writer,
    keyring,
    validateSignatures: config.validateSignatures,
    rejections,
    maxIds,
    bufferSize: config.ingestBufferSize,
    log,
  });
  section('ingest', () => ({ ...pipeline.stats(), rejected: rejections.snapshot().byCode }));
  section('rejections', () => rejections.snapshot());
  // The embedded broker runs in its own thread (broker-thread.ts): it is ~30% of ingest's work.
  const { host: brokerHost, port: brokerPort, username, password } = config.broker;
  const broker = config.broker.enabled
    ? new EmbeddedBrokerThread({
        host: brokerHost,
        port: brokerPort,
        ...(username !== undefined ? { username } : {}),
        ...(password !== undefined ? { password } : {}),
      })
    : null;

  // 3. Analytics: recomputed in worker threads over the shared store, gated on the load.
  const analytics =
    options.analytics === false
      ? null
      : new AnalyticsService({ store, config, isLoaded, log: analyticsLog(log) });
  if (analytics) {
    stops.push(() => analytics.stop());
    section('analytics', () => analytics.stats());
  }

  // 4. API: HTTP listens at once; data routes answer 503 until the store has loaded.
  const feed = new WebsocketFeed({
    subscribe: (l) => pipeline.onObservation(l),
    corsAllowedOrigins: config.corsAllowedOrigins,
    perMessageDeflate: config.compression.websocket,
  });
  section('websocket', () => feed.stats());
  let app: FastifyInstance;
  try {
    app = await buildApp({
      config,
      perf,
      health,
      readiness,
      version,
      logger: { level: config.logLevel === 'info' ? 'warn' : config.logLevel },
      routes: [
        coreRoutes({
          store,
          config,
          keyring,
          ready: isLoaded,
          signatureDrops: () => rejections.count('advert_bad_signature'),
        }),
        async (api) => api.register(ingestRoutes, { pipeline, ready: isLoaded }),
        async (api) => api.register(backupRoutes, { backup: (path) => writer.backup(path) }),
        ...(analytics ? [analyticsRoutes({ service: analytics, areas: config.areas })] : []),
      ],
      rootPlugins: [feed.plugin()],
    });
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    closeDb();
    for (const s of stops.reverse()) await s();
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host}:${port}`;

  // The load, then ingest drains what MQTT buffered meanwhile, then retention and analytics.
  const loaded = (async () => {
    await writer.ready();
    const result = await loader.run();
    closeDb();
    const c = result.counts;
    log(
      'info',
      `store loaded in ${Math.round(result.totalMs)} ms: ${c.transmissions} transmissions, ${c.observations} observations, ${c.nodes} nodes, ${c.observers} observers`,
    );
    pipeline.start();
    retention.start();
    analytics?.start();
  })();
  loaded.catch((err: Error) => {
    closeDb();
    log('error', `store load failed: ${err.message}`);
  });

  // 5. MQTT: the embedded broker, then one client per source. Sources connect in the
  //    background so that a slow broker never delays HTTP; messages queue until the load ends.
  let brokerUrl: string | null = null;
  if (broker) {
    try {
      await broker.start();
    } catch (err) {
      await app.close();
      await loaded.catch(() => undefined);
      for (const s of stops.reverse()) await s();
      throw err;
    }
    brokerUrl = broker.url;
  }
  // Demo traffic goes to the embedded broker like any observer's, after HTTP listens (the
  // feed calibrates its rate synchronously for about a second at start).
  if (options.demo && brokerUrl) {
    // Loaded only in demo mode: the simulator and its MQTT client cost ~0.3 s of start-up.
    const { startDemoFeed } = await import('../sim/demo.js');
    const feed = startDemoFeed({
      brokerUrl,
      log,
      seed: options.demo.seed ?? 1,
      ratePerSec: options.demo.ratePerSec ?? 20,
    });
    demoFeed = feed;
    stops.unshift(() => feed.stop());
  }
  // The MQTT clients and message parsing run in a worker thread (ingest-thread.ts); decode,
  // dedup and store appends stay here, behind the bounded queue.
  const ingestWorker = new IngestWorker(
    {
      sources: resolveSources(config, brokerUrl),
      observerIATAWhitelist: [...config.observerIATAWhitelist],
      observerBlacklist: [...config.observerBlacklist],
      validateSignatures: config.validateSignatures,
    },
    {
      log,
      packet: (input) => pipeline.submitPacket(input),
      status: (message, source, rxMs, topic) => pipeline.submit(message, source, rxMs, topic),
      reject: (code, detail, ctx) =>
        pipeline.reject(code, detail, { ...ctx, observerId: topicObserver(ctx.topic) }),
    },
  );
  const sources: SourceHandle[] = ingestWorker.sources;
  for (const source of sources)
    void source.start().then((ok) => {
      if (!ok) log('warn', `mqtt source ${source.name}: not connected yet; retrying in the background`);
    });
  section('mqtt', () => ({ sources: sources.map((s) => s.status()), broker: broker?.stats() ?? null }));

  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      await demoFeed?.stop();
      await Promise.all(sources.map((s) => s.stop()));
      await broker?.stop();
      pipeline.queue.close();
      await app.close();
      await loaded.catch(() => undefined);
      if (isLoaded()) await pipeline.idle();
      for (const s of stops.reverse()) await s();
    })());
  return { url, brokerUrl, app, rejections, sources, store, pipeline, writer, loaded, stop };
}

/** The observer id of a meshcore/{IATA}/{id}/... topic when it looks like one, else null. */
function topicObserver(topic: string): string | null {
  const id = topic.split('/')[2];
  return id !== undefined && /^[0-9A-Fa-f]{64}$/.test(id) ? id.toUpperCase() : null;
}

/** Logs the load's phases and at most one progress line per 5 s. */
function loadLogger(log: Log) {
  let lastPhase = '';
  let lastMs = 0;
  return (p: { phase: string; rowsLoaded: number; rowsTotal: number }) => {
    const now = Date.now();
    if (p.phase === lastPhase && now - lastMs < 5000) return;
    lastPhase = p.phase;
    lastMs = now;
    if (p.phase !== 'done') log('info', `store load: ${p.phase} ${p.rowsLoaded}/${p.rowsTotal} rows`);
  };
}

function analyticsLog(log: Log) {
  return (msg: string, fields: Record<string, unknown>) =>
    log('info', `analytics: ${msg} ${JSON.stringify(fields)}`);
}

/** Demo traffic lives in its own file, never an operator's database (issue 4). */
export const DEMO_DB = 'data/demo.db';

const flags = [
  ['--config <path>', 'config.json to read (default ./config.json when present)'],
  ['--port <n>', 'HTTP port (overrides PORT and config port)'],
  ['--db <path>', 'SQLite database (overrides DB_PATH and config dbPath)'],
  ['--demo', `demo mode: live simulated traffic into ${DEMO_DB} (or --db), never the configured db`],
  ['--help, -h', 'this help'],
];
const envVars = [
  ['PORT', 'HTTP port'],
  ['DB_PATH', 'SQLite database path'],
  ['MQTT_BROKER', 'broker URL; replaces every configured MQTT source'],
  ['MQTT_TOPIC', 'topic for MQTT_BROKER (default meshcore/#)'],
  ['API_KEY', 'key for write routes (X-API-Key), at least 16 characters'],
  ['CHANNEL_KEYS_PATH', 'JSON file of channel name -> key'],
  ['CORS_ALLOWED_ORIGINS', 'comma-separated origins allowed by CORS'],
];

export function serveHelp(): string {
  const rows = (list: string[][]) => list.map(([a, b]) => `  ${a.padEnd(22)} ${b}`);
  return [
    'usage: meshlens serve [options]',
    '',
    'Starts the HTTP API and the embedded MQTT broker, and ingests observer packets.',
    '',
    'options:',
    ...rows(flags),
    '',
    'environment (flags beat environment, environment beats config.json):',
    ...rows(envVars),
    '',
  ].join('\n');
}

export interface ServeArgs {
  help: boolean;
  demo?: boolean;
  config?: string;
  port?: string;
  db?: string;
}

/** Parses serve's flags; throws a message for unknown flags or missing values. */
export function parseServeArgs(argv: string[]): ServeArgs {
  const args: ServeArgs = { help: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === '--help' || flag === '-h') args.help = true;
    else if (flag === '--demo' && inline === undefined) args.demo = true;
    else if (flag === '--config') args.config = value();
    else if (flag === '--port') args.port = value();
    else if (flag === '--db') args.db = value();
    else throw new Error(`unknown option '${argv[i]}'`);
  }
  return args;
}

export const serveCommand: Command = {
  summary: 'start the server (HTTP API, embedded MQTT broker, ingest)',
  async run(argv) {
    let args: ServeArgs;
    try {
      args = parseServeArgs(argv);
    } catch (err) {
      process.stderr.write(`meshlens serve: ${(err as Error).message}\n${serveHelp()}`);
      return 2;
    }
    if (args.help) {
      process.stdout.write(serveHelp());
      return 0;
    }
    let config: Readonly<MeshlensConfig>;
    try {
      const loaded = loadConfig({
        ...(args.config !== undefined ? { path: args.config } : {}),
        env: process.env,
        overrides: {
          ...(args.port !== undefined ? { port: args.port } : {}),
          ...(args.db !== undefined || args.demo ? { dbPath: args.db ?? DEMO_DB } : {}),
        },
      });
      for (const w of loaded.warnings) process.stderr.write(`meshlens: config warning: ${w}\n`);
      config = args.demo ? demoConfig(loaded.config) : loaded.config;
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      process.stderr.write(`meshlens: bad configuration: ${err.message}\n`);
      return 2;
    }
    const log: Log = (level, message) => process.stderr.write(`meshlens ${level}: ${message}\n`);
    let server: RunningServer;
    try {
      server = await startServer(config, { log, ...(args.demo ? { demo: {} } : {}) });
    } catch (err) {
      process.stderr.write(`meshlens: cannot start: ${(err as Error).message}\n`);
      return 1;
    }
    process.stdout.write(`meshlens listening on ${server.url}\n`);
    if (args.demo)
      process.stdout.write(`demo mode: simulated observers feed ${config.dbPath} (not your database)\n`);
    if (server.brokerUrl)
      process.stdout.write(`embedded MQTT broker on ${server.brokerUrl} (topic meshcore/#)\n`);
    await new Promise<void>((resolve) => {
      const onSignal = (signal: string) => {
        process.stderr.write(`meshlens: ${signal}, shutting down\n`);
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        void server.stop().then(resolve);
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    });
    return 0;
  },
};

/** Demo mode needs the embedded broker and the simulator's hashtag channels to decrypt. */
export function demoConfig(config: Readonly<MeshlensConfig>): Readonly<MeshlensConfig> {
  return {
    ...config,
    broker: { ...config.broker, enabled: true },
    hashChannels: [...new Set([...config.hashChannels, ...KNOWN_HASHTAGS])],
  };
}

function packageVersion(): string {
  try {
    return JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;
  } catch {
    return '0.0.0';
  }
}
