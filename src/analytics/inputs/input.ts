// The read-only data every analytic computes over. Analytics are pure functions of
// (AnalyticsInput, query); the shared-memory store implements this interface inside worker
// threads (zero copy), and `records-input.ts` implements it over plain records for tests.
//
// Row accessors take a row index in [0, count). Missing numbers are NaN, missing strings null.
// Times are epoch milliseconds. Hop prefixes are uppercase hex strings (spec packet-format §4).

export interface AnalyticsInput {
  /** "Now" for relative windows and recency; injected so tests are deterministic. */
  readonly nowMs: number;
  readonly tx: TxColumns;
  readonly obs: ObsColumns;
  readonly nodes: NodeTable;
  readonly observers: ObserverTable;
}

export interface TxColumns {
  readonly count: number;
  id(row: number): number;
  hash(row: number): string;
  firstSeenMs(row: number): number;
  routeType(row: number): number;
  payloadType(row: number): number;
  /** Frame length in bytes. */
  rawLength(row: number): number;
  /** Hash size (1-3) from the frame's path-length byte; for TRACE the header value too. */
  pathHashSize(row: number): number;
  /** Hop count from the frame's path-length byte. */
  pathHashCount(row: number): number;
  /** ADVERT: index into `nodes` of the advertising node, else -1. */
  advertNode(row: number): number;
  /** ADVERT: the sender's clock (epoch seconds, u32 from the packet), else NaN. */
  advertTimestampSec(row: number): number;
  /** GRP_TXT/GRP_DATA: the channel-hash byte, else -1. */
  channelHashByte(row: number): number;
  /** Decrypted channel name, else null. */
  channelName(row: number): string | null;
  /** CoreScope's decoded_json text, for the rare fields no column carries. */
  decodedJson(row: number): string;
  /** t3: transport scope (transmissions.scope_name): null unscoped, '' unknown, '#name' matched. */
  scopeName(row: number): string | null;
  /**
   * First observation row of the transmission (-1 = none below `obs.count`), where the store
   * keeps a per-transmission list; follow `obs.nextOfTx`. Rows come in increasing order.
   * Absent: analytics group observations by scanning them.
   */
  firstObs?(row: number): number;
}

export interface ObsColumns {
  readonly count: number;
  /** Row of the observed transmission in `tx`. */
  txRow(row: number): number;
  /** Index into `observers`. */
  observer(row: number): number;
  /** Server receive time. */
  rxMs(row: number): number;
  /** The uploader's own timestamp, NaN when it sent none. */
  uploaderMs(row: number): number;
  snr(row: number): number;
  rssi(row: number): number;
  /** Bytes per hop (1-3) of this observation's path (TRACE: the payload route's width). */
  hopSize(row: number): number;
  hopCount(row: number): number;
  /** Hop k (0 = origin side) as uppercase hex. */
  hop(row: number, k: number): string;
  /** Hop k as a numeric code, `(size << 24) | prefix bytes` (hop-code.ts); -1 when not 1-3 hex bytes. */
  hopCode(row: number, k: number): number;
  /** Next observation row of the same transmission (-1 = last below `count`); with `tx.firstObs`. */
  nextOfTx?(row: number): number;
  /**
   * The rows [0, count) as contiguous spans over the store's own column arrays, for full scans
   * (an accessor call costs several times a typed-array load: issue 5). Absent (records input):
   * scan with the accessors. Both paths must agree (test/analytics/store-input.test.ts).
   */
  spans?(): readonly ObsSpan[];
  // t4: the observation id (observer analytics' recentPackets); absent: not reported.
  id?(row: number): number;
}

/** SNR/RSSI quarter-unit value meaning "missing" in `ObsSpan.snrQ` / `rssiQ`. */
export const QUARTER_NULL = -32768;

/**
 * Rows [start, end) of `obs`; row r is at index r - start of every array. Values match the
 * accessors: `snrQ`/`rssiQ` are quarter units (value = q / 4, QUARTER_NULL = missing).
 */
export interface ObsSpan {
  readonly start: number;
  readonly end: number;
  readonly txRow: Uint32Array;
  readonly observer: Uint16Array;
  readonly rxMs: Float64Array;
  /** `uploaderMs` is `rxMs + uploaderDeltaMs` (NaN when the uploader sent no time). */
  readonly uploaderDeltaMs: Float32Array;
  readonly snrQ: Int16Array;
  readonly rssiQ: Int16Array;
  readonly hopCount: Uint8Array;
}

export interface NodeTable {
  readonly count: number;
  /** 64 lowercase hex digits. */
  publicKey(i: number): string;
  name(i: number): string | null;
  role(i: number): string | null;
  lat(i: number): number;
  lon(i: number): number;
  advertCount(i: number): number;
  firstSeenMs(i: number): number;
  lastSeenMs(i: number): number;
}

export interface ObserverTable {
  readonly count: number;
  /** Uppercase hex public key (or a free-form id for legacy observers). */
  id(i: number): string;
  name(i: number): string | null;
  iata(i: number): string | null;
}
