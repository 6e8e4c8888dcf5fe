// JSON schema of config.json (spec ingest-store-api §6), defaults taken from defaults.ts.
// Objects whose shape we define are closed (`additionalProperties: false`) so that a typo
// such as `retention.nodeDay` is an error naming the key; `_comment…` keys are allowed in
// every object as documentation. Unknown top-level keys are not schema errors: load.ts warns
// about them (CoreScope ignores unknown keys, and its configs must load unchanged).
import { defaultConfig as d } from './defaults.js';
import { ignoredCoreScopeKeys, recomputedAnalytics, uiPassThroughKeys } from './types.js';

type Schema = Record<string, unknown>;

const comments = { '^_comment': {} };
const int = (minimum: number, maximum?: number, dflt?: number): Schema => ({
  type: 'integer',
  minimum,
  ...(maximum === undefined ? {} : { maximum }),
  ...(dflt === undefined ? {} : { default: dflt }),
});
const num = (minimum?: number, dflt?: number): Schema => ({
  type: 'number',
  ...(minimum === undefined ? {} : { minimum }),
  ...(dflt === undefined ? {} : { default: dflt }),
});
const str = (extra: Schema = {}): Schema => ({ type: 'string', ...extra });
const bool = (dflt?: boolean): Schema => ({
  type: 'boolean',
  ...(dflt === undefined ? {} : { default: dflt }),
});
const strings = (item: Schema = str()): Schema => ({ type: 'array', items: item });
const hex = (extra: Schema = {}): Schema => str({ pattern: '^[0-9A-Fa-f]+$', ...extra });

/** A closed object: every property listed, `_comment…` keys allowed. */
function object(properties: Record<string, Schema>, required: string[] = []): Schema {
  return { type: 'object', properties, patternProperties: comments, additionalProperties: false, required };
}
/** A map with free keys and uniform values (`_comment…` keys are documentation, any value). */
const mapOf = (value: Schema): Schema => ({
  type: 'object',
  patternProperties: comments,
  additionalProperties: value,
});

const port = int(0, 65535);
const brokerUrl = str({ pattern: '^(mqtt|mqtts|ws|wss|tcp|ssl)://.+' });

const mqttSource = object(
  {
    name: str({ minLength: 1 }),
    broker: brokerUrl,
    username: str(),
    password: str(),
    rejectUnauthorized: bool(),
    topics: { ...strings(str({ minLength: 1 })), minItems: 1 },
    iataFilter: strings(),
    region: str(),
    connectTimeoutSec: num(0),
    qos: { enum: [0, 1] },
    clientId: str({ minLength: 1, maxLength: 256 }),
    persistentSession: bool(),
  },
  ['name', 'broker'],
);

export const configSchema: Schema = {
  type: 'object',
  properties: {
    port: int(0, 65535, d.port),
    host: str({ minLength: 1, default: d.host }),
    apiKey: str({ default: d.apiKey }),
    dbPath: str({ minLength: 1, default: d.dbPath }),
    corsAllowedOrigins: strings(str({ minLength: 1 })),
    compression: object({
      gzip: bool(d.compression.gzip),
      websocket: bool(d.compression.websocket),
      level: int(0, 9, d.compression.level),
      minSizeBytes: int(0, undefined, d.compression.minSizeBytes),
      contentTypes: strings(),
    }),

    mqtt: object({ broker: brokerUrl, topic: str({ minLength: 1 }) }, ['broker']),
    mqttSources: strings(mqttSource),
    mqttIngest: object({
      qos: { enum: [0, 1], default: d.mqttIngest.qos },
      persistentSession: bool(d.mqttIngest.persistentSession),
      maxReconnectDelayMs: int(50, 600_000, d.mqttIngest.maxReconnectDelayMs),
      silenceFloorSec: { type: 'number', minimum: 0.1, default: d.mqttIngest.silenceFloorSec },
      silenceFactor: { type: 'number', minimum: 1, default: d.mqttIngest.silenceFactor },
      redeliverAfterSec: { type: 'number', minimum: 0.1, default: d.mqttIngest.redeliverAfterSec },
      readyRequiresSources: bool(d.mqttIngest.readyRequiresSources),
    }),
    broker: object({
      enabled: bool(d.broker.enabled),
      host: str({ minLength: 1 }),
      port,
      username: str({ minLength: 1 }),
      password: str(),
      // Issue 13 #5: per-observer accounts and anonymous access (broker-auth.ts).
      users: strings(
        object(
          {
            username: str({ minLength: 1 }),
            password: str({ minLength: 1 }),
            topics: { ...strings(str({ minLength: 1, pattern: '^(?!.*#.)[^#]*#?$' })), minItems: 1 },
          },
          ['username', 'password'],
        ),
      ),
      allowAnonymous: { enum: [true, false, 'auto'] },
    }),
    maxMessageBytes: int(64, 16 * 1024 * 1024, d.maxMessageBytes),
    ingestBufferSize: int(1, undefined, d.ingestBufferSize),
    observerAdmission: object({ newPerMinute: num(0), burst: int(1) }),
    observerIATAWhitelist: strings(str({ minLength: 1 })),
    observerBlacklist: strings(hex({ minLength: 2, maxLength: 64 })),
    // A channel key is 16 bytes (spec packet-format §6).
    channelKeys: mapOf(hex({ minLength: 32, maxLength: 32 })),
    hashChannels: strings(str({ minLength: 1 })),
    channelKeysPath: str(),
    knownChannelsFile: str(),
    // issue 9 r2:
    channelDiscovery: object({
      enabled: bool(d.channelDiscovery.enabled),
      maxNames: int(0, 100000, d.channelDiscovery.maxNames),
    }),
    hashRegions: strings(str({ minLength: 1 })),
    validateSignatures: bool(d.validateSignatures),
    foreignAdverts: object({ mode: { enum: ['flag', 'drop'] } }),
    // Shape checked by geo-filter.ts (load.ts reports its problems under `geo_filter.`).
    geo_filter: { type: 'object' },
    clientRxCoverage: object({ enabled: bool(d.clientRxCoverage.enabled) }),

    retention: object({
      nodeDays: num(0),
      // -1 = never (spec §1.10).
      observerDays: num(-1),
      packetDays: num(0),
      metricsDays: num(0),
      clientRxDays: num(0),
      observerNoPacketHours: num(0),
    }),
    metrics: object({ sampleIntervalSec: int(1) }),
    neighborEdgesMaxAgeDays: num(0),
    // t2
    neighborGraph: object({ maxAgeDays: num(0), maxEdgeKm: num(), cacheRecomputeIntervalSeconds: num(1) }),

    nodeBlacklist: strings(hex({ minLength: 2, maxLength: 64 })),
    hiddenNamePrefixes: strings(str({ minLength: 1 })),
    listLimits: object(Object.fromEntries(Object.keys(d.listLimits).map((k) => [k, int(1)]))),
    // issue 13 (i13c)
    http: object({
      maxConnections: int(0, undefined, d.http.maxConnections),
      headersTimeoutMs: int(100, undefined, d.http.headersTimeoutMs),
      requestTimeoutMs: int(0, undefined, d.http.requestTimeoutMs),
      connectionTimeoutMs: int(0, undefined, d.http.connectionTimeoutMs),
      keepAliveTimeoutMs: int(1, undefined, d.http.keepAliveTimeoutMs),
      maxRequestsPerSocket: int(0, undefined, d.http.maxRequestsPerSocket),
      requestConcurrency: int(0, 100_000, d.http.requestConcurrency),
      heavyConcurrency: int(1, 1000, d.http.heavyConcurrency),
      heavyQueue: int(0, 10000, d.http.heavyQueue),
      heavyQueueTimeoutMs: int(0, 600_000, d.http.heavyQueueTimeoutMs),
      heavyRetryAfterSec: int(1, 3600, d.http.heavyRetryAfterSec),
      heavyStallTimeoutMs: int(0, undefined, d.http.heavyStallTimeoutMs),
      rateLimit: object({ max: int(0), windowSec: int(1, 86400), allowList: strings(str({ minLength: 1 })) }),
      websocketBadMessages: object({ max: int(1), windowSec: int(1, 3600) }),
      trustProxy: strings(str({ minLength: 1 })),
    }),
    healthThresholds: object(Object.fromEntries(Object.keys(d.healthThresholds).map((k) => [k, num(0)]))),
    batteryThresholds: object({ lowMv: int(0), criticalMv: int(0) }),
    cacheTTL: { type: 'object', patternProperties: comments, additionalProperties: num(0) },
    regions: mapOf(str()),
    // key -> { label?, polygon | latMin/latMax/lonMin/lonMax | bbox } (spec §4.3); load.ts checks the shape.
    areas: mapOf({ type: 'object' }),
    defaultRegion: str(),
    perf: object({ windowSamples: int(10, 100000), slowRequestMs: num(0), slowLogEntries: int(0, 10000) }),
    // issue 13 i13a
    writer: object({
      busyTimeoutMs: int(0, 600000),
      backlogOps: int(100),
      maxQueuedOps: int(1000),
      commitTimeoutMs: int(1, 600000),
      walLimitMB: num(1),
    }),
    createDbDir: bool(d.createDbDir),

    analytics: object({
      defaultIntervalSeconds: num(1),
      recomputeIntervalSeconds: object(Object.fromEntries(recomputedAnalytics.map((k) => [k, num(1)]))),
      loraPreset: object({ freq: num(0), bw: num(0), sf: int(5, 12), cr: int(5, 8) }),
      // Engine settings (no CoreScope equivalent).
      maxCpuShare: { type: 'number', exclusiveMinimum: 0, maximum: 1, default: d.analytics.maxCpuShare },
      minRefreshSeconds: num(0, d.analytics.minRefreshSeconds),
      workerThreads: int(1, 64),
      cacheEntries: int(1, undefined, d.analytics.cacheEntries),
      urgentAgeSeconds: num(0, d.analytics.urgentAgeSeconds),
      snapshotReuseSeconds: num(0),
    }),
    logLevel: { enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] },

    ...Object.fromEntries(uiPassThroughKeys.map((k) => [k, {}])),
    ...Object.fromEntries(ignoredCoreScopeKeys.map((k) => [k, {}])),
  },
  patternProperties: comments,
  // Unknown top-level keys are reported by load.ts with a hint, not by the schema.
  additionalProperties: true,
};
