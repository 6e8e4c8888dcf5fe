// What the API calls for analytics: `get(name, query)` answers ready-to-send bytes or "warming
// up". Owns the worker pool, the recomputer (default-query snapshots, spec analytics §2) and
// the TTL cache with single-flight for every other shape (§1.3). The event loop does no
// dataset work here: computes run in the pool, results arrive gzip-compressed.
import type { GeoFilter } from '../../config/geo-filter.js';
import type { GeoPrunePreview } from '../compute/geo-prune.js';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { MemoryStore } from '../../store/memory/index.js';
import type { AnalyticsConfig, MeshlensConfig } from '../../config/types.js';
import { defaultConfig } from '../../config/defaults.js';
import { ANALYTICS, ANALYTIC_BY_NAME, type AnalyticName, type AnalyticSpec } from '../registry.js';
import type { AnalyticsQuery } from '../shared/query.js';
import { Recomputer, type RecomputeStats } from './recomputer.js';
import { TtlCache, type TtlCacheStats } from './ttl-cache.js';
import { WorkerPool, type PoolStats, type WorkerPoolOptions } from './analytics-thread.js';
import { isResultBody, type EntityKind, type ResultBody, type Task } from './analytics-protocol.js';
import { nodeCandidateTxRows, observerObservationRows } from '../../store/memory/index.js';

const gunzipAsync = promisify(gunzip);

let bodySerial = 0;

/**
 * A finished response body: gzip bytes as computed in the worker (wrapped, not copied), its
 * response headers built once, identity made once, on demand. Serving it is a buffer write.
 */
export class ReadyBody {
  readonly gzip: Buffer;
  readonly jsonBytes: number;
  readonly computedAtMs: number;
  readonly durationMs: number;
  /** Worker CPU time of the compute (ms; NaN if unknown): the recomputer's budget charge. */
  readonly cpuMs: number;
  readonly empty: boolean;
  /** The store data version the compute saw (recomputer freshness). */
  readonly dataVersion: number;
  /** Strong validator of the identity representation; the gzip one is `etagGzip`. */
  readonly etag: string;
  readonly etagGzip: string;
  readonly computedAtIso: string;
  private plain: Promise<Buffer> | null = null;

  constructor(r: ResultBody) {
    this.gzip = Buffer.from(r.gzip);
    this.jsonBytes = r.jsonBytes;
    this.computedAtMs = r.computedAtMs;
    this.durationMs = r.durationMs;
    this.cpuMs = r.cpuMs;
    this.empty = r.empty;
    this.dataVersion = r.dataVersion;
    this.computedAtIso = new Date(r.computedAtMs).toISOString();
    // Unique per body in this process; a restart changes the time part.
    const tag = `${r.computedAtMs.toString(36)}-${(++bodySerial).toString(36)}-${this.gzip.length.toString(36)}`;
    this.etag = `"${tag}"`;
    this.etagGzip = `"${tag}-gz"`;
  }

  /**
   * The JSON bytes, for clients without gzip: decompressed once on libuv's thread pool (never on
   * the event loop: a topology body is megabytes), then kept.
   */
  identity(): Promise<Buffer> {
    return (this.plain ??= gunzipAsync(this.gzip));
  }
}

export type AnalyticsAnswer =
  { status: 'ready'; body: ReadyBody } | { status: 'warming'; retryAfterS: number } | { status: 'not-found' };

/** Per-service overrides of the engine settings in `config.analytics` (tests, benchmarks). */
export interface EngineOptions {
  /** Overrides `analytics.workerThreads`. */
  workerThreads?: number;
  /** Overrides `analytics.maxCpuShare`. */
  maxCpuShare?: number;
  /** Overrides `analytics.minRefreshSeconds`. */
  minRefreshSeconds?: number;
  /** Overrides `analytics.cacheEntries`. */
  cacheEntries?: number;
  /** Overrides `analytics.snapshotReuseSeconds` (in ms). */
  snapshotReuseMs?: number;
  /** Overrides `analytics.urgentAgeSeconds` (in ms). */
  urgentAgeMs?: number;
}

/**
 * The config the service reads. A loaded config has every key (load.ts merges defaults.ts);
 * a hand-built one may leave any out, and then gets config/defaults.ts's value.
 */
export interface AnalyticsServiceConfig {
  analytics: Partial<AnalyticsConfig>;
  cacheTTL: MeshlensConfig['cacheTTL'];
}

export interface AnalyticsServiceOptions extends EngineOptions {
  store: MemoryStore;
  config: AnalyticsServiceConfig;
  /** True once the store has fully loaded (the warmup gate, spec §2.3). */
  isLoaded: () => boolean;
  /** A pool to use instead of creating one (tests); the service then does not close it. */
  pool?: WorkerPool;
  poolOptions?: WorkerPoolOptions;
  /** Scheduler poll period (default 200 ms). */
  pollMs?: number;
  now?: () => number;
  log?: (msg: string, fields: Record<string, unknown>) => void;
}

export interface AnalyticsServiceStats {
  analytics: RecomputeStats[];
  cache: TtlCacheStats;
  pool: PoolStats | null;
}

/** Workers that keep the shared intermediates (registry `group`); modulo the pool size. */
const GROUP_WORKER = { engine: 0, paths: 1 } as const;

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** The engine settings in force: an option, else `config.analytics`, else config/defaults.ts. */
interface EngineSettings {
  defaultIntervalS: number;
  workerThreads: number | undefined;
  maxCpuShare: number;
  minRefreshMs: number;
  cacheEntries: number;
  urgentAgeMs: number;
  snapshotReuseMs: number;
}

function engineSettings(opts: AnalyticsServiceOptions): EngineSettings {
  const a = opts.config.analytics;
  const d = defaultConfig.analytics;
  const given = a.defaultIntervalSeconds;
  const minRefreshMs = (opts.minRefreshSeconds ?? a.minRefreshSeconds ?? d.minRefreshSeconds) * 1000;
  const reuseS = a.snapshotReuseSeconds;
  return {
    defaultIntervalS: given !== undefined && given > 0 ? given : d.defaultIntervalSeconds,
    workerThreads: opts.workerThreads ?? a.workerThreads,
    maxCpuShare: opts.maxCpuShare ?? a.maxCpuShare ?? d.maxCpuShare,
    minRefreshMs,
    cacheEntries: opts.cacheEntries ?? a.cacheEntries ?? d.cacheEntries,
    urgentAgeMs: opts.urgentAgeMs ?? (a.urgentAgeSeconds ?? d.urgentAgeSeconds) * 1000,
    // A round of nine shares one snapshot (the worker reuses it once per analytic), so the
    // window only bounds how old a reused snapshot may get: twice the data-driven granularity.
    snapshotReuseMs: opts.snapshotReuseMs ?? (reuseS !== undefined ? reuseS * 1000 : 2 * minRefreshMs),
  };
}

export class AnalyticsService {
  private readonly opts: AnalyticsServiceOptions;
  private readonly settings: EngineSettings;
  private readonly recomputer: Recomputer<ReadyBody>;
  private readonly cache: TtlCache<ReadyBody>;
  private pool: WorkerPool | null;
  private readonly ownsPool: boolean;
  private readonly now: () => number;
  private readonly reuseMs: number;
  private readonly urgentAgeMs: number;
  private stopped = false;

  constructor(opts: AnalyticsServiceOptions) {
    this.opts = opts;
    this.now = opts.now ?? Date.now;
    this.pool = opts.pool ?? null;
    this.ownsPool = !opts.pool;
    const settings = (this.settings = engineSettings(opts));
    const a = opts.config.analytics;
    const entries = ANALYTICS.map((spec) => {
      const s = a.recomputeIntervalSeconds?.[spec.configKey];
      return {
        name: spec.name,
        intervalMs: (s !== undefined && s > 0 ? s : settings.defaultIntervalS) * 1000,
        compute: () => this.compute(spec, null, this.defaultQuery(), true),
      };
    });
    const store = opts.store;
    this.urgentAgeMs = settings.urgentAgeMs;
    this.reuseMs = settings.snapshotReuseMs;
    this.recomputer = new Recomputer<ReadyBody>(entries, {
      isLoaded: opts.isLoaded,
      dataVersion: () =>
        store.tx.committedRows() +
        store.obs.committedRows() +
        store.nodes.committedRows() +
        store.observers.committedRows() +
        store.tx.mutationCount() +
        store.obs.mutationCount() +
        store.nodes.mutationCount() +
        store.observers.mutationCount(),
      maxCpuShare: settings.maxCpuShare,
      minRefreshMs: settings.minRefreshMs,
      pollMs: opts.pollMs,
      now: this.now,
      log: opts.log,
      computedAt: (body) => body.computedAtMs,
      versionOf: (body) => body.dataVersion,
      costOf: (body) => body.cpuMs,
    });
    this.cache = new TtlCache(settings.cacheEntries, this.now);
  }

  private defaultQuery(): AnalyticsQuery {
    return { regions: null, fromMs: null, toMs: null, area: null };
  }

  private workerPool(): WorkerPool {
    if (!this.pool) {
      this.pool = new WorkerPool(this.opts.store, {
        ...this.opts.poolOptions,
        size: this.settings.workerThreads ?? this.opts.poolOptions?.size,
      });
    }
    return this.pool;
  }

  private async compute(
    spec: AnalyticSpec | null,
    pubkey: string | null,
    query: AnalyticsQuery,
    recompute = false,
  ): Promise<ReadyBody> {
    const task: Task = spec
      ? { kind: 'analytic', name: spec.name, query, nowMs: this.now() }
      : { kind: 'node-clock-skew', pubkey: pubkey!, nowMs: this.now() };
    task.reuseMs = this.reuseMs;
    const pool = this.workerPool();
    // A snapshot already older than the staleness target computes at normal priority: on a
    // loaded machine a niced worker can otherwise fall further behind every round.
    const snap = recompute && spec ? this.recomputer.load(spec.name) : null;
    const overdue = snap !== null && this.now() - snap.computedAtMs > this.urgentAgeMs;
    task.niceness = overdue ? 0 : pool.niceness;
    const group = spec ? spec.group : 'engine';
    const r = await pool.run(task, group === null ? -1 : GROUP_WORKER[group]);
    if (!isResultBody(r)) throw new Error('unexpected probe result');
    return new ReadyBody(r);
  }

  /** Begin: workers start now, computes once the store reports loaded (idempotent). */
  start(): void {
    if (this.stopped) return;
    this.workerPool();
    this.recomputer.start();
  }

  /** Stop recomputing and close the pool (idempotent; safe before start). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.recomputer.stop();
    this.cache.clear();
    if (this.ownsPool && this.pool) await this.pool.close();
  }

  /** Recomputer snapshot time of an analytic (null while warming up). */
  snapshot(name: AnalyticName): ReadyBody | null {
    return this.recomputer.load(name)?.value ?? null;
  }

  /**
   * The answer for an analytic. `key` is the query's cache key (relative windows keyed by
   * their label); null means the default query, served from the recomputer snapshot.
   */
  async get(name: AnalyticName, query: AnalyticsQuery, key: string | null): Promise<AnalyticsAnswer> {
    const spec = ANALYTIC_BY_NAME.get(name);
    if (!spec) throw new RangeError(`unknown analytic ${name}`);
    if (key === null) {
      const snap = this.recomputer.load(name);
      return snap
        ? { status: 'ready', body: snap.value }
        : { status: 'warming', retryAfterS: this.recomputer.retryAfterS(name) };
    }
    // Other shapes are computed on request, but never over a partly loaded store either.
    if (!this.opts.isLoaded()) return { status: 'warming', retryAfterS: 5 };
    const ttlS = num(this.opts.config.cacheTTL[spec.ttlKey]) ?? spec.ttlDefaultS;
    const body = await this.cache.get(`${name}|${key}`, ttlS * 1000, () => this.compute(spec, null, query));
    return { status: 'ready', body };
  }

  /** GET /api/nodes/:pubkey/clock-skew (spec §6.6): cached 30 s per key (the engine's freshness). */
  async nodeClockSkew(pubkey: string): Promise<AnalyticsAnswer> {
    if (!this.opts.isLoaded()) return { status: 'warming', retryAfterS: 5 };
    const key = pubkey.trim().toLowerCase();
    const body = await this.cache.get(`node-clock-skew|${key}`, 30_000, () =>
      this.compute(null, key, this.defaultQuery()),
    );
    return body.empty ? { status: 'not-found' } : { status: 'ready', body };
  }

  /**
   * I9c: the geo-filter prune dry run (compute/geo-prune.ts) over the whole store, in a worker.
   * Not cached: the operator asks for it rarely and expects current data. Null while the store
   * loads (a partial store would undercount).
   */
  async geoPrunePreview(filter: GeoFilter): Promise<GeoPrunePreview | null> {
    if (!this.opts.isLoaded()) return null;
    const pool = this.workerPool();
    const task: Task = { kind: 'geo-prune-preview', filter, nowMs: this.now(), reuseMs: this.reuseMs };
    task.niceness = pool.niceness;
    const r = await pool.run(task, -1);
    if (!isResultBody(r)) throw new Error('unexpected probe result');
    const json = await new ReadyBody(r).identity();
    return JSON.parse(json.toString('utf8')) as GeoPrunePreview;
  }

  // t4 ------------------------------------------------------------------------------------
  /**
   * Per-node and per-observer analytics (node analytics, paths, reach; observer analytics):
   * the main thread copies the entity's rows from its indexes (O(the entity's rows)), a worker
   * computes over the shared columns with the snapshot's path context (and clock-skew engine).
   * Cached per (kind, key, days) behind the TTL cache with single-flight: reach 300 s (spec
   * §4.2 "cached 5 min"), the others `cacheTTL.nodeAnalytics` (60 s). 404 = unknown entity.
   */
  /** Whether the store has loaded (the entity routes answer 503 before looking anything up). */
  loaded(): boolean {
    return this.opts.isLoaded();
  }

  async entity(kind: EntityKind, key: string, days: number): Promise<AnalyticsAnswer> {
    if (!this.opts.isLoaded()) return { status: 'warming', retryAfterS: 5 };
    const ttlS = kind === 'node-reach' ? 300 : (num(this.opts.config.cacheTTL.nodeAnalytics) ?? 60);
    const body = await this.cache.get(`${kind}|${key}|${days}`, ttlS * 1000, async () => {
      const store = this.opts.store;
      const rows =
        kind === 'observer-analytics'
          ? (observerObservationRows(store, key) ?? new Uint32Array(0))
          : nodeCandidateTxRows(store, key);
      const pool = this.workerPool();
      const task: Task = {
        kind: 'entity',
        entity: kind,
        key,
        days,
        rows,
        nowMs: this.now(),
        reuseMs: this.reuseMs,
      };
      task.niceness = pool.niceness;
      // Node analytics embed the node's clock skew: run beside the engine; the rest beside the paths.
      const r = await pool.run(task, GROUP_WORKER[kind === 'node-analytics' ? 'engine' : 'paths']);
      if (!isResultBody(r)) throw new Error('unexpected probe result');
      return new ReadyBody(r);
    });
    return body.empty ? { status: 'not-found' } : { status: 'ready', body };
  }
  // end t4 --------------------------------------------------------------------------------

  /** Resolves after the next recompute pass ends (tests, benchmarks). */
  nextPass(): Promise<void> {
    return this.recomputer.nextPass();
  }

  stats(): AnalyticsServiceStats {
    return {
      analytics: this.recomputer.stats(),
      cache: this.cache.stats(),
      pool: this.pool?.stats() ?? null,
    };
  }
}
