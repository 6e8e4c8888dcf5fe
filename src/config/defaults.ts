// The one defaults object (style-examples §9). Keys are CoreScope's where CoreScope has them
// (spec ingest-store-api §6), so an existing CoreScope config.json loads unchanged; keys of our
// own carry their unit in the name. The JSON schema in schema.ts takes its defaults from here.
import type { MeshlensConfig } from './types.js';

export const defaultConfig = {
  // HTTP
  port: 3000,
  /** Ours: the HTTP listen address (CoreScope listens on all interfaces). */
  host: '0.0.0.0',
  /** Empty: write routes answer 403 (spec §4.1). */
  apiKey: '',
  dbPath: 'data/meshcore.db',
  corsAllowedOrigins: [],
  /** gzip on by default (CoreScope: off, since Caddy compresses); see docs/compatibility.md. */
  compression: { gzip: true, websocket: false, level: 1, minSizeBytes: 1024, contentTypes: [] },

  // Ingest (spec §1.5, §1.9)
  mqttSources: [],
  /** Ours (issue 13): QoS 1 + persistent sessions, acks after commit, reconnect, stall watchdog. */
  mqttIngest: {
    qos: 1,
    persistentSession: true,
    maxReconnectDelayMs: 2000,
    silenceFloorSec: 60,
    silenceFactor: 10,
    redeliverAfterSec: 5,
    readyRequiresSources: true,
  },
  /** Ours: the embedded aedes broker; loopback only unless configured otherwise. */
  broker: { enabled: true, host: '127.0.0.1', port: 1883, users: [], allowAnonymous: 'auto' },
  /**
   * Ours: MQTT messages larger than this are rejected before parsing. A MeshCore frame is at
   * most 255 bytes (510 hex characters) and a status message under 2 KiB, so 16 KiB leaves room
   * for verbose uploaders.
   */
  maxMessageBytes: 16384,
  ingestBufferSize: 50000,
  /** Ours (issue 13 #5): new observers per source, a token bucket; newPerMinute 0 = no limit. */
  observerAdmission: { newPerMinute: 120, burst: 500 },
  observerIATAWhitelist: [],
  observerBlacklist: [],
  channelKeys: {},
  hashChannels: [],
  channelKeysPath: '',
  hashRegions: [],
  validateSignatures: true,
  foreignAdverts: { mode: 'flag' },
  clientRxCoverage: { enabled: false },

  // Store
  retention: {
    nodeDays: 7,
    observerDays: 14,
    packetDays: 0,
    metricsDays: 30,
    clientRxDays: 0,
    /** Ours (issue 13 #5): observers that never sent a valid packet are deleted this long after first sight; 0 = off. */
    observerNoPacketHours: 6,
  },
  metrics: { sampleIntervalSec: 300 },
  neighborEdgesMaxAgeDays: 5,
  neighborGraph: { maxAgeDays: 5, maxEdgeKm: 500, cacheRecomputeIntervalSeconds: 300 },

  // API
  nodeBlacklist: [],
  hiddenNamePrefixes: ['🚫'],
  listLimits: {
    packetsMax: 10000,
    nodesMax: 2000,
    analyticsMax: 200,
    channelMessagesMax: 500,
    bulkHealthMax: 200,
    /** Issue 13 #5: /api/observers pages (default page 1000). */
    observersMax: 5000,
  },
  /** Ours (issue 13): limits of the HTTP and WebSocket surface; see docs/security.md. */
  http: {
    maxConnections: 1024,
    headersTimeoutMs: 10_000,
    requestTimeoutMs: 30_000,
    connectionTimeoutMs: 60_000,
    keepAliveTimeoutMs: 72_000,
    maxRequestsPerSocket: 0,
    requestConcurrency: 4,
    heavyConcurrency: 4,
    heavyQueue: 128,
    heavyQueueTimeoutMs: 15_000,
    heavyRetryAfterSec: 2,
    heavyStallTimeoutMs: 15_000,
    rateLimit: { max: 300, windowSec: 60, allowList: [] },
    websocketBadMessages: { max: 10, windowSec: 10 },
    trustProxy: [],
  },
  healthThresholds: {
    infraDegradedHours: 24,
    infraSilentHours: 72,
    nodeDegradedHours: 1,
    nodeSilentHours: 24,
    relayActiveHours: 24,
    observerOnlineMinutes: 60,
    observerStaleMinutes: 1440,
  },
  batteryThresholds: { lowMv: 3300, criticalMv: 3000 },
  /** Seconds, CoreScope's names; passed to the client through /api/config/cache. */
  cacheTTL: {},
  regions: {},
  areas: {},
  /** Ours: per-route timing window and slow-request log (spec §4.1: 100 ms, last 50 kept). */
  perf: { windowSamples: 1000, slowRequestMs: 100, slowLogEntries: 50 },

  // Analytics (spec analytics §3.6)
  analytics: {
    defaultIntervalSeconds: 300,
    recomputeIntervalSeconds: {},
    loraPreset: { freq: 869.6e6, bw: 62.5, sf: 8, cr: 5 },
    // Engine (ours). workerThreads and snapshotReuseSeconds default by omission (see types.ts).
    maxCpuShare: 0.5,
    minRefreshSeconds: 5,
    cacheEntries: 256,
    urgentAgeSeconds: 10,
  },

  logLevel: 'info',
  /** Ours: the /api/known-channels catalogue file ('' = none; see known-channels.ts). */
  knownChannelsFile: '',
  // issue 9 r2: ours; hashtag channels discovered from #tags in decrypted text.
  channelDiscovery: { enabled: true, maxNames: 1000 },
  ui: {},
  // issue 13 i13a: ours.
  writer: {
    busyTimeoutMs: 5000,
    backlogOps: 20000,
    maxQueuedOps: 1000000,
    commitTimeoutMs: 10000,
    walLimitMB: 64,
  },
  createDbDir: false,
} satisfies MeshlensConfig;
