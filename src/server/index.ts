// startServer(), the composition root: one lifecycle unit per long-lived part (units.ts),
// started in the order listed in startServer and stopped in reverse by one Lifecycle.
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { AnalyticsService } from '../analytics/engine/service.js';
import { buildApp } from '../api/app.js';
import { PerfRecorder, SectionRegistry } from '../api/perf.js';
import { Readiness } from '../api/readiness.js';
import { analyticsRoutes } from '../api/routes/analytics.js';
import { RepeaterTable } from '../analytics/engine/repeater-table.js'; // t3
import { entityAnalyticsRoutes, metricsSummaryRoutes } from '../api/routes/entity-analytics.js'; // t4
import { backupRoutes } from '../api/routes/backup.js';
import { coreRoutes } from '../api/routes/core.js';
import { geoFilterRoutes } from '../api/routes/geo-filter.js';
import { iataCoordsRoutes } from '../api/routes/iata-coords.js';
import { ingestRoutes } from '../api/routes/ingest.js';
import { rxCoverageRoutes } from '../api/routes/rx-coverage.js';
import { docsRoutes } from '../api/routes/docs.js';
import { opsRoutes } from '../api/routes/ops.js';
// t2
import { neighborRoutes } from '../api/routes/neighbors.js';
import { neighborEdgePersister } from '../analytics/engine/neighbor-persist.js';
import type { BuildInfo, SourceLiveness, Telemetry } from '../api/telemetry.js';
import { WebsocketFeed } from '../api/websocket.js';
import { webUi } from '../api/web-ui.js';
import { loadKnownChannels, type KnownChannel, type MeshlensConfig } from '../config/index.js';
import { GeoFilterStore } from '../config/geo-filter.js';
import type { SourceHandle } from '../ingest/ingest-thread.js';
import { keyringFromConfig } from '../ingest/keyring-config.js';
import type { IngestPipeline } from '../ingest/pipeline.js';
import { RejectionCounter } from '../ingest/rejections.js';
import { TransportScopes } from '../ingest/transport-scopes.js';
import { MemoryReadModel, type MemoryStore } from '../store/memory/index.js';
import type { ObserverMetricsSource, ReceptionSource } from '../store/read-model.js';

import type { SqliteWriterThread } from '../store/sqlite/index.js';
import { Lifecycle, type Log, type UnitRecord } from '../util/lifecycle.js';
import {
  AnalyticsUnit,
  BrokerUnit,
  DatabaseUnit,
  DemoUnit,
  HttpUnit,
  IngestUnit,
  SqliteReadersUnit,
  PipelineUnit,
  RetentionUnit,
  ChannelDiscoveryUnit,
  StoreLoadUnit,
  StoreUnit,
  WriterUnit,
} from './units.js';

export type { Log } from '../util/lifecycle.js';

export interface StartOptions {
  /** The built web UI (default: this package's web/dist). */
  webRoot?: string;
  log?: Log;
  version?: string;
  /** Start analytics workers (default true; some integration tests switch them off). */
  analytics?: boolean;
  /** Delays the analytics' first pass until this settles (tests of the UI's warming-up state:
   *  a server whose analytics are not computed yet, deterministically). */
  holdAnalytics?: Promise<void>;
  /** Demo mode: feed the embedded broker live simulated traffic (see demoConfig). */
  demo?: { ratePerSec?: number; seed?: number };
  /** The config.json the config came from (loadConfig's `path`): PUT /api/config/geo-filter
   *  rewrites it. Null/absent: meshlens runs without a file and that PUT answers 409. */
  configPath?: string | null;
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
  /** The geo filter in force (config `geo_filter`, replaced by PUT /api/config/geo-filter). */
  geoFilter: GeoFilterStore;
  /** Resolves when the startup load SQLite -> memory has finished (rejects if it failed). */
  loaded: Promise<void>;
  /** Each unit's name, state and start/stop durations, in start order. */
  units(): UnitRecord[];
  /** Issue 13 #5: one retention pass now (tests; it also runs at start and hourly). */
  runRetention(): Promise<void>;
  /** Stops everything; safe to call repeatedly. */
  stop(): Promise<void>;
}

/**
 * Starts, in this order: SQLite (migrate, max ids) -> writer thread -> memory store + loader ->
 * ingest pipeline -> retention -> analytics -> HTTP (listens at once) -> the store load ->
 * MQTT broker -> demo feed -> MQTT sources. The load runs in the background; the queue drain,
 * retention and analytics begin when it ends, and MQTT messages queue until then (spec §1.9).
 * A failing unit stops those before it; stop() undoes everything in reverse, once.
 */
export async function startServer(
  config: Readonly<MeshlensConfig>,
  options: StartOptions = {},
): Promise<RunningServer> {
  const log: Log = options.log ?? (() => undefined);
  // A bad catalogue is a config error before anything starts (ConfigError names each problem).
  const knownChannels = config.knownChannelsFile === '' ? null : loadKnownChannels(config.knownChannelsFile);
  const u = serverUnits(config, options, log);
  const api = apiUnit(config, options, u, knownChannels);
  const lifecycle = new Lifecycle({ log });
  const order = [
    u.database,
    u.writer,
    u.metrics,
    u.store,
    u.pipeline,
    u.retention,
    u.channelDiscovery,
    u.analytics,
    api.http,
    u.load,
    u.broker,
    u.demo,
    u.ingest,
  ];
  await lifecycle.start(order.filter((unit): unit is NonNullable<typeof unit> => unit !== null));

  const sources = u.ingest.sources;
  const broker = u.broker?.broker ?? null;
  api.section('mqtt', () => ({ sources: sources.map((s) => s.status()), broker: broker?.stats() ?? null }));
  return {
    url: api.http.url,
    brokerUrl: broker ? broker.url : null,
    app: api.http.app,
    rejections: u.rejections,
    sources,
    store: u.store.store,
    pipeline: u.pipeline.pipeline,
    writer: u.writer.writer,
    geoFilter: u.geoFilter,
    loaded: u.load.loaded,
    units: () => lifecycle.records(),
    runRetention: () => u.retention.scheduler.runOnce(),
    stop: () => lifecycle.stop(),
  };
}

type ServerUnits = ReturnType<typeof serverUnits>;

/** Every unit but HTTP, built (not started); each gets the earlier units it reads. */
function serverUnits(config: Readonly<MeshlensConfig>, options: StartOptions, log: Log) {
  const keyring = keyringFromConfig(config);
  const rejections = new RejectionCounter();
  // Shared by ingest (ADVERT GPS check, spec §1.12) and the API (GET/PUT geo-filter).
  const geoFilter = GeoFilterStore.fromConfig(config.geo_filter);
  const database = new DatabaseUnit(config.dbPath, log);
  const writer = new WriterUnit(config, log);
  const metrics = new SqliteReadersUnit(config.dbPath, config.clientRxCoverage.enabled);
  const store = new StoreUnit(database, loadLogger(log));
  const load = new StoreLoadUnit({ database, writer, store }, log);
  const pipeline = new PipelineUnit(
    { database, writer, store, load },
    {
      keyring,
      validateSignatures: config.validateSignatures,
      scopes: new TransportScopes(config.hashRegions),
      geoFilter,
      foreignAdverts: config.foreignAdverts.mode,
      rejections,
      bufferSize: config.ingestBufferSize,
      observerAdmission: config.observerAdmission,
      log,
    },
  );
  const retention = new RetentionUnit(
    { writer, load, pipeline },
    config.retention,
    log,
    config.neighborEdgesMaxAgeDays,
  );
  // r2: hashtag channels discovered from #tags (null when channelDiscovery.enabled is false).
  const channelDiscovery = config.channelDiscovery.enabled
    ? new ChannelDiscoveryUnit(
        { store, load, pipeline },
        { maxNames: config.channelDiscovery.maxNames, configured: keyring },
      )
    : null;
  // t2: each neighbour table's changed edges go to neighbor_edges through the writer thread.
  const persist = neighborEdgePersister((e) => writer.writer.upsertNeighborEdge(e));
  const analytics =
    options.analytics === false
      ? null
      : new AnalyticsUnit({ store, load }, config, log, persist, options.holdAnalytics);
  const broker = config.broker.enabled ? new BrokerUnit(config.broker) : null;
  const demo = options.demo && broker ? new DemoUnit(broker, options.demo, log) : null;
  const ingest = new IngestUnit({ pipeline, broker }, config, log);
  return {
    keyring,
    rejections,
    geoFilter,
    database,
    writer,
    metrics,
    store,
    load,
    pipeline,
    retention,
    channelDiscovery,
    analytics,
    broker,
    demo,
    ingest,
  };
}

/** The HTTP unit with what it serves beside the routes: /api/health and /api/perf sections,
 *  readiness (/api/healthz) and the WebSocket feed (a root plugin of the app). */
function apiUnit(
  config: Readonly<MeshlensConfig>,
  options: StartOptions,
  u: ServerUnits,
  knownChannels: readonly KnownChannel[] | null,
) {
  const perf = new PerfRecorder(config.perf);
  const health = new SectionRegistry();
  const readiness = new Readiness();
  const section = (name: string, provider: () => unknown) => {
    health.register(name, provider);
    perf.sections.register(name, provider);
  };
  // One read model for the routes and the live feed; rows kept only in SQLite (dropped_packets)
  // are read in the writer thread.
  const model = new MemoryReadModel(u.store.store, config, {
    metrics: u.metrics,
    receptions: u.metrics.receptions,
    droppedPackets: (q) => u.writer.writer.droppedPackets(q),
    channelDiscovery: u.channelDiscovery?.discovery ?? null,
  });
  const feed = new WebsocketFeed({
    subscribe: (l) => u.pipeline.pipeline.onObservation(l),
    corsAllowedOrigins: config.corsAllowedOrigins,
    perMessageDeflate: config.compression.websocket,
    resolveHops: (hops) => model.resolveHopPrefixes(hops),
    badMessages: {
      max: config.http.websocketBadMessages.max,
      windowMs: config.http.websocketBadMessages.windowSec * 1000,
    },
  });
  // Sections in the order /api/health shows them ('mqtt' comes once the sources exist). They
  // are read only while HTTP serves, when every unit started before it is up.
  if (options.demo)
    section('demo', () => ({ demo: true, dbPath: config.dbPath, feed: u.demo?.stats() ?? null }));
  readiness.register('store', () => u.store.loader.status());
  // Ready means subscribed: every MQTT source has its SUBACK and is not silent (issue 13).
  readiness.register('mqtt', () => u.ingest.readiness());
  section('store', () => ({ load: u.store.loader.status().progress, memory: u.store.store.memory() }));
  section('writer', () => u.writer.writer.stats());
  section('retention', () => u.retention.scheduler.stats());
  section('ingest', () => ({ ...u.pipeline.pipeline.stats(), rejected: u.rejections.snapshot().byCode }));
  section('rejections', () => u.rejections.snapshot());
  const discovery = u.channelDiscovery?.discovery ?? null;
  section('channelDiscovery', () => discovery?.stats() ?? { enabled: false });
  const analytics = u.analytics;
  if (analytics) section('analytics', () => analytics.service.stats());
  section('websocket', () => feed.stats());

  const http = new HttpUnit(config, () =>
    buildApp({
      config,
      perf,
      health,
      readiness,
      version: options.version ?? packageVersion(),
      telemetry: serverTelemetry(u),
      logger: { level: config.logLevel === 'info' ? 'warn' : config.logLevel },
      routes: apiRoutes({
        model,
        config,
        keyring: u.keyring,
        ready: () => u.store.isLoaded(),
        rejections: u.rejections,
        pipeline: u.pipeline.pipeline,
        writer: u.writer.writer,
        analytics: analytics?.service ?? null,
        knownChannels,
        geoFilter: u.geoFilter,
        configPath: options.configPath ?? null,
        sources: () => u.ingest.sources,
      }),
      rootPlugins: [feed.plugin(), webUi(options.webRoot)],
    }),
  );
  return { http, section };
}

/** What the API routes are built from; the one place that wires route dependencies. */
interface ApiRouteDeps {
  model: MemoryReadModel;
  config: Readonly<MeshlensConfig>;
  keyring: ReturnType<typeof keyringFromConfig>;
  ready: () => boolean;
  rejections: RejectionCounter;
  pipeline: IngestPipeline;
  writer: SqliteWriterThread;
  analytics: AnalyticsService | null;
  knownChannels: readonly KnownChannel[] | null;
  geoFilter: GeoFilterStore;
  configPath: string | null;
  sources: () => SourceHandle[];
}

function apiRoutes(d: ApiRouteDeps) {
  const { model, config, keyring, ready, rejections, pipeline, writer, analytics, geoFilter } = d;
  return [
    coreRoutes({
      model,
      config,
      keyring,
      ready,
      signatureDrops: () => rejections.count('advert_bad_signature'),
      knownChannels: d.knownChannels,
      geoFilter,
      // t3: relay fields and usefulness axes on /api/nodes from the background analytic.
      repeaters: analytics ? new RepeaterTable(analytics) : null,
      // t2
      ...(analytics
        ? { affinity: (a: string, b: string) => analytics.neighborIndex()?.edge(a, b) ?? null }
        : {}),
      packetFilter: analytics ? (ast, key) => analytics.packetFilter(ast, key) : null,
    }),
    iataCoordsRoutes(),
    geoFilterRoutes({
      apiKey: config.apiKey,
      store: geoFilter,
      configPath: d.configPath,
      prune: analytics
        ? {
            preview: (filter) => analytics.geoPrunePreview(filter),
            deleteNodes: (pubkeys) => writer.deleteNodes(pubkeys),
          }
        : null,
    }),
    ingestRoutes({ pipeline, ready, writer, commitTimeoutMs: config.writer.commitTimeoutMs }),
    backupRoutes({ backup: (path) => writer.backup(path) }),
    rxCoverageRoutes({ model, config, now: Date.now, ready }),
    opsRoutes({
      model,
      sources: () => d.sources().map((s) => s.status()),
      writerIo: () => writer.threadIo(),
      sqlite: () => writer.sqliteStats(),
      walPages: () => writer.stats().checkpoints.walPages ?? null,
      writeSources: () => writeSources(pipeline, writer, rejections),
      maxDroppedLimit: config.listLimits.packetsMax,
    }),
    docsRoutes(),
    ...(analytics
      ? [
          analyticsRoutes({
            service: analytics,
            areas: config.areas,
            analyticsMax: config.listLimits.analyticsMax, // t1
          }),
        ]
      : []),
    // t2
    ...(analytics ? [neighborRoutes({ model, neighbors: () => analytics.neighborIndex() })] : []),
    // t4: per-node / per-observer analytics (worker pool) and the RF-health fleet summary.
    ...(analytics ? [entityAnalyticsRoutes({ service: analytics, model })] : []),
    metricsSummaryRoutes({ model, config, ready }),
  ];
}

/** CoreScope's ingestor counters (/api/perf/write-sources) from the pipeline and the writer. */
function writeSources(pipeline: IngestPipeline, writer: SqliteWriterThread, rejections: RejectionCounter) {
  const p = pipeline.stats();
  const w = writer.stats();
  return {
    sources: {
      tx_inserted: p.transmissionsNew,
      tx_dupes: p.observationsNew + p.redeliveries - p.transmissionsNew,
      obs_inserted: p.observationsNew,
      // Not counted separately: node and observer upserts ride in the writer's batches.
      node_upserts: null,
      observer_upserts: null,
      write_errors: w.writeErrors,
      sig_drops: rejections.count('advert_bad_signature'),
      walCommits: w.batches,
      groupCommitFlushes: w.batchesPosted,
    },
    writer_perf: {
      sqlite_writer: {
        batches: w.batches,
        ops_written: w.opsWritten,
        rows_written: w.rowsWritten,
        write_errors: w.writeErrors,
        errors_by_code: w.errorsByCode,
        pending_ops: w.pendingOps,
        last_batch_ms: w.lastBatchMs,
        max_batch_ms: w.maxBatchMs,
        max_commit_ms: w.maxCommitMs,
        worker_lag_ms: Math.round(w.workerLagMs * 10) / 10,
        overloaded: w.overloaded,
        dropped_ops: w.droppedOps,
      },
      wal_checkpointer: { ...w.checkpoints },
      ingest_pipeline: {
        packets: p.packets,
        rejected: p.rejected,
        mean_packet_us: p.meanPacketUs,
        max_packet_ms: p.maxPacketMs,
        queue: p.queue,
      },
    },
  };
}

/** What /api/health, /api/healthz and /api/perf show beside the route timings. */
function serverTelemetry(u: ServerUnits): Telemetry {
  const store = u.store.store;
  return {
    build: buildInfo(),
    store: () => {
      const mem = store.memory();
      return {
        transmissions: store.transmissionCount,
        observations: store.observationCount,
        estimatedBytes: mem.totalBytes,
        inserts: u.pipeline.pipeline.stats().transmissionsNew,
        indexes: {
          byHash: store.transmissionCount,
          byObserver: mem.rows.observers,
          byNode: mem.rows.nodes,
          advertByObserver: null,
        },
      };
    },
    storeMemory: () => store.memory(),
    writer: () => u.writer.writer.stats(), // issue 13 i13a: degraded in /api/health(z)
    cache: () => {
      const a = u.analytics?.service.stats() ?? null;
      if (a === null) return { entries: 0, hits: 0, misses: 0, staleHits: 0, recomputes: 0 };
      return {
        entries: a.cache.size,
        hits: a.cache.hits,
        misses: a.cache.misses,
        // The TTL cache never serves an expired entry.
        staleHits: 0,
        recomputes: a.analytics.reduce((n, s) => n + s.runs, 0),
      };
    },
    ingestLiveness: () => {
      const out: Record<string, SourceLiveness> = {};
      for (const s of u.ingest.sources) {
        const st = s.status();
        out[st.name] = {
          lastReceiptUnix: st.lastPacketMs === null ? 0 : Math.floor(st.lastPacketMs / 1000),
          lastMessageUnix: st.lastHandledMs === null ? 0 : Math.floor(st.lastHandledMs / 1000),
        };
      }
      return out;
    },
    sqlite: async () => {
      const s = await u.writer.writer.sqliteStats();
      const rows = store.memory().rows;
      const mb = (b: number) => Math.round((b / 1048576) * 1000) / 1000;
      return {
        dbSizeMB: mb(s.pageCount * s.pageSize),
        walSizeMB: mb(s.walSize),
        freelistMB: mb(s.freelistCount * s.pageSize),
        walPages: u.writer.writer.stats().checkpoints.walPages ?? null,
        // Rows as loaded and ingested (the memory store holds every stored row).
        rows,
      };
    },
  };
}

/** dist/build-info.json, written by `npm run build` (scripts/build-info.mjs); nulls without it. */
function buildInfo(): BuildInfo {
  try {
    const raw = JSON.parse(
      readFileSync(new URL('../build-info.json', import.meta.url), 'utf8'),
    ) as Partial<BuildInfo>;
    return {
      commit: typeof raw.commit === 'string' ? raw.commit : null,
      buildTime: typeof raw.buildTime === 'string' ? raw.buildTime : null,
    };
  } catch {
    return { commit: null, buildTime: null };
  }
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

function packageVersion(): string {
  try {
    return JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;
  } catch {
    return '0.0.0';
  }
}
