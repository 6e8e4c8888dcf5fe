// MeshReadModel over the in-memory store: the queries behind the HTTP API, answered from the
// store's columns and indexes. Paged queries cost O(page) plus the smallest filter
// (packet-query.ts); the node list is the NodeDirectory (sorted once per store version);
// windows of recent observations come from the ActivityCounter; channels from ChannelSummaries.
import type {
  ChannelMessage,
  ChannelSummary,
  MeshReadModel,
  NodeDetail,
  NodeHealth,
  NodeListQuery,
  NodePage,
  NodeSummary,
  ObserverSummary,
  Page,
  PacketDetailOptions,
  PacketQuery,
  PersistedReads,
  Sighting,
  StoreStats,
  TransmissionSummary,
} from '../read-model.js';
import { ActivityCounter } from './activity-counter.js';
import { ChannelSummaries } from './channel-summaries.js';
import { NONE } from './layout.js';
import type { MemoryStore } from './memory-store.js';
import { NodeDirectory, type NodeVisibility } from './node-directory.js';
import { nodeHealth } from './node-health.js';
import { sighting, transmissionSummary } from './transmission-summary.js';
import { HopPrefixIndex } from './hop-prefix-index.js';
import { payloadTypeSampleRows } from './payload-samples.js';
import type { DroppedPacketQuery, StoredDroppedPacket } from '../records.js';

const HOUR_MS = 3_600_000;
const ACTIVE_NODE_MS = 7 * 86_400_000;
const HASH = /^[0-9a-fA-F]{16}$/;

/** Who is hidden from every answer (config's blacklists, spec ingest-store-api §4.1). */
export interface ReadModelVisibility extends NodeVisibility {
  observerBlacklist: readonly string[];
}

export class MemoryReadModel implements MeshReadModel {
  readonly #nodes: NodeDirectory;
  readonly #activity: ActivityCounter;
  readonly #channels: ChannelSummaries;
  readonly #observerBlacklist: Set<string>;
  readonly #hopPrefixes: HopPrefixIndex;

  /** `persisted`: where the rows kept only in SQLite are read (the writer thread); optional. */
  constructor(
    private readonly store: MemoryStore,
    visibility: ReadModelVisibility,
    private readonly persisted: PersistedReads | null = null,
  ) {
    this.#hopPrefixes = new HopPrefixIndex(store, visibility);
    this.#nodes = new NodeDirectory(store, visibility);
    this.#activity = new ActivityCounter(store);
    this.#channels = new ChannelSummaries(store);
    this.#observerBlacklist = new Set(visibility.observerBlacklist.map((id) => id.toUpperCase()));
  }

  // ---------------------------------------------------------------- transmissions

  packets(q: PacketQuery, detail?: PacketDetailOptions): Page<TransmissionSummary> {
    const page = this.store.queryPackets(q);
    return { items: page.rows.map((row) => transmissionSummary(this.store, row, detail)), total: page.total };
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
    };
  }

  nodes(q: NodeListQuery): NodePage {
    const nodes = this.#nodes;
    const inRegion = q.regions ? nodes.inRegions(q.regions) : null;
    const snap = nodes.snapshot();
    const rows: number[] = [];
    let total = 0;
    for (const row of snap.orders[q.sortBy]) {
      if (q.role !== null && (nodes.role(row) ?? '').toLowerCase() !== q.role) continue;
      if (q.search !== null && !nodes.matches(row, q.search)) continue;
      if (q.beforeMs !== undefined && !(nodes.lastSeen(row) < q.beforeMs)) continue;
      if (q.heardSinceMs !== undefined && !(nodes.lastHeard(row) >= q.heardSinceMs)) continue;
      if (inRegion && !inRegion.has(row)) continue;
      if (total >= q.offset && rows.length < q.limit) rows.push(row);
      total++;
    }
    return { items: rows.map((r) => this.#summary(r)), total, counts: snap.counts };
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
        transmissionSummary(this.store, r),
      ),
    };
  }

  nodeHealth(key: string, windowAdverts: number, recentPackets: number, nowMs: number): NodeHealth | null {
    const row = this.#nodes.resolve(key);
    if (row === -1) return null;
    const txRows = this.#recentAdvertRows(row, windowAdverts);
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

  #observerSummary(row: number, lastHour: (row: number) => number): ObserverSummary {
    const store = this.store;
    const o = store.observer(row);
    // An observer is also a node when its radio adverts (same public key, lowercase in nodes).
    const nodeRow = /^[0-9a-fA-F]{64}$/.test(o.id) ? store.nodeRow(o.id) : -1;
    return {
      observer: o,
      packetsLastHour: lastHour(row),
      observationCount: store.indexes.obsByObserver.get(row)?.length ?? 0,
      node: nodeRow === -1 ? null : store.node(nodeRow),
    };
  }

  observers(nowMs: number): ObserverSummary[] {
    const lastHour = this.#activity.perObserver(HOUR_MS, nowMs);
    const seen = (s: ObserverSummary) =>
      Number.isFinite(s.observer.lastSeenMs) ? s.observer.lastSeenMs : -Infinity;
    return this.store
      .observerRows()
      .filter((r) => this.#observerVisible(r))
      .map((r) => this.#observerSummary(r, lastHour))
      .sort(
        (a, b) =>
          seen(b) - seen(a) || (a.observer.id < b.observer.id ? -1 : a.observer.id > b.observer.id ? 1 : 0),
      );
  }

  observer(id: string, nowMs: number): ObserverSummary | null {
    let row = this.store.observerRow(id);
    if (row === -1) row = this.store.observerRow(id.toUpperCase());
    if (row === -1 || !this.#observerVisible(row)) return null;
    return this.#observerSummary(row, this.#activity.perObserver(HOUR_MS, nowMs));
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
    for (const row of snap.orders.lastSeen) {
      // lastSeen order is descending: stop at the first node outside the window.
      if (!(this.#nodes.lastSeen(row) >= nowMs - ACTIVE_NODE_MS)) break;
      active++;
    }
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

  // ---------------------------------------------------------------- i9d:

  droppedPackets(q: DroppedPacketQuery): Promise<StoredDroppedPacket[]> {
    if (this.persisted === null) return Promise.reject(new Error('no SQLite reader is connected'));
    return this.persisted.droppedPackets(q);
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
}
