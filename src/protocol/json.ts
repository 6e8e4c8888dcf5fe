// Rendering to CoreScope's JSON shape (spec §9): the ingestor's `decoded_json` payload object
// with Go struct key order and omitempty rules, and the full decode object of /api/decode.
import { isDirectRoute, PAYLOAD_TYPE } from './enums.js';
import { byteHexUpper } from './hex.js';
import type { Packet } from './packet.js';
import type { Payload } from './payload-types.js';

export type JsonObject = Record<string, unknown>;

/** Go struct order of CoreScope's payload fields (§9). */
const KEY_ORDER = [
  'type',
  'destHash',
  'srcHash',
  'mac',
  'encryptedData',
  'extraHash',
  'ackLen',
  'ackAttempt',
  'ackRand',
  'pubKey',
  'timestamp',
  'timestampISO',
  'signature',
  'signatureValid',
  'flags',
  'lat',
  'lon',
  'name',
  'feat1',
  'feat2',
  'battery_mv',
  'temperature_c',
  'channelHash',
  'channelHashHex',
  'decryptionStatus',
  'channel',
  'dataType',
  'dataLen',
  'decryptedBlob',
  'text',
  'sender',
  'sender_timestamp',
  'ephemeralPubKey',
  'pathData',
  'snrValues',
  'tag',
  'authCode',
  'traceFlags',
  'raw',
  'error',
  'remaining',
  'innerType',
  'innerTypeName',
  'innerAckCrc',
  'innerAckLen',
  'innerAckAttempt',
  'innerAckRand',
  'innerPayload',
  'ctrlFlags',
  'ctrlZeroHop',
  'ctrlLength',
  'ctrlSubtype',
  'ctrlFilter',
  'ctrlTag',
  'ctrlSince',
  'ctrlNodeType',
  'ctrlSNR',
  'ctrlPubKey',
  'rawLength',
  'firstByteTag',
] as const;

/**
 * Fields Go emits even when zero or false (pointer-backed, §9). Every other scalar is
 * omitempty: dropped when '' or 0.
 */
const ALWAYS = new Set<string>([
  'lat',
  'lon',
  'feat1',
  'feat2',
  'battery_mv',
  'temperature_c',
  'signatureValid',
  'traceFlags',
  'ackLen',
  'ackAttempt',
  'ackRand',
  'dataType',
  'dataLen',
  'remaining',
  'innerType',
  'innerAckCrc',
  'innerAckLen',
  'innerAckAttempt',
  'innerAckRand',
  'ctrlZeroHop',
  'ctrlLength',
  'ctrlFilter',
  'ctrlTag',
  'ctrlSince',
  'ctrlNodeType',
  'ctrlSNR',
  'rawLength',
  'flags',
]);

/** The `decoded_json` payload object, key order included (§5, §9). */
export function payloadJson(packet: Packet | { payload: Payload }): JsonObject {
  const src = packet.payload as unknown as Record<string, unknown>;
  const out: JsonObject = {};
  for (const key of KEY_ORDER) {
    const v = src[key];
    if (v === undefined) continue;
    if (!ALWAYS.has(key) && (v === '' || v === 0 || v === false)) continue;
    // Only the TRACE route and SNR arrays are arrays; an empty one is omitted like Go's nil.
    if (Array.isArray(v) && v.length === 0) continue;
    out[key] = key === 'flags' ? { ...(v as object) } : v;
  }
  return out;
}

/** `decoded_json` text exactly as CoreScope's ingestor writes it. */
export function payloadJsonText(packet: Packet | { payload: Payload }): string {
  return JSON.stringify(payloadJson(packet));
}

export interface CoreScopeDecoded {
  header: {
    routeType: number;
    routeTypeName: string;
    payloadType: number;
    payloadTypeName: string;
    payloadVersion: number;
  };
  transportCodes: { code1: string; code2: string } | null;
  path: { hashSize: number; hashCount: number; hops: string[]; hopsCompleted?: number };
  payload: JsonObject;
  raw?: string;
  anomaly?: string;
}

/** Transport code as CoreScope renders it: uppercase hex of the two wire bytes in wire order. */
function codeHex(v: number): string {
  return byteHexUpper(v & 0xff) + byteHexUpper(v >> 8);
}

/** The full decode object (the `decoded` of /api/decode): header, codes, path, payload, raw. */
export function toCoreScopeJson(packet: Packet, opts: { raw?: boolean } = {}): CoreScopeDecoded {
  const { header, path, payload } = packet;
  const out: CoreScopeDecoded = {
    header: {
      routeType: header.routeType,
      routeTypeName: header.routeTypeName,
      payloadType: header.payloadType,
      payloadTypeName: header.payloadTypeName,
      payloadVersion: header.payloadVersion,
    },
    transportCodes: packet.transportCodes
      ? { code1: codeHex(packet.transportCodes.code1), code2: codeHex(packet.transportCodes.code2) }
      : null,
    path: { hashSize: path.hashSize, hashCount: path.hashCount, hops: [...path.hops] },
    payload: payloadJson(packet),
  };
  const isTrace = header.payloadType === PAYLOAD_TYPE.TRACE;
  // Zero-hop direct quirk (§4): the hash size of an empty direct path is unknowable.
  if (!isTrace && isDirectRoute(header.routeType) && path.hashCount === 0) out.path.hashSize = 0;
  // TRACE post-processing (§5.7): the path shows the payload route, hopsCompleted the SNRs.
  if (payload.type === 'TRACE' && !('error' in payload) && payload.pathData !== '') {
    out.path = {
      hashSize: payload.routeHashSize,
      hashCount: payload.route.length,
      hops: [...payload.route],
      hopsCompleted: path.hashCount,
    };
  }
  if (opts.raw !== false) out.raw = packet.raw.toString('hex').toUpperCase();
  if (packet.anomaly !== undefined) out.anomaly = packet.anomaly;
  return out;
}
