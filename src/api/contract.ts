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
  /** Why not ready: 'loading' (the store), 'degraded' (writes failing) or a component's reason
   * (an MQTT source down or silent). */
  reason?: string;
  degraded?: { writer?: { code: string; message: string; sinceMs: number | null; retries: number } };
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
  /** The RX coverage routes are on (config clientRxCoverage.enabled). */
  clientRxCoverage: boolean;
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

// i12a: the analytics the Overview, RF / Signal and Scopes tabs read (spec analytics §3.2, §7.6;
// ingest-store-api /scope-stats). The Overview reads only a few fields of topology, channels and
// hash sizes: those are typed as the subsets it reads.

/** A server-binned histogram: bin i covers [x, x + w). Empty: `{bins: [], min: 0, max: 0}`. */
export interface HistogramBins {
  bins: { x: number; w: number; count: number }[];
  min: number;
  max: number;
}

/** min/max/avg/median/stddev of a signal; all 0 when no observation carried it. */
export interface SignalSummary {
  min: number;
  max: number;
  avg: number;
  median: number;
  stddev: number;
}

/** `GET /api/analytics/rf`. Hours are `YYYY-MM-DDTHH` (UTC). */
export interface RfAnalyticsResponse {
  /** Observations with an SNR. */
  totalPackets: number;
  /** Observations visited. */
  totalAllPackets: number;
  /** Distinct transmissions. */
  totalTransmissions: number;
  snr: SignalSummary;
  rssi: SignalSummary;
  snrValues: HistogramBins;
  rssiValues: HistogramBins;
  packetSizes: HistogramBins;
  minPacketSize: number;
  maxPacketSize: number;
  avgPacketSize: number;
  packetsPerHour: { hour: string; count: number }[];
  payloadTypes: { type: number; name: string; count: number }[];
  snrByType: { name: string; count: number; avg: number; min: number; max: number }[];
  signalOverTime: { hour: string; count: number; avgSnr: number }[];
  scatterData: { snr: number; rssi: number }[];
  timeSpanHours: number;
  computedAt?: string;
}

/** The fields of `GET /api/analytics/topology` the Overview reads. */
export interface TopologyOverviewFields {
  uniqueNodes: number;
  avgHops: number;
  medianHops: number;
  maxHops: number;
  hopDistribution: { hops: number; count: number }[];
}

/** The fields of `GET /api/analytics/channels` the Overview reads. */
export interface ChannelsOverviewFields {
  activeChannels: number;
  decryptable: number;
}

/** The fields of `GET /api/analytics/hash-sizes` the Overview reads. */
export interface HashSizesOverviewFields {
  /** Transmissions with at least one path hop. */
  total: number;
  distribution: Record<'1' | '2' | '3', number>;
}

/** `GET /api/analytics/relay-airtime-share`. */
export interface RelayAirtimeShareResponse {
  rows: {
    payload_type: string;
    type: number;
    count: number;
    count_pct: number;
    /** Σ time on air (ns) × distinct resolved relays. */
    score: number;
    airtime_pct: number;
    relays: number;
  }[];
  total_count: number;
  total_score: number;
  /** The LoRa preset assumed for time on air: Hz, kHz, spreading factor, coding-rate denominator. */
  preset: { freq: number; bw: number; sf: number; cr: number };
  window: string | null;
  cached: boolean;
  computedAt?: string;
}

/** `GET /api/scope-stats?window=1h|24h|7d`. */
export interface ScopeStatsResponse {
  window: '1h' | '24h' | '7d';
  summary: { transportTotal: number; scoped: number; unscoped: number; unknownScope: number };
  byRegion: { name: string; count: number }[];
  timeSeries: { t: string; scoped: number; unscoped: number }[];
  computedAt?: string;
}

// i12e: the Nodes, RF Health and Clock Health tabs of the analytics dashboard.

/** One item of `GET /api/nodes/bulk-health` (a bare array): the node and its health over its newest adverts. */
export interface BulkHealthItem extends NodeItem {
  stats: NodeHealthResponse['stats'];
  observers: NodeHearing[];
}

/** One observer of `GET /api/observers/metrics/summary`. */
export interface ObserverMetricsSummaryItem {
  observer_id: string;
  observer_name: string | null;
  iata: string | null;
  samples: number;
  last_sample_at: string | null;
  current_noise_floor: number | null;
  avg_noise_floor: number | null;
  min_noise_floor: number | null;
  max_noise_floor: number | null;
  tx_airtime_pct: number | null;
  rx_airtime_pct: number | null;
  recv_errors: number | null;
  packets_recv: number | null;
  recv_error_rate: number | null;
  battery_mv: number | null;
  min_battery_mv: number | null;
  reboots: number;
  status: 'normal' | 'offline' | 'low_battery';
}

/** `GET /api/observers/metrics/summary?window=&region=`: the RF-health fleet view. */
export interface ObserverMetricsSummaryResponse {
  window: string;
  from: string;
  to: string;
  region: string | null;
  samplesRead: number;
  capped: boolean;
  fleet: {
    observers: number;
    offline: number;
    noise_floor: { median_current: number | null; avg: number | null; max: number | null };
    airtime: { avg_tx_pct: number | null; avg_rx_pct: number | null };
    errors: { recv_errors: number; recv_error_rate: number | null; reboots: number };
    battery: { reporting: number; min_mv: number | null; low: number };
  };
  observers: ObserverMetricsSummaryItem[];
}

/** One node of `GET /api/nodes/clock-skew` (a bare array sorted by public key). */
export interface NodesClockSkewItem {
  pubkey: string;
  meanSkewSec: number;
  medianSkewSec: number;
  lastSkewSec: number;
  recentMedianSkewSec: number;
  driftPerDaySec: number;
  severity: 'ok' | 'warning' | 'critical' | 'absurd' | 'no_clock' | 'bimodal_clock';
  sampleCount: number;
  calibrated: boolean;
  lastAdvertTS: number;
  lastObservedTS: number;
  goodFraction: number;
  recentBadSampleCount: number;
  recentSampleCount: number;
  recentBadSamples: { hash: string; advertTS: number; skewSec: number }[];
  clockReset: boolean;
  nodeName: string | null;
  nodeRole: string | null;
}

// i12c: hash sizes, hash collisions and channel analytics (spec analytics §3.4, §4).

/** Counts per hop-hash size in bytes. */
export interface HashSizeCounts {
  '1': number;
  '2': number;
  '3': number;
}

/** `GET /api/analytics/hash-sizes`. */
export interface HashSizesResponse {
  total: number;
  distribution: HashSizeCounts;
  distributionByRepeaters: HashSizeCounts;
  hourly: Array<{ hour: string } & HashSizeCounts>;
  topHops: { hex: string; size: number; count: number; name: string | null; pubkey: string | null }[];
  multiByteNodes: {
    name: string;
    hashSize: number;
    packets: number;
    lastSeen: string;
    pubkey: string;
    role: string | null;
  }[];
  attributionMethod: 'repeater' | 'observer';
  multiByteCapability: {
    pubkey: string;
    name: string;
    role: string | null;
    status: 'confirmed' | 'suspected' | 'unknown';
    evidence: 'advert' | 'path' | null;
    maxHashSize: number;
    lastSeen: string | null;
  }[];
}

/** A node as the hash-collisions analytic lists it. */
export interface HashCollisionNode {
  public_key: string;
  name: string | null;
  role: string | null;
  lat: number | null;
  lon: number | null;
  hash_size: number;
  hash_size_inconsistent: boolean;
  hash_sizes_seen?: number[];
}

export interface HashCollision {
  prefix: string;
  byte_size: number;
  appearances: number;
  nodes: HashCollisionNode[];
  max_dist_km: number;
  classification: 'local' | 'regional' | 'distant' | 'incomplete';
  with_coords: number;
}

export interface HashCollisionSection {
  stats: {
    total_nodes: number;
    nodes_for_byte: number;
    using_this_size: number;
    unique_prefixes: number;
    collision_count: number;
    space_size: number;
    pct_used: number;
  };
  collisions: HashCollision[];
  one_byte_cells?: Record<string, HashCollisionNode[]>;
  two_byte_cells?: Record<
    string,
    {
      group_nodes: HashCollisionNode[];
      two_byte_map: Record<string, HashCollisionNode[]>;
      max_collision: number;
      collision_count: number;
    }
  >;
}

/** `GET /api/analytics/hash-collisions`. */
export interface HashCollisionsResponse {
  inconsistent_nodes: HashCollisionNode[];
  by_size: { '1': HashCollisionSection; '2': HashCollisionSection; '3': HashCollisionSection };
}

/** `GET /api/analytics/channels` (not `/api/channels`: see ChannelsResponse). */
export interface ChannelAnalyticsResponse {
  activeChannels: number;
  decryptable: number;
  channels: {
    hash: string;
    name: string;
    messages: number;
    senders: number;
    lastActivity: string;
    encrypted: boolean;
  }[];
  topSenders: { name: string; count: number }[];
  channelTimeline: { hour: string; channel: string; count: number }[];
  msgLengths: number[];
}

// i12b: topology, distance and route-pattern analytics (spec analytics §3.1, §3.3, §7.1).

/** One node at a reach ring of `GET /api/analytics/topology`. */
export interface TopologyReachNode {
  hop: string;
  name: string | null;
  pubkey: string | null;
  count: number;
  /** "min-max" hop distances when they differ, else null. */
  distRange: string | null;
}

/** `GET /api/analytics/topology`. */
export interface TopologyResponse {
  uniqueNodes: number;
  avgHops: number;
  medianHops: number;
  maxHops: number;
  hopDistribution: { hops: number; count: number }[];
  topRepeaters: { hop: string; count: number; name: string | null; pubkey: string | null }[];
  topPairs: {
    hopA: string;
    hopB: string;
    count: number;
    nameA: string | null;
    nameB: string | null;
    pubkeyA: string | null;
    pubkeyB: string | null;
  }[];
  hopsVsSnr: { hops: number; count: number; avgSnr: number }[];
  observers: { id: string; name: string }[];
  perObserverReach: Record<
    string,
    { observer_name: string; rings: { hops: number; nodes: TopologyReachNode[] }[] }
  >;
  multiObsNodes: {
    hop: string;
    name: string | null;
    pubkey: string | null;
    observers: { observer_id: string; observer_name: string; minDist: number; count: number }[];
  }[];
  bestPathList: {
    hop: string;
    name: string | null;
    pubkey: string | null;
    minDist: number;
    observer_id: string;
    observer_name: string;
  }[];
  computedAt?: string;
}

export type DistanceLinkType = 'R↔R' | 'C↔R' | 'C↔C';

/** `GET /api/analytics/distance`. */
export interface DistanceResponse {
  summary: { totalHops: number; totalPaths: number; avgDist: number; maxDist: number };
  topHops: {
    fromName: string;
    fromPk: string;
    toName: string;
    toPk: string;
    dist: number;
    type: DistanceLinkType;
    bestSnr: number | null;
    medianSnr: number | null;
    obsCount: number;
    hash: string;
    timestamp: string;
  }[];
  topPaths: {
    hash: string;
    totalDist: number;
    hopCount: number;
    timestamp: string;
    hops: { fromName: string; fromPk: string; toName: string; toPk: string; dist: number }[];
  }[];
  catStats: Record<
    DistanceLinkType,
    { count: number; avg: number; median: number; min: number; max: number }
  >;
  distHistogram: { bins: { x: number; w: number; count: number }[]; min: number; max: number };
  distOverTime: { hour: string; avg: number; count: number }[];
  computedAt?: string;
}

/** One sub-path of `GET /api/analytics/subpaths(-bulk)`. */
export interface SubpathItem {
  /** Hop names (or hex when unresolved) joined by " → ". */
  path: string;
  rawHops: string[];
  count: number;
  hops: number;
  /** Share of paths (with ≥ 2 hops) that contain it, in %. */
  pct: number;
}

/** `GET /api/analytics/subpaths-bulk?groups=…`: one result per group, in the order asked. */
export interface SubpathsBulkResponse {
  results: { subpaths: SubpathItem[]; totalPaths: number }[];
}

/** `GET /api/analytics/subpath-detail?hops=a,b,…`. */
export interface SubpathDetailResponse {
  hops: string[];
  nodes: {
    hop: string;
    name: string | null;
    lat: number | null;
    lon: number | null;
    pubkey: string | null;
  }[];
  totalMatches: number;
  firstSeen: string | null;
  lastSeen: string | null;
  signal: { avgSnr: number | null; avgRssi: number | null; samples: number };
  /** Matches by UTC hour of first_seen, 24 entries. */
  hourDistribution: number[];
  parentPaths: { path: string; count: number }[];
  observers: { name: string; count: number }[];
}

// i12f: the node analytics and node reach pages (spec analytics §6.6, §7.2; ingest-store-api §4.2).

/** `GET /api/nodes/:pk/clock-skew` with the series and evidence the analytics page draws. */
export interface NodeClockSkewDetail extends NodeClockSkewResponse {
  /** One point per advert hash, oldest first: observed time (epoch s) and its median skew (s). */
  samples: { ts: number; skew: number }[];
  recentBadSamples?: { hash: string; advertTS: number; skewSec: number }[];
  recentHashEvidence?: {
    hash: string;
    timestamp: number;
    medianCorrectedSkewSec: number;
    observers: {
      observerID: string;
      observerName: string;
      rawSkewSec: number;
      correctedSkewSec: number;
      observerOffsetSec: number;
      calibrated: boolean;
    }[];
  }[];
  calibrationSummary?: { totalSamples: number; calibratedSamples: number; uncalibratedSamples: number };
}

/** `GET /api/nodes/:pk/analytics?days=`. */
export interface NodeAnalyticsResponse {
  node: Pick<
    NodeItem,
    'public_key' | 'name' | 'role' | 'lat' | 'lon' | 'last_seen' | 'first_seen' | 'advert_count'
  >;
  timeRange: { from: string; to: string; days: number };
  /** Non-empty UTC hour buckets ("YYYY-MM-DDTHH:00:00Z"), oldest first. */
  activityTimeline: { bucket: string; count: number }[];
  /** The best observation of each packet with an SNR. */
  snrTrend: {
    timestamp: string;
    snr: number;
    rssi: number | null;
    observer_id: string | null;
    observer_name: string | null;
  }[];
  packetTypeBreakdown: { payload_type: number; count: number }[];
  observerCoverage: {
    observer_id: string | null;
    observer_name: string | null;
    packetCount: number;
    avgSnr: number | null;
    avgRssi: number | null;
    firstSeen: string;
    lastSeen: string;
  }[];
  /** Always the five buckets "0", "1", "2", "3", "4+". */
  hopDistribution: { hops: string; count: number }[];
  peerInteractions: { peer_key: string; peer_name: string; messageCount: number; lastContact: string }[];
  /** Non-empty cells; dayOfWeek 0 = Sunday, UTC. */
  uptimeHeatmap: { dayOfWeek: number; hour: number; count: number }[];
  computedStats: {
    availabilityPct: number;
    longestSilenceMs: number;
    longestSilenceStart: string | null;
    signalGrade: string;
    snrMean: number;
    snrStdDev: number;
    relayPct: number;
    totalPackets: number;
    uniqueObservers: number;
    uniquePeers: number;
    avgPacketsPerDay: number;
  };
  clockSkew?: NodeClockSkewDetail;
}

/** A neighbour of `/api/nodes/:pk/reach`. */
export interface NodeReachLink {
  pubkey: string;
  name: string;
  role: string;
  lat: number | null;
  lon: number | null;
  we_hear: number;
  they_hear: number;
  bottleneck: number;
  bidir: boolean;
  distance_km: number | null;
}

/** `GET /api/nodes/:pk/reach?days=`. */
export interface NodeReachResponse {
  node: {
    pubkey: string;
    name: string;
    role: string;
    lat: number | null;
    lon: number | null;
    first_seen: string;
  };
  window: { days: number; since: string; capped: boolean };
  reliable_tokens: string[];
  importance: {
    neighbor_degree: number;
    degree_rank: number;
    nodes_with_edges: number;
    relay_observations: number;
    bidirectional_links: number;
    direct_observers: number;
  };
  direct_observers: {
    pubkey: string;
    name: string;
    count: number;
    avg_snr: number | null;
    lat: number | null;
    lon: number | null;
    distance_km: number | null;
  }[];
  links: NodeReachLink[];
}

/** `GET /api/nodes/:pk/rx-coverage?days=` (and `/rx-coverage`): a GeoJSON FeatureCollection. */
export interface RxCoverageResponse {
  type: 'FeatureCollection';
  features: {
    type: 'Feature';
    /** One ring of [lon, lat] vertices. */
    geometry: { type: 'Polygon'; coordinates: [number, number][][] };
    properties: {
      center: [number, number];
      count: number;
      bestSnr: number | null;
      avgSnr: number | null;
      bestRssi: number | null;
      receivers: number;
      nodes: number;
      lastRxAt: string | null;
    };
  }[];
  z: number;
  days: number;
  receptions: number;
  truncated: boolean;
}

// i12g: observer metrics, POST /paths/inspect (the observer detail, compare and path-inspector pages).

/** One point of `GET /api/observers/:id/metrics` (counters are deltas since the previous sample). */
export interface ObserverMetricPointItem {
  timestamp: string;
  noise_floor: number | null;
  tx_airtime_pct: number | null;
  rx_airtime_pct: number | null;
  packets_sent: number | null;
  packets_recv: number | null;
  recv_errors: number | null;
  recv_error_rate: number | null;
  battery_mv: number | null;
  /** The first sample after a reboot (no deltas across it). */
  is_reboot_sample: boolean;
}

/** `GET /api/observers/:id/metrics?since&until&resolution`. */
export interface ObserverMetricsResponse {
  observer_id: string;
  observer_name: string | null;
  resolution: string;
  since: string;
  until: string;
  truncated: boolean;
  /** Reboot times (uptime went backwards), ascending. */
  reboots: string[];
  metrics: ObserverMetricPointItem[];
}

/** One hop of a path-inspect candidate, with why it was chosen. */
export interface PathInspectHop {
  prefix: string;
  candidatesConsidered: number;
  chosen: string;
  name: string | null;
  /** Neighbour-graph edge score from the previous hop (0: no edge; null: first hop). */
  edgeWeight: number | null;
  edgeCount: number;
  distanceKm: number | null;
  hopScore: number;
  alternatives: { publicKey: string; name: string | null; score: number }[];
}

/** One ranked candidate of `POST /api/paths/inspect`. */
export interface PathInspectCandidate {
  path: string[];
  names: (string | null)[];
  score: number;
  speculative: boolean;
  evidence: {
    perHop: PathInspectHop[];
    observer: {
      publicKey: string;
      edgeWeight: number;
      edgeCount: number;
      distanceKm: number | null;
      hopScore: number;
    } | null;
  };
}

/** `POST /api/paths/inspect`. */
export interface PathInspectResponse {
  candidates: PathInspectCandidate[];
  input: {
    prefixes: string[];
    hops: number;
    context: { observerId: string | null; since: string | null; until: string | null };
  };
  stats: {
    beamWidth: number;
    expansions: number;
    candidatesPerHop: number[];
    unmatchedHops: number[];
    anchor: string | null;
    graphEdges: number;
  };
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

/** `/api/nodes` items of repeaters and rooms carry the usefulness axes (null until computed). */
export type NodeItemWithAxes = NodeItem & {
  bridge_score?: number | null;
  traffic_share_score?: number | null;
};
