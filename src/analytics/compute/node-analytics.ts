// t4: GET /api/nodes/:pubkey/analytics?days= (spec analytics §7.2). A pure function of the input
// and the node's candidate transmission rows (its adverts and the transmissions with one of its
// 1/2/3-byte prefixes as a hop, from the main thread's indexes). Passes:
//   members       which candidates are the node's packets in the window (its adverts, or a best-
//                 path hop that resolves to it) — spec §0's byNode;
//   tallies       one pass over the members: hour buckets, types, best observer, hops, peers,
//                 heatmap, SNR;
//   computedStats availability, longest silence, signal grade, relay %.
// Each packet is seen through its best observation (the longest path, spec §0).
import type { AnalyticsInput } from '../inputs/input.js';
import type { PathContext } from '../shared/path-context.js';
import type { ClockSkewEngine } from '../shared/clock-skew-engine.js';
import { computeNodeClockSkew } from './clock-skew-nodes.js';
import { HOUR_MS } from '../shared/time-format.js';
import { DAY_MS, isoSeconds, nodeIndexOf, nodeRow, relayHopIndex, round1, round2 } from '../shared/entity.js';

export interface EntityQuery {
  key: string;
  days: number;
  /** Candidate rows named by the main thread's indexes (tx rows; observation rows for observers). */
  rows: Uint32Array;
}

/** A member packet: tx row, best observation row (-1 none), whether the node relayed it. */
interface Member {
  t: number;
  best: number;
  relayed: boolean;
  firstSeen: number;
}

/** Pass 1: the node's packets among the candidates, oldest first. */
export function nodeMembers(
  input: AnalyticsInput,
  paths: PathContext,
  rows: Uint32Array,
  n: number,
  sinceMs: number,
): Member[] {
  const { tx } = input;
  const { best, resolver } = paths;
  const ctx = resolver.newContext();
  const out: Member[] = [];
  for (let i = 0; i < rows.length; i++) {
    const t = rows[i];
    if (t >= tx.count) continue;
    const fs = tx.firstSeenMs(t);
    if (!(fs > sinceMs)) continue;
    const b = t < best.length ? best[t] : -1;
    const relayed = b >= 0 && relayHopIndex(input, resolver, ctx, t, b, n) >= 0;
    if (relayed || tx.advertNode(t) === n) out.push({ t, best: b, relayed, firstSeen: fs });
  }
  out.sort((a, b) => a.firstSeen - b.firstSeen || a.t - b.t);
  return out;
}

/** Spec §7.2's grade bands over the mean and population deviation of the SNR. */
export function signalGrade(mean: number, sd: number): string {
  if (mean > 15 && sd < 2) return 'A';
  if (mean > 15) return 'A-';
  if (mean > 12 && sd < 3) return 'B+';
  if (mean > 8) return 'B';
  if (mean > 3) return 'C';
  return 'D';
}

const HOP_BUCKETS = ['0', '1', '2', '3', '4+'] as const;

export function computeNodeAnalytics(
  input: AnalyticsInput,
  q: EntityQuery,
  paths: PathContext,
  engine: ClockSkewEngine | null,
): Record<string, unknown> | null {
  const n = nodeIndexOf(input, q.key);
  if (n < 0) return null;
  const { tx, obs, observers, nodes, nowMs } = input;
  const since = nowMs - q.days * DAY_MS;
  const members = nodeMembers(input, paths, q.rows, n, since);

  // Pass 2: tallies.
  const hours = new Map<number, number>();
  const types = new Map<number, number>();
  const perObserver = new Map<
    number,
    { count: number; snr: number; snrN: number; rssi: number; rssiN: number; first: number; last: number }
  >();
  const hopCounts = [0, 0, 0, 0, 0];
  const peers = new Map<number, { count: number; last: number }>();
  const heat = new Map<number, number>();
  const snrTrend: Record<string, unknown>[] = [];
  let snrSum = 0;
  let snrSq = 0;
  let snrN = 0;
  let withHops = 0;
  let multiHop = 0;
  let longestGap = 0;
  let longestStart = NaN;
  let prevTime = NaN;
  for (const m of members) {
    const fs = m.firstSeen;
    const hour = Math.floor(fs / HOUR_MS);
    hours.set(hour, (hours.get(hour) ?? 0) + 1);
    const pt = tx.payloadType(m.t);
    types.set(pt, (types.get(pt) ?? 0) + 1);
    const d = new Date(fs);
    const cell = d.getUTCDay() * 24 + d.getUTCHours();
    heat.set(cell, (heat.get(cell) ?? 0) + 1);
    if (!Number.isNaN(prevTime) && fs - prevTime > longestGap) {
      longestGap = fs - prevTime;
      longestStart = prevTime;
    }
    prevTime = fs;
    const adv = tx.advertNode(m.t);
    if (adv >= 0 && adv !== n) {
      const p = peers.get(adv);
      if (p) {
        p.count++;
        if (fs > p.last) p.last = fs;
      } else peers.set(adv, { count: 1, last: fs });
    }
    const b = m.best;
    if (b < 0) continue;
    const hops = obs.hopCount(b);
    hopCounts[Math.min(hops, 4)]++;
    if (hops >= 1) withHops++;
    if (hops > 1) multiHop++;
    const o = obs.observer(b);
    const snr = obs.snr(b);
    const rssi = obs.rssi(b);
    let agg = perObserver.get(o);
    if (!agg)
      perObserver.set(o, (agg = { count: 0, snr: 0, snrN: 0, rssi: 0, rssiN: 0, first: fs, last: fs }));
    agg.count++;
    if (fs < agg.first) agg.first = fs;
    if (fs > agg.last) agg.last = fs;
    if (!Number.isNaN(snr)) {
      agg.snr += snr;
      agg.snrN++;
      snrSum += snr;
      snrSq += snr * snr;
      snrN++;
    }
    if (!Number.isNaN(rssi)) {
      agg.rssi += rssi;
      agg.rssiN++;
    }
    if (!Number.isNaN(snr))
      snrTrend.push({
        timestamp: isoSeconds(fs),
        snr,
        rssi: Number.isNaN(rssi) ? null : rssi,
        observer_id: o >= 0 ? observers.id(o) : null,
        observer_name: o >= 0 ? observers.name(o) : null,
      });
  }

  // Pass 3: computed stats.
  const mean = snrN > 0 ? snrSum / snrN : 0;
  const sd = snrN > 0 ? Math.sqrt(Math.max(0, snrSq / snrN - mean * mean)) : 0;
  const peerList = [...peers.entries()]
    .sort((a, b) => b[1].count - a[1].count || b[1].last - a[1].last || a[0] - b[0])
    .map(([p, v]) => ({
      peer_key: nodes.publicKey(p),
      peer_name: nodes.name(p) ?? '',
      messageCount: v.count,
      lastContact: isoSeconds(v.last),
    }));
  const result: Record<string, unknown> = {
    node: nodeRow(input, n),
    timeRange: { from: isoSeconds(since), to: isoSeconds(nowMs), days: q.days },
    activityTimeline: [...hours.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([h, count]) => ({ bucket: `${new Date(h * HOUR_MS).toISOString().slice(0, 13)}:00:00Z`, count })),
    snrTrend,
    packetTypeBreakdown: [...types.entries()]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .map(([payload_type, count]) => ({ payload_type, count })),
    observerCoverage: [...perObserver.entries()]
      .map(([o, a]) => ({
        observer_id: o >= 0 ? observers.id(o) : null,
        observer_name: o >= 0 ? observers.name(o) : null,
        packetCount: a.count,
        avgSnr: a.snrN ? round2(a.snr / a.snrN) : null,
        avgRssi: a.rssiN ? round2(a.rssi / a.rssiN) : null,
        firstSeen: isoSeconds(a.first),
        lastSeen: isoSeconds(a.last),
      }))
      .sort(
        (a, b) => b.packetCount - a.packetCount || String(a.observer_id).localeCompare(String(b.observer_id)),
      ),
    hopDistribution: HOP_BUCKETS.map((hops, i) => ({ hops, count: hopCounts[i] })),
    peerInteractions: peerList.slice(0, 20),
    uptimeHeatmap: [...heat.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([cell, count]) => ({ dayOfWeek: Math.floor(cell / 24), hour: cell % 24, count })),
    computedStats: {
      availabilityPct: round1(Math.min(100, (hours.size / (q.days * 24)) * 100)),
      longestSilenceMs: longestGap,
      longestSilenceStart: Number.isNaN(longestStart) ? null : isoSeconds(longestStart),
      signalGrade: signalGrade(mean, sd),
      snrMean: round1(mean),
      snrStdDev: round1(sd),
      relayPct: withHops > 0 ? round1((multiHop / withHops) * 100) : 0,
      totalPackets: members.length,
      uniqueObservers: perObserver.size,
      uniquePeers: peers.size,
      avgPacketsPerDay: round1(members.length / q.days),
    },
  };
  const skew = engine ? computeNodeClockSkew(input, q.key, engine) : null;
  if (skew) result.clockSkew = skew;
  return result;
}
