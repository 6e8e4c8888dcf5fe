// MeshReadModel over the in-memory store: the queries behind the HTTP API, answered from the
// store's columns and indexes. Paged queries cost O(page) plus the smallest filter
// (packet-query.ts); the node list is the NodeDirectory (sorted once per store version);
// windows of recent observations come from the ActivityCounter; channels from ChannelSummaries.
import type {
  BulkHealthQuery,
  ChannelMessage,
  ChannelSummary,
  MeshReadModel,
  NetworkStatus,
  NodeDetail,
  NodeHealth,
  NodeHealthSummary,
  NodeStatusThresholds,
  NodeListQuery,
  NodePage,
  NodeBattery,
  NodeSummary,
  ObserverMetricsQuery,
  ObserverMetricsSeries,
  ObserverMetricsSource,
  ObserverSummary,
  LazyList,
  LazyPage,
  Page,
  PacketDetailOptions,
  PacketQuery,
  PersistedReads,
  Sighting,
  StoreStats,
  TransmissionSummary,
  ReceptionSource,
  RxCoverage,
  RxCoverageQuery,
  RxLeader,
} from '../read-model.js';
import { ActivityCounter } from './activity-counter.js';
import { AreaNodes } from './area-nodes.js';
import { NodeAdvertInfo } from './node-advert-info.js';
import { NodePrefixIndex } from './node-prefix-index.js';
import { bulkHealthRows, networkStatus } from './node-status.js';
import { ChannelSummaries } from './channel-summaries.js';
import type { ChannelDiscovery } from './channel-discovery.js';
import { NONE } from './layout.js';
import type { MemoryStore } from './memory-store.js';
import { NodeDirectory, type NodeVisibility } from './node-directory.js';
import { nodeBatterySamples } from './node-battery.js';
import { nodeHealth } from './node-health.js';
import { metricsSeries } from './observer-metrics.js';
import { rxCoverage, rxLeaderboard } from './rx-coverage.js';
import { sighting, transmissionSummary } from './transmission-summary.js';
import { HopPrefixIndex } from './hop-prefix-index.js';
import { payloadTypeSampleRows } from './payload-samples.js';
import type { DroppedPacketQuery, StoredDroppedPacket } from '../records.js';
import type { ObserverMetricsSummary, ObserverMetricsSummaryQuery } from '../read-model.js';
import { observerMetricsSummary } from './metrics-summary.js';
import { observerClockAt } from '../observer-clock.js';

const HOUR_MS = 3_600_000;
const ACTIVE_NODE_MS = 7 * 86_400_000;
const HASH = /^[0-9a-fA-F]{16}$/;
const DAY_MS = 86_400_000;
/** Stored metrics samples read per request at most (~69 days of 5-minute buckets). */
export const MAX_METRIC_SAMPLES = 20_000;

/** Who is hidden from every answer (config's blacklists, spec ingest-store-api §4.1). */
export interface ReadModelVisibility extends NodeVisibility {
  observerBlacklist: readonly string[];
  /**
   * i9b: observers not seen for `observerDays` days are inactive and hidden (spec §1.10, §4.2
   * "Inactive observers are hidden"); -1 (or absent) keeps them forever.
   */
  retention?: { observerDays: number };
}

/** i9b: what the read model serves from outside the memory store. */
/** How long a bulk-health answer is reused for the same query (ms). */
const BULK_HEALTH_MEMO_MS = 5_000;

export interface ReadModelSources {
  /** observer_metrics (SQLite); without it metrics and observer battery series are empty. */
  metrics?: ObserverMetricsSource | null;
  /** The clock of time-relative fields (default Date.now; tests inject one). */
  now?: () => number;
  /** client_receptions (the SQLite reader); none: the RX coverage answers are empty. */
  receptions?: ReceptionSource | null;
  /** dropped_packets, read in the writer thread; none: /api/dropped-packets fails. */
  droppedPackets?: PersistedReads['droppedPackets'];
  /** r2: hashtag channels discovered from #tags (channel-discovery.ts); none: not listed. */
  channelDiscovery?: ChannelDiscovery | null;
}

export class MemoryReadModel implements MeshReadModel {
  private readonly receptions: ReceptionSource | null;
  readonly #nodes: NodeDirectory;
  readonly #activity: ActivityCounter;
  readonly #channels: ChannelSummaries;
  readonly #observerBlacklist: Set<string>;
  readonly #advertInfo: NodeAdvertInfo;
  readonly #areas: AreaNodes;
  readonly #prefixes: NodePrefixIndex;
  readonly #observerMaxAgeMs: number;
  readonly #metrics: ObserverMetricsSource | null;

  readonly #hopPrefixes: HopPrefixIndex;
  readonly #persisted: PersistedReads | null;

  /** `sources`: what is read from outside the memory store, and the clock of time-relative fields. */
  constructor(
    private readonly store: MemoryStore,
    visibility: ReadModelVisibility,
    sources: ReadModelSources = {},
  ) {
    this.receptions = sources.receptions ?? null;
    this.#persisted = sources.droppedPackets ? { droppedPackets: sources.droppedPackets } : null;
    const now = sources.now ?? Date.now;
    this.#hopPrefixes = new HopPrefixIndex(store, visibility);
    this.#nodes = new NodeDirectory(store, visibility);
    this.#advertInfo = new NodeAdvertInfo(store, now);
    this.#areas = new AreaNodes(store, this.#nodes);
    this.#prefixes = new NodePrefixIndex(store, this.#nodes);
    this.#activity = new ActivityCounter(store);
    this.#channels = new ChannelSummaries(store, sources.channelDiscovery ?? null);
    this.#observerBlacklist = new Set(visibility.observerBlacklist.map((id) => id.toUpperCase()));
    const days = visibility.retention?.observerDays ?? -1;
    this.#observerMaxAgeMs = days > 0 ? days * DAY_MS : Infinity;
    this.#metrics = sources.metrics ?? null;
  }

  // ---------------------------------------------------------------- transmissions

  packets(q: PacketQuery, detail?: PacketDetailOptions): LazyPage<TransmissionSummary> {
    const page = this.store.queryPackets(
      q.area ? { ...q, advertNodeRows: [...this.#areas.rows(q.area)] } : q,
    );
    const rows = page.rows;
    return {
      items: { length: rows.length, entry: (i) => transmissionSummary(this.store, rows[i], detail) },
      total: page.total,
    };
  }

  packetsByIds(ids: ArrayLike<number>, detail?: PacketDetailOptions): LazyList<TransmissionSummary> {
    return {
      length: ids.length,
      entry: (i) => {
        const row = this.store.txRowById(ids[i]);
        return row === -1 ? null : transmissionSummary(this.store, row, detail);
      },
    };
  }

  transmission(key: string): TransmissionSummary | null {
    const store = this.store;
    let row = HASH.test(key) ? store.txRowByHash(key) : -1;
    if (row === -1 && /^[0-9]{1,10}$/.test(key)) {
      row = store.txRowById(Number(key));
      if (row === -1) {
        const obsRow = store.obsRowById(Number(key));
        if (obsRow !== -1) row = store.obsTxRow(obsRow);
      }
    }
    return row === -1 ? null : transmissionSummary(store, row, { observations: true });
  }

  traces(hash: string): Sighting[] | null {
    const store = this.store;
    const row = store.txRowByHash(hash);
    if (row === -1) return null;
    return store
      .observationRows(row)
      .map((r) => ({ r, t: store.obs.get('rxMs', r) }))
      .sort((a, b) => a.t - b.t || a.r - b.r)
      .map(({ r }) => sighting(store, r));
  }

  // ---------------------------------------------------------------- nodes

  #summary(row: number): NodeSummary {
    return {
      node: this.store.node(row),
      lastHeardMs: this.#nodes.lastHeard(row),
      packetCount: this.store.indexes.byAdvertNode.get(row)?.length ?? 0,
      ...this.#advertInfo.get(row),
    };
  }

  nodes(q: NodeListQuery): NodePage {
    const nodes = this.#nodes;
    const inRegion = q.regions ? nodes.inRegions(q.regions) : null;
    const inArea = q.area ? this.#areas.rows(q.area) : null;
    const snap = nodes.snapshot();
    const rows: number[] = [];
    let total = 0;
    for (const row of snap.orders[q.sortBy]) {
      if (q.role !== null && (nodes.role(row) ?? '').toLowerCase() !== q.role) continue;
      if (q.search !== null && !nodes.matches(row, q.search)) continue;
      if (q.beforeMs !== undefined && !(nodes.lastSeen(row) < q.beforeMs)) continue;
      if (q.heardSinceMs !== undefined && !(nodes.lastHeard(row) >= q.heardSinceMs)) continue;
      if (inRegion && !inRegion.has(row)) continue;
      if (inArea && !inArea.has(row)) continue;
      if (total >= q.offset && rows.length < q.limit) rows.push(row);
      total++;
    }
    return {
      items: { length: rows.length, entry: (i) => this.#summary(rows[i]) },
      total,
      counts: snap.counts,
    };
  }

  searchNodes(needleLower: string, limit: number): NodeSummary[] {
    const out: NodeSummary[] = [];
    for (const row of this.#nodes.snapshot().orders.lastSeen) {
      if (out.length >= limit) break;
      if (this.#nodes.matches(row, needleLower)) out.push(this.#summary(row));
    }
    return out;
  }

  /** The node's newest advert transmission rows (highest id first), at most `max`. */
  #recentAdvertRows(row: number, max: number): number[] {
    const list = this.store.indexes.byAdvertNode.get(row);
    if (!list) return [];
    const out: number[] = [];
    for (let k = list.length - 1; k >= 0 && out.length < max; k--) out.push(list.at(k));
    return out;
  }

  node(key: string, recentAdverts: number): NodeDetail | null {
    const row = this.#nodes.resolve(key);
    if (row === -1) return null;
    return {
      node: this.#summary(row),
      recentAdverts: this.#recentAdvertRows(row, recentAdverts).map((r) =>
        transmissionSummary(this.store, r, { observations: true }),
      ),
    };
  }

  nodeHealth(key: string, windowAdverts: number, recentPackets: number, nowMs: number): NodeHealth | null {
    const row = this.#nodes.resolve(key);
    if (row === -1) return null;
    const txRows = this.#recentAdvertRows(row, windowAdverts);
    return {
      ...this.#healthSummary(row, txRows, nowMs),
      recentPackets: txRows.slice(0, recentPackets).map((r) => transmissionSummary(this.store, r)),
    };
  }

  nodeKeysByName(name: string): string[] {
    return this.#nodes.byName(name).map((r) => this.store.interns.pubkeys.get(r) ?? '');
  }

  // ---------------------------------------------------------------- observers

  #observerVisible(row: number): boolean {
    const store = this.store;
    return (
      store.observers.get('present', row) === 1 &&
      !this.#observerBlacklist.has((store.interns.observers.get(row) ?? '').toUpperCase())
    );
  }

  /** Visible and not inactive: seen within retention.observerDays of `nowMs` (spec §1.10). */
  #observerActive(row: number, nowMs: number): boolean {
    if (!this.#observerVisible(row)) return false;
    if (this.#observerMaxAgeMs === Infinity) return true;
    const seen = this.store.observers.get('lastSeenMs', row);
    // An observer without a usable last_seen is kept (nothing says it went quiet).
    return !Number.isFinite(seen) || seen >= nowMs - this.#observerMaxAgeMs;
  }

  #observerSummary(row: number, lastHour: (row: number) => number, nowMs: number): ObserverSummary {
    const store = this.store;
    const o = store.observer(row);
    // An observer is also a node when its radio adverts (same public key, lowercase in nodes).
    const nodeRow = /^[0-9a-fA-F]{64}$/.test(o.id) ? store.nodeRow(o.id) : -1;
    return {
      observer: o,
      packetsLastHour: lastHour(row),
      observationCount: store.indexes.obsByObserver.get(row)?.length ?? 0,
      node: nodeRow === -1 ? null : store.node(nodeRow),
      clock: observerClockAt(o, nowMs),
    };
  }

  observers(nowMs: number): ObserverSummary[] {
    return this.observerPage(nowMs, { offset: 0, limit: Infinity }).items;
  }

  /** Sorted by last_seen alone, so that only the page's summaries are built. */
  observerPage(
    nowMs: number,
    page: { offset: number; limit: number },
  ): { total: number; items: ObserverSummary[] } {
    const store = this.store;
    const seen = (r: number) => {
      const ms = store.observers.get('lastSeenMs', r);
      return Number.isFinite(ms) ? ms : -Infinity;
    };
    const id = (r: number) => store.interns.observers.get(r) ?? '';
    const rows = store
      .observerRows()
      .filter((r) => this.#observerActive(r, nowMs))
      .map((r) => ({ r, seen: seen(r), id: id(r) }))
      .sort((a, b) => b.seen - a.seen || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const slice = rows.slice(page.offset, page.offset + page.limit);
    if (slice.length === 0) return { total: rows.length, items: [] };
    const lastHour = this.#activity.perObserver(HOUR_MS, nowMs);
    return { total: rows.length, items: slice.map((x) => this.#observerSummary(x.r, lastHour, nowMs)) };
  }

  observer(id: string, nowMs: number): ObserverSummary | null {
    let row = this.store.observerRow(id);
    if (row === -1) row = this.store.observerRow(id.toUpperCase());
    if (row === -1 || !this.#observerActive(row, nowMs)) return null;
    return this.#observerSummary(row, this.#activity.perObserver(HOUR_MS, nowMs), nowMs);
  }

  // ---------------------------------------------------------------- channels

  channels(regions?: readonly string[]): ChannelSummary[] {
    return this.#channels.list(regions);
  }

  channelMessages(
    name: string,
    page: { limit: number; offset: number; regions?: readonly string[] },
  ): Page<ChannelMessage> | null {
    return this.#channels.messages(name, page);
  }

  // ---------------------------------------------------------------- totals and regions

  stats(nowMs: number): StoreStats {
    const store = this.store;
    const snap = this.#nodes.snapshot();
    let active = 0;
    // Every visible node, not the lastSeen order up to the first old one: the order may be a
    // moment stale (node-directory.ts), the count must not.
    for (const row of snap.visible) if (this.#nodes.lastSeen(row) >= nowMs - ACTIVE_NODE_MS) active++;
    let observers = 0;
    for (const r of store.observerRows()) if (store.observers.get('present', r) === 1) observers++;
    return {
      transmissions: store.transmissionCount,
      observations: store.observationCount,
      activeNodes: active,
      visibleNodes: snap.visible.size,
      observers,
      observationsLastHour: this.#activity.count(HOUR_MS, nowMs),
      observationsLast24h: this.#activity.count(24 * HOUR_MS, nowMs),
      roleCounts: snap.counts,
      storeBytes: store.memory().totalBytes,
    };
  }

  regionCodes(): string[] {
    const out: string[] = [];
    for (const [code] of this.store.interns.regions.entries()) if (code !== '') out.push(code);
    return out;
  }

  hasRegion(code: string): boolean {
    return this.store.interns.regions.lookup(code) !== NONE;
  }

  // ---------------------------------------------------------------- i9a:

  packetTimestamps(sinceMs: number, untilMs?: number): number[] {
    const store = this.store;
    const page = store.queryPackets({ sinceMs, untilMs, order: 'asc', limit: Infinity, offset: 0 });
    return page.rows.map((r) => store.txFirstSeen(r)).sort((a, b) => a - b);
  }

  nodesByPrefix(prefixLower: string, limit: number): { total: number; nodes: NodeSummary[] } {
    const rows = this.#prefixes.rows(prefixLower);
    rows.sort((a, b) => this.#nodes.lastSeen(b) - this.#nodes.lastSeen(a));
    return { total: rows.length, nodes: rows.slice(0, limit).map((r) => this.#summary(r)) };
  }

  /** A node's health over `txRows` (its newest adverts), without the packet list. */
  #healthSummary(row: number, txRows: number[], nowMs: number): NodeHealthSummary {
    const health = nodeHealth(this.store, txRows, nowMs);
    return {
      node: this.#summary(row),
      observers: health.observers,
      stats: {
        totalTransmissions: this.store.indexes.byAdvertNode.get(row)?.length ?? 0,
        ...health.stats,
        lastHeardMs: this.#nodes.lastHeard(row),
        windowTransmissions: txRows.length,
      },
    };
  }

  /** Recent bulk-health answers by query: dashboards poll it, and one answer reads ~limit × 100 adverts. */
  readonly #bulkMemo = new Map<string, { atMs: number; value: NodeHealthSummary[] }>();

  bulkHealth(q: BulkHealthQuery, nowMs: number): NodeHealthSummary[] {
    const key = `${q.limit}|${q.windowAdverts}|${q.regions?.join(',') ?? ''}|${q.area?.key ?? ''}`;
    const hit = this.#bulkMemo.get(key);
    if (hit && nowMs >= hit.atMs && nowMs - hit.atMs < BULK_HEALTH_MEMO_MS) return hit.value;
    const inRegion = q.regions ? this.#nodes.inRegions(q.regions) : null;
    const inArea = q.area ? this.#areas.rows(q.area) : null;
    const value = bulkHealthRows(this.#nodes, q, inRegion, inArea).map((row) =>
      this.#healthSummary(row, this.#recentAdvertRows(row, q.windowAdverts), nowMs),
    );
    if (this.#bulkMemo.size >= 64) this.#bulkMemo.clear();
    this.#bulkMemo.set(key, { atMs: nowMs, value });
    return value;
  }

  networkStatus(thresholds: NodeStatusThresholds, nowMs: number): NetworkStatus {
    return networkStatus(this.#nodes, thresholds, nowMs);
  }

  // ---------------------------------------------------------------- i9b: metrics and battery

  observerMetrics(id: string, q: ObserverMetricsQuery): ObserverMetricsSeries | null {
    let row = this.store.observerRow(id);
    if (row === -1) row = this.store.observerRow(id.toUpperCase());
    // Metrics are history: an inactive observer's stored samples stay readable.
    if (row === -1 || !this.#observerVisible(row)) return null;
    const observer = this.store.observer(row);
    const source = this.#metrics;
    if (source === null) return { observer, reboots: [], points: [], truncated: false };
    const samples = source.samples(observer.id, q.sinceMs, q.untilMs, MAX_METRIC_SAMPLES + 1);
    const truncated = samples.length > MAX_METRIC_SAMPLES;
    const kept = truncated ? samples.slice(samples.length - MAX_METRIC_SAMPLES) : samples;
    const previous = truncated
      ? samples[0]
      : kept.length > 0
        ? source.previous(observer.id, kept[0].atMs)
        : null;
    const { points, reboots } = metricsSeries(previous, kept, q.resolutionMs);
    return { observer, reboots, points, truncated };
  }

  nodeBattery(key: string, sinceMs: number, untilMs: number): NodeBattery | null {
    const row = this.#nodes.resolve(key);
    if (row === -1) return null;
    const node = this.store.node(row);
    return {
      node,
      samples: nodeBatterySamples(this.store, row, node.publicKey, sinceMs, untilMs, this.#metrics),
    };
  }

  // I9e:
  rxCoverage(q: RxCoverageQuery): RxCoverage {
    return rxCoverage(this.receptions, q);
  }

  rxLeaderboard(q: { sinceMs: number; limit: number }): RxLeader[] {
    return rxLeaderboard(this.receptions, q);
  }

  // ---------------------------------------------------------------- i9d:

  droppedPackets(q: DroppedPacketQuery): Promise<StoredDroppedPacket[]> {
    if (this.#persisted === null) return Promise.reject(new Error('no SQLite reader is connected'));
    return this.#persisted.droppedPackets(q);
  }

  resolveHopPrefixes(hops: readonly string[]): (string | null)[] {
    return this.#hopPrefixes.resolve(hops);
  }

  payloadTypeSamples(perType: number, depth: number): Map<number, TransmissionSummary[]> {
    const out = new Map<number, TransmissionSummary[]>();
    for (const [type, rows] of payloadTypeSampleRows(this.store, perType, depth))
      out.set(
        type,
        rows.map((r) => transmissionSummary(this.store, r)),
      );
    return out;
  }

  // t4:
  observerMetricsSummary(q: ObserverMetricsSummaryQuery): ObserverMetricsSummary {
    return observerMetricsSummary(this.store, this.#metrics, q, (row) => this.#observerVisible(row));
  }
}
