// The store's one public read interface: what the HTTP API (and any other reader of whole
// records) may ask of the data. Every method returns plain records and pages in meshlens form
// (epoch ms, camelCase); the API renders them to CoreScope's JSON. The memory store implements
// it in memory/memory-read-model.ts; a second store (PostgreSQL) implements the same interface.
// Hidden nodes and observers (blacklists, hidden name prefixes) never appear in any answer.
import type {
  DroppedPacketQuery,
  NodeRecord,
  ObservationRecord,
  ObserverMetricsSample,
  ObserverRecord,
  StoredDroppedPacket,
  TransmissionRecord,
} from './records.js';
import type { ObserverClock } from './observer-clock.js';

/** Filters and paging of the transmission list (spec ingest-store-api §4.2 /api/packets). */
export interface PacketQuery {
  /** Payload types (any of). */
  types?: readonly number[];
  /** Route types (any of). */
  routes?: readonly number[];
  /** Observer ids (any of): transmissions heard by one of them. */
  observers?: readonly string[];
  /** IATA codes (any of, case-insensitive): heard by an observer in one of them. */
  regions?: readonly string[];
  /** Node public key (full, or a 6+ digit hex prefix): its adverts plus paths through its 1/2/3-byte prefixes. */
  node?: string;
  /** Channel name as stored in channel_hash. */
  channel?: string;
  hash?: string;
  /** first_seen bounds, epoch ms, inclusive. */
  sinceMs?: number;
  untilMs?: number;
  order?: 'asc' | 'desc';
  limit: number;
  offset: number;
  // i9a:
  /** Several nodes (any of), each as `node`: their adverts plus paths through their prefixes. */
  nodes?: readonly string[];
  /** Area (spec §4.3): ADVERTs whose originating node has GPS inside it. */
  area?: AreaFilter;
}

/**
 * A config area as the store needs it (spec §4.3): a key (the cache key of its node set) and a
 * containment test on a node's GPS (the API builds it from config/areas.ts).
 */
export interface AreaFilter {
  key: string;
  contains(lat: number, lon: number): boolean;
}

/** What to attach to each transmission of a page. */
export interface PacketDetailOptions {
  /** Every observation of the transmission. */
  observations?: boolean;
  /** The number of distinct observers (groupByHash). */
  observerCount?: boolean;
}

/** A page of a filtered list; `total` counts the whole filtered set. */
export interface Page<T> {
  items: T[];
  total: number;
}

/**
 * Entries built one at a time, when read. The heavy list routes stream up to 10k entries; built
 * up front they held the event loop for the whole page (the soak's p99), read lazily each chunk
 * of the answer builds only its own entries. The rows are chosen when the list is made (the
 * in-memory store only appends, so they stay valid); `entry` answers null for one no longer there.
 */
export interface LazyList<T> {
  readonly length: number;
  entry(index: number): T | null;
}

/** A page whose entries are built as they are rendered (see LazyList). */
export interface LazyPage<T> {
  items: LazyList<T>;
  total: number;
}

/** Every entry of a lazy list, built now (tests, small pages). */
export function materialize<T>(list: LazyList<T>): T[] {
  const out: T[] = [];
  for (let i = 0; i < list.length; i++) {
    const v = list.entry(i);
    if (v !== null) out.push(v);
  }
  return out;
}

/** One observation with its observer's display fields resolved. */
export interface Sighting {
  observation: ObservationRecord;
  observerName: string | null;
  observerIata: string | null;
}

/**
 * A transmission as listed: the record, its observation count and its display observation
 * (spec §3.1: the longest path, earliest on ties; null when it has none).
 */
export interface TransmissionSummary {
  transmission: TransmissionRecord;
  observationCount: number;
  best: ObservationRecord | null;
  bestObserverName: string | null;
  bestObserverIata: string | null;
  /** Present when asked for (PacketDetailOptions.observations), in insertion order. */
  observations?: Sighting[];
  /** Present when asked for (PacketDetailOptions.observerCount). */
  observerCount?: number;
}

export type NodeSort = 'lastSeen' | 'name' | 'packetCount';

export interface RoleCounts {
  repeaters: number;
  rooms: number;
  companions: number;
  sensors: number;
}

export interface NodeListQuery {
  /** Lowercase role, or null for every role. */
  role: string | null;
  /** Lowercase needle: name substring or public-key prefix; null for none. */
  search: string | null;
  /** last_seen strictly before this (ms). */
  beforeMs?: number;
  /** last_heard at or after this (ms). */
  heardSinceMs?: number;
  /** Nodes whose adverts an observer of one of these IATA codes heard. */
  regions?: readonly string[];
  /** i9a: nodes with GPS inside the area. */
  area?: AreaFilter;
  sortBy: NodeSort;
  limit: number;
  offset: number;
}

/** A node with what the store derives for it. */
export interface NodeSummary {
  node: NodeRecord;
  /** Latest receive time of the node's own adverts, or its last_seen when later (ms). */
  lastHeardMs: number;
  /** Advert transmissions of the node in the store. */
  packetCount: number;
  // i9a: from the node's own adverts of the last 7 days (spec analytics §4.2)
  /** Latest path hash size of its non-zero-hop adverts (1-3); 0 = none. */
  hashSize: number;
  hashSizeInconsistent: boolean;
  /** Sizes seen, ascending. */
  hashSizesSeen: number[];
  /** Flood-routed adverts (FLOOD, TRANSPORT_FLOOD) in the last 7 days. */
  floodAdvertCount7d: number;
}

export interface NodePage extends LazyPage<NodeSummary> {
  /** Role counts over every visible node (unfiltered). */
  counts: RoleCounts;
}

export interface NodeDetail {
  node: NodeSummary;
  /** The node's newest adverts, highest id first, with their observations. */
  recentAdverts: TransmissionSummary[];
}

/** How one observer hears a node. */
export interface NodeHearing {
  observerId: string;
  observerName: string | null;
  iata: string | null;
  count: number;
  /** Rounded to 2 decimals; null without samples. */
  avgSnr: number | null;
  avgRssi: number | null;
  /** i9a: receive times of its first and last observation in the window (ms). */
  firstSeenMs: number;
  lastSeenMs: number;
}

export interface NodeHealth {
  node: NodeSummary;
  /** Most observations first, then observer id. */
  observers: NodeHearing[];
  stats: {
    totalTransmissions: number;
    totalObservations: number;
    packetsToday: number;
    avgSnr: number | null;
    avgHops: number | null;
    lastHeardMs: number;
    windowTransmissions: number;
  };
  recentPackets: TransmissionSummary[];
}

export interface ObserverSummary {
  observer: ObserverRecord;
  /** Observations received in the hour before `nowMs`. */
  packetsLastHour: number;
  observationCount: number;
  /** The observer's own node when its radio adverts (same public key), else null. */
  node: NodeRecord | null;
  /** r1: naive-clock state at the query's `nowMs`, decayed after 24 h (spec analytics §6.7). */
  clock: ObserverClock;
}

export interface ChannelSummary {
  /** The stored channel_hash value: decrypted name or `enc_XX`. */
  name: string;
  encrypted: boolean;
  /** r2: a hashtag channel discovered from a `#tag` in decrypted text (not a stored channel_hash). */
  discovered: boolean;
  messageCount: number;
  lastActivityMs: number;
  lastMessage: string | null;
  lastSender: string | null;
}

export interface ChannelMessage {
  transmission: TransmissionRecord;
  sender: string | null;
  text: string | null;
  senderTimestamp: number | null;
  repeats: number;
  /** Distinct observer names (id when unnamed), in observation order. */
  observers: string[];
  hops: number | null;
  snr: number | null;
}

export interface StoreStats {
  transmissions: number;
  observations: number;
  /** Visible nodes seen in the last 7 days. */
  activeNodes: number;
  visibleNodes: number;
  observers: number;
  observationsLastHour: number;
  observationsLast24h: number;
  roleCounts: RoleCounts;
  /** Bytes the store's data occupies in memory. */
  storeBytes: number;
}

// i9a:
/** A node's health without its packet list (/api/nodes/bulk-health). */
export type NodeHealthSummary = Omit<NodeHealth, 'recentPackets'>;

export interface BulkHealthQuery {
  limit: number;
  regions?: readonly string[];
  area?: AreaFilter;
  /** Newest adverts read per node. */
  windowAdverts: number;
}

/** Ages (ms since last heard) from which a node counts as degraded or silent. */
export interface NodeStatusThresholds {
  /** Repeaters and rooms. */
  infraDegradedMs: number;
  infraSilentMs: number;
  /** Every other role. */
  nodeDegradedMs: number;
  nodeSilentMs: number;
}

export interface NetworkStatus {
  total: number;
  active: number;
  degraded: number;
  silent: number;
  /** Visible nodes per stored role (lowercase; `unknown` when none). */
  roleCounts: Record<string, number>;
}

// ---- i9b: observer metrics, battery, observer clock/relay fields, discovered channels

/**
 * The stored observer_metrics samples (one per observer and time bucket), read by time range.
 * Implemented over SQLite by store/sqlite/metrics-reader.ts (its own read-only connection,
 * primary-key range reads); the memory store does not hold them.
 */
export interface ObserverMetricsSource {
  /** Samples of one observer with fromMs <= time <= toMs, oldest first; the newest `maxRows` when more. */
  samples(observerId: string, fromMs: number, toMs: number, maxRows: number): ObserverMetricsSample[];
  /** The newest sample strictly before `beforeMs` (the baseline of the first delta), or null. */
  previous(observerId: string, beforeMs: number): ObserverMetricsSample | null;
  /**
   * t4: per-observer aggregates over [fromMs, toMs] from at most `maxRows` samples (the newest);
   * absent: the fleet summary is empty.
   */
  fleetAggregates?(
    fromMs: number,
    toMs: number,
    maxRows: number,
  ): { observers: ObserverMetricsAggregate[]; rows: number; capped: boolean };
}

/** t4: one observer's aggregates over a window (the fleet-range read). */
export interface ObserverMetricsAggregate {
  observerId: string;
  samples: number;
  lastAtMs: number | null;
  noiseFloorCurrent: number | null;
  noiseFloorAvg: number | null;
  noiseFloorMin: number | null;
  noiseFloorMax: number | null;
  batteryMvCurrent: number | null;
  batteryMvMin: number | null;
  /** Sums of the counter deltas over non-reboot intervals, and the wall time (s) they cover. */
  txAirSecs: number | null;
  txAirWindowS: number | null;
  rxAirSecs: number | null;
  rxAirWindowS: number | null;
  recvErrors: number | null;
  packetsRecv: number | null;
  reboots: number;
}

/** One point of an observer's metrics series (a stored sample, or an hour/day aggregate). */
export interface ObserverMetricPoint {
  /** Bucket start (ms). */
  atMs: number;
  /** Mean noise floor (dBm, 0.1). */
  noiseFloor: number | null;
  /** Transmit / receive airtime over the interval, percent of wall time (0.01). */
  txAirtimePct: number | null;
  rxAirtimePct: number | null;
  /** Counter deltas over the interval (not cumulative); null across a reboot or without a baseline. */
  packetsSent: number | null;
  packetsRecv: number | null;
  recvErrors: number | null;
  /** recvErrors / (packetsRecv + recvErrors), percent (0.01). */
  recvErrorRate: number | null;
  /** Mean battery (mV). */
  batteryMv: number | null;
  /** The first sample after a reboot (its noise floor may be a cold-start reading). */
  isRebootSample: boolean;
}

export interface ObserverMetricsSeries {
  observer: ObserverRecord;
  /** Sample times (ms) at which a reboot was detected, oldest first. */
  reboots: number[];
  points: ObserverMetricPoint[];
  /** True when the range held more samples than the read bound (the newest were kept). */
  truncated: boolean;
}

export interface ObserverMetricsQuery {
  sinceMs: number;
  untilMs: number;
  /** Output bucket: 300_000 (the stored samples), 3_600_000 or 86_400_000. */
  resolutionMs: number;
}

export interface BatterySample {
  atMs: number;
  batteryMv: number;
  /** `observer`: the node's own observer status (observer_metrics); `advert`: its advert telemetry. */
  source: 'observer' | 'advert';
}

export interface NodeBattery {
  node: NodeRecord;
  /** Oldest first. */
  samples: BatterySample[];
}

/** A bounding box in degrees. */
export interface GeoBox {
  minLat: number;
  minLon: number;
  maxLat: number;
  maxLon: number;
}

/** One row of client_receptions (spec §2.2): a mobile client (rx) heard a node (heard key). */
export interface ClientReception {
  rxPubkey: string;
  /** The heard node's key or key prefix (heardKeyLen bytes), as stored. */
  heardKey: string;
  rssi: number | null;
  snr: number | null;
  lat: number;
  lon: number;
  rxMs: number;
}

/** Filters of the RX-coverage routes; every read is bounded by `sinceMs` and `rowCap`. */
export interface RxCoverageQuery {
  sinceMs: number;
  bbox: GeoBox | null;
  /** Map zoom (0-18): the hexagons' size follows it. */
  zoom: number;
  /** Receptions of this node (full key: every stored prefix of it matches), or null. */
  node: string | null;
  /** Receptions by this client (rx_pubkey), or null. */
  rx: string | null;
}

/** One hexagon of the coverage grid with what was received inside it. */
export interface RxCell {
  /** Ring of [lon, lat] vertices, closed (GeoJSON order). */
  ring: Array<[number, number]>;
  center: [number, number];
  count: number;
  bestSnr: number | null;
  avgSnr: number | null;
  bestRssi: number | null;
  receivers: number;
  nodes: number;
  lastRxMs: number;
}

export interface RxCoverage {
  cells: RxCell[];
  receptions: number;
  /** More rows matched than the read cap; the newest `receptions` were binned. */
  truncated: boolean;
}

export interface RxLeader {
  rxPubkey: string;
  name: string | null;
  receptions: number;
  nodesHeard: number;
  bestSnr: number | null;
  lastRxMs: number | null;
}

/** Where receptions are read from; every read is bounded by time and a row cap. */
/** (Store-internal port: the SQLite reader implements it for the memory read model.) */
export interface ReceptionSource {
  receptions(f: {
    sinceMs: number;
    bbox: GeoBox | null;
    /** Stored heard_key values to match (any case), or null for every node. */
    heardKeys: string[] | null;
    rx: string | null;
    limit: number;
  }): ClientReception[];
  leaderboard(f: { sinceMs: number; limit: number; rowCap: number }): RxLeader[];
}

export interface MeshReadModel {
  // ---- transmissions
  /** A page of transmissions, O(page) plus the smallest filter. */
  packets(q: PacketQuery, detail?: PacketDetailOptions): LazyPage<TransmissionSummary>;
  /** One transmission by 16-hex hash, transmission id or observation id, with its observations. */
  transmission(key: string): TransmissionSummary | null;
  /** Transmissions by id in the order given, as `packets` lists them (ids no longer stored are skipped). */
  packetsByIds(ids: ArrayLike<number>, detail?: PacketDetailOptions): LazyList<TransmissionSummary>;
  /** Every sighting of a transmission in receive-time order; null when the hash is unknown. */
  traces(hash: string): Sighting[] | null;

  // ---- nodes
  nodes(q: NodeListQuery): NodePage;
  /** Nodes whose name contains `needle` or whose key starts with it, most recently seen first. */
  searchNodes(needleLower: string, limit: number): NodeSummary[];
  /** A node by full key or unique 8+ digit prefix, with its newest `recentAdverts` adverts. */
  node(key: string, recentAdverts: number): NodeDetail | null;
  /** Who hears a node over its newest `windowAdverts` adverts. */
  nodeHealth(key: string, windowAdverts: number, recentPackets: number, nowMs: number): NodeHealth | null;
  /** Public keys of the visible nodes whose (trimmed, case-insensitive) name is `name`. */
  nodeKeysByName(name: string): string[];

  // ---- observers
  /** Visible observers, most recently seen first. */
  observers(nowMs: number): ObserverSummary[];
  /** Issue 13 #5: one page of observers() (same order) and the number of them all. */
  observerPage(
    nowMs: number,
    page: { offset: number; limit: number },
  ): { total: number; items: ObserverSummary[] };
  /** One visible observer by id (as given or uppercase). */
  observer(id: string, nowMs: number): ObserverSummary | null;

  // ---- channels
  /** Channels with traffic (in the regions), newest activity first. */
  channels(regions?: readonly string[]): ChannelSummary[];
  /**
   * A page of one channel's messages, oldest first within the page, offset counting back from
   * the newest; null when the channel has no messages at all.
   */
  channelMessages(
    name: string,
    page: { limit: number; offset: number; regions?: readonly string[] },
  ): Page<ChannelMessage> | null;

  // ---- totals and regions
  stats(nowMs: number): StoreStats;
  /** Every observer IATA code seen (non-empty). */
  regionCodes(): string[];
  /** Whether some observer has had this (uppercase) IATA code. */
  hasRegion(code: string): boolean;

  // i9a:
  /** first_seen of the transmissions in [sinceMs, untilMs], ascending (ms). */
  packetTimestamps(sinceMs: number, untilMs?: number): number[];
  /** Visible nodes whose key starts with the lowercase hex prefix, most recently seen first. */
  nodesByPrefix(prefixLower: string, limit: number): { total: number; nodes: NodeSummary[] };
  /** Health of the most recently seen visible nodes (filtered), per node over its newest adverts. */
  bulkHealth(q: BulkHealthQuery, nowMs: number): NodeHealthSummary[];
  /** Visible nodes by how recently they were heard. */
  networkStatus(thresholds: NodeStatusThresholds, nowMs: number): NetworkStatus;
  // i9b:
  /** An observer's metrics over a time range; null when the observer is unknown or hidden. */
  observerMetrics(id: string, q: ObserverMetricsQuery): ObserverMetricsSeries | null;
  /** A node's battery readings in [sinceMs, untilMs]; null when the node is unknown or hidden. */
  nodeBattery(key: string, sinceMs: number, untilMs: number): NodeBattery | null;
  // I9e: opt-in mobile RX coverage (client_receptions, spec §2.2, §4.2)
  /** Receptions since q.sinceMs binned into map hexagons (newest rows first, capped). */
  rxCoverage(q: RxCoverageQuery): RxCoverage;
  /** Clients ranked by receptions since `sinceMs` (most first). */
  rxLeaderboard(q: { sinceMs: number; limit: number }): RxLeader[];
  // i9d: ops reads (dropped packets), live-feed hop resolution, payload-type samples.
  /** The newest dropped_packets rows (filters on indexed columns), read off the event loop. */
  droppedPackets(q: DroppedPacketQuery): Promise<StoredDroppedPacket[]>;
  /**
   * Per hop (1-3 byte key prefix, hex): the public key of the one visible relay node (repeater or
   * room) with that prefix, or null when there is none or more than one. No scan: an index.
   */
  resolveHopPrefixes(hops: readonly string[]): (string | null)[];
  /** Per payload type: `perType` transmissions spread over frame length, from its newest `depth`. */
  payloadTypeSamples(perType: number, depth: number): Map<number, TransmissionSummary[]>;
  // t4: the RF-health fleet view (GET /api/observers/metrics/summary).
  /** Per visible observer (in the regions), aggregates of its observer_metrics over the window. */
  observerMetricsSummary(q: ObserverMetricsSummaryQuery): ObserverMetricsSummary;
}

// t4:
export interface ObserverMetricsSummaryQuery {
  fromMs: number;
  toMs: number;
  /** IATA codes (upper-case); null = every region. */
  regions: readonly string[] | null;
  /** A sample older than this before `toMs` marks the observer offline (ms). */
  offlineAfterMs: number;
  /** Battery below this is low (mV). */
  lowBatteryMv: number;
}

export interface ObserverMetricsSummaryEntry {
  observer: ObserverRecord;
  metrics: ObserverMetricsAggregate;
  status: 'normal' | 'offline' | 'low_battery';
}

export interface ObserverMetricsSummary {
  observers: ObserverMetricsSummaryEntry[];
  /** Samples read (bounded); `capped` when the window held more and only the newest were read. */
  samplesRead: number;
  capped: boolean;
}

// i9d:
/** Reads only the persisted database answers (dropped_packets), off the event loop. */
export interface PersistedReads {
  droppedPackets(q: DroppedPacketQuery): Promise<StoredDroppedPacket[]>;
}
