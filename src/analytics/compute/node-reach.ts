// t4: GET /api/nodes/:pubkey/reach?days= (spec ingest-store-api §4.2): the node's two-way RF
// links. Evidence comes only from hops that identify a node for certain: a node's "reliable
// tokens" are its 1/2/3-byte prefixes that no other relay shares, and a neighbour counts only
// when its hop resolves to a unique relay. In every observation (window on the observation's
// receive time) of the candidate transmissions:
//   - the node's token at hop i: the hop before it (or, at i = 0, the advertiser of an ADVERT)
//     was heard by the node ("we hear"); the hop after it (or, at the last hop, the observer)
//     heard the node ("they hear"; the observer is also a direct observer);
//   - the node's own transmissions (its adverts): the first hop heard the node; with no hop the
//     observer heard it directly. (CoreScope counts neither: its scan only sees paths that
//     contain the node's token.)
// A link is bidirectional when both counts are > 0. Importance: the node's degree in the
// neighbour graph of the path context (unique-resolution edges), its rank and the number of
// nodes with an edge. Scans are capped at REACH_MAX_OBSERVATIONS observations (newest kept).
import type { AnalyticsInput } from '../inputs/input.js';
import type { PathContext } from '../shared/path-context.js';
import { haversineKm } from '../shared/geo.js';
import { hopCodeOf } from '../shared/hop-code.js';
import { DAY_MS, gpsOf, isoSeconds, nodeIndexOf, ObservationsOfTx, round2 } from '../shared/entity.js';
import type { EntityQuery } from './node-analytics.js';

export const REACH_MAX_OBSERVATIONS = 200_000;
const ADVERT = 4;

interface ObserverTally {
  count: number;
  snr: number;
  snrN: number;
}

export function computeNodeReach(
  input: AnalyticsInput,
  q: EntityQuery,
  paths: PathContext,
): Record<string, unknown> | null {
  const n = nodeIndexOf(input, q.key);
  if (n < 0) return null;
  const { tx, obs, nodes, observers, nowMs } = input;
  const { resolver } = paths;
  const since = nowMs - q.days * DAY_MS;
  const key = nodes.publicKey(n);

  // The node's reliable tokens (unique among relays).
  const tokens: string[] = [];
  const tokenCodes = new Set<number>();
  for (const len of [2, 4, 6]) {
    const p = key.slice(0, len).toUpperCase();
    const c = resolver.candidates(p);
    if (c.length === 1 && c[0] === n) {
      tokens.push(p);
      tokenCodes.add(hopCodeOf(p));
    }
  }

  const we = new Map<number, number>();
  const they = new Map<number, number>();
  const direct = new Map<number, ObserverTally>();
  const bump = (m: Map<number, number>, k: number) => m.set(k, (m.get(k) ?? 0) + 1);
  const heardDirectly = (o: number, r: number) => {
    const on = o >= 0 && o < resolver.observerNode.length ? resolver.observerNode[o] : -1;
    if (on >= 0 && on !== n) bump(they, on);
    if (o < 0 || on === n) return;
    let d = direct.get(o);
    if (!d) direct.set(o, (d = { count: 0, snr: 0, snrN: 0 }));
    d.count++;
    const snr = obs.snr(r);
    if (!Number.isNaN(snr)) {
      d.snr += snr;
      d.snrN++;
    }
  };

  const ofTx = new ObservationsOfTx(input);
  let relayObservations = 0;
  let scanned = 0;
  let capped = false;
  // Newest transmissions first, so the cap keeps the most recent evidence.
  scan: for (let i = q.rows.length - 1; i >= 0; i--) {
    const t = q.rows[i];
    if (t >= tx.count) continue;
    const own = tx.advertNode(t) === n;
    for (const r of ofTx.rows(t)) {
      if (!(obs.rxMs(r) >= since)) continue;
      if (++scanned > REACH_MAX_OBSERVATIONS) {
        capped = true;
        break scan;
      }
      const h = obs.hopCount(r);
      const o = obs.observer(r);
      if (own) {
        if (h === 0) heardDirectly(o, r);
        else {
          const first = resolver.uniqueCode(obs.hopCode(r, 0));
          if (first >= 0 && first !== n) bump(they, first);
        }
      }
      if (tokenCodes.size === 0) continue;
      let hit = false;
      for (let k = 0; k < h; k++) {
        if (!tokenCodes.has(obs.hopCode(r, k))) continue;
        hit = true;
        if (k > 0) {
          const p = resolver.uniqueCode(obs.hopCode(r, k - 1));
          if (p >= 0 && p !== n) bump(we, p);
        } else if (tx.payloadType(t) === ADVERT) {
          const a = tx.advertNode(t);
          if (a >= 0 && a !== n) bump(we, a);
        }
        if (k < h - 1) {
          const s = resolver.uniqueCode(obs.hopCode(r, k + 1));
          if (s >= 0 && s !== n) bump(they, s);
        } else heardDirectly(o, r);
      }
      if (hit) relayObservations++;
    }
  }

  const self = gpsOf(input, n);
  const distance = (m: number): number | null => {
    const g = gpsOf(input, m);
    return self.lat === null || g.lat === null
      ? null
      : round2(haversineKm(self.lat, self.lon!, g.lat, g.lon!));
  };
  const peers = new Set<number>([...we.keys(), ...they.keys()]);
  let bidirectional = 0;
  const links = [...peers].map((m) => {
    const w = we.get(m) ?? 0;
    const th = they.get(m) ?? 0;
    const bidir = w > 0 && th > 0;
    if (bidir) bidirectional++;
    const g = gpsOf(input, m);
    return {
      pubkey: nodes.publicKey(m),
      name: nodes.name(m) ?? '',
      role: nodes.role(m) ?? '',
      lat: g.lat,
      lon: g.lon,
      we_hear: w,
      they_hear: th,
      bottleneck: Math.min(w, th),
      bidir,
      distance_km: distance(m),
    };
  });
  links.sort(
    (a, b) =>
      Number(b.bidir) - Number(a.bidir) ||
      b.bottleneck - a.bottleneck ||
      b.we_hear + b.they_hear - (a.we_hear + a.they_hear) ||
      (a.pubkey < b.pubkey ? -1 : 1),
  );
  const directObservers = [...direct.entries()]
    .map(([o, d]) => {
      const on = resolver.observerNode[o] ?? -1;
      const g = gpsOf(input, on);
      return {
        pubkey: observers.id(o).toLowerCase(),
        name: (on >= 0 ? nodes.name(on) : null) ?? observers.name(o) ?? '',
        count: d.count,
        avg_snr: d.snrN > 0 ? round2(d.snr / d.snrN) : null,
        lat: g.lat,
        lon: g.lon,
        distance_km: on >= 0 ? distance(on) : null,
      };
    })
    .sort((a, b) => b.count - a.count || (a.pubkey < b.pubkey ? -1 : 1));

  // Importance from the neighbour graph (unique-resolution edges of all best paths).
  const degree = new Map<number, Set<number>>();
  for (const [a, b] of resolver.neighborEdges()) {
    (degree.get(a) ?? degree.set(a, new Set()).get(a)!).add(b);
    (degree.get(b) ?? degree.set(b, new Set()).get(b)!).add(a);
  }
  const myDegree = degree.get(n)?.size ?? 0;
  let rank = 1;
  for (const s of degree.values()) if (s.size > myDegree) rank++;

  const first = nodes.firstSeenMs(n);
  return {
    node: {
      pubkey: key,
      name: nodes.name(n) ?? '',
      role: nodes.role(n) ?? '',
      lat: self.lat,
      lon: self.lon,
      first_seen: Number.isFinite(first) ? new Date(first).toISOString() : '',
    },
    window: { days: q.days, since: isoSeconds(since), capped },
    reliable_tokens: tokens.sort(),
    importance: {
      neighbor_degree: myDegree,
      degree_rank: myDegree > 0 ? rank : 0,
      nodes_with_edges: degree.size,
      relay_observations: relayObservations,
      bidirectional_links: bidirectional,
      direct_observers: directObservers.length,
    },
    direct_observers: directObservers,
    links,
  };
}
