// `meshlens serve`: flags -> config -> startServer(), the composition root. startServer reads
// like a table of contents (style-examples §1): config -> store -> ingest -> analytics -> api.
// The places marked INTEGRATOR are where the store and the ingest pipeline get wired.
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../api/app.js';
import { PerfRecorder, SectionRegistry } from '../api/perf.js';
import { Readiness } from '../api/readiness.js';
import { ConfigError, loadConfig, type MeshlensConfig } from '../config/index.js';
import { EmbeddedBroker } from '../ingest/broker.js';
import { MqttSource } from '../ingest/mqtt-source.js';
import { admission, parseObserverMessage, type ObserverMessage } from '../ingest/observer-message.js';
import { RejectionCounter } from '../ingest/rejections.js';
import { resolveSources } from '../ingest/sources.js';
import type { Command } from './main.js';

export type Log = (level: 'info' | 'warn' | 'error', message: string) => void;

export interface StartOptions {
  log?: Log;
  version?: string;
}

export interface RunningServer {
  /** http://host:port of the API. */
  url: string;
  /** mqtt://host:port of the embedded broker, or null when it is off. */
  brokerUrl: string | null;
  app: FastifyInstance;
  rejections: RejectionCounter;
  sources: MqttSource[];
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

  // 1. Store. INTEGRATOR: open SQLite at config.dbPath (migrations in the background), create
  //    the in-memory store, start its bulk load, and register its readiness and sections:
  //      readiness.register('store', () => store.loadStatus());
  //      health.register('packetStore', () => store.memoryStats());
  //    and push `() => store.close()` onto `stops`.

  // 2. Ingest front end: every MQTT message -> parse -> (pipeline) or a counted rejection.
  const rejections = new RejectionCounter();
  const accepted = { packets: 0, status: 0 };
  const handle = (message: ObserverMessage, source: MqttSource) => {
    accepted[message.kind === 'packets' ? 'packets' : 'status']++;
    // INTEGRATOR: hand `message` (and `source.name`) to the ingest pipeline here: decode,
    // validate, dedup, batch into the store. Decoder/advert failures go to `rejections` too.
    void source;
  };
  const broker = config.broker.enabled ? new EmbeddedBroker(config.broker) : null;

  // 3. Analytics. INTEGRATOR: start the recompute scheduler over the store; register each
  //    analytic's readiness so /api/healthz waits for the first full compute.

  // 4. API: HTTP listens at once; data routes answer 503 until their component is ready.
  const app = await buildApp({
    config,
    perf,
    health,
    readiness,
    version,
    logger: { level: config.logLevel === 'info' ? 'warn' : config.logLevel },
    // INTEGRATOR: routes: [packetRoutes, nodeRoutes, ...], rootPlugins: [websocketFeed]
  });
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host}:${port}`;

  // 5. MQTT: the embedded broker, then one client per source. Sources connect in the
  //    background so that a slow broker never delays HTTP.
  let brokerUrl: string | null = null;
  if (broker) {
    try {
      await broker.start();
    } catch (err) {
      await app.close();
      throw err;
    }
    brokerUrl = broker.url;
  }
  const sources = resolveSources(config, brokerUrl).map((options) => {
    const filters = admission({
      observerIATAWhitelist: config.observerIATAWhitelist,
      observerBlacklist: config.observerBlacklist,
      iataFilter: options.iataFilter ?? [],
    });
    return new MqttSource(options, {
      log,
      onReject: (code, d) =>
        rejections.reject(code, { topic: d.topic, source: d.source.name, detail: `${d.bytes} bytes` }),
      onMessage: (topic, payload, source) => {
        const nowMs = Date.now();
        const ctx = {
          nowMs,
          admission: filters,
          ...(options.region ? { sourceRegion: options.region } : {}),
        };
        const message = parseObserverMessage(topic, payload, ctx);
        if (message.ok) handle(message, source);
        else
          rejections.reject(message.code, {
            detail: message.detail,
            topic,
            source: source.name,
            payload,
            atMs: nowMs,
          });
      },
    });
  });
  for (const source of sources)
    void source.start().then((ok) => {
      if (!ok) log('warn', `mqtt source ${source.name}: not connected yet; retrying in the background`);
    });

  health.register('mqtt', () => ({
    sources: sources.map((s) => s.status()),
    broker: broker?.stats() ?? null,
  }));
  health.register('ingest', () => ({ accepted, rejected: rejections.snapshot().byCode }));
  perf.sections.register('ingest', () => ({ accepted, rejections: rejections.snapshot() }));

  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      await Promise.all(sources.map((s) => s.stop()));
      await broker?.stop();
      await app.close();
      for (const s of stops.reverse()) await s();
    })());
  return { url, brokerUrl, app, rejections, sources, stop };
}

const flags = [
  ['--config <path>', 'config.json to read (default ./config.json when present)'],
  ['--port <n>', 'HTTP port (overrides PORT and config port)'],
  ['--db <path>', 'SQLite database (overrides DB_PATH and config dbPath)'],
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
          ...(args.db !== undefined ? { dbPath: args.db } : {}),
        },
      });
      for (const w of loaded.warnings) process.stderr.write(`meshlens: config warning: ${w}\n`);
      config = loaded.config;
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      process.stderr.write(`meshlens: bad configuration: ${err.message}\n`);
      return 2;
    }
    const log: Log = (level, message) => process.stderr.write(`meshlens ${level}: ${message}\n`);
    let server: RunningServer;
    try {
      server = await startServer(config, { log });
    } catch (err) {
      process.stderr.write(`meshlens: cannot start: ${(err as Error).message}\n`);
      return 1;
    }
    process.stdout.write(`meshlens listening on ${server.url}\n`);
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

function packageVersion(): string {
  try {
    return JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;
  } catch {
    return '0.0.0';
  }
}
