// The shape of a loaded meshlens configuration (spec ingest-store-api §6). Every key that has
// a default is required here; optional keys are the ones CoreScope also treats as absent.

/** One entry of `mqttSources[]` (spec §1.5). */
export interface MqttSourceConfig {
  name: string;
  /** `mqtt://`, `mqtts://`, `ws://` or `wss://` URL. */
  broker: string;
  username?: string;
  password?: string;
  /** false skips TLS certificate verification. */
  rejectUnauthorized?: boolean;
  /** Default `['meshcore/#']`. */
  topics?: string[];
  /** Exact, case-sensitive IATA allow-list applied to packet messages only. */
  iataFilter?: string[];
  /** Fallback IATA when the topic carries none. */
  region?: string;
  /** Startup wait for the first connection, seconds (default 30). */
  connectTimeoutSec?: number;
  /** Subscription QoS (default `mqttIngest.qos`, 1): QoS 1 is acknowledged after the commit. */
  qos?: 0 | 1;
  /** MQTT client id (default `meshlens-<name>-<hash of the db path>`: stable across restarts). */
  clientId?: string;
  /** Persistent session, clean: false (default `mqttIngest.persistentSession`, true). */
  persistentSession?: boolean;
}

/** Ours (issue 13): delivery guarantees and resilience of every MQTT source. */
export interface MqttIngestConfig {
  /** Default subscription QoS of every source (1). */
  qos: 0 | 1;
  /** Default session kind: true = clean: false with a stable client id (true). */
  persistentSession: boolean;
  /** Reconnect backoff cap, ms (2000): doubles from 500 ms, with jitter. */
  maxReconnectDelayMs: number;
  /** Silence threshold floor, seconds (60): silent = no message for max(floor, factor x gap). */
  silenceFloorSec: number;
  /** Silence threshold factor over the expected gap between messages (10). */
  silenceFactor: number;
  /** After messages refused for capacity, reconnect this much later for their redelivery, s (5). */
  redeliverAfterSec: number;
  /** /api/healthz is ready only while every source is subscribed and not silent (true). */
  readyRequiresSources: boolean;
}

export interface BrokerConfig {
  enabled: boolean;
  host: string;
  port: number;
  username?: string;
  password?: string;
  /** Issue 13 #5: observers' accounts; `topics` limits where one may publish (MQTT patterns). */
  users: { username: string; password: string; topics?: string[] }[];
  /** Clients without credentials; 'auto': only when `host` is loopback and no account is configured. */
  allowAnonymous: boolean | 'auto';
}

export interface CompressionConfig {
  gzip: boolean;
  websocket: boolean;
  level: number;
  minSizeBytes: number;
  contentTypes: string[];
}

export interface RetentionConfig {
  nodeDays: number;
  observerDays: number;
  packetDays: number;
  metricsDays: number;
  clientRxDays: number;
  /** Issue 13 #5: hours after first sight that an observer without a valid packet is deleted; 0 = off. */
  observerNoPacketHours: number;
}

export interface ListLimitsConfig {
  packetsMax: number;
  nodesMax: number;
  analyticsMax: number;
  channelMessagesMax: number;
  bulkHealthMax: number;
  observersMax: number;
}

/**
 * issue 13 (i13c): limits of the HTTP and WebSocket surface (docs/security.md "Limits").
 * Timeouts are milliseconds; 0 disables a timeout or a cap where noted.
 */
export interface HttpLimitsConfig {
  /** Open TCP connections (HTTP and WebSocket together); more are closed at once. 0 = no cap. */
  maxConnections: number;
  /** Time to receive a request's headers; slower clients get 408 and are closed. */
  headersTimeoutMs: number;
  /** Time to receive a whole request (headers + body); 0 = none. At least headersTimeoutMs. */
  requestTimeoutMs: number;
  /** A connection with no traffic either way for this long is closed (a stalled reader too). */
  connectionTimeoutMs: number;
  /** An idle keep-alive connection is closed after this (above a proxy's upstream idle timeout). */
  keepAliveTimeoutMs: number;
  /** Requests per keep-alive connection; 0 = unlimited. */
  maxRequestsPerSocket: number;
  /**
   * Other API requests in progress at once (0 = no limit); more wait their turn in arrival
   * order. Bounds the work one event-loop turn can take under a crowd of clients, so ingest and
   * timers keep running every few ms. Health probes never wait.
   */
  requestConcurrency: number;
  /** Heavy requests (the list routes that can answer megabytes) in progress at once; more wait or get 503. */
  heavyConcurrency: number;
  /** Heavy requests that may wait for a slot (a burst); more get 503 at once. 0 = no waiting. */
  heavyQueue: number;
  /** The longest wait for a slot before 503. */
  heavyQueueTimeoutMs: number;
  /** Retry-After of that 503, seconds. */
  heavyRetryAfterSec: number;
  /** A heavy answer the client takes nothing of for this long is cut off (0 = never). */
  heavyStallTimeoutMs: number;
  /** Per client IP on the heavy routes: `max` requests per `windowSec` (max 0 = off); `allowList` IPs are exempt. */
  rateLimit: { max: number; windowSec: number; allowList: string[] };
  /** A WebSocket client sending more than `max` invalid messages within `windowSec` is closed (1008). */
  websocketBadMessages: { max: number; windowSec: number };
  /**
   * Reverse proxies (addresses or CIDRs) whose X-Forwarded-For is believed, so that the rate
   * limit counts per real client; empty: the peer address is the client (the default).
   */
  trustProxy: string[];
}

export interface HealthThresholdsConfig {
  infraDegradedHours: number;
  infraSilentHours: number;
  nodeDegradedHours: number;
  nodeSilentHours: number;
  relayActiveHours: number;
  observerOnlineMinutes: number;
  observerStaleMinutes: number;
}

export interface PerfConfig {
  /** Samples kept per route for the percentiles. */
  windowSamples: number;
  /** Requests slower than this go into the slow log (ms). */
  slowRequestMs: number;
  slowLogEntries: number;
}

/** Analytics engine settings under `analytics` (ours: CoreScope has no equivalent). */
export interface AnalyticsEngineConfig {
  /** Worker threads; absent: the pool's own default, min(2, cores - 1) and at least 1. */
  workerThreads?: number;
  /** Share of one core that data-driven refreshes may use, in (0, 1]. */
  maxCpuShare: number;
  /** Minimum seconds between data-driven refreshes of one analytic. */
  minRefreshSeconds: number;
  /** Entries in the on-request TTL cache (region / window / area shapes). */
  cacheEntries: number;
  /** Snapshot age beyond which its recompute runs at normal priority instead of niced. */
  urgentAgeSeconds: number;
  /**
   * How long a worker may reuse its snapshot and shared intermediates while data keeps
   * arriving; absent: twice minRefreshSeconds (a round of nine then builds them once).
   */
  snapshotReuseSeconds?: number;
}

export interface AnalyticsConfig extends AnalyticsEngineConfig {
  defaultIntervalSeconds: number;
  /** Per-analytic overrides: topology, rf, distance, channels, hashCollisions, ... */
  recomputeIntervalSeconds: Partial<Record<RecomputedAnalytic, number>>;
  loraPreset: { freq: number; bw: number; sf: number; cr: number };
}

export const recomputedAnalytics = [
  'topology',
  'rf',
  'distance',
  'channels',
  'hashCollisions',
  'hashSizes',
  'roles',
  'observersClockSkew',
  'nodesClockSkew',
  // t1:
  'subpaths',
  'repeaterUsefulness', // t3
  // t5
  'relayAirtimeShare',
  'scopeStats',
  // t2
  'neighborGraph',
] as const;
export type RecomputedAnalytic = (typeof recomputedAnalytics)[number];

export interface MeshlensConfig {
  port: number;
  host: string;
  apiKey: string;
  dbPath: string;
  corsAllowedOrigins: string[];
  compression: CompressionConfig;

  /** Legacy single broker; becomes the source named `default` (spec §1.5). */
  mqtt?: { broker: string; topic?: string };
  mqttSources: MqttSourceConfig[];
  mqttIngest: MqttIngestConfig;
  broker: BrokerConfig;
  maxMessageBytes: number;
  ingestBufferSize: number;
  /** Issue 13 #5: the budget of new observers per source (ingest/observer-admission.ts). */
  observerAdmission: { newPerMinute: number; burst: number };
  observerIATAWhitelist: string[];
  observerBlacklist: string[];
  channelKeys: Record<string, string>;
  hashChannels: string[];
  channelKeysPath: string;
  hashRegions: string[];
  validateSignatures: boolean;
  foreignAdverts: { mode: 'flag' | 'drop' };
  geo_filter?: Record<string, unknown>;
  /** Opt-in mobile RX coverage routes over client_receptions (spec §6; default off). */
  clientRxCoverage: { enabled: boolean };

  retention: RetentionConfig;
  metrics: { sampleIntervalSec: number };
  /** Days a `neighbor_edges` row lives after its last sighting (t2: pruned by retention). */
  neighborEdgesMaxAgeDays: number;
  /**
   * t2: the neighbour graph (spec §6). `maxEdgeKm`: edges whose two GPS ends are farther apart
   * are rejected (negative disables); `cacheRecomputeIntervalSeconds`: the background snapshots'
   * interval (unless `analytics.recomputeIntervalSeconds.neighborGraph` is set); `maxAgeDays`:
   * accepted, not used (the graph is rebuilt from stored paths; age enters the score).
   */
  neighborGraph: { maxAgeDays: number; maxEdgeKm: number; cacheRecomputeIntervalSeconds: number };

  nodeBlacklist: string[];
  hiddenNamePrefixes: string[];
  listLimits: ListLimitsConfig;
  /** issue 13: connection, timeout, concurrency and rate limits of HTTP and the WebSocket feed. */
  http: HttpLimitsConfig;
  healthThresholds: HealthThresholdsConfig;
  batteryThresholds: { lowMv: number; criticalMv: number };
  cacheTTL: Record<string, number>;
  regions: Record<string, string>;
  areas: Record<string, Record<string, unknown>>;
  defaultRegion?: string;
  perf: PerfConfig;

  analytics: AnalyticsConfig;
  logLevel: string;

  /**
   * i9b: an operator-supplied hashtag-channel catalogue for /api/known-channels: a JSON list of
   * `{name, region?, description?}`, read at start; '' = none (404). Replaces CoreScope's
   * `knownChannelsUrl`: meshlens never fetches it from the internet.
   */
  knownChannelsFile: string;

  // issue 9 r2:
  /**
   * Hashtag channels discovered from `#tags` in decrypted channel text (/api/channels,
   * `discovered: true`): on/off, and the most names kept (matched or not; more are dropped and
   * counted in /api/health `channelDiscovery.droppedMentions`).
   */
  channelDiscovery: { enabled: boolean; maxNames: number };

  /** UI pass-through keys (`uiPassThroughKeys`): accepted in any shape, served to the client. */
  ui: Record<string, unknown>;

  // issue 13 i13a:
  /** The SQLite writer's limits (durability contract: docs/architecture.md). */
  writer: WriterConfig;
  /** Create a missing parent directory of a configured dbPath (default false: refuse to start). */
  createDbDir: boolean;
}

/** issue 13 i13a: the SQLite writer thread. */
export interface WriterConfig {
  /** SQLite busy_timeout of the writer's connection: how long one attempt waits on a lock (ms). */
  busyTimeoutMs: number;
  /** Queued + in-flight operations at which ingest is refused/paused (clears at half). */
  backlogOps: number;
  /** Hard cap on queued operations (memory bound); past it writes are dropped and counted. */
  maxQueuedOps: number;
  /** POST /api/packets waits this long for its commit before answering 503 (ms). */
  commitTimeoutMs: number;
  /** The WAL is truncated once it passes this size (MiB), and when the writer is idle. */
  walLimitMB: number;
}

/** CoreScope's UI keys (spec §6 "S → client"): meshlens checks only that they are JSON. */
export const uiPassThroughKeys = [
  'branding',
  'theme',
  'themeDark',
  'nodeColors',
  'typeColors',
  'home',
  'markerStroke',
  'map',
  'tiles',
  'mapDarkTileProvider',
  'mapDefaults',
  'liveMap',
  'timestamps',
  'customizer',
  'roles',
  'snrThresholds',
  'distThresholds',
  'maxHopDist',
  'limits',
  'perfSlowMs',
  'wsReconnectMs',
  'cacheInvalidateMs',
  'externalUrls',
  'debugAffinity',
] as const;

/**
 * CoreScope keys that meshlens reads nothing from (yet): accepted with a warning so that a
 * CoreScope config.json loads unchanged.
 */
export const ignoredCoreScopeKeys = [
  'db',
  'packetStore',
  'runtime',
  'observersCache',
  'resolvedPath',
  'knownChannelsUrl',
  'knownChannelsRefreshMs',
  'https',
] as const;
