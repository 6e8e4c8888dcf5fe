// The API's response shapes, shared by the server (which builds them) and the web UI (which
// reads them: web/ imports this module's types, never a retyped copy). No imports and no code:
// it must type-check in both the Node and the browser build. A route that answers one of these
// shapes declares its builder's return type from here, so the compiler holds both ends together.

/** One observation of a transmission (`/api/packets/:id` observations, `expand=observations`). */
export interface ObservationItem {
  id: number;
  transmission_id: number;
  hash: string;
  observer_id: string;
  observer_name: string | null;
  observer_iata: string | null;
  direction: string | null;
  snr: number | null;
  rssi: number | null;
  score: number | null;
  path_json: string;
  timestamp: string | null;
  uploader_timestamp: string | null;
}

/** A transmission in CoreScope's packet shape (`/api/packets`); best observation inlined. */
export interface PacketItem {
  id: number;
  raw_hex: string;
  hash: string;
  first_seen: string | null;
  timestamp: string | null;
  last_seen: string | null;
  route_type: number;
  payload_type: number;
  payload_version: number;
  decoded_json: string;
  channel_hash: string | null;
  from_pubkey: string | null;
  /** Transport scope: null unscoped, '' unknown, '#name' (spec §2.2). */
  scope_name: string | null;
  observation_count: number;
  observer_id: string | null;
  observer_name: string | null;
  observer_iata: string | null;
  snr: number | null;
  rssi: number | null;
  path_json: string | null;
  direction: string | null;
  _parsedPath: string[];
  observations?: ObservationItem[];
}

/** `GET /api/packets`. */
export interface PacketsPage {
  packets: PacketItem[];
  total: number;
  limit: number;
  offset: number;
}

export type NodeRole = 'repeater' | 'companion' | 'room' | 'sensor' | string;

/** A node in CoreScope's node shape (`/api/nodes`, `/api/nodes/:pk`). */
export interface NodeItem {
  public_key: string;
  name: string | null;
  role: NodeRole | null;
  lat: number | null;
  lon: number | null;
  last_seen: string | null;
  first_seen: string | null;
  advert_count: number;
  battery_mv: number | null;
  temperature_c: number | null;
  foreign: boolean;
  default_scope: string | null;
  last_heard: string | null;
  packet_count: number;
  hash_size: number;
  hash_size_inconsistent: boolean;
  hash_sizes_seen: number[];
  flood_advert_count_7d: number;
  last_relayed?: string | null;
  relay_active?: boolean;
  relay_count_1h?: number;
  relay_count_24h?: number;
  usefulness_score?: number;
  usefulness_grade?: string;
}

export interface RoleCounts {
  repeaters: number;
  rooms: number;
  companions: number;
  sensors: number;
}

/** `GET /api/nodes`. */
export interface NodesPage {
  nodes: NodeItem[];
  total: number;
  limit: number;
  offset: number;
  counts: RoleCounts;
}

/** `GET /api/stats`. */
export interface StatsResponse {
  totalPackets: number;
  totalTransmissions: number;
  totalObservations: number;
  totalNodes: number;
  totalNodesAllTime: number;
  totalObservers: number;
  packetsLastHour: number;
  packetsLast24h: number;
  version: string;
  counts: RoleCounts;
}

/** `GET /api/healthz` (503 with the same body while the store loads). */
export interface HealthzResponse {
  ready: boolean;
  loadedRows: number;
  loadedTx: number;
  loadedObs: number;
  components: Record<
    string,
    {
      ready: boolean;
      loadedRows?: number;
      progress?: { phase: string; rowsLoaded: number; rowsTotal: number };
    }
  >;
}

/** Health thresholds of `/api/config/client` (ms). */
export interface HealthThresholds {
  infraDegradedMs: number;
  infraSilentMs: number;
  nodeDegradedMs: number;
  nodeSilentMs: number;
  relayActiveMs: number;
  observerOnlineMs: number;
  observerStaleMs: number;
}

/** `GET /api/config/client` (the parts the UI reads). */
export interface ClientConfigResponse {
  healthThresholds: HealthThresholds;
  batteryThresholds: { lowMv: number; criticalMv: number };
  propagationBufferMs: number;
  liveMapMaxNodes: number;
  listLimits: {
    packetsMax: number;
    nodesMax: number;
    analyticsMax: number;
    channelMessagesMax: number;
    bulkHealthMax: number;
  };
}

/** `GET /api/config/map`. */
export interface MapConfigResponse {
  center: [number, number];
  zoom: number;
  tileUrl?: string | null;
  attribution?: string | null;
}

/** Every API error body (src/api/errors.ts, docs/errors.md). */
export interface ApiErrorBody {
  error: string;
  code: string;
  [extra: string]: unknown;
}

/** `data` of a WebSocket `{type:"packet"}` message: one new observation (spec §5). */
export interface LivePacketData {
  id: number;
  observation_id: number;
  raw_hex: string;
  hash: string;
  first_seen: string | null;
  timestamp: string | null;
  rx_timestamp: string | null;
  uploader_timestamp: string | null;
  route_type: number;
  payload_type: number;
  decoded_json: string;
  observer_id: string;
  observer_name: string | null;
  region: string | null;
  snr: number | null;
  rssi: number | null;
  path_json: string;
  /** Per hop: the full key of the one known relay with that prefix, or null if ambiguous. */
  resolved_path: (string | null)[] | null;
  direction: string | null;
  observation_count: number;
}

/** Messages the live feed sends. */
export type LiveMessage =
  | { type: 'packet'; data: LivePacketData }
  | { type: 'subscribed'; regions: string[] | null; types: number[] | null }
  | { type: 'error'; error: string };

/** `GET /api/analytics/neighbor-graph` (the parts the map reads). */
export interface NeighborGraphResponse {
  nodes: { pubkey: string; name: string | null; role: string | null; neighbor_count: number }[];
  edges: {
    source: string;
    target: string;
    weight: number;
    score: number;
    bidirectional: boolean;
    avg_snr: number | null;
    ambiguous: boolean;
  }[];
  computedAt?: string;
}

/** A node behind a hop prefix (`/api/resolve-hops` candidates). */
export interface HopCandidate {
  name: string | null;
  pubkey: string;
  role: string | null;
  lat: number | null;
  lon: number | null;
}

/** `GET /api/resolve-hops?hops=&observer=`: each prefix → its chosen node (null when unresolved). */
export interface ResolveHopsResponse {
  resolved: Record<
    string,
    {
      name: string | null;
      pubkey: string | null;
      ambiguous: boolean;
      tier: string;
      candidates: HopCandidate[];
    }
  >;
  region: string | null;
}

/** One observer's sighting in `GET /api/traces/:hash` (receive-time order). */
export interface TraceSighting {
  observer: string;
  observer_name: string | null;
  observer_iata: string | null;
  time: string | null;
  snr: number | null;
  rssi: number | null;
  path_json: string;
}

/** `GET /api/traces/:hash`. */
export interface TraceResponse {
  hash: string;
  traces: TraceSighting[];
}

/** One field of a frame's byte layout (`/api/packets/:id/layout`, meshlens addition). */
export interface PacketLayoutField {
  offset: number;
  length: number;
  /** Stable id: `header`, `transport_code1`, `path_length`, `path_0`, `pubkey`, `ciphertext`, … */
  key: string;
  name: string;
  /** Colour class: header, transport, path_length, path, hash, pubkey, timestamp, signature, flags, location, name, data, mac, ciphertext, malformed. */
  kind: string;
  value: string;
  description: string;
  /** ok, truncated (frame ends inside it), malformed, extra (ignored by the decoder), invalid (failed check). */
  status: 'ok' | 'truncated' | 'malformed' | 'extra' | 'invalid';
  /** Bit fields of a one-byte field (header, path length, advert flags). */
  bits?: { name: string; mask: number; value: number; label: string }[];
}

/** `GET /api/packets/:id/layout`: the stored frame split into contiguous fields covering every byte. */
export interface PacketLayout {
  id: number;
  hash: string;
  raw_hex: string;
  length: number;
  fields: PacketLayoutField[];
  /** The frame-level decode error, if any (the fields then end in a malformed one). */
  error: { code: string; message: string; offset: number | null } | null;
  /** A payload shorter than its type's minimum: stored, not decoded (shown even when empty). */
  payload_error: string | null;
  /** ADVERT only: the signature check. */
  signature: 'verified' | 'invalid' | 'not_checked' | null;
  /** GRP_TXT decrypted with a configured channel key. */
  decrypted: { channel: string; text: string; message: string; sender: string | null } | null;
}

/** An observation in `/api/packets/:id`: the transmission's frame fields ride along. */
export interface PacketObservationDetail extends ObservationItem {
  raw_hex: string;
  route_type: number;
  payload_type: number;
  decoded_json: string;
}

/** `GET /api/packets/:id` (id or hash). */
export interface PacketDetailResponse {
  packet: PacketItem;
  path: string[];
  observation_count: number;
  observations: PacketObservationDetail[];
}

/** One observer's hearing of a node (`/api/nodes/:pk/health` observers). */
export interface NodeHearing {
  observer_id: string;
  observer_name: string | null;
  iata: string | null;
  count: number;
  packetCount: number;
  avgSnr: number | null;
  avgRssi: number | null;
  firstSeen: string | null;
  lastSeen: string | null;
}

/** `GET /api/nodes/:pk/health` (over the node's last adverts). */
export interface NodeHealthResponse {
  node: NodeItem;
  observers: NodeHearing[];
  stats: {
    totalTransmissions: number;
    totalObservations: number;
    totalPackets: number;
    packetsToday: number;
    avgSnr: number | null;
    avgHops: number | null;
    lastHeard: string | null;
    windowTransmissions: number;
  };
  recentPackets: PacketItem[];
}

/** `GET /api/nodes/:pk` (full key or a unique 8+ digit prefix). */
export interface NodeDetailResponse {
  node: NodeItem;
  recentAdverts: PacketItem[];
}

/** `GET /api/nodes/resolve?prefix=`. */
export interface NodeResolveResponse {
  prefix: string;
  total: number;
  candidates: NodeItem[];
}

/** One neighbour of `/api/nodes/:pk/neighbors`; an ambiguous one has no key, only its prefix. */
export interface NodeNeighbor {
  pubkey: string | null;
  prefix: string;
  target: string;
  name: string | null;
  role: string | null;
  count: number;
  score: number;
  last_seen: string;
  bidirectional: boolean;
  ambiguous: boolean;
  observers: string[];
}

/** `GET /api/nodes/:pk/neighbors`. */
export interface NodeNeighborsResponse {
  node: string;
  neighbors: NodeNeighbor[];
  total_observations: number;
  computedAt: string;
}

/** One hop of a path through a node (`/api/nodes/:pk/paths`); pubkey null when unresolved. */
export interface NodePathHop {
  prefix: string;
  name: string | null;
  pubkey: string | null;
  lat: number | null;
  lon: number | null;
}

/** `GET /api/nodes/:pk/paths`: paths through the node, most frequent first. */
export interface NodePathsResponse {
  node: Pick<
    NodeItem,
    'public_key' | 'name' | 'role' | 'lat' | 'lon' | 'last_seen' | 'first_seen' | 'advert_count'
  >;
  paths: { hops: NodePathHop[]; count: number; lastSeen: string | null; sampleHash: string | null }[];
}

/** `GET /api/nodes/:pk/clock-skew` (the parts the node page reads). */
export interface NodeClockSkewResponse {
  pubkey: string;
  meanSkewSec: number | null;
  medianSkewSec: number | null;
  lastSkewSec: number | null;
  recentMedianSkewSec: number | null;
  driftPerDaySec: number | null;
  severity: string;
  sampleCount: number;
  calibrated: boolean;
  lastAdvertTS: number | null;
  lastObservedTS: number | null;
  goodFraction: number | null;
  recentSampleCount: number;
  recentBadSampleCount: number;
  clockReset: boolean;
}

/** `GET /api/nodes/:pk/battery?days=`. */
export interface NodeBatteryResponse {
  public_key: string;
  name: string | null;
  days: number;
  status: 'ok' | 'low' | 'critical' | 'unknown';
  latest_mv: number | null;
  latest_at: string | null;
  thresholds: { low_mv: number; critical_mv: number };
  samples: { timestamp: string; battery_mv: number; source: 'observer' | 'advert' }[];
}

/** `GET /api/nodes/network-status`. */
export interface NetworkStatusResponse {
  total: number;
  active: number;
  degraded: number;
  silent: number;
  roleCounts: Record<string, number>;
}

/** An observer (`/api/observers` items, `/api/observers/:id`). */
export interface ObserverItem {
  id: string;
  name: string | null;
  iata: string | null;
  last_seen: string | null;
  first_seen: string | null;
  packet_count: number;
  model: string | null;
  firmware: string | null;
  client_version: string | null;
  /** "freq MHz,bw kHz,sf,cr" as the observer reports it, e.g. "910.525,62.5,7,5". */
  radio: string | null;
  battery_mv: number | null;
  uptime_secs: number | null;
  noise_floor: number | null;
  last_packet_at: string | null;
  packetsLastHour: number;
  observation_count: number;
  lat: number | null;
  lon: number | null;
  nodeRole: string | null;
  clock_naive: boolean;
  clock_skew_seconds: number | null;
  clock_skew_count_24h: number;
  clock_last_naive_at: string | null;
  can_relay: boolean | null;
}

/** `GET /api/observers`. */
export interface ObserversResponse {
  observers: ObserverItem[];
  server_time: string;
}

/** `GET /api/analytics/rf` (only what Home's activity sparkline reads): hours with no packets are absent. */
export interface RfPacketsPerHour {
  packetsPerHour: { hour: string; count: number }[];
}

/** One row of `GET /api/observers/clock-skew` (offsetSec > 0: the observer's clock is ahead). */
export interface ObserverClockSkewItem {
  observerID: string;
  observerName: string | null;
  offsetSec: number;
  samples: number;
  /** 'uploader-clock': a real clock offset; 'ingest-latency': relative latency (no own timestamp). */
  method: 'uploader-clock' | 'ingest-latency';
}

/** `GET /api/observers/:id/analytics?days=`. */
export interface ObserverAnalyticsResponse {
  /** Observations per UTC bucket (1 h for 1 day, 4 h up to 7 days, else 1 day), in time order. */
  timeline: { label: string; count: number }[];
  /** Payload type number (as a string) -> observations. */
  packetTypes: Record<string, number>;
  nodesTimeline: { label: string; count: number }[];
  /** 2-dB buckets, "a to b", ascending. */
  snrDistribution: { range: string; count: number }[];
  recentPackets: {
    id: number | null;
    transmission_id: number;
    hash: string;
    payload_type: number;
    route_type: number;
    observer_id: string;
    observer_name: string | null;
    snr: number | null;
    rssi: number | null;
    path_json: string;
    timestamp: string;
    first_seen: string | null;
    decoded_json: string;
  }[];
}

/** One MQTT source of `GET /api/mqtt/status` (times in unix seconds, 0 = never). */
export interface MqttSourceItem {
  name: string;
  broker: string;
  connected: boolean;
  lastConnectUnix: number;
  lastDisconnectUnix: number;
  lastPacketUnix: number;
  connectCount: number;
  disconnectCount: number;
  packetsTotal: number;
  packetsLast5m: number;
  lastError?: string;
  lastHandledUnix: number;
  rejectedTotal: number;
  /** Connected but silent for longer than the watchdog threshold. */
  silent: boolean;
}

/** `GET /api/mqtt/status`. */
export interface MqttStatusResponse {
  sources: MqttSourceItem[];
  sampleAt: string;
}

/** A channel of `GET /api/channels`. */
export interface ChannelItem {
  hash: string;
  name: string;
  encrypted: boolean;
  discovered: boolean;
  messageCount: number;
  lastActivity: string | null;
  lastMessage: string | null;
  lastSender: string | null;
}

/** `GET /api/channels`. */
export interface ChannelsResponse {
  channels: ChannelItem[];
}

/** One message of `GET /api/channels/:hash/messages`. */
export interface ChannelMessageItem {
  sender: string | null;
  /** As sent: usually "sender: text". */
  text: string | null;
  timestamp: string | null;
  sender_timestamp: number | null;
  packetId: number;
  packetHash: string;
  repeats: number;
  observers: string[];
  hops: number | null;
  snr: number | null;
}

/** `GET /api/channels/:hash/messages` (oldest first within the page). */
export interface ChannelMessagesResponse {
  channel: string;
  total: number;
  limit: number;
  offset: number;
  messages: ChannelMessageItem[];
}

/** `GET /api/analytics/roles`. */
export interface RolesResponse {
  totalNodes: number;
  roles: {
    role: string;
    nodeCount: number;
    withSkew: number;
    meanAbsSkewSec: number | null;
    medianAbsSkewSec: number | null;
    okCount: number;
    warningCount: number;
    criticalCount: number;
    absurdCount: number;
    noClockCount: number;
    bimodalCount: number;
  }[];
  computedAt: string;
}

// i12d: Neighbor Graph and My Repeaters tabs.
/** `stats` of `GET /api/analytics/neighbor-graph` (avg_cluster_size = 2E/N over keyed nodes). */
export interface NeighborGraphStats {
  total_nodes: number;
  total_edges: number;
  ambiguous_edges: number;
  avg_cluster_size: number;
  rejected_edges_geo_far: number;
}
export type NeighborGraphWithStats = NeighborGraphResponse & { stats: NeighborGraphStats };

/** One row of `GET /api/nodes/clock-skew` (a bare array): the node's estimate plus its name/role. */
export type NodeClockSkewRow = NodeClockSkewResponse & { nodeName: string | null; nodeRole: string | null };
/** `/api/nodes` items of repeaters and rooms carry the usefulness axes (null until computed). */
export type NodeItemWithAxes = NodeItem & {
  bridge_score?: number | null;
  traffic_share_score?: number | null;
};
