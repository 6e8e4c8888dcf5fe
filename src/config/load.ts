// loadConfig: file -> environment -> command-line overrides -> validation -> frozen config.
// Precedence (highest first): argv flags, environment, config.json, defaults. CoreScope's
// server lets config.json beat DB_PATH; meshlens applies env over the file uniformly
// (docs/compatibility.md). Every problem is reported at once, each naming its key path.
import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { Ajv, type ErrorObject } from 'ajv';
import { weakApiKeyReason } from './api-key.js';
import { defaultConfig } from './defaults.js';
import { areaShape, parseGeoFilter } from './geo-filter.js';
import { configSchema } from './schema.js';
import { ignoredCoreScopeKeys, uiPassThroughKeys, type MeshlensConfig } from './types.js';

export const defaultTopic = 'meshcore/#';

/** A config that cannot be used; `problems` holds one line per error, key path first. */
export class ConfigError extends Error {
  readonly code = 'MESHLENS_ERR_CONFIG';
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(
      `${source}: ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n` +
        problems.map((p) => `  - ${p}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/** Values from command-line flags; they beat the environment and the file. */
export interface ConfigOverrides {
  port?: number | string;
  dbPath?: string;
}

export interface LoadConfigOptions {
  /** config.json to read. Without it `./config.json` is used when present, else defaults. */
  path?: string;
  env?: Record<string, string | undefined>;
  overrides?: ConfigOverrides;
}

export interface LoadedConfig {
  config: Readonly<MeshlensConfig>;
  /** Non-fatal findings (ignored or unknown keys), one line each. */
  warnings: string[];
  /** The file that was read, or null when only defaults and env were used. */
  path: string | null;
}

type Json = Record<string, unknown>;

const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
const validate = ajv.compile(configSchema);

export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig {
  const env = options.env ?? {};
  const path = options.path ?? (existsSync('config.json') ? 'config.json' : null);
  const file = path === null ? {} : readJsonObject(path);
  const source = path ?? 'configuration';

  // Where a value came from when it was not the file, for the error messages.
  const origins = new Map<string, string>();
  const input: Json = structuredClone(file);
  applyEnv(input, env, origins);
  if (options.overrides?.port !== undefined)
    set(input, 'port', toPort(options.overrides.port), '--port', origins);
  if (options.overrides?.dbPath !== undefined)
    set(input, 'dbPath', options.overrides.dbPath, '--db', origins);

  const problems: string[] = [];
  if (!validate(input)) {
    for (const e of validate.errors ?? []) problems.push(describe(e, origins));
  }
  problems.push(...semanticProblems(input, origins));
  if (problems.length > 0) throw new ConfigError(source, problems);

  const warnings: string[] = notYetUsedWarnings(input);
  stripComments(input);
  const ui: Json = {};
  const known = new Set(Object.keys(configSchema.properties as Json));
  for (const key of Object.keys(input)) {
    if (key.startsWith('_comment')) delete input[key];
    else if ((uiPassThroughKeys as readonly string[]).includes(key)) {
      ui[key] = input[key];
      delete input[key];
    } else if ((ignoredCoreScopeKeys as readonly string[]).includes(key)) {
      warnings.push(`${key}: CoreScope key not used by meshlens; ignored`);
      delete input[key];
    } else if (!known.has(key)) {
      const hint = suggest(key, [...known]);
      warnings.push(`${key}: unknown key, ignored${hint ? ` (did you mean '${hint}'?)` : ''}`);
      delete input[key];
    }
  }
  const config = merge(structuredClone(defaultConfig) as Json, input) as unknown as MeshlensConfig;
  config.ui = ui;
  return { config: deepFreeze(config), warnings, path };
}

function readJsonObject(path: string): Json {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(path, [`cannot read the file: ${(err as Error).message}`]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(path, [`invalid JSON: ${(err as Error).message}`]);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ConfigError(path, ['(top level): must be a JSON object']);
  return value as Json;
}

function applyEnv(input: Json, env: Record<string, string | undefined>, origins: Map<string, string>): void {
  const nonEmpty = (name: string) => (env[name] !== undefined && env[name] !== '' ? env[name] : undefined);
  const port = nonEmpty('PORT');
  if (port !== undefined) set(input, 'port', toPort(port), 'env PORT', origins);
  const db = nonEmpty('DB_PATH');
  if (db !== undefined) set(input, 'dbPath', db, 'env DB_PATH', origins);
  const key = nonEmpty('API_KEY');
  if (key !== undefined) set(input, 'apiKey', key, 'env API_KEY', origins);
  const keys = nonEmpty('CHANNEL_KEYS_PATH');
  if (keys !== undefined) set(input, 'channelKeysPath', keys, 'env CHANNEL_KEYS_PATH', origins);
  const cors = nonEmpty('CORS_ALLOWED_ORIGINS');
  if (cors !== undefined) {
    const list = cors
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    set(input, 'corsAllowedOrigins', list, 'env CORS_ALLOWED_ORIGINS', origins);
  }
  // MQTT_BROKER replaces every configured source (spec §1.5).
  const broker = nonEmpty('MQTT_BROKER');
  if (broker !== undefined) {
    delete input.mqtt;
    const topics = [nonEmpty('MQTT_TOPIC') ?? defaultTopic];
    set(input, 'mqttSources', [{ name: 'env', broker, topics }], 'env MQTT_BROKER', origins);
  }
}

function set(input: Json, key: string, value: unknown, origin: string, origins: Map<string, string>): void {
  input[key] = value;
  origins.set(key, origin);
}

/** A port string becomes a number only when it is all digits, so `PORT=abc` fails validation. */
function toPort(value: number | string): number | string {
  return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
}

/** Rules a schema cannot express. */
/**
 * `map.tileUrl` (optional, null = no tiles): an http(s) XYZ template with {z}, {x} and {y};
 * `map.attribution`: a string shown on the map. (`map` is otherwise a UI pass-through key.)
 */
export function mapTileProblems(map: unknown): string[] {
  if (!isPlainObject(map)) return [];
  const problems: string[] = [];
  const { tileUrl, attribution } = map as Json;
  if (tileUrl !== undefined && tileUrl !== null) {
    if (typeof tileUrl !== 'string' || !/^https?:\/\/[^/\s]+/i.test(tileUrl))
      problems.push(
        'map.tileUrl: must be an http(s) URL template such as https://tiles.example/{z}/{x}/{y}.png',
      );
    else {
      const missing = ['{z}', '{x}', '{y}'].filter((t) => !tileUrl.includes(t));
      if (missing.length > 0) problems.push(`map.tileUrl: the URL template lacks ${missing.join(', ')}`);
    }
  }
  if (attribution !== undefined && attribution !== null && typeof attribution !== 'string')
    problems.push('map.attribution: must be a string');
  return problems;
}

function semanticProblems(input: Json, origins: Map<string, string>): string[] {
  const problems: string[] = [];
  if (typeof input.apiKey === 'string' && input.apiKey !== '') {
    const reason = weakApiKeyReason(input.apiKey);
    if (reason) problems.push(`apiKey: too weak: ${reason}${from('apiKey', origins)}`);
  }
  if (Array.isArray(input.mqttSources)) {
    const seen = new Set<unknown>();
    const ids = new Set<unknown>();
    input.mqttSources.forEach((s: unknown, i) => {
      const name = (s as Json | null)?.name;
      if (typeof name === 'string' && seen.has(name))
        problems.push(`mqttSources[${i}].name: duplicate source name '${name}'`);
      seen.add(name);
      // Two clients with one id take the broker session from each other in turn.
      const id = (s as Json | null)?.clientId;
      if (typeof id === 'string' && ids.has(id))
        problems.push(`mqttSources[${i}].clientId: duplicate client id '${id}'`);
      ids.add(id);
    });
  }
  if (input.geo_filter !== undefined) {
    const parsed = parseGeoFilter(input.geo_filter);
    if ('problems' in parsed) problems.push(...parsed.problems.map((p) => `geo_filter.${p}`));
  }
  if (isPlainObject(input.areas)) {
    for (const [key, area] of Object.entries(input.areas)) {
      if (key.startsWith('_comment')) continue;
      const label = (area as Json).label;
      if (label !== undefined && typeof label !== 'string')
        problems.push(`areas.${key}.label: must be a string`);
      if (areaShape(area) === null)
        problems.push(
          `areas.${key}: needs a polygon of at least 3 [lat, lon] points or latMin, latMax, lonMin, lonMax`,
        );
    }
  }
  problems.push(...mapTileProblems(input.map));
  const broker = input.broker as Json | undefined;
  if (
    broker &&
    typeof broker === 'object' &&
    (broker.username === undefined) !== (broker.password === undefined)
  )
    problems.push('broker: username and password must be given together');
  // Issue 13 #5: one account per user name (a second would silently shadow the first).
  const users =
    broker && typeof broker === 'object' && Array.isArray(broker.users) ? (broker.users as Json[]) : [];
  const names = users.map((u) => (u && typeof u === 'object' ? u.username : undefined));
  if (typeof broker?.username === 'string') names.push(broker.username);
  for (const [i, n] of names.entries())
    if (typeof n === 'string' && names.indexOf(n) !== i)
      problems.push(`broker.users: user name '${n}' is given twice`);
  // issue 13: Node refuses a headers timeout longer than the whole-request timeout.
  const http = input.http as Json | undefined;
  if (http && typeof http === 'object') {
    const headers = http.headersTimeoutMs ?? defaultConfig.http.headersTimeoutMs;
    const request = http.requestTimeoutMs ?? defaultConfig.http.requestTimeoutMs;
    if (typeof headers === 'number' && typeof request === 'number' && request > 0 && headers > request)
      problems.push(`http.headersTimeoutMs: must not exceed http.requestTimeoutMs (${request})`);
    if (Array.isArray(http.trustProxy))
      http.trustProxy.forEach((a, i) => {
        if (typeof a === 'string' && !isProxyAddress(a))
          problems.push(
            `http.trustProxy[${i}]: '${a}' is not an IP address or CIDR (e.g. 127.0.0.1, 10.0.0.0/8)`,
          );
      });
  }
  return problems;
}

/** An IP address, a CIDR, or one of proxy-addr's names (loopback, linklocal, uniquelocal). */
function isProxyAddress(a: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(a)) return true;
  const [ip, bits, ...rest] = a.split('/');
  const v = isIP(ip);
  if (v === 0 || rest.length > 0) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (v === 4 ? 32 : 128));
}

const patternNames: Record<string, string> = {
  '^(mqtt|mqtts|ws|wss|tcp|ssl)://.+': 'an mqtt://, mqtts://, ws:// or wss:// URL',
  '^[0-9A-Fa-f]+$': 'hex digits',
};

/** One ajv error as `key.path[0]: problem`. */
function describe(e: ErrorObject, origins: Map<string, string>): string {
  let path = pointerToPath(e.instancePath);
  let problem: string;
  switch (e.keyword) {
    case 'additionalProperties': {
      const extra = String(e.params.additionalProperty);
      const allowed = Object.keys((e.parentSchema?.properties as Json | undefined) ?? {});
      path = path ? `${path}.${extra}` : extra;
      problem = `unknown key${allowed.length ? ` (allowed: ${allowed.join(', ')})` : ''}`;
      break;
    }
    case 'required': {
      const missing = String(e.params.missingProperty);
      path = path ? `${path}.${missing}` : missing;
      problem = 'is required';
      break;
    }
    case 'pattern':
      problem = `must be ${patternNames[String(e.params.pattern)] ?? `like ${e.params.pattern}`}`;
      break;
    case 'enum':
      problem = `must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
      break;
    default:
      problem = e.message ?? e.keyword;
  }
  return `${path || '(top level)'}: ${problem}${from(path, origins)}`;
}

function from(path: string, origins: Map<string, string>): string {
  const origin = origins.get(path.split(/[.[]/)[0]);
  return origin ? ` (from ${origin})` : '';
}

function pointerToPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');
}

/**
 * Keys meshlens accepts and validates but whose feature is not built yet (issue 10): reported at
 * start so an operator knows the value has no effect.
 */
function notYetUsedWarnings(input: Json): string[] {
  const out: string[] = [];
  if (isPlainObject(input.neighborGraph) && input.neighborGraph.maxAgeDays !== undefined)
    out.push(
      'neighborGraph.maxAgeDays: accepted, not used (the graph is rebuilt from the stored paths; edge age enters its score)',
    );
  if (input.defaultRegion !== undefined)
    out.push('defaultRegion: accepted, not used (CoreScope documents it for the UI but reads it nowhere)');
  return out;
}

/** Removes `_comment…` keys at every level (objects inside arrays too): they are documentation. */
function stripComments(value: unknown): void {
  if (Array.isArray(value)) {
    for (const v of value) stripComments(v);
  } else if (isPlainObject(value)) {
    for (const key of Object.keys(value)) {
      if (key.startsWith('_comment')) delete value[key];
      else stripComments(value[key]);
    }
  }
}

/** Recursively merges plain objects; arrays and scalars from `over` replace. */
function merge(base: Json, over: Json): Json {
  for (const [key, value] of Object.entries(over)) {
    if (key.startsWith('_comment')) continue;
    const current = base[key];
    base[key] = isPlainObject(current) && isPlainObject(value) ? merge(current, value) : value;
  }
  return base;
}

function isPlainObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** The closest known key within edit distance 2, for typo hints. */
function suggest(key: string, known: string[]): string | null {
  let best: string | null = null;
  let bestDistance = 3;
  for (const k of known) {
    const dist = editDistance(key.toLowerCase(), k.toLowerCase());
    if (dist < bestDistance) [best, bestDistance] = [k, dist];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}
