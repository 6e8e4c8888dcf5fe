// Observer MQTT messages (spec ingest-store-api §1.1–1.3): what an uploader such as
// meshcoretomqtt publishes for each received frame, and its periodic status heartbeat.
import type { Reception } from './propagation.js';
import type { SimNode, SimObserver } from './world.js';

export interface ObserverPacketPayload {
  raw: string;
  SNR: number;
  RSSI: number;
  score?: number;
  direction: 'rx';
  origin: string;
  /** The uploader's receive time by its own clock: RFC 3339 UTC, or zone-less for naive uploaders. */
  timestamp: string;
}

export interface ObserverStatusPayload {
  status: 'online';
  origin: string;
  origin_id: string;
  radio: string;
  model: string;
  firmware_version: string;
  client_version: string;
  stats: {
    battery_mv: number;
    uptime_secs: number;
    noise_floor: number;
    tx_air_secs: number;
    rx_air_secs: number;
    recv_errors: number;
    packets_sent: number;
    packets_recv: number;
  };
  repeat: boolean;
}

export interface SimPacketMessage {
  kind: 'packet';
  topic: string;
  payload: ObserverPacketPayload;
  /** When the broker receives it (true time), epoch ms. Messages come out in this order. */
  rxMs: number;
  observer: number;
  /** Transmission identity: equal txKey ⇔ equal content hash (spec §8). */
  txKey: number;
  /** Same observer, transmission and path as an earlier message (the server upserts it). */
  duplicate: boolean;
  /** Payload type of the frame (spec §2). */
  payloadType: number;
  /** t3 ground truth: route type of the frame and the nodes that forwarded this copy (Reception.relayed). */
  route: number;
  relayed: readonly number[];
}

export interface SimStatusMessage {
  kind: 'status';
  topic: string;
  payload: ObserverStatusPayload;
  rxMs: number;
  observer: number;
}

export type SimMessage = SimPacketMessage | SimStatusMessage;

/** Observer clock reading as the uploader formats it. */
let cachedSecond = NaN;
let cachedPrefix = '';

/** ISO 8601 UTC with milliseconds; the `YYYY-MM-DDTHH:MM:SS` part is reused within a second. */
function isoMs(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedPrefix = new Date(second * 1000).toISOString().slice(0, 19);
  }
  const frac = ms - second * 1000;
  return `${cachedPrefix}.${frac < 10 ? '00' : frac < 100 ? '0' : ''}${frac}Z`;
}

export function formatTimestamp(obs: SimObserver, trueMs: number): string {
  const iso = isoMs(Math.round(trueMs + obs.clockOffsetMs));
  // Python's datetime.isoformat() without a zone: microseconds, no 'Z' (spec analytics §6.7).
  return obs.naiveTimestamps ? `${iso.slice(0, 23)}000` : iso;
}

export function packetTopic(obs: SimObserver, node: SimNode): string {
  return `meshcore/${obs.iata}/${node.id.publicHex}/packets`;
}

export function statusTopic(obs: SimObserver, node: SimNode): string {
  return `meshcore/${obs.iata}/${node.id.publicHex}/status`;
}

export function packetMessage(
  r: Reception,
  obs: SimObserver,
  node: SimNode,
  topic: string,
  rxMs: number,
): SimPacketMessage {
  const raw = r.prefixHex + r.frame.payloadHex;
  const payload: ObserverPacketPayload = {
    raw: obs.lowercaseHex ? raw.toLowerCase() : raw,
    SNR: r.snr,
    RSSI: r.rssi,
    direction: 'rx',
    origin: obs.name,
    timestamp: formatTimestamp(obs, r.arrivalMs),
  };
  if (obs.sendsScore) payload.score = Math.max(0, Math.min(1000, Math.round((r.snr + 10) * 40)));
  return {
    kind: 'packet',
    topic,
    payload,
    rxMs,
    observer: obs.index,
    txKey: r.txKey,
    duplicate: r.duplicate,
    payloadType: r.frame.type,
    route: r.frame.route,
    relayed: r.relayed,
  };
}
