// An AnalyticsInput over plain records: for hand-built test stores and as an oracle for the
// shared-memory implementation. Not for production data sizes.
import type {
  NodeRecord,
  ObservationRecord,
  ObserverRecord,
  TransmissionRecord,
} from '../../store/records.js';
import type { AnalyticsInput } from './input.js';
import { hopCodeOf } from '../shared/hop-code.js';

/** Path-length byte of a frame (spec packet-format §4): offset 1, or 5 on transport routes. */
function pathByte(rawHex: string, routeType: number): number {
  const at = routeType === 0 || routeType === 3 ? 5 : 1;
  const v = parseInt(rawHex.slice(at * 2, at * 2 + 2), 16);
  return Number.isNaN(v) ? 0 : v;
}

function advertTimestamp(t: TransmissionRecord): number {
  if (t.payloadType !== 4) return NaN;
  try {
    const ts = (JSON.parse(t.decodedJson) as { timestamp?: unknown }).timestamp;
    return typeof ts === 'number' ? ts : NaN;
  } catch {
    return NaN;
  }
}

function channelHashByte(t: TransmissionRecord): number {
  if (t.payloadType !== 5 && t.payloadType !== 6) return -1;
  try {
    const h = (JSON.parse(t.decodedJson) as { channelHash?: unknown }).channelHash;
    return typeof h === 'number' ? h : -1;
  } catch {
    return -1;
  }
}

export function recordsInput(
  data: {
    transmissions: TransmissionRecord[];
    observations: ObservationRecord[];
    nodes: NodeRecord[];
    observers: ObserverRecord[];
  },
  nowMs: number,
): AnalyticsInput {
  const { transmissions: txs, observations: obs, nodes, observers } = data;
  const txRowById = new Map(txs.map((t, i) => [t.id, i]));
  const nodeByKey = new Map(nodes.map((n, i) => [n.publicKey, i]));
  const observerById = new Map(observers.map((o, i) => [o.id, i]));
  const pb = txs.map((t) => pathByte(t.rawHex, t.routeType));
  const advTs = txs.map(advertTimestamp);
  const chan = txs.map(channelHashByte);
  const num = (v: number | null) => (v === null ? NaN : v);
  return {
    nowMs,
    tx: {
      count: txs.length,
      id: (r) => txs[r].id,
      hash: (r) => txs[r].hash,
      firstSeenMs: (r) => txs[r].firstSeenMs,
      routeType: (r) => txs[r].routeType,
      payloadType: (r) => txs[r].payloadType,
      rawLength: (r) => txs[r].rawHex.length / 2,
      pathHashSize: (r) => (pb[r] >> 6) + 1,
      pathHashCount: (r) => pb[r] & 0x3f,
      advertNode: (r) => (txs[r].fromPubkey === null ? -1 : (nodeByKey.get(txs[r].fromPubkey!) ?? -1)),
      advertTimestampSec: (r) => advTs[r],
      channelHashByte: (r) => chan[r],
      channelName: (r) => {
        const c = txs[r].channelHash;
        return c === null || c.startsWith('enc_') ? null : c;
      },
      decodedJson: (r) => txs[r].decodedJson,
      scopeName: (r) => txs[r].scopeName, // t3
    },
    obs: {
      count: obs.length,
      txRow: (r) => txRowById.get(obs[r].transmissionId) ?? -1,
      // t4
      id: (r) => obs[r].id,
      observer: (r) => observerById.get(obs[r].observerId) ?? -1,
      rxMs: (r) => obs[r].rxMs,
      uploaderMs: (r) => num(obs[r].uploaderMs),
      snr: (r) => num(obs[r].snr),
      rssi: (r) => num(obs[r].rssi),
      hopSize: (r) => (obs[r].path.length ? obs[r].path[0].length / 2 : 0),
      hopCount: (r) => obs[r].path.length,
      hop: (r, k) => obs[r].path[k],
      hopCode: (r, k) => hopCodeOf(obs[r].path[k]),
    },
    nodes: {
      count: nodes.length,
      publicKey: (i) => nodes[i].publicKey,
      name: (i) => nodes[i].name,
      role: (i) => nodes[i].role,
      lat: (i) => num(nodes[i].lat),
      lon: (i) => num(nodes[i].lon),
      advertCount: (i) => nodes[i].advertCount,
      firstSeenMs: (i) => nodes[i].firstSeenMs,
      lastSeenMs: (i) => nodes[i].lastSeenMs,
    },
    observers: {
      count: observers.length,
      id: (i) => observers[i].id,
      name: (i) => observers[i].name,
      iata: (i) => observers[i].iata,
    },
  };
}
