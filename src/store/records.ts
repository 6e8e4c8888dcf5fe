// The row contract between ingest, SQLite persistence and the in-memory store.
// Times are epoch milliseconds everywhere inside meshlens (CoreScope mixes RFC3339 text and
// epoch seconds, spec ingest-store-api §1.8); conversion to CoreScope's column formats
// happens only at the SQLite boundary.

/** One unique transmission (one row of `transmissions`), keyed by its content hash. */
export interface TransmissionRecord {
  id: number;
  /** Frame bytes as uppercase hex, from the first sighting. */
  rawHex: string;
  /** Content hash: 16 lowercase hex digits (spec packet-format §8). */
  hash: string;
  /** Earliest server receive time of any observation (ms). */
  firstSeenMs: number;
  /** Latest server receive time of any observation (ms). */
  lastSeenMs: number;
  routeType: number;
  payloadType: number;
  payloadVersion: number;
  /** CoreScope's `decoded_json` text (the decoded payload object). */
  decodedJson: string;
  /** ADVERT originator public key (64 lowercase hex), else null. */
  fromPubkey: string | null;
  /** GRP_TXT/GRP_DATA: channel name when decrypted, `enc_XX` otherwise; else null. */
  channelHash: string | null;
  /** Transport scope: null unscoped, '' unknown, '#name' matched. */
  scopeName: string | null;
}

/** One sighting of a transmission by one observer over one path (a row of `observations`). */
export interface ObservationRecord {
  id: number;
  transmissionId: number;
  /** Observer id: the observer radio's public key as uppercase hex (from the MQTT topic). */
  observerId: string;
  direction: string | null;
  snr: number | null;
  rssi: number | null;
  score: number | null;
  /** Path hops as uppercase hex strings (1-3 bytes each); for TRACE the payload route. */
  path: string[];
  /** Server receive time (ms). */
  rxMs: number;
  /** The uploader's own timestamp for this sighting (ms), when it sent a parseable one. */
  uploaderMs: number | null;
}

/** A mesh node as known from its adverts (a row of `nodes`). */
export interface NodeRecord {
  publicKey: string;
  name: string | null;
  role: string | null;
  lat: number | null;
  lon: number | null;
  firstSeenMs: number;
  lastSeenMs: number;
  advertCount: number;
  batteryMv: number | null;
  temperatureC: number | null;
  /** Its newest positioned advert lay outside `geo_filter` (spec §1.6, §1.12; nodes.foreign_advert). */
  foreign: boolean;
  /** The scope ('#name') of its newest transport-scoped advert that matched a `hashRegions` name. */
  defaultScope: string | null;
}

/** What an observer's `/status` message says about its radio (spec ingest §1.3). */
export interface ObserverMeta {
  model: string | null;
  firmware: string | null;
  clientVersion: string | null;
  /** "freq MHz, bandwidth kHz, SF, CR", verbatim (see parseRadio). */
  radio: string | null;
  batteryMv: number | null;
  uptimeSecs: number | null;
  noiseFloor: number | null;
}

/** An observer (uploader radio), from its packets and status messages (a row of `observers`). */
export interface ObserverRecord extends ObserverMeta {
  id: string;
  name: string | null;
  iata: string | null;
  firstSeenMs: number;
  lastSeenMs: number;
  packetCount: number;
  lastPacketAtMs: number | null;
  /**
   * The last naive-clock event (spec analytics §6.7): the signed offset (s) of a naive envelope
   * timestamp more than 15 min off server time (negative = observer behind UTC); null when none.
   * Stored as recorded; observerClockAt() (observer-clock.ts) applies the 24 h read-time decay.
   */
  clockSkewSeconds: number | null;
  /** Naive-clock events in the rolling 24 h before clockLastNaiveAtMs (clock_skew_count_24h). */
  clockSkewCount24h: number;
  /** Server time of the last naive-clock event (clock_last_naive_at), null when none. */
  clockLastNaiveAtMs: number | null;
  /**
   * The status message's `repeat` flag (spec ingest §1.3, observers.can_relay): true = relays,
   * false = listener only, null = never stated (can_relay_seen = 0).
   */
  canRelay: boolean | null;
}

/** An observer first and last seen at `atMs`: no name, region, telemetry or packets yet. */
export function newObserverRecord(id: string, atMs: number): ObserverRecord {
  return {
    id,
    name: null,
    iata: null,
    firstSeenMs: atMs,
    lastSeenMs: atMs,
    packetCount: 0,
    model: null,
    firmware: null,
    clientVersion: null,
    radio: null,
    batteryMv: null,
    uptimeSecs: null,
    noiseFloor: null,
    lastPacketAtMs: null,
    clockSkewSeconds: null,
    clockSkewCount24h: 0,
    clockLastNaiveAtMs: null,
    canRelay: null,
  };
}

// The write operations besides whole records (spec ingest-store-api §1.6, §1.7): what ingest
// hands to the SQLite writer.

/** An advert's effect on its node (§1.6 "Upserts the node"). */
export interface NodeUpsert {
  publicKey: string;
  name: string | null;
  role: string | null;
  lat: number | null;
  lon: number | null;
  /** Server receive time of the advert (ms). */
  seenMs: number;
  /** True when the advert's transmission is new, so advert_count counts adverts, not sightings. */
  isNewAdvert: boolean;
  batteryMv: number | null;
  temperatureC: number | null;
  /** Outside `geo_filter` (true), inside (false), or not judged (null: no GPS, no filter): keep. */
  foreign: boolean | null;
  /** A matched transport scope ('#name'), or null to keep the stored one. */
  defaultScope: string | null;
}

/** An observer seen on a `/packets` message: bumps packet_count and last_packet_at. */
export interface ObserverPacketUpsert {
  id: string;
  name: string | null;
  iata: string | null;
  seenMs: number;
}

/** An observer's `/status` message: metadata only, packet_count untouched (§9 fixes the quirk). */
export interface ObserverStatusUpsert extends ObserverMeta {
  id: string;
  name: string | null;
  iata: string | null;
  seenMs: number;
  /** `repeat` (can_relay, can_relay_seen = 1); null or absent when the status did not say: both kept. */
  canRelay?: boolean | null;
}

/**
 * An observer's naive-clock state after one or more events (spec analytics §6.7), as absolute
 * values: ingest applies the reset/increment rule (observer-clock.ts) and the writer stores the
 * result, so a re-sent batch writes the same values again.
 */
export interface ObserverClockUpsert {
  id: string;
  /** Signed offset of the last event, whole seconds (clock_skew_seconds). */
  skewSeconds: number;
  /** clock_skew_count_24h after the events. */
  count24h: number;
  /** Server time of the last event (clock_last_naive_at). */
  lastNaiveAtMs: number;
}

/** One status sample, stored in its time bucket (a later sample in the same bucket replaces it). */
export interface ObserverMetricsSample {
  observerId: string;
  atMs: number;
  noiseFloor: number | null;
  txAirSecs: number | null;
  rxAirSecs: number | null;
  recvErrors: number | null;
  batteryMv: number | null;
  packetsSent: number | null;
  packetsRecv: number | null;
  /** The status's uptime (s): a decrease between samples is a reboot. Stored as ml_uptime_secs. */
  uptimeSecs?: number | null;
}

/** A rejected message kept as a bounded sample (§1.6). */
/** t2: one neighbour-graph edge for `neighbor_edges` (keys lower case, nodeA < nodeB). */
export interface NeighborEdgeUpsert {
  nodeA: string;
  nodeB: string;
  count: number;
  lastSeenMs: number;
}

export interface DroppedPacket {
  reason: string;
  hash: string | null;
  rawHex: string | null;
  observerId: string | null;
  observerName: string | null;
  nodePubkey: string | null;
  nodeName: string | null;
  droppedAtMs: number;
}

export interface SignalFill {
  observationId: number;
  snr: number | null;
  rssi: number | null;
  score: number | null;
}

// i9d: dropped_packets read back (/api/dropped-packets).
/** Filters of the dropped-packet sample (newest first). */
export interface DroppedPacketQuery {
  limit: number;
  observerId?: string;
  nodePubkey?: string;
}

/** A dropped_packets row: the sample as written, with its row id. */
export interface StoredDroppedPacket extends DroppedPacket {
  id: number;
}
