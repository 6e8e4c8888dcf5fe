// The store's one public read interface: what the HTTP API (and any other reader of whole
// records) may ask of the data. Every method returns plain records and pages in meshlens form
// (epoch ms, camelCase); the API renders them to CoreScope's JSON. The memory store implements
// it in memory/memory-read-model.ts; a second store (PostgreSQL) implements the same interface.
// Hidden nodes and observers (blacklists, hidden name prefixes) never appear in any answer.
import type {
  DroppedPacketQuery,
  NodeRecord,
  ObservationRecord,
  ObserverRecord,
  StoredDroppedPacket,
  TransmissionRecord,
} from './records.js';

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
}

export interface NodePage extends Page<NodeSummary> {
  /** Role counts over every visible node (unfiltered). */
  counts: RoleCounts;
}

export interface NodeDetail {
  node: NodeSummary;
  /** The node's newest adverts, highest id first. */
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
}

export interface ChannelSummary {
  /** The stored channel_hash value: decrypted name or `enc_XX`. */
  name: string;
  encrypted: boolean;
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

export interface MeshReadModel {
  // ---- transmissions
  /** A page of transmissions, O(page) plus the smallest filter. */
  packets(q: PacketQuery, detail?: PacketDetailOptions): Page<TransmissionSummary>;
  /** One transmission by 16-hex hash, transmission id or observation id, with its observations. */
  transmission(key: string): TransmissionSummary | null;
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
}

// i9d:
/** Reads only the persisted database answers (dropped_packets), off the event loop. */
export interface PersistedReads {
  droppedPackets(q: DroppedPacketQuery): Promise<StoredDroppedPacket[]>;
}
