// GET /api/analytics/hash-sizes (spec analytics §4.1): the hop-hash size (1-3 bytes, from the
// path-length byte) in use across the mesh, per node and per hour, plus each node's multi-byte
// capability. Hops are read from a transmission's first observation (the frame it was stored
// from); the input has no per-transmission hop column.
// Differences from CoreScope (docs/compatibility.md "Analytics"): an unknown region matches
// nothing; `distributionByRepeaters` never has a "0" key; path evidence skips TRACE (type 9),
// not PATH (type 8); capability always comes from unfiltered data without a second compute.
import { computeNodeHashInfo, isZeroHopDirect } from '../shared/hash-size-info.js';
import type { AnalyticsInput, NodeTable } from '../inputs/input.js';
import { inPolygon } from '../../config/areas.js';
import { regionObservers, type AnalyticsQuery } from '../shared/query.js';
import { HopCodeIndex, hopCodeOf, hopText } from '../shared/hop-code.js';
import { regionTransmissions, type PathContext } from '../shared/path-context.js';

type SizeCounts = { '1': number; '2': number; '3': number };

export interface MultiByteNode {
  name: string;
  hashSize: number;
  packets: number;
  lastSeen: string;
  pubkey: string;
  role: string | null;
}

export interface MultiByteCapability {
  pubkey: string;
  name: string;
  role: string | null;
  status: 'confirmed' | 'suspected' | 'unknown';
  evidence: 'advert' | 'path' | null;
  maxHashSize: number;
  lastSeen: string | null;
}

export interface HashSizesResponse {
  total: number;
  distribution: SizeCounts;
  distributionByRepeaters: SizeCounts;
  hourly: Array<{ hour: string } & SizeCounts>;
  topHops: Array<{ hex: string; size: number; count: number; name: string | null; pubkey: string | null }>;
  multiByteNodes: MultiByteNode[];
  attributionMethod: 'repeater' | 'observer';
  multiByteCapability: MultiByteCapability[];
}

const TOP_HOPS = 50;
const TRACE = 9;

const iso = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString() : null);
const counts = (): SizeCounts => ({ '1': 0, '2': 0, '3': 0 });

function firstObservations(input: AnalyticsInput): Int32Array {
  const first = new Int32Array(input.tx.count).fill(-1);
  for (let r = 0; r < input.obs.count; r++) {
    const t = input.obs.txRow(r);
    if (t >= 0 && t < first.length && first[t] < 0) first[t] = r;
  }
  return first;
}

/** Home region per advertiser (#804): plurality IATA of the observers of its zero-hop direct adverts. */
function homeRegions(input: AnalyticsInput, firstObs: Int32Array): (string | null)[] {
  const { tx, obs, observers } = input;
  const tallies: Array<Map<string, number>> = new Array(input.nodes.count);
  for (let r = 0; r < tx.count; r++) {
    if (tx.payloadType(r) !== 4 || !isZeroHopDirect(input, r) || firstObs[r] < 0) continue;
    const node = tx.advertNode(r);
    if (node < 0) continue;
    const o = obs.observer(firstObs[r]);
    const iata = o >= 0 ? observers.iata(o)?.trim().toUpperCase() : undefined;
    if (!iata) continue;
    const m = (tallies[node] ??= new Map());
    m.set(iata, (m.get(iata) ?? 0) + 1);
  }
  return Array.from(tallies, (m) => {
    if (!m) return null;
    let best: string | null = null;
    let bestN = 0;
    for (const [k, v] of m)
      if (v > bestN || (v === bestN && best !== null && k < best)) [best, bestN] = [k, v];
    return best;
  });
}

function nodeInArea(nodes: NodeTable, query: AnalyticsQuery, node: number): boolean {
  if (!query.area) return true;
  const lat = nodes.lat(node);
  const lon = nodes.lon(node);
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || (lat === 0 && lon === 0)) return false;
  return inPolygon(lat, lon, query.area.polygon);
}

/** The transmission pass's tallies, per node and overall. */
interface SizeTally {
  packets: Int32Array;
  lastSeen: Float64Array;
  sizeAt: Float64Array;
  size: Uint8Array;
  // Unfiltered, for capability (§4.1): latest and largest advert size per node.
  gSizeAt: Float64Array;
  gSize: Uint8Array;
  gMax: Uint8Array;
  /** Hop codes seen on multi-byte paths (value 1). */
  pathHops: HopCodeIndex;
  distribution: SizeCounts;
  hourly: Map<number, SizeCounts>;
  // Hop counts by code: slot in hopCodes/hopCounts.
  hopSlot: HopCodeIndex;
  hopCodes: number[];
  hopCounts: number[];
  total: number;
}

function newSizeTally(nNodes: number): SizeTally {
  return {
    packets: new Int32Array(nNodes),
    lastSeen: new Float64Array(nNodes).fill(NaN),
    sizeAt: new Float64Array(nNodes).fill(-Infinity),
    size: new Uint8Array(nNodes),
    gSizeAt: new Float64Array(nNodes).fill(-Infinity),
    gSize: new Uint8Array(nNodes),
    gMax: new Uint8Array(nNodes),
    pathHops: new HopCodeIndex(),
    distribution: counts(),
    hourly: new Map(),
    hopSlot: new HopCodeIndex(),
    hopCodes: [],
    hopCounts: [],
    total: 0,
  };
}

/** One pass over the transmissions: capability evidence unfiltered, the rest as the query selects. */
function tallySizes(
  input: AnalyticsInput,
  query: AnalyticsQuery,
  firstObs: Int32Array,
  home: (string | null)[],
  wanted: Set<string> | null,
): SizeTally {
  const { tx, obs, nodes } = input;
  const heard = regionTransmissions(input, regionObservers(input.observers, query));
  const st = newSizeTally(nodes.count);
  const { packets, lastSeen, sizeAt, size, gSizeAt, gSize, gMax, pathHops } = st;
  const { distribution, hourly, hopSlot, hopCodes, hopCounts } = st;
  let total = 0;
  for (let r = 0; r < tx.count; r++) {
    const s = tx.pathHashSize(r);
    const hopCount = tx.pathHashCount(r);
    const t = tx.firstSeenMs(r);
    const isAdvert = tx.payloadType(r) === 4;
    const node = isAdvert ? tx.advertNode(r) : -1;
    const zeroHop = isZeroHopDirect(input, r);
    const f = firstObs[r];
    if (node >= 0 && !zeroHop && s >= 1 && s <= 3) {
      if (t >= gSizeAt[node]) [gSizeAt[node], gSize[node]] = [t, s];
      if (s > gMax[node]) gMax[node] = s;
    }
    if (s >= 2 && s <= 3 && hopCount > 0 && tx.payloadType(r) !== TRACE && f >= 0) {
      for (let k = 0, n = obs.hopCount(f); k < n; k++) pathHops.set(obs.hopCode(f, k), 1);
    }

    if (heard && !heard[r] && !(node >= 0 && wanted!.has(home[node] ?? ''))) continue;
    if (node >= 0 && !nodeInArea(nodes, query, node)) continue;
    if (node >= 0) {
      packets[node]++;
      if (!(t <= lastSeen[node])) lastSeen[node] = t;
      if (!zeroHop && s >= 1 && s <= 3 && t >= sizeAt[node]) [sizeAt[node], size[node]] = [t, s];
    }
    if (hopCount < 1 || s < 1 || s > 3) continue;
    total++;
    const key = String(s) as keyof SizeCounts;
    distribution[key]++;
    const hour = Math.floor(t / 3600_000);
    let h = hourly.get(hour);
    if (!h) hourly.set(hour, (h = counts()));
    h[key]++;
    if (f >= 0) {
      for (let k = 0, n = obs.hopCount(f); k < n; k++) {
        const code = obs.hopCode(f, k);
        const slot = hopSlot.get(code);
        if (slot >= 0) hopCounts[slot]++;
        else if (code >= 0) {
          hopSlot.set(code, hopCodes.length);
          hopCodes.push(code);
          hopCounts.push(1);
        }
      }
    }
  }
  st.total = total;
  return st;
}

/** Per-node figures: repeaters' size distribution and the nodes using multi-byte hashes. */
function multiByteNodes(
  input: AnalyticsInput,
  st: SizeTally,
  home: (string | null)[],
  wanted: Set<string> | null,
) {
  const nodes = input.nodes;
  const { packets, size, lastSeen } = st;
  const distributionByRepeaters = counts();
  const list: MultiByteNode[] = [];
  let anyHome = false;
  for (let i = 0; i < nodes.count; i++) {
    if (home[i]) anyHome = true;
    if (packets[i] === 0) continue;
    const role = nodes.role(i);
    if (size[i] >= 1 && role?.toLowerCase().includes('repeater'))
      distributionByRepeaters[String(size[i]) as keyof SizeCounts]++;
    if (size[i] > 1 && !(wanted && home[i] && !wanted.has(home[i]!))) {
      const pk = nodes.publicKey(i);
      list.push({
        name: nodes.name(i) || pk.slice(0, 8),
        hashSize: size[i],
        packets: packets[i],
        lastSeen: iso(lastSeen[i])!,
        pubkey: pk,
        role,
      });
    }
  }
  list.sort((a, b) => b.packets - a.packets || (a.pubkey < b.pubkey ? -1 : 1));
  return { distributionByRepeaters, multiByteNodes: list, anyHome };
}

function topHops(input: AnalyticsInput, st: SizeTally): HashSizesResponse['topHops'] {
  const nodes = input.nodes;
  const hops = st.hopCodes.map((c, i): [string, number] => [hopText(c), st.hopCounts[i]]);
  const top = hops.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, TOP_HOPS);
  return top.map(([hex, count]) => {
    // First prefix-map candidate in node order, no disambiguation (§4.1 step 4).
    const lower = hex.toLowerCase();
    for (let i = 0; i < nodes.count; i++) {
      const role = nodes.role(i)?.toLowerCase() ?? '';
      if (!(role.includes('repeater') || role.includes('room_server') || role === 'room')) continue;
      const pk = nodes.publicKey(i);
      if (pk.startsWith(lower))
        return { hex, size: Math.ceil(hex.length / 2), count, name: nodes.name(i), pubkey: pk };
    }
    return { hex, size: Math.ceil(hex.length / 2), count, name: null, pubkey: null };
  });
}

/** Multi-byte capability of every node, from unfiltered evidence (§4.1). */
function capability(input: AnalyticsInput, st: SizeTally): MultiByteCapability[] {
  const nodes = input.nodes;
  const { gSize, gMax, pathHops } = st;
  const info = computeNodeHashInfo(input);
  const list: MultiByteCapability[] = [];
  for (let i = 0; i < nodes.count; i++) {
    const pk = nodes.publicKey(i);
    const upper = pk.toUpperCase();
    const recentMulti = info.sizesSeen[i] > 1; // any bit above size 1
    let status: MultiByteCapability['status'] = 'unknown';
    let evidence: MultiByteCapability['evidence'] = null;
    if (recentMulti || gSize[i] > 1) [status, evidence] = ['confirmed', 'advert'];
    else if (
      pathHops.get(hopCodeOf(upper.slice(0, 2))) === 1 ||
      pathHops.get(hopCodeOf(upper.slice(0, 4))) === 1 ||
      pathHops.get(hopCodeOf(upper.slice(0, 6))) === 1
    )
      [status, evidence] = ['suspected', 'path'];
    const recentMax = info.sizesSeen[i] & 4 ? 3 : info.sizesSeen[i] & 2 ? 2 : 1;
    list.push({
      pubkey: pk,
      name: nodes.name(i) || pk.slice(0, 8),
      role: nodes.role(i),
      status,
      evidence,
      maxHashSize: Math.max(1, gMax[i], recentMax),
      lastSeen: iso(nodes.lastSeenMs(i)),
    });
  }
  const rank = { confirmed: 0, suspected: 1, unknown: 2 };
  list.sort((a, b) => {
    const d = rank[a.status] - rank[b.status];
    if (d) return d;
    const an = a.name.toLowerCase();
    const bn = b.name.toLowerCase();
    return an < bn ? -1 : an > bn ? 1 : a.pubkey < b.pubkey ? -1 : 1;
  });
  return list;
}

export function computeHashSizes(
  input: AnalyticsInput,
  query: AnalyticsQuery,
  paths?: Pick<PathContext, 'firstObs'>,
): HashSizesResponse {
  const firstObs = paths?.firstObs ?? firstObservations(input);
  const home = homeRegions(input, firstObs);
  const wanted = query.regions ? new Set(query.regions) : null;
  const st = tallySizes(input, query, firstObs, home, wanted);
  const perNode = multiByteNodes(input, st, home, wanted);
  const hops = topHops(input, st);
  const capable = capability(input, st);
  return {
    total: st.total,
    distribution: st.distribution,
    distributionByRepeaters: perNode.distributionByRepeaters,
    hourly: [...st.hourly]
      .sort((a, b) => a[0] - b[0])
      .map(([hour, c]) => ({ hour: new Date(hour * 3600_000).toISOString().slice(0, 13), ...c })),
    topHops: hops,
    multiByteNodes: perNode.multiByteNodes,
    attributionMethod: wanted && perNode.anyHome ? 'repeater' : 'observer',
    multiByteCapability: capable,
  };
}
