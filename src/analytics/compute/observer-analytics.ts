// t4: GET /api/observers/:id/analytics?days= (spec analytics §7.3), over the observer's
// observation rows (the main thread's per-observer list) received in the window. Newest first:
//   timeline       observations per UTC bucket: 1 h for days ≤ 1 (label `15:04`), 4 h for ≤ 7
//                  (`Mon 15:04`), else 24 h (`Jan 02`); buckets in time order;
//   packetTypes    {"<payload type>": count};
//   nodesTimeline  distinct nodes per bucket: hop prefixes of the path, the advertiser of an
//                  ADVERT, and the 1-byte src/dest hashes of peer-addressed packets (a 1-byte hash
//                  and the same 1-byte hop are one node);
//   snrDistribution 2-dB buckets by floor ("a to b"), ascending;
//   recentPackets  the 20 newest observations with their transmission's fields.
import type { AnalyticsInput } from '../inputs/input.js';
import { hopCodeOf } from '../shared/hop-code.js';
import { DAY_MS, isoSeconds } from '../shared/entity.js';
import type { EntityQuery } from './node-analytics.js';

const HOUR = 3_600_000;
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** Payload types whose payload starts with destHash, srcHash (REQ, RESPONSE, TXT_MSG, PATH). */
const PEER_TYPES = new Set([0, 1, 2, 8]);
const ANON_REQ = 7;
const RECENT = 20;

const pad = (v: number) => String(v).padStart(2, '0');

/** Bucket size and label for a window of `days` (spec §7.3). */
export function observerBucket(days: number): { sizeMs: number; label: (startMs: number) => string } {
  if (days <= 1)
    return {
      sizeMs: HOUR,
      label: (ms) => {
        const d = new Date(ms);
        return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
      },
    };
  if (days <= 7)
    return {
      sizeMs: 4 * HOUR,
      label: (ms) => {
        const d = new Date(ms);
        return `${DAYS[d.getUTCDay()]} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
      },
    };
  return {
    sizeMs: DAY_MS,
    label: (ms) => {
      const d = new Date(ms);
      return `${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())}`;
    },
  };
}

/** destHash / srcHash hop codes named in a transmission's decoded JSON (peer-addressed types). */
function peerHashes(json: string): number[] {
  const out: number[] = [];
  for (const k of ['destHash', 'srcHash']) {
    const m = new RegExp(`"${k}":"([0-9a-fA-F]{2,6})"`).exec(json);
    if (m) {
      const c = hopCodeOf(m[1].toUpperCase());
      if (c >= 0) out.push(c);
    }
  }
  return out;
}

export function computeObserverAnalytics(
  input: AnalyticsInput,
  q: EntityQuery,
  observer: number,
): Record<string, unknown> {
  const { tx, obs, observers, nowMs } = input;
  const since = nowMs - q.days * DAY_MS;
  const rows: number[] = [];
  for (let i = 0; i < q.rows.length; i++) {
    const r = q.rows[i];
    if (r < obs.count && obs.observer(r) === observer && obs.rxMs(r) >= since) rows.push(r);
  }
  rows.sort((a, b) => obs.rxMs(b) - obs.rxMs(a) || b - a);

  const { sizeMs, label } = observerBucket(q.days);
  const counts = new Map<number, number>();
  const nodesPer = new Map<number, Set<number>>();
  const types = new Map<number, number>();
  const snrBuckets = new Map<number, number>();
  const peerMemo = new Map<number, number[]>();
  for (const r of rows) {
    const t = obs.txRow(r);
    const bucket = Math.floor(obs.rxMs(r) / sizeMs);
    counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
    let set = nodesPer.get(bucket);
    if (!set) nodesPer.set(bucket, (set = new Set()));
    for (let k = 0, h = obs.hopCount(r); k < h; k++) {
      const c = obs.hopCode(r, k);
      if (c >= 0) set.add(c);
    }
    const pt = tx.payloadType(t);
    types.set(pt, (types.get(pt) ?? 0) + 1);
    const adv = tx.advertNode(t);
    if (adv >= 0) set.add(-1 - adv);
    if (PEER_TYPES.has(pt) || pt === ANON_REQ) {
      let hashes = peerMemo.get(t);
      if (!hashes) peerMemo.set(t, (hashes = peerHashes(tx.decodedJson(t))));
      for (const c of hashes) set.add(c);
    }
    const snr = obs.snr(r);
    if (!Number.isNaN(snr)) {
      const lo = Math.floor(snr / 2) * 2;
      snrBuckets.set(lo, (snrBuckets.get(lo) ?? 0) + 1);
    }
  }
  const buckets = [...counts.keys()].sort((a, b) => a - b);
  const packetTypes: Record<string, number> = {};
  for (const [pt, c] of [...types.entries()].sort((a, b) => a[0] - b[0])) packetTypes[String(pt)] = c;
  const recentPackets = rows.slice(0, RECENT).map((r) => {
    const t = obs.txRow(r);
    const hops: string[] = [];
    for (let k = 0, h = obs.hopCount(r); k < h; k++) hops.push(obs.hop(r, k));
    const snr = obs.snr(r);
    const rssi = obs.rssi(r);
    return {
      id: obs.id ? obs.id(r) : null,
      transmission_id: tx.id(t),
      hash: tx.hash(t),
      payload_type: tx.payloadType(t),
      route_type: tx.routeType(t),
      observer_id: observers.id(observer),
      observer_name: observers.name(observer),
      snr: Number.isNaN(snr) ? null : snr,
      rssi: Number.isNaN(rssi) ? null : rssi,
      path_json: JSON.stringify(hops),
      timestamp: new Date(obs.rxMs(r)).toISOString(),
      first_seen: isoSeconds(tx.firstSeenMs(t)),
      decoded_json: tx.decodedJson(t),
    };
  });
  return {
    timeline: buckets.map((b) => ({ label: label(b * sizeMs), count: counts.get(b)! })),
    packetTypes,
    nodesTimeline: buckets.map((b) => ({ label: label(b * sizeMs), count: nodesPer.get(b)!.size })),
    snrDistribution: [...snrBuckets.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([lo, count]) => ({ range: `${lo} to ${lo + 2}`, count })),
    recentPackets,
  };
}
