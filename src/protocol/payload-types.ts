// Typed payloads (spec §5), discriminated on `type` with CoreScope's type strings. Field names
// follow CoreScope's JSON keys where one exists (so json.ts is a plain re-ordering), camelCase
// otherwise. Hex strings are lowercase unless noted (§9).
import type { AdvertRole, ControlSubtype, PayloadTypeName } from './enums.js';

/** A payload shorter than its type's minimum (§5): stored, not rejected (§13). */
export interface TooShortPayload {
  type: PayloadTypeName;
  error: 'too short' | 'too short for advert';
  /** Payload hex; '' when empty (then omitted from JSON). */
  raw: string;
}

/** REQ, RESPONSE, TXT_MSG (§5.1): peer-encrypted, not decryptable by an analyzer (§6.5). */
export interface PeerEncryptedPayload {
  type: 'REQ' | 'RESPONSE' | 'TXT_MSG';
  destHash: string;
  srcHash: string;
  mac: string;
  encryptedData: string;
}

/** PATH (§5.2): same layout, CoreScope calls the ciphertext pathData. */
export interface PathPayload {
  type: 'PATH';
  destHash: string;
  srcHash: string;
  mac: string;
  pathData: string;
}

/** ANON_REQ (§5.6): carries the sender's full public key. */
export interface AnonReqPayload {
  type: 'ANON_REQ';
  destHash: string;
  ephemeralPubKey: string;
  mac: string;
  encryptedData: string;
}

/** ACK (§5.3). */
export interface AckPayload {
  type: 'ACK';
  /** `%08x` of the LE uint32, i.e. byte-reversed relative to the wire. */
  extraHash: string;
  ackLen: number;
  ackAttempt?: number;
  ackRand?: number;
}

export interface AdvertFlags {
  raw: number;
  /** Low nibble: node type enumeration (0 none … 4 sensor). */
  type: number;
  chat: boolean;
  repeater: boolean;
  room: boolean;
  sensor: boolean;
  hasLocation: boolean;
  hasFeat1: boolean;
  hasFeat2: boolean;
  hasName: boolean;
}

/** ADVERT (§5.4, ingestor rules). */
export interface AdvertPayload {
  type: 'ADVERT';
  pubKey: string;
  /** Sender clock, uint32 Unix seconds (may be far off). */
  timestamp: number;
  timestampISO: string;
  signature: string;
  /** Present only when signature verification was requested (§5.4 rule 5). */
  signatureValid?: boolean;
  /** Absent when the app data is empty. */
  flags?: AdvertFlags;
  /** `advertRole` label from flags.type ('none' when there is no app data). */
  role: AdvertRole;
  lat?: number;
  lon?: number;
  name?: string;
  feat1?: number;
  feat2?: number;
  battery_mv?: number;
  temperature_c?: number;
  /** App data length; the firmware signs at most 32 bytes (§7, §15.4). */
  appDataLength: number;
}

/** GRP_TXT / GRP_DATA that could not be decrypted (§6.4). */
export interface GroupEncryptedPayload {
  type: 'GRP_TXT' | 'GRP_DATA';
  mac: string;
  encryptedData: string;
  channelHash: number;
  /** Uppercase, 2 digits. */
  channelHashHex: string;
  decryptionStatus: 'decryption_failed' | 'no_key';
  /** Keyring keys whose channel hash matched (0 means no candidate key at all). */
  candidateKeys: number;
}

/** Decrypted GRP_TXT (§6.3, §6.4): CoreScope's type becomes CHAN. */
export interface ChannelTextPayload {
  type: 'CHAN';
  channelHash: number;
  channelHashHex: string;
  decryptionStatus: 'decrypted';
  channel: string;
  text: string;
  sender?: string;
  /** The message alone (text without the `sender: ` prefix). */
  message: string;
  sender_timestamp: number;
}

/** Decrypted GRP_DATA (§5.5, §6.4). */
export interface GroupDataPayload {
  type: 'GRP_DATA';
  channelHash: number;
  channelHashHex: string;
  decryptionStatus: 'decrypted';
  channel: string;
  dataType?: number;
  dataLen?: number;
  decryptedBlob?: string;
  error?: 'inner too short' | 'inner data_len exceeds buffer';
}

/** TRACE (§5.7). */
export interface TracePayload {
  type: 'TRACE';
  tag: number;
  authCode: number;
  traceFlags: number;
  /** Intended route bytes as hex ('' when empty). */
  pathData: string;
  /** Route hash width, 1 << (traceFlags & 3). */
  routeHashSize: number;
  /** Route split into uppercase chunks; a trailing partial chunk is dropped. */
  route: string[];
  /** Per-hop SNR in dB from the header path (only when the header hash size is 1). */
  snrValues?: number[];
}

/** MULTIPART (§5.8). */
export interface MultipartPayload {
  type: 'MULTIPART';
  remaining: number;
  innerType: number;
  innerTypeName: PayloadTypeName;
  innerAckCrc?: string;
  innerAckLen?: number;
  innerAckAttempt?: number;
  innerAckRand?: number;
  innerPayload?: string;
}

/** CONTROL (§5.9). */
export interface ControlPayload {
  type: 'CONTROL';
  raw: string;
  ctrlFlags: string;
  ctrlZeroHop: boolean;
  ctrlLength: number;
  ctrlSubtype: ControlSubtype;
  /** DISCOVER_REQ byte 0 bit 0. */
  prefixOnly?: boolean;
  ctrlFilter?: number;
  ctrlTag?: number;
  ctrlSince?: number;
  ctrlNodeType?: number;
  /** Raw int8, i.e. SNR × 4 (not divided, as CoreScope emits it). */
  ctrlSNR?: number;
  ctrlPubKey?: string;
}

/** RAW_CUSTOM (§5.10). */
export interface RawCustomPayload {
  type: 'RAW_CUSTOM';
  raw: string;
  rawLength: number;
  /** Uppercase; absent when the payload is empty. */
  firstByteTag?: string;
}

/** Reserved types 12–14 (§5.10). */
export interface UnknownPayload {
  type: 'UNKNOWN';
  payloadType: number;
  raw: string;
}

export type Payload =
  | TooShortPayload
  | PeerEncryptedPayload
  | PathPayload
  | AnonReqPayload
  | AckPayload
  | AdvertPayload
  | GroupEncryptedPayload
  | ChannelTextPayload
  | GroupDataPayload
  | TracePayload
  | MultipartPayload
  | ControlPayload
  | RawCustomPayload
  | UnknownPayload;
