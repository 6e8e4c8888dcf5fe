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
import { NO_HIDING, type NodeVisibility } from '../shared/subpath-index.js'; // t1
import type { SubpathArgs } from '../compute/subpaths.js'; // t1
import type { InspectRequest } from '../compute/paths-inspect.js'; // t5
// t2
import type { NeighborTable } from '../compute/neighbor-graph.js';
import { NeighborIndex } from './neighbor-index.js';
import { isIdList, isResultBody, type EntityKind, type ResultBody, type Task } from './analytics-protocol.js';
import type { FilterNode } from '../../protocol/filter/index.js';
import { FilterCache, type FilterMatch } from './filter-cache.js';
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

export type PacketFilterAnswer =
  { status: 'ready'; match: FilterMatch } | { status: 'warming'; retryAfterS: number };

/** Everything a compute reads as one growing number (the worker's `dataVersion`). */
function storeVersion(store: MemoryStore): number {
  return (
    store.tx.committedRows() +
    store.obs.committedRows() +
    store.nodes.committedRows() +
    store.observers.committedRows() +
    store.tx.mutationCount() +
    store.obs.mutationCount() +
    store.nodes.mutationCount() +
    store.observers.mutationCount()
  );
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
  // t1: nodes analytics must not show (absent: none).
  nodeBlacklist?: readonly string[];
  hiddenNamePrefixes?: readonly string[];
  /** t2: neighbour-graph settings (maxEdgeKm, cacheRecomputeIntervalSeconds); absent: defaults. */
  neighborGraph?: Partial<MeshlensConfig['neighborGraph']>;
}

// t1:
/** An analytic's own parameters, parsed by the route: the value for the worker and its cache key. */
export interface AnalyticArgs {
  value: unknown;
  key: string;
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
  /** t2: called with each new neighbour table (after each default neighbor-graph pass). */
  onNeighborTable?: (table: NeighborTable) => void;
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
  private readonly visibility: NodeVisibility; // t1

  constructor(opts: AnalyticsServiceOptions) {
    this.visibility = {
      nodeBlacklist: opts.config.nodeBlacklist ?? NO_HIDING.nodeBlacklist,
      hiddenNamePrefixes: opts.config.hiddenNamePrefixes ?? NO_HIDING.hiddenNamePrefixes,
    };
    this.opts = opts;
    this.now = opts.now ?? Date.now;
    this.pool = opts.pool ?? null;
    this.ownsPool = !opts.pool;
    const settings = (this.settings = engineSettings(opts));
    const a = opts.config.analytics;
    const entries = ANALYTICS.flatMap((spec) => {
      const s = a.recomputeIntervalSeconds?.[spec.configKey] ?? this.configIntervalS(spec);
      const intervalMs = (s !== undefined && s > 0 ? s : settings.defaultIntervalS) * 1000;
      const main = {
        name: spec.name,
        intervalMs,
        compute: () =>
          this.compute(spec, null, this.specQuery(spec, this.defaultQuery(), {}), true).then((body) => {
            this.notifySnapshot(spec.name, body); // t3
            return body;
          }),
      };
      // t2: the main snapshot of the neighbour graph also refreshes the main thread's table.
      if (spec.name === 'neighbor-graph') {
        main.compute = async () => {
          const body = await this.compute(spec, null, this.specQuery(spec, this.defaultQuery(), {}), true);
          await this.refreshNeighborTable().catch((err: unknown) =>
            opts.log?.('neighbour table refresh failed', { err: String(err) }),
          );
          return body;
        };
      }
      // t2: further shapes kept as background snapshots (registry `extra.snapshots`).
      const more = (spec.extra?.snapshots ?? []).map((raw) => {
        const { key } = spec.extra!.parse(raw);
        this.snapshotKeys.add(`${spec.name}|${key}`);
        return {
          name: `${spec.name}|${key}`,
          intervalMs,
          compute: () => this.compute(spec, null, this.specQuery(spec, this.defaultQuery(), raw), true),
        };
      });
      return [main, ...more];
    });
    const store = opts.store;
    this.urgentAgeMs = settings.urgentAgeMs;
    this.reuseMs = settings.snapshotReuseMs;
    this.recomputer = new Recomputer<ReadyBody>(entries, {
      isLoaded: opts.isLoaded,
      dataVersion: () => storeVersion(store),
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

  // t2:
  /** Snapshot names of the registry's extra background shapes (`name|key`). */
  private readonly snapshotKeys = new Set<string>();
  private table: NeighborTable | null = null;
  private tableRefresh: Promise<void> | null = null;

  /** A config-level interval for an analytic, besides `recomputeIntervalSeconds`. */
  private configIntervalS(spec: AnalyticSpec): number | undefined {
    if (spec.name === 'neighbor-graph') return this.opts.config.neighborGraph?.cacheRecomputeIntervalSeconds;
    return undefined;
  }

  /** The neighbour graph's maximum edge length (km; negative disables). */
  private maxEdgeKm(): number {
    return num(this.opts.config.neighborGraph?.maxEdgeKm) ?? defaultConfig.neighborGraph.maxEdgeKm;
  }

  /**
   * The query with the analytic's own parameters: those given (`raw`, parsed by the registry
   * entry, defaults filled in; `query.params` when already parsed) plus the server's.
   */
  private specQuery(
    spec: AnalyticSpec,
    query: AnalyticsQuery,
    raw: Record<string, string> | null,
  ): AnalyticsQuery {
    if (!spec.extra) return query;
    const params = { ...(raw === null ? query.params : spec.extra.parse(raw).params) };
    for (const k of spec.extra.server ?? []) if (k === 'maxEdgeKm') params.maxEdgeKm = this.maxEdgeKm();
    return { ...query, params };
  }

  /** Asks the paths worker for the compact neighbour table of its current snapshot. */
  private refreshNeighborTable(): Promise<void> {
    return (this.tableRefresh ??= (async () => {
      try {
        const pool = this.workerPool();
        const task: Task = { kind: 'neighbor-table', maxEdgeKm: this.maxEdgeKm(), nowMs: this.now() };
        task.reuseMs = this.reuseMs;
        task.niceness = pool.niceness;
        const r = await pool.run(task, GROUP_WORKER.paths);
        if (!isResultBody(r)) throw new Error('unexpected probe result');
        const json = await new ReadyBody(r).identity();
        this.table = JSON.parse(json.toString('utf8')) as NeighborTable;
        this.opts.onNeighborTable?.(this.table);
      } finally {
        this.tableRefresh = null;
      }
    })());
  }

  /** t2: the neighbour table of the latest graph snapshot (null while warming up). */
  neighborTable(): NeighborTable | null {
    return this.table;
  }

  private index: NeighborIndex | null = null;

  /** t2: per-node lookups over the latest neighbour table (built once per table). */
  neighborIndex(): NeighborIndex | null {
    const t = this.table;
    if (t === null) return null;
    if (this.index === null || this.index.table !== t) this.index = new NeighborIndex(t);
    return this.index;
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
    args: unknown = null,
  ): Promise<ReadyBody> {
    const task: Task = spec
      ? {
          kind: 'analytic',
          name: spec.name,
          query,
          nowMs: this.now(),
          args,
          visibility: this.visibility,
          options: this.analyticOptions(),
        }
      : { kind: 'node-clock-skew', pubkey: pubkey!, nowMs: this.now() };
    return this.runTask(task, spec, recompute);
  }

  private async runTask(task: Task, spec: AnalyticSpec | null, recompute = false): Promise<ReadyBody> {
    if (task.kind === 'probe') throw new TypeError('probe tasks are not computes');
    task.reuseMs = this.reuseMs;
    const pool = this.workerPool();
    // A snapshot already older than the staleness target computes at normal priority: on a
    // loaded machine a niced worker can otherwise fall further behind every round.
    const snap = recompute && spec ? this.recomputer.load(spec.name) : null;
    const overdue = snap !== null && this.now() - snap.computedAtMs > this.urgentAgeMs;
    task.niceness = overdue ? 0 : pool.niceness;
    // t1: route-pattern tasks read the 'paths' worker's subpath index.
    const group = spec ? spec.group : task.kind === 'node-clock-skew' ? 'engine' : 'paths';
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
    this.filters.clear();
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
  async get(
    name: AnalyticName,
    query: AnalyticsQuery,
    key: string | null,
    args: AnalyticArgs | null = null,
  ): Promise<AnalyticsAnswer> {
    const spec = ANALYTIC_BY_NAME.get(name);
    if (!spec) throw new RangeError(`unknown analytic ${name}`);
    // t1: own parameters other than the defaults are another shape (TTL cache, on request).
    if (args !== null) key = key === null ? `args=${args.key}` : `${key}&args=${args.key}`;
    // t2: a shape kept as a background snapshot is served like the default one.
    const snapName = key === null ? name : `${name}|${key}`;
    if (key === null || this.snapshotKeys.has(snapName)) {
      const snap = this.recomputer.load(snapName);
      return snap
        ? { status: 'ready', body: snap.value }
        : { status: 'warming', retryAfterS: this.recomputer.retryAfterS(snapName) };
    }
    // Other shapes are computed on request, but never over a partly loaded store either.
    if (!this.opts.isLoaded()) return { status: 'warming', retryAfterS: 5 };
    const ttlS = num(this.opts.config.cacheTTL[spec.ttlKey]) ?? spec.ttlDefaultS;
    const full = this.specQuery(spec, query, null);
    const body = await this.cache.get(`${name}|${key}`, ttlS * 1000, () =>
      this.compute(spec, null, full, false, args?.value ?? null),
    );
    return { status: 'ready', body };
  }

  // t1: route patterns (spec analytics §7.1).
  /**
   * The gate of /subpaths-bulk and /subpath-detail: they read the subpath index the `subpaths`
   * snapshot is built from, so they answer 503 until that snapshot exists (as CoreScope's
   * "index loading").
   */
  private subpathGate(): AnalyticsAnswer | null {
    if (this.recomputer.load('subpaths') !== null) return null;
    return { status: 'warming', retryAfterS: this.recomputer.retryAfterS('subpaths') };
  }

  private subpathTtlMs(): number {
    const spec = ANALYTIC_BY_NAME.get('subpaths')!;
    return (num(this.opts.config.cacheTTL[spec.ttlKey]) ?? spec.ttlDefaultS) * 1000;
  }

  /** GET /api/analytics/subpaths-bulk: every group from one index; `key` = query key + groups. */
  async subpathsBulk(query: AnalyticsQuery, key: string, groups: SubpathArgs[]): Promise<AnalyticsAnswer> {
    const gate = this.subpathGate();
    if (gate) return gate;
    const body = await this.cache.get(`subpaths-bulk|${key}`, this.subpathTtlMs(), () =>
      this.runTask(
        { kind: 'subpaths-bulk', query, groups, visibility: this.visibility, nowMs: this.now() },
        null,
      ),
    );
    return { status: 'ready', body };
  }

  /** GET /api/analytics/subpath-detail for hop codes (hop-code.ts); not-found for a hidden hop. */
  async subpathDetail(hops: number[]): Promise<AnalyticsAnswer> {
    const gate = this.subpathGate();
    if (gate) return gate;
    const body = await this.cache.get(`subpath-detail|${hops.join(',')}`, this.subpathTtlMs(), () =>
      this.runTask({ kind: 'subpath-detail', hops, visibility: this.visibility, nowMs: this.now() }, null),
    );
    return body.empty ? { status: 'not-found' } : { status: 'ready', body };
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

  // t3: snapshot listeners, for main-thread tables derived from a snapshot (repeater-table.ts).
  private readonly snapshotListeners = new Map<AnalyticName, Array<(body: ReadyBody) => void>>();

  /** Calls `fn` with every new default-query snapshot of `name` (and the current one, if any). */
  onSnapshot(name: AnalyticName, fn: (body: ReadyBody) => void): void {
    const list = this.snapshotListeners.get(name) ?? [];
    list.push(fn);
    this.snapshotListeners.set(name, list);
    const current = this.snapshot(name);
    if (current) fn(current);
  }

  private notifySnapshot(name: AnalyticName, body: ReadyBody): void {
    for (const fn of this.snapshotListeners.get(name) ?? []) {
      try {
        fn(body);
      } catch (err) {
        this.opts.log?.('analytics snapshot listener failed', { analytic: name, error: String(err) });
      }
    }
  }

  // t5
  /** Config settings the computes read (registry AnalyticOptions): the LoRa preset. */
  private analyticOptions() {
    const p = this.opts.config.analytics.loraPreset ?? defaultConfig.analytics.loraPreset;
    return { loraPreset: { freq: p.freq, bw: p.bw, sf: p.sf, cr: p.cr } };
  }

  /**
   * t5: POST /api/paths/inspect, in the worker that keeps the path context (hop resolver and its
   * neighbour graph); cached 30 s per request key with single-flight. Warming until loaded.
   */
  async pathsInspect(request: InspectRequest, key: string): Promise<AnalyticsAnswer> {
    if (!this.opts.isLoaded()) return { status: 'warming', retryAfterS: 5 };
    const body = await this.cache.get(`paths-inspect|${key}`, 30_000, async () => {
      const pool = this.workerPool();
      const task: Task = { kind: 'paths-inspect', request, nowMs: this.now(), reuseMs: this.reuseMs };
      task.niceness = pool.niceness;
      const r = await pool.run(task, GROUP_WORKER.paths);
      if (!isResultBody(r)) throw new Error('unexpected probe result');
      return new ReadyBody(r);
    });
    return { status: 'ready', body };
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
  // Packet filter --------------------------------------------------------------------------
  private readonly filters = new FilterCache(16, 2000, () => this.now());

  /**
   * GET /api/packets?filter=: the ids of every matching transmission, newest first, scanned in
   * a worker (compute/packet-filter.ts) and kept per (filter, data version) (filter-cache.ts).
   * `key` is the filter's canonical text. Warming until the store has loaded.
   */
  async packetFilter(ast: FilterNode, key: string): Promise<PacketFilterAnswer> {
    if (!this.opts.isLoaded()) return { status: 'warming', retryAfterS: 5 };
    const match = await this.filters.get(key, storeVersion(this.opts.store), async () => {
      const pool = this.workerPool();
      const task: Task = { kind: 'packet-filter', ast, visibility: this.visibility, nowMs: this.now() };
      task.niceness = pool.niceness;
      const r = await pool.run(task, -1);
      if (!isIdList(r)) throw new Error('unexpected packet-filter result');
      return { ...r, ids: new Uint32Array(r.ids) };
    });
    return { status: 'ready', match };
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
