// Observer MQTT messages -> typed values, as pure functions (spec ingest-store-api §1.1-1.3,
// §1.8). Every failure is a Rejection with a stable code; nothing here throws.
import { pick, readFlag, readInteger, readNumber, readText } from './field-values.js';
import { plausibleCounted } from './radio-ranges.js';
import {
  admission,
  parseTopic,
  reject,
  type Admission,
  type ObserverTopic,
  type Rejection,
} from './observer-topic.js';
import type { ObserverMeta } from '../store/records.js';
import type { Sighting } from './sighting.js';
import { naiveClockSkewMs, resolveUploaderTime, uploaderSentMs, type UploaderTime } from './uploader-time.js';

export type { IngestRejectCode, Rejection, ObserverTopic } from './observer-topic.js';

/** LoRa's physical packet limit (255 bytes) bounds every MeshCore frame. */
export const maxFrameBytes = 255;

/**
 * A Format-1 packet message body (spec §1.2): the sighting's fields as the message states them
 * (typed once, in sighting.ts), plus the uploader time details and the payload's own region.
 * packetSighting() turns a parsed message into the Sighting the pipeline takes.
 */
export interface ObserverPacket extends Pick<
  Sighting,
  'rawHex' | 'snr' | 'rssi' | 'score' | 'direction' | 'origin' | 'uploaderMs'
> {
  /** Issue 13 #7: RADIO_DROP_BIT of each stated SNR / RSSI / score out of range (dropped to null). */
  radioDropped?: number;
  uploaderTime: UploaderTime;
  /** Payload `region` override, else null (the caller falls back to topic IATA, then source). */
  region: string | null;
}

/** An observer status / heartbeat message (spec §1.3). */
export interface ObserverStatus extends ObserverMeta {
  status: string | null;
  origin: string | null;
  txAirSecs: number | null;
  rxAirSecs: number | null;
  recvErrors: number | null;
  packetsSent: number | null;
  packetsRecv: number | null;
  /** From `repeat`; null when the status did not say (can_relay_seen = 0). */
  canRelay: boolean | null;
  uploaderTime: UploaderTime;
}

type Parsed<T> = { ok: true; value: T } | Rejection;

/** Decodes a payload as a JSON object. */
export function parseJsonObject(payload: Uint8Array | string): Parsed<Record<string, unknown>> {
  let value: unknown;
  try {
    value = JSON.parse(typeof payload === 'string' ? payload : utf8(payload));
  } catch (err) {
    return reject('invalid_json', (err as Error).message);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return reject(
      'not_an_object',
      `expected a JSON object, got ${Array.isArray(value) ? 'array' : typeof value}`,
    );
  return { ok: true, value: value as Record<string, unknown> };
}

/** Decodes without copying (Buffer.from(buffer) would copy the bytes first). */
function utf8(bytes: Uint8Array): string {
  return Buffer.isBuffer(bytes)
    ? bytes.toString('utf8')
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/** Validates a frame's hex: even length, hex digits, 2..255 bytes; returns it uppercase. */
export function readRawHex(raw: unknown): Parsed<string> {
  if (raw === undefined || raw === null || raw === '') return reject('missing_raw', 'no raw field');
  if (typeof raw !== 'string') return reject('invalid_raw', `raw must be a hex string, got ${typeof raw}`);
  const hex = raw.trim();
  if (!/^[0-9A-Fa-f]*$/.test(hex)) return reject('invalid_raw', 'raw has non-hex characters');
  if (hex.length % 2 !== 0) return reject('invalid_raw', 'raw has an odd number of hex digits');
  const bytes = hex.length / 2;
  if (bytes < 2) return reject('invalid_raw', 'raw is shorter than 2 bytes');
  if (bytes > maxFrameBytes) return reject('invalid_raw', `raw is ${bytes} bytes, over ${maxFrameBytes}`);
  return { ok: true, value: hex.toUpperCase() };
}

export function parsePacketMessage(payload: Uint8Array | string, nowMs: number): Parsed<ObserverPacket> {
  const json = parseJsonObject(payload);
  if (!json.ok) return json;
  const msg = json.value;
  const raw = readRawHex(msg.raw);
  if (!raw.ok) return raw;
  const uploaderTime = resolveUploaderTime(msg.timestamp, nowMs);
  const drops = { mask: 0 };
  return {
    ok: true,
    value: {
      rawHex: raw.value,
      // The uppercase spelling wins (spec §1.2).
      // Implausible values (±1e308, a score of 1e20) are dropped like unparseable ones, and counted.
      snr: plausibleCounted('snr', readNumber(pick(msg, 'SNR', 'snr')), drops),
      rssi: plausibleCounted('rssi', readNumber(pick(msg, 'RSSI', 'rssi')), drops),
      score: plausibleCounted('score', readInteger(pick(msg, 'score', 'Score')), drops),
      direction: readText(pick(msg, 'direction', 'Direction'), 16),
      origin: readText(msg.origin, 64),
      uploaderMs: uploaderSentMs(uploaderTime, nowMs),
      uploaderTime,
      region: readText(msg.region, 16),
      // After snr, rssi and score (evaluated in order): their drops are in the mask.
      ...(drops.mask !== 0 ? { radioDropped: drops.mask } : {}),
    },
  };
}

export function parseStatusMessage(payload: Uint8Array | string, nowMs: number): Parsed<ObserverStatus> {
  const json = parseJsonObject(payload);
  if (!json.ok) return json;
  const msg = json.value;
  // Stats are read from the nested object first, then from the top level (spec §1.3).
  const nested =
    typeof msg.stats === 'object' && msg.stats !== null && !Array.isArray(msg.stats) ? msg.stats : {};
  const stat = (key: string) => pick(nested as Record<string, unknown>, key) ?? msg[key];
  return {
    ok: true,
    value: {
      status: readText(msg.status, 32),
      origin: readText(msg.origin, 64),
      model: readText(msg.model),
      firmware: readText(pick(msg, 'firmware', 'firmware_version')),
      clientVersion: readText(pick(msg, 'client_version', 'clientVersion')),
      radio: readText(msg.radio),
      batteryMv: readInteger(stat('battery_mv')),
      uptimeSecs: readInteger(stat('uptime_secs')),
      noiseFloor: readNumber(stat('noise_floor')),
      txAirSecs: readInteger(stat('tx_air_secs')),
      rxAirSecs: readInteger(stat('rx_air_secs')),
      recvErrors: readInteger(stat('recv_errors')),
      packetsSent: readInteger(stat('packets_sent')),
      packetsRecv: readInteger(stat('packets_recv')),
      canRelay: readFlag(msg.repeat),
      uploaderTime: resolveUploaderTime(msg.timestamp, nowMs),
    },
  };
}

/** Where a message came from, and how to filter it. */
export interface MessageContext {
  /** Server receive time (epoch ms). */
  nowMs: number;
  /** Source fallback region (mqttSources[].region). */
  sourceRegion?: string;
  admission: Admission;
}

export type ObserverMessage =
  | { ok: true; kind: 'packets'; topic: ObserverTopic; region: string; packet: ObserverPacket }
  | { ok: true; kind: 'status'; topic: ObserverTopic; region: string; status: ObserverStatus };

/** Topic, filters, then body: one MQTT message to a typed message or a coded rejection. */
export function parseObserverMessage(
  topic: string,
  payload: Uint8Array | string,
  ctx: MessageContext,
): ObserverMessage | Rejection {
  const t = parseTopic(topic);
  if (!t.ok) return t;
  const denied = ctx.admission.check(t.value);
  if (denied) return denied;
  if (t.value.kind === 'status') {
    const status = parseStatusMessage(payload, ctx.nowMs);
    if (!status.ok) return status;
    return {
      ok: true,
      kind: 'status',
      topic: t.value,
      region: t.value.iata.toUpperCase(),
      status: status.value,
    };
  }
  const packet = parsePacketMessage(payload, ctx.nowMs);
  if (!packet.ok) return packet;
  // Priority: payload region > topic IATA > source region (spec §1.2).
  const region = (packet.value.region ?? t.value.iata ?? ctx.sourceRegion ?? '').toUpperCase();
  return { ok: true, kind: 'packets', topic: t.value, region, packet: packet.value };
}

/** The sighting a parsed packet message reports: the one conversion on the way to the pipeline. */
export function packetSighting(
  m: Extract<ObserverMessage, { kind: 'packets' }>,
  source: string,
  rxMs: number,
  topic: string,
): Sighting {
  const p = m.packet;
  return {
    observerId: m.topic.observerId,
    rawHex: p.rawHex,
    snr: p.snr,
    rssi: p.rssi,
    score: p.score,
    direction: p.direction,
    origin: p.origin,
    region: m.region,
    rxMs,
    uploaderMs: p.uploaderMs,
    naiveSkewMs: naiveClockSkewMs(p.uploaderTime),
    source,
    topic,
    ...(p.radioDropped ? { radioDropped: p.radioDropped } : {}),
  };
}

export { admission };
