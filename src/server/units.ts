// The server's lifecycle units (src/util/lifecycle.ts): one small adapter per long-lived part,
// around the existing classes, which it only calls. startServer (index.ts) lists them in start
// order and stops them in reverse. A unit is given the earlier units it needs and reads them in
// start(), when they are up; what it builds is reachable through a getter once it has started.
import type { FastifyInstance } from 'fastify';
import { AnalyticsService } from '../analytics/engine/service.js';
import type { NeighborTable } from '../analytics/compute/neighbor-graph.js';
import type { MeshlensConfig } from '../config/index.js';
import { EmbeddedBrokerThread } from '../ingest/broker-thread.js';
import { IngestWorker, type SourceHandle } from '../ingest/ingest-thread.js';
import { IngestPipeline, type PipelineOptions } from '../ingest/pipeline.js';
import { resolveSources, withDelivery } from '../ingest/sources.js';
import type { DemoFeed } from '../sim/demo.js';
import { StoreLoader, type LoadResult } from '../store/load/loader.js';
import { ChannelDiscovery, MemoryStore } from '../store/memory/index.js';
import type { ChannelKeyring } from '../protocol/index.js';
import { RetentionScheduler } from '../store/retention-scheduler.js';
import {
  migrate,
  ClientReceptionReader,
  ObserverMetricsReader,
  openDatabase,
  readMaxIds,
  SqliteWriterThread,
  type Db,
  type MaxIds,
} from '../store/sqlite/index.js';
import type { ObserverMetricsSource } from '../store/read-model.js';
import type { ObserverMetricsSample } from '../store/records.js';
import type { LifecycleUnit, Log } from '../util/lifecycle.js';

type Config = Readonly<MeshlensConfig>;

function up<T>(value: T | null, unit: string): T {
  if (value === null) throw new Error(`${unit} is not running`);
  return value;
}

/** SQLite: open, additive migrations, and the max ids ingest continues from. The connection
 *  only serves the startup load, which closes it as soon as it is done. */
export class DatabaseUnit implements LifecycleUnit {
  readonly name = 'database';
  #db: Db | null = null;
  #maxIds: MaxIds | null = null;

  constructor(
    private readonly path: string,
    private readonly log: Log,
  ) {}

  get db(): Db {
    return up(this.#db, this.name);
  }

  get maxIds(): MaxIds {
    return up(this.#maxIds, this.name);
  }

  start(): void {
    const db = openDatabase(this.path);
    try {
      const migration = migrate(db);
      const changes = [...migration.createdTables, ...migration.addedColumns];
      if (changes.length > 0) this.log('info', `database ${this.path}: migrated (${changes.join(', ')})`);
      this.#maxIds = readMaxIds(db);
    } catch (err) {
      db.close();
      throw err;
    }
    this.#db = db;
  }

  /** Closes the connection (idempotent: the load closes it early). */
  stop(): void {
    this.#db?.close();
    this.#db = null;
  }
}

/** The SQLite writer thread: every write goes through it. */
export class WriterUnit implements LifecycleUnit {
  readonly name = 'writer thread';
  #writer: SqliteWriterThread | null = null;

  constructor(
    private readonly config: Config,
    private readonly log: Log,
  ) {}

  get writer(): SqliteWriterThread {
    return up(this.#writer, this.name);
  }

  start(): void {
    this.#writer = new SqliteWriterThread(this.config.dbPath, {
      log: (m) => this.log('warn', m),
      writer: { metricsBucketMs: this.config.metrics.sampleIntervalSec * 1000 },
      // issue 13 i13a
      busyTimeoutMs: this.config.writer.busyTimeoutMs,
      backlogOps: this.config.writer.backlogOps,
      maxQueuedOps: this.config.writer.maxQueuedOps,
      walLimitBytes: this.config.writer.walLimitMB * 1024 * 1024,
    });
  }

  stop(): Promise<void> | undefined {
    return this.#writer?.close();
  }
}

/**
 * What the read model reads from SQLite because the memory store does not hold it, each on a
 * read-only connection of its own with bounded, indexed range reads: observer_metrics
 * (store/sqlite/metrics-reader.ts) and, when RX coverage is on, client_receptions
 * (store/sqlite/client-receptions.ts, opened on first use). Started after the database unit has
 * migrated the file; the read model calls them per request.
 */
export class SqliteReadersUnit implements LifecycleUnit, ObserverMetricsSource {
  readonly name = 'sqlite readers';
  #reader: ObserverMetricsReader | null = null;
  /** client_receptions, or null when clientRxCoverage is off. */
  readonly receptions: ClientReceptionReader | null;

  constructor(
    private readonly path: string,
    rxCoverage: boolean,
  ) {
    this.receptions = rxCoverage ? new ClientReceptionReader(path) : null;
  }

  start(): void {
    this.#reader = new ObserverMetricsReader(this.path);
  }

  stop(): void {
    this.#reader?.close();
    this.#reader = null;
    this.receptions?.close();
  }

  samples(observerId: string, fromMs: number, toMs: number, maxRows: number): ObserverMetricsSample[] {
    return up(this.#reader, this.name).samples(observerId, fromMs, toMs, maxRows);
  }

  previous(observerId: string, beforeMs: number): ObserverMetricsSample | null {
    return up(this.#reader, this.name).previous(observerId, beforeMs);
  }

  // t4
  fleetAggregates(fromMs: number, toMs: number, maxRows: number) {
    return up(this.#reader, this.name).fleetAggregates(fromMs, toMs, maxRows);
  }
}

/** The in-memory store (readers see every accepted frame at once) and its loader, which the
 *  'store load' unit runs once HTTP listens. Nothing to stop: the store is plain memory. */
export class StoreUnit implements LifecycleUnit {
  readonly name = 'memory store';
  readonly store = new MemoryStore();
  #loader: StoreLoader | null = null;

  constructor(
    private readonly database: DatabaseUnit,
    private readonly onProgress: (p: { phase: string; rowsLoaded: number; rowsTotal: number }) => void,
  ) {}

  get loader(): StoreLoader {
    return up(this.#loader, this.name);
  }

  /** True once the load has finished: the gate of data routes, ingest and analytics. */
  isLoaded(): boolean {
    return this.#loader?.progress.phase === 'done';
  }

  start(): void {
    this.#loader = new StoreLoader(this.database.db, this.store, { onProgress: this.onProgress });
  }

  stop(): void {}
}

/**
 * The startup load SQLite -> memory, begun once HTTP listens (spec §1.9); /api/healthz is 503
 * until it ends. When it ends, the read connection closes and the units that waited for it
 * begin (queue drain, retention, analytics: they call afterLoad() in their start, so in start
 * order). A load cannot be cancelled: those units wait for it in their own stop, which runs
 * after HTTP has closed, so this unit's stop has nothing to do.
 */
export class StoreLoadUnit implements LifecycleUnit {
  readonly name = 'store load';
  readonly #afterLoad: (() => void)[] = [];
  #loaded: Promise<void> | null = null;

  constructor(
    private readonly parts: { database: DatabaseUnit; writer: WriterUnit; store: StoreUnit },
    private readonly log: Log,
  ) {}

  /** Resolves when the load has finished (rejects if it failed). */
  get loaded(): Promise<void> {
    return up(this.#loaded, this.name);
  }

  /** Resolves once the load has ended either way (at once when it never began). */
  settled(): Promise<void> {
    return this.#loaded?.catch(() => undefined) ?? Promise.resolve();
  }

  /** Runs `begin` right after a successful load. */
  afterLoad(begin: () => void): void {
    this.#afterLoad.push(begin);
  }

  start(): void {
    this.#loaded = this.#load();
    this.#loaded.catch((err: Error) => this.log('error', `store load failed: ${err.message}`));
  }

  stop(): void {}

  async #load(): Promise<void> {
    const { database, writer, store } = this.parts;
    let result: LoadResult;
    try {
      await writer.writer.ready();
      result = await store.loader.run();
    } finally {
      database.stop(); // the load was the connection's last reader
    }
    const c = result.counts;
    this.log(
      'info',
      `store loaded in ${Math.round(result.totalMs)} ms: ${c.transmissions} transmissions, ${c.observations} observations, ${c.nodes} nodes, ${c.observers} observers`,
    );
    for (const begin of this.#afterLoad) begin();
  }
}

/** Ingest: parse -> bounded queue -> pipeline -> memory + writer. The queue buffers MQTT
 *  messages until the load ends, then drains; stop lets it drain what it holds. */
export class PipelineUnit implements LifecycleUnit {
  readonly name = 'ingest pipeline';
  #pipeline: IngestPipeline | null = null;

  constructor(
    private readonly parts: {
      database: DatabaseUnit;
      writer: WriterUnit;
      store: StoreUnit;
      load: StoreLoadUnit;
    },
    private readonly options: Omit<PipelineOptions, 'memory' | 'writer' | 'maxIds'>,
  ) {}

  get pipeline(): IngestPipeline {
    return up(this.#pipeline, this.name);
  }

  start(): void {
    const { database, writer, store, load } = this.parts;
    const pipeline = new IngestPipeline({
      ...this.options,
      memory: store.store,
      writer: writer.writer,
      maxIds: database.maxIds,
    });
    load.afterLoad(() => pipeline.start());
    this.#pipeline = pipeline;
  }

  async stop(): Promise<void> {
    await this.parts.load.settled();
    if (this.parts.store.isLoaded()) await this.pipeline.idle();
  }
}

/**
 * r2: hashtag channels discovered from #tags in decrypted text (store/memory/channel-discovery.ts).
 * Built with the units (the read model holds it); once the store is loaded it walks the stored
 * rows in slices, then each new GRP_TXT transmission the pipeline appends.
 */
export class ChannelDiscoveryUnit implements LifecycleUnit {
  readonly name = 'channel discovery';
  readonly discovery: ChannelDiscovery;
  #unsubscribe: (() => void) | null = null;

  constructor(
    private readonly parts: { store: StoreUnit; load: StoreLoadUnit; pipeline: PipelineUnit },
    options: { maxNames: number; configured: ChannelKeyring },
  ) {
    this.discovery = new ChannelDiscovery(parts.store.store, options);
  }

  start(): void {
    const discovery = this.discovery;
    this.#unsubscribe = this.parts.pipeline.pipeline.onObservation((e) => {
      if (e.isNewTransmission && e.packet.header.payloadType === 5) discovery.poke();
    });
    this.parts.load.afterLoad(() => discovery.start());
  }

  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.discovery.stop();
  }
}

/** Retention: at start (once loaded) and hourly, in the writer thread. */
export class RetentionUnit implements LifecycleUnit {
  readonly name = 'retention scheduler';
  #scheduler: RetentionScheduler | null = null;

  constructor(
    private readonly parts: { writer: WriterUnit; load: StoreLoadUnit; pipeline?: PipelineUnit },
    private readonly config: Config['retention'],
    private readonly log: Log,
    /** t2: neighborEdgesMaxAgeDays. */
    private readonly neighborEdgesDays = 0,
  ) {}

  get scheduler(): RetentionScheduler {
    return up(this.#scheduler, this.name);
  }

  start(): void {
    const { writer, load } = this.parts;
    const scheduler = new RetentionScheduler({
      config: {
        packetDays: this.config.packetDays,
        metricsDays: this.config.metricsDays,
        nodeDays: this.config.nodeDays,
        observerDays: this.config.observerDays,
        clientRxDays: this.config.clientRxDays,
        neighborEdgesDays: this.neighborEdgesDays,
        observerNoPacketHours: this.config.observerNoPacketHours,
      },
      run: (c) => writer.writer.applyRetention(c),
      // Issue 13 #5: observers deleted for never sending a valid packet leave memory too.
      onResult: (r) => void this.parts.pipeline?.pipeline.forgetObservers(r.removedObserverIds),
      // Node ageing runs hourly (spec §1.10); the other jobs are cheap when nothing is due.
      periodMs: 3_600_000,
      log: this.log,
    });
    load.afterLoad(() => scheduler.start());
    this.#scheduler = scheduler;
  }

  async stop(): Promise<void> {
    await this.parts.load.settled();
    await this.scheduler.stop();
  }
}

/** Analytics, recomputed in worker threads over the shared store once it has loaded. */
export class AnalyticsUnit implements LifecycleUnit {
  readonly name = 'analytics';
  #service: AnalyticsService | null = null;
  #stopped = false;

  constructor(
    private readonly parts: { store: StoreUnit; load: StoreLoadUnit },
    private readonly config: Config,
    private readonly log: Log,
    /** t2: each new neighbour table (persisted to neighbor_edges by the composition root). */
    private readonly onNeighborTable?: (table: NeighborTable) => void,
    /** The first pass waits for this too (StartOptions.holdAnalytics). */
    private readonly hold?: Promise<void>,
  ) {}

  get service(): AnalyticsService {
    return up(this.#service, this.name);
  }

  start(): void {
    const { store, load } = this.parts;
    const log = this.log;
    const service = new AnalyticsService({
      store: store.store,
      config: this.config,
      isLoaded: () => store.isLoaded(),
      log: (msg, fields) => log('info', `analytics: ${msg} ${JSON.stringify(fields)}`),
      onNeighborTable: this.onNeighborTable,
    });
    const hold = this.hold;
    load.afterLoad(() => {
      if (!hold) return service.start();
      // Not started once the unit is stopping.
      void hold.then(() => {
        if (!this.#stopped) service.start();
      });
    });
    this.#service = service;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.parts.load.settled();
    await this.service.stop();
  }
}

/** HTTP: the Fastify app (routes and the WebSocket feed, a root plugin) listening at once;
 *  data routes answer 503 until the store has loaded. */
export class HttpUnit implements LifecycleUnit {
  readonly name = 'http';
  #app: FastifyInstance | null = null;
  #url: string | null = null;

  constructor(
    private readonly config: Pick<Config, 'host' | 'port'>,
    private readonly build: () => Promise<FastifyInstance>,
  ) {}

  get app(): FastifyInstance {
    return up(this.#app, this.name);
  }

  /** http://host:port, with localhost for a wildcard host. */
  get url(): string {
    return up(this.#url, this.name);
  }

  async start(): Promise<void> {
    const { host, port } = this.config;
    const app = await this.build();
    try {
      await app.listen({ port, host });
    } catch (err) {
      await app.close();
      throw err;
    }
    const address = app.server.address();
    const bound = typeof address === 'object' && address ? address.port : port;
    this.#url = `http://${host === '0.0.0.0' || host === '::' ? 'localhost' : host}:${bound}`;
    this.#app = app;
  }

  stop(): Promise<void> | undefined {
    return this.#app?.close();
  }
}

/** The embedded MQTT broker, in its own thread (it is ~30% of ingest's work). */
export class BrokerUnit implements LifecycleUnit {
  readonly name = 'mqtt broker';
  readonly broker: EmbeddedBrokerThread;

  constructor(config: Config['broker']) {
    const { host, port, username, password, users, allowAnonymous } = config;
    this.broker = new EmbeddedBrokerThread({
      host,
      port,
      ...(username !== undefined ? { username } : {}),
      ...(password !== undefined ? { password } : {}),
      users,
      ...(allowAnonymous !== 'auto' ? { allowAnonymous } : {}),
    });
  }

  async start(): Promise<void> {
    await this.broker.start();
  }

  stop(): Promise<void> {
    return this.broker.stop();
  }
}

/** Demo traffic, published to the embedded broker like any observer's. */
export class DemoUnit implements LifecycleUnit {
  readonly name = 'demo feed';
  #feed: DemoFeed | null = null;

  constructor(
    private readonly broker: BrokerUnit,
    private readonly options: { ratePerSec?: number; seed?: number },
    private readonly log: Log,
  ) {}

  /** The feed's counters, null until it runs. */
  stats(): ReturnType<DemoFeed['stats']> | null {
    return this.#feed?.stats() ?? null;
  }

  async start(): Promise<void> {
    // Loaded only in demo mode: the simulator and its MQTT client cost ~0.3 s of start-up.
    const { startDemoFeed } = await import('../sim/demo.js');
    // Calibrates its rate synchronously for about a second.
    this.#feed = startDemoFeed({
      brokerUrl: this.broker.broker.url,
      // Issue 13 #5: the generated account, so that the feed connects when anonymous access is off.
      ...this.broker.broker.internalCredentials,
      log: this.log,
      seed: this.options.seed ?? 1,
      ratePerSec: this.options.ratePerSec ?? 20,
    });
  }

  stop(): Promise<void> | undefined {
    return this.#feed?.stop();
  }
}

/**
 * MQTT sources: the clients and message parsing run in a worker thread (ingest-thread.ts);
 * decode, dedup and store appends stay in the pipeline, behind the bounded queue. Sources
 * connect in the background so that a slow broker never delays start-up.
 */
export class IngestUnit implements LifecycleUnit {
  readonly name = 'mqtt sources';
  #worker: IngestWorker | null = null;

  constructor(
    private readonly parts: { pipeline: PipelineUnit; broker: BrokerUnit | null },
    private readonly config: Config,
    private readonly log: Log,
  ) {}

  /** One handle per source, empty until started. */
  get sources(): SourceHandle[] {
    return this.#worker?.sources ?? [];
  }

  start(): void {
    const { config, log } = this;
    const pipeline = this.parts.pipeline.pipeline;
    const brokerUrl = this.parts.broker ? this.parts.broker.broker.url : null;
    const worker = new IngestWorker(
      {
        sources: withDelivery(
          config,
          resolveSources(config, brokerUrl, this.parts.broker?.broker.internalCredentials),
        ),
        observerIATAWhitelist: [...config.observerIATAWhitelist],
        observerBlacklist: [...config.observerBlacklist],
        validateSignatures: config.validateSignatures,
      },
      {
        log,
        packet: (input, ack) => pipeline.submitPacket(input, ack),
        status: (message, source, rxMs, topic, ack) => pipeline.submit(message, source, rxMs, topic, ack),
        reject: (code, detail, ctx, ack) => {
          pipeline.reject(code, detail, { ...ctx, observerId: topicObserver(ctx.topic) });
          pipeline.settled(ack);
        },
      },
    );
    // QoS 1 messages are acknowledged to their broker once committed (commit-acks.ts).
    pipeline.acks.setSink({ ack: (t) => worker.settle(t, []), nack: (t) => worker.settle([], t) });
    this.#worker = worker;
    for (const source of worker.sources)
      void source.start().then((ok) => {
        if (!ok) log('warn', `mqtt source ${source.name}: not connected yet; retrying in the background`);
      });
  }

  /** Readiness: every source subscribed (SUBACK) and delivering; else not ready, with why. */
  readiness(): { ready: boolean; reason?: string; progress?: Record<string, unknown> } {
    if (!this.#worker) return { ready: false, reason: 'mqtt sources not started' };
    const down = this.#worker.sources
      .map((s) => s.status())
      .filter((st) => st.degraded !== null)
      .map((st) => `${st.name}: ${st.degraded}`);
    if (down.length === 0) return { ready: true };
    const reason = `mqtt source ${down.join('; ')}`;
    // mqttIngest.readyRequiresSources false: degraded sources are shown, readiness kept.
    return { ready: !this.config.mqttIngest.readyRequiresSources, reason, progress: { sources: down } };
  }

  /** Disconnects every source (messages already received are delivered), then the queue
   *  takes no more. */
  async stop(): Promise<void> {
    const pipeline = this.parts.pipeline.pipeline;
    const worker = this.#worker;
    if (worker && !pipeline.queue.stats().paused) {
      // Stop reading, then commit and acknowledge what was read before disconnecting: a clean
      // restart gets no redeliveries (bounded: a stuck writer must not hold the shutdown).
      let timer: NodeJS.Timeout | undefined;
      const limit = new Promise<void>((resolve) => (timer = setTimeout(resolve, 3000)));
      const drained = async () => {
        await worker.quiesce();
        await pipeline.idle();
        await pipeline.acks.settled();
      };
      await Promise.race([drained(), limit]);
      clearTimeout(timer);
    }
    await worker?.stop();
    pipeline.acks.setSink(null);
    pipeline.queue.close();
  }
}

/** The observer id of a meshcore/{IATA}/{id}/... topic when it looks like one, else null. */
function topicObserver(topic: string): string | null {
  const id = topic.split('/')[2];
  return id !== undefined && /^[0-9A-Fa-f]{64}$/.test(id) ? id.toUpperCase() : null;
}
