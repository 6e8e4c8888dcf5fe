// `meshlens serve`: flags -> config -> startServer() (src/server/, the composition root), then
// the printed URLs and the signals that stop it.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError, defaultConfig, loadConfig, type MeshlensConfig } from '../config/index.js';
import { startServer, type Log, type RunningServer } from '../server/index.js';
import { KNOWN_HASHTAGS } from '../sim/channels.js';
import type { Command } from './command.js';

/** Demo traffic lives in its own file, never an operator's database (issue 4). */
export const DEMO_DB = 'data/demo.db';

const flags = [
  ['--config <path>', 'config.json to read (default ./config.json when present)'],
  ['--port <n>', 'HTTP port (overrides PORT and config port)'],
  ['--db <path>', 'SQLite database (overrides DB_PATH and config dbPath)'],
  ['--demo', `demo mode: live simulated traffic into ${DEMO_DB} (or --db), never the configured db`],
  ['--create-db-dir', "create the database's directory when it is missing (config createDbDir)"],
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
  createDbDir?: boolean;
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
    else if (flag === '--create-db-dir' && inline === undefined) args.createDbDir = true;
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
    let configPath: string | null = null;
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
      configPath = loaded.path;
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      process.stderr.write(`meshlens: bad configuration: ${err.message}\n`);
      return 2;
    }
    const missing = missingDbDir(config, args, process.env);
    if (missing) {
      process.stderr.write(`meshlens: ${missing}\n`);
      return 1;
    }
    const log: Log = (level, message) => process.stderr.write(`meshlens ${level}: ${message}\n`);
    let server: RunningServer;
    try {
      server = await startServer(config, { log, configPath, ...(args.demo ? { demo: {} } : {}) });
    } catch (err) {
      process.stderr.write(`meshlens: cannot start: ${(err as Error).message}\n`);
      return 1;
    }
    // Signal handlers before the first line: a supervisor (or a test) that stops meshlens as
    // soon as it says it listens must not find Node's default handler (terminate) still there.
    const stopped = new Promise<void>((resolve) => {
      const onSignal = (signal: string) => {
        // The handlers go: a second signal ends the process at once (Node's default), e.g. when
        // shutdown waits on writes that keep failing; only unacknowledged data is lost then.
        process.stderr.write(`meshlens: ${signal}, shutting down (a second ${signal} exits at once)\n`);
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        void server.stop().then(resolve);
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    });
    process.stdout.write(`meshlens listening on ${server.url}\n`);
    if (args.demo)
      process.stdout.write(`demo mode: simulated observers feed ${config.dbPath} (not your database)\n`);
    if (server.brokerUrl)
      process.stdout.write(`embedded MQTT broker on ${server.brokerUrl} (topic meshcore/#)\n`);
    await stopped;
    return 0;
  },
};

/**
 * Issue 13: a database path in a directory that does not exist is most likely a typo or an
 * unmounted volume; creating it would serve an empty database. Only the default data directory
 * (the first command, `npm start`) is created unasked; otherwise --create-db-dir or config
 * `createDbDir` must say so. Returns the message to refuse with, or null.
 */
export function missingDbDir(
  config: Readonly<MeshlensConfig>,
  args: ServeArgs,
  env: Record<string, string | undefined>,
): string | null {
  if (config.dbPath === ':memory:') return null;
  const dir = dirname(resolve(config.dbPath));
  if (existsSync(dir) || args.createDbDir || config.createDbDir) return null;
  const isDefault = args.db === undefined && (args.demo || config.dbPath === defaultConfig.dbPath);
  if (isDefault) return null;
  const from =
    args.db !== undefined ? '--db' : env.DB_PATH !== undefined ? 'DB_PATH' : 'dbPath in the config';
  return (
    `the database directory ${dir} does not exist (${from} ${config.dbPath}); ` +
    'create it, or start with --create-db-dir (config "createDbDir": true) to let meshlens create it'
  );
}

/** Demo mode needs the embedded broker and the simulator's hashtag channels to decrypt. */
export function demoConfig(config: Readonly<MeshlensConfig>): Readonly<MeshlensConfig> {
  return {
    ...config,
    broker: { ...config.broker, enabled: true },
    hashChannels: [...new Set([...config.hashChannels, ...KNOWN_HASHTAGS])],
  };
}
