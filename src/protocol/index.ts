// Public API of the protocol layer: pure decoding of MeshCore frames (no I/O).
export {
  decodePacket,
  frameContent,
  observationPath,
  Packet,
  PacketPath,
  TRACE_NOT_DIRECT_ANOMALY,
} from './packet.js';
export type { DecodeOptions, DecodeResult, FrameContent } from './packet.js';
export { DECODE_ERROR_CODES } from './errors.js';
export type { DecodeError, DecodeErrorCode } from './errors.js';
export type { Header, TransportCodes } from './frame.js';
export { MAX_FRAME_SIZE, MAX_PACKET_PAYLOAD, MAX_PATH_SIZE } from './frame.js';
export type * from './payload-types.js';
export {
  ADVERT_FLAG,
  ADVERT_TYPE,
  PAYLOAD_TYPE,
  ROUTE_TYPE,
  advertRole,
  advertTypeOf,
  payloadTypeName,
  payloadTypeOf,
  routeTypeName,
} from './enums.js';
export type { AdvertRole, PayloadTypeName, RouteTypeName } from './enums.js';
export { payloadJson, payloadJsonText, toCoreScopeJson } from './json.js';
export type { CoreScopeDecoded, JsonObject } from './json.js';
export { contentHash } from './hash.js';
export { ChannelKeyring } from './keyring.js';
export type { ChannelKey, KeyringOptions } from './keyring.js';
export {
  PUBLIC_CHANNEL_KEY,
  TransportRegion,
  channelHashByte,
  encryptThenMac,
  hashtagKey,
  macThenDecrypt,
} from './crypto.js';
export { verifyAdvertSignature } from './signature.js';
export { airtimeMs, parseRadio, preambleForSf } from './airtime.js';
export type { AirtimeInput, RadioSettings } from './airtime.js';
