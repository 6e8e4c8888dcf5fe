// The shared-memory layout of the in-memory store, named in one place (as Piscina's common.ts
// names its SharedArrayBuffer slots) so the owner and every worker-side StoreView agree on it.
//
// Every table is a list of fixed-size chunks. A chunk is one SharedArrayBuffer holding every
// column of `chunkRows` rows back to back (each column 8-byte aligned). Chunks never resize:
// when one is full it is sealed and a new one is allocated. Each table also has a small
// control buffer of Int32 slots; the owner publishes the committed row count there with
// `Atomics.store` *after* writing the rows, and readers `Atomics.load` it, then read only
// below it (Atomics are sequentially consistent, so the row writes happen-before the count).

/** Int32 slots of a table's control buffer. */
export const kCommittedRows = 0;
/** Bumped (Atomics.add) after any in-place update of a published row; lets readers notice. */
export const kMutationCount = 1;
/** Number of chunks allocated so far (informational; chunks reach readers by message). */
export const kChunkCount = 2;
export const kControlFieldCount = 4;

export type ColumnType = 'u8' | 'u16' | 'u32' | 'i16' | 'i32' | 'f32' | 'f64';

export const COLUMN_BYTES: Record<ColumnType, number> = {
  u8: 1,
  u16: 2,
  u32: 4,
  i16: 2,
  i32: 4,
  f32: 4,
  f64: 8,
};

export type TypedArrayOf<T extends ColumnType> = T extends 'u8'
  ? Uint8Array
  : T extends 'u16'
    ? Uint16Array
    : T extends 'u32'
      ? Uint32Array
      : T extends 'i16'
        ? Int16Array
        : T extends 'i32'
          ? Int32Array
          : T extends 'f32'
            ? Float32Array
            : Float64Array;

export type AnyColumnArray =
  Uint8Array | Uint16Array | Uint32Array | Int16Array | Int32Array | Float32Array | Float64Array;

export function makeColumnArray(
  type: ColumnType,
  buf: SharedArrayBuffer,
  byteOffset: number,
  length: number,
) {
  switch (type) {
    case 'u8':
      return new Uint8Array(buf, byteOffset, length);
    case 'u16':
      return new Uint16Array(buf, byteOffset, length);
    case 'u32':
      return new Uint32Array(buf, byteOffset, length);
    case 'i16':
      return new Int16Array(buf, byteOffset, length);
    case 'i32':
      return new Int32Array(buf, byteOffset, length);
    case 'f32':
      return new Float32Array(buf, byteOffset, length);
    case 'f64':
      return new Float64Array(buf, byteOffset, length);
  }
}

/** Column name -> element type, in layout order. */
export type TableSchema = Readonly<Record<string, ColumnType>>;

/** Byte offset of every column inside a chunk of `chunkRows` rows, plus the chunk size. */
export function chunkLayout(
  schema: TableSchema,
  chunkRows: number,
): { offsets: Record<string, number>; bytes: number } {
  const offsets: Record<string, number> = {};
  let at = 0;
  for (const [name, type] of Object.entries(schema)) {
    offsets[name] = at;
    at += Math.ceil((COLUMN_BYTES[type] * chunkRows) / 8) * 8;
  }
  return { offsets, bytes: at };
}

// ---- Chunk addressing ----------------------------------------------------------------------

// Chunks hold a power of two of rows (heaps: of bytes), so a row splits into the chunk it is in,
// row >>> shift, and its slot inside that chunk, row & mask, where shift = log2(chunk size) and
// mask = chunk size - 1 (TableReader and HeapReader hold both). Every row address is spelt with
// these. They are tiny on purpose: V8 always inlines a function this small, so a hot loop
// compiles to the bare shift and mask. They take the numbers, not the table, so a loop can keep
// them hoisted and the inlined code has no property load whose type feedback every kind of
// table would share. Heap byte offsets have their own pair: a u32 offset can pass 2^30 (no
// longer a small integer), and that feedback must not reach the row path.

/** Chunk index of a table row (`shift` of its table). */
export const chunkOf = (row: number, shift: number): number => row >>> shift;
/** Slot of a table row inside its chunk (`mask` of its table). */
export const slotOf = (row: number, mask: number): number => row & mask;
/** Chunk index of a heap byte offset (`shift` of its heap). */
export const heapChunkOf = (off: number, shift: number): number => off >>> shift;
/** Position of a heap byte offset inside its chunk (`mask` of its heap). */
export const heapByteOf = (off: number, mask: number): number => off & mask;

// ---- Sentinels ("null") per column type -------------------------------------------------

/** u32 "no value" (null id, no row). */
export const NONE = 0xffffffff;
/** i16 "no value" (null SNR/RSSI). */
export const I16_NULL = -32768;
/** i32 "no value". */
export const I32_NULL = -2147483648;
/** observers.canRelay "never stated" (null); 0 and 1 are false and true. */
export const CAN_RELAY_UNKNOWN = 2;
// Float columns use NaN for null.

// ---- Table schemas -----------------------------------------------------------------------

/**
 * Transmissions: one row per content hash (spec ingest-store-api §1.7).
 * hashHi/hashLo are the 8 hash bytes as two big-endian u32 (hex digits 0-7 and 8-15).
 * raw frame and decoded_json live in byte heaps (offset + length). Ids of strings are
 * intern ids (NONE = null). firstObs/lastObs/obsCount are the per-transmission observation
 * list (observations link to the next one through their `nextOfTx` column).
 */
export const TX_SCHEMA = {
  id: 'u32',
  firstSeenMs: 'f64',
  lastSeenMs: 'f64',
  hashHi: 'u32',
  hashLo: 'u32',
  routeType: 'u8',
  payloadType: 'u8',
  payloadVersion: 'u8',
  rawOff: 'u32',
  rawLen: 'u16',
  jsonOff: 'u32',
  jsonLen: 'u32',
  channel: 'u32',
  fromNode: 'u32',
  scope: 'u32',
  /** ADVERT sender RTC time, unix seconds (spec analytics §6.1); 0 = none. */
  advertTs: 'u32',
  firstObs: 'u32',
  lastObs: 'u32',
  obsCount: 'u32',
} as const satisfies TableSchema;

/**
 * Observations: one row per (transmission, observer, path).
 * snr and rssi are i16 in quarter-dB (MeshCore reports SNR in 0.25 dB steps; RSSI is whole
 * dBm, so quarter units lose nothing): value = column / 4, I16_NULL = null.
 * uploaderDeltaMs is the uploader's own timestamp minus rxMs, as f32 (NaN = none): exact to
 * the millisecond within +-4.6 h (2^24 ms), ~256 ms steps at the 30-day limit ingest accepts
 * (spec §1.8) - ample for clock-skew analytics, and 4 bytes per observation less than an f64. Path hop bytes live in the path
 * heap at pathOff, hopCount hops of hopSize bytes each (hopSize 0 when the path is empty).
 * direction is an id in the `directions` intern table plus one (0 = null).
 */
export const OBS_SCHEMA = {
  id: 'u32',
  txRow: 'u32',
  observer: 'u16',
  rxMs: 'f64',
  uploaderDeltaMs: 'f32',
  snr: 'i16',
  rssi: 'i16',
  score: 'f32',
  direction: 'u8',
  hopSize: 'u8',
  hopCount: 'u8',
  pathOff: 'u32',
  /** Next observation row of the same transmission (NONE = last). */
  nextOfTx: 'u32',
} as const satisfies TableSchema;

/** Nodes: row = intern id of the public key in the `pubkeys` table. present = 1 once a NodeRecord was stored. */
export const NODE_SCHEMA = {
  present: 'u8',
  name: 'u32',
  role: 'u32',
  lat: 'f64',
  lon: 'f64',
  firstSeenMs: 'f64',
  lastSeenMs: 'f64',
  advertCount: 'u32',
  batteryMv: 'i32',
  temperatureC: 'f64',
  /** 1 when flagged foreign (outside geo_filter). */
  foreign: 'u8',
  /** default_scope: an id in the `names` intern table (NONE = null). */
  defaultScope: 'u32',
} as const satisfies TableSchema;

/** Observers: row = intern id in the `observers` table. iata is an id in `regions`. */
export const OBSERVER_SCHEMA = {
  present: 'u8',
  name: 'u32',
  iata: 'u32',
  firstSeenMs: 'f64',
  lastSeenMs: 'f64',
  packetCount: 'u32',
  model: 'u32',
  firmware: 'u32',
  clientVersion: 'u32',
  radio: 'u32',
  batteryMv: 'i32',
  uptimeSecs: 'f64',
  noiseFloor: 'f64',
  lastPacketAtMs: 'f64',
  /** Naive-clock state (spec analytics §6.7): last offset (s, NaN = none), 24 h count, last event ms (NaN = none). */
  clockSkewSeconds: 'f64',
  clockSkewCount24h: 'u32',
  clockLastNaiveAtMs: 'f64',
  /** `repeat` from status: 0 = listener only, 1 = relays, 2 = never stated (null). */
  canRelay: 'u8',
  /** Newest observation row from this observer (NONE = none); older ones via the main-thread index. */
  lastObs: 'u32',
} as const satisfies TableSchema;

/** Intern tables: id -> (offset, length) of the UTF-8 string in the table's byte heap. */
export const INTERN_SCHEMA = {
  off: 'u32',
  len: 'u32',
} as const satisfies TableSchema;

export const TABLES = {
  tx: TX_SCHEMA,
  obs: OBS_SCHEMA,
  nodes: NODE_SCHEMA,
  observers: OBSERVER_SCHEMA,
} as const;

export const INTERN_DOMAINS = [
  'pubkeys',
  'observers',
  'regions',
  'channels',
  'names',
  'roles',
  'directions',
] as const;
export type InternDomain = (typeof INTERN_DOMAINS)[number];

/** Rows per chunk (powers of two so row -> chunk is a shift). */
export const CHUNK_ROWS = {
  tx: 1 << 14, // 16,384 rows ~ 1.1 MiB
  obs: 1 << 16, // 65,536 rows ~ 3 MiB
  nodes: 1 << 12,
  observers: 1 << 10,
  intern: 1 << 12,
} as const;

/** Bytes per heap chunk (power of two so a global u32 offset splits into chunk and offset). */
export const HEAP_CHUNK_BYTES = {
  raw: 1 << 20, // 1 MiB
  json: 1 << 22, // 4 MiB
  path: 1 << 20,
  intern: 1 << 16, // 64 KiB per intern domain
} as const;
