// The decoded packet and the decoder entry point (spec §1–§5, §13). decodePacket never throws:
// a frame is either a Packet or a coded DecodeError; payload-level problems ride on the packet.
import { isDirectRoute, PAYLOAD_TYPE } from './enums.js';
import { decodeError, type DecodeError } from './errors.js';
import { decodeFrame, type Header, type TransportCodes } from './frame.js';
import { contentHashAt } from './hash.js';
import { asBuffer, parseHex } from './hex.js';
import type { ChannelKeyring } from './keyring.js';
import type { Payload } from './payload-types.js';
import { decodeAck, decodeMultipart } from './payloads/ack.js';
import { decodeAdvert } from './payloads/advert.js';
import { payloadContext, type PayloadContext } from './payloads/context.js';
import { decodeControl, decodeRawCustom, decodeUnknown } from './payloads/control.js';
import { decodeGroupData, decodeGroupText } from './payloads/group.js';
import { decodeAnonReq, decodePath, decodePeerEncrypted } from './payloads/peer.js';
import { decodeTrace, snrValues } from './payloads/trace.js';

export interface DecodeOptions {
  /** Channel keys for GRP_TXT/GRP_DATA; without one nothing is decrypted ('no_key'). */
  keyring?: ChannelKeyring;
  /** Verify ADVERT signatures (default true, as CoreScope's ingestor and /api/decode do). */
  verifySignatures?: boolean;
}

export type DecodeResult = { ok: true; packet: Packet } | { ok: false; error: DecodeError };

export const TRACE_NOT_DIRECT_ANOMALY =
  'TRACE packet with non-DIRECT routing (expected DIRECT or TRANSPORT_DIRECT)';

/**
 * The header path (§4). `hops` are the wire entries as uppercase hex, built on first access.
 * For TRACE the entries are SNR bytes, not node hashes: see `snrs` and observationPath().
 */
export class PacketPath {
  readonly hashSize: number;
  readonly hashCount: number;
  /** View of the path bytes in the frame. */
  readonly bytes: Uint8Array;
  readonly #trace: boolean;
  #hops: string[] | undefined;

  constructor(hashSize: number, hashCount: number, bytes: Uint8Array, trace: boolean) {
    this.hashSize = hashSize;
    this.hashCount = hashCount;
    this.bytes = bytes;
    this.#trace = trace;
  }

  get hops(): string[] {
    if (this.#hops === undefined) {
      const b = asBuffer(this.bytes);
      const hops = new Array<string>(this.hashCount);
      for (let i = 0; i < this.hashCount; i++) {
        hops[i] = b.toString('hex', i * this.hashSize, (i + 1) * this.hashSize).toUpperCase();
      }
      this.#hops = hops;
    }
    return this.#hops;
  }

  /** TRACE only: per-hop SNR in dB (int8 / 4) when the entries are 1 byte. */
  get snrs(): number[] | undefined {
    return this.#trace && this.hashSize === 1 ? snrValues(this.bytes) : undefined;
  }
}

export class Packet {
  readonly header: Header;
  readonly transportCodes: TransportCodes | null;
  readonly path: PacketPath;
  readonly payload: Payload;
  /** The whole frame (a view of the caller's bytes when given a Uint8Array). */
  readonly raw: Buffer;
  readonly pathLengthOffset: number;
  readonly payloadOffset: number;
  readonly anomaly?: string;
  #hash: string | undefined;

  constructor(init: {
    header: Header;
    transportCodes: TransportCodes | null;
    path: PacketPath;
    payload: Payload;
    raw: Buffer;
    pathLengthOffset: number;
    payloadOffset: number;
    anomaly?: string;
  }) {
    this.header = init.header;
    this.transportCodes = init.transportCodes;
    this.path = init.path;
    this.payload = init.payload;
    this.raw = init.raw;
    this.pathLengthOffset = init.pathLengthOffset;
    this.payloadOffset = init.payloadOffset;
    if (init.anomaly !== undefined) this.anomaly = init.anomaly;
  }

  /** Content hash (§8): 16 lowercase hex digits, computed on first access. */
  get hash(): string {
    if (this.#hash === undefined) {
      this.#hash = contentHashAt(this.raw, this.raw[this.pathLengthOffset], this.payloadOffset);
    }
    return this.#hash;
  }

  /** View of the payload bytes. */
  get payloadBytes(): Buffer {
    return this.raw.subarray(this.payloadOffset);
  }
}

function decodePayload(type: number, p: Buffer, path: PacketPath, ctx: PayloadContext): Payload {
  switch (type) {
    case PAYLOAD_TYPE.REQ:
      return decodePeerEncrypted('REQ', p, ctx);
    case PAYLOAD_TYPE.RESPONSE:
      return decodePeerEncrypted('RESPONSE', p, ctx);
    case PAYLOAD_TYPE.TXT_MSG:
      return decodePeerEncrypted('TXT_MSG', p, ctx);
    case PAYLOAD_TYPE.ACK:
      return decodeAck(p, ctx);
    case PAYLOAD_TYPE.ADVERT:
      return decodeAdvert(p, ctx);
    case PAYLOAD_TYPE.GRP_TXT:
      return decodeGroupText(p, ctx);
    case PAYLOAD_TYPE.GRP_DATA:
      return decodeGroupData(p, ctx);
    case PAYLOAD_TYPE.ANON_REQ:
      return decodeAnonReq(p, ctx);
    case PAYLOAD_TYPE.PATH:
      return decodePath(p, ctx);
    case PAYLOAD_TYPE.TRACE:
      return decodeTrace(p, path.bytes, path.hashSize, ctx);
    case PAYLOAD_TYPE.MULTIPART:
      return decodeMultipart(p, ctx);
    case PAYLOAD_TYPE.CONTROL:
      return decodeControl(p, ctx);
    case PAYLOAD_TYPE.RAW_CUSTOM:
      return decodeRawCustom(p, ctx);
    default:
      return decodeUnknown(type, p, ctx);
  }
}

function decodeBytes(raw: Buffer, text: string | undefined, opts: DecodeOptions | undefined): DecodeResult {
  const frame = decodeFrame(raw);
  if ('error' in frame) return { ok: false, error: frame.error };
  const { header, pathLength } = frame;
  const isTrace = header.payloadType === PAYLOAD_TYPE.TRACE;
  const path = new PacketPath(pathLength.hashSize, pathLength.hashCount, frame.path, isTrace);
  const p = raw.subarray(frame.payloadOffset);
  const ctx: PayloadContext = payloadContext(
    opts?.keyring,
    opts?.verifySignatures ?? true,
    p,
    text,
    frame.payloadOffset,
  );
  const payload = decodePayload(header.payloadType, p, path, ctx);
  let anomaly: string | undefined;
  if (isTrace) {
    // §5.7: a decode failure wins over the routing anomaly.
    if ('error' in payload) anomaly = `TRACE payload decode failed: ${payload.error}`;
    else if (!isDirectRoute(header.routeType)) anomaly = TRACE_NOT_DIRECT_ANOMALY;
  }
  return {
    ok: true,
    packet: new Packet({
      header,
      transportCodes: frame.transportCodes,
      path,
      payload,
      raw,
      pathLengthOffset: frame.pathLengthOffset,
      payloadOffset: frame.payloadOffset,
      anomaly,
    }),
  };
}

/**
 * Decodes one frame given as hex text (spaces, CR and LF ignored) or bytes. Never throws.
 * Byte input is not copied: the packet's views alias it, so copy first if the caller reuses
 * its buffer.
 */
export function decodePacket(input: string | Uint8Array, opts?: DecodeOptions): DecodeResult {
  try {
    if (typeof input === 'string') {
      const parsed = parseHex(input);
      if (!parsed.ok) {
        return {
          ok: false,
          error: decodeError('invalid_hex', `invalid hex: ${parsed.reason}`, parsed.offset),
        };
      }
      return decodeBytes(parsed.bytes, parsed.text.toLowerCase(), opts);
    }
    return decodeBytes(asBuffer(input), undefined, opts);
  } catch (err) {
    // Unreachable by design (every read is bounds-checked); kept so the API contract holds
    // even against a decoder bug. The fuzz test asserts this code never appears.
    return {
      ok: false,
      error: decodeError('internal_error', `internal decoder error: ${(err as Error).message}`),
    };
  }
}

/** A frame's content hash and payload bytes, without decoding the payload. */
export interface FrameContent {
  payloadType: number;
  /** Content hash (§8), as Packet.hash. */
  hash: string;
  /** The payload bytes, as Packet.payloadBytes. */
  payloadBytes: Buffer;
}

/**
 * The frame-level split of decodePacket only (same §13 rules, so null exactly where decodePacket
 * fails): enough to verify an ADVERT's signature by content hash while the payload itself is
 * decoded once, by the pipeline. Never throws.
 */
export function frameContent(hex: string): FrameContent | null {
  const parsed = parseHex(hex);
  if (!parsed.ok) return null;
  try {
    const raw = asBuffer(parsed.bytes);
    const frame = decodeFrame(raw);
    if ('error' in frame) return null;
    return {
      payloadType: frame.header.payloadType,
      hash: contentHashAt(raw, raw[frame.pathLengthOffset], frame.payloadOffset),
      payloadBytes: raw.subarray(frame.payloadOffset),
    };
  } catch {
    return null;
  }
}

/** Path recorded per observation: header hops, or for TRACE the payload route (§5.7). */
export function observationPath(packet: Packet): string[] {
  if (packet.header.payloadType === PAYLOAD_TYPE.TRACE) {
    const p = packet.payload;
    return p.type === 'TRACE' && !('error' in p) ? p.route : [];
  }
  return packet.path.hops;
}
