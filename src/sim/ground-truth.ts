// Ground truth: what the simulated network really is, for analytics tests to compare their
// findings with. JSON-serialisable; times in epoch ms, clock errors in ms, distances in km.
import type { SimCounts, Simulator } from './simulator.js';
import type { ClockKind, Role, World } from './world.js';
import { contentHash } from '../protocol/hash.js';

export interface NodeTruth {
  index: number;
  pubkey: string;
  name: string;
  role: Role;
  region: string;
  lat: number;
  lon: number;
  /** What its adverts carry: the real position, nothing, or exactly (0, 0). */
  gps: 'real' | 'none' | 'zero';
  hashSize: 1 | 2 | 3;
  /** Relays but never advertises. */
  relayOnly: boolean;
  clockKind: ClockKind;
  /** Node clock − true time at the scenario start, ms. */
  clockErrorMs: number;
  /** Clock rate error, ppm; the error grows by driftPpm × 86.4 ms per day. */
  driftPpm: number;
  /** Observer index when the node is also an observer, else null. */
  observer: number | null;
}

export interface ObserverTruth {
  index: number;
  pubkey: string;
  name: string;
  iata: string;
  node: number;
  isRepeater: boolean;
  /** Uploaded `timestamp` − true receive time, ms. */
  clockOffsetMs: number;
  naiveTimestamps: boolean;
  uploadDelayMeanMs: number;
}

export interface LinkTruth {
  a: number;
  b: number;
  distanceKm: number;
  /** Mean SNR at b when a transmits (null if b cannot hear a), dB. */
  snrAtB: number | null;
  snrAtA: number | null;
}

export interface GroundTruth {
  scale: string;
  seed: number;
  startMs: number;
  durationMs: number;
  nodes: NodeTruth[];
  observers: ObserverTruth[];
  links: LinkTruth[];
  /** Planted repeater pairs sharing a first key byte, as node indices. */
  plantedSharedPrefix: [number, number][];
  /** Every 1-byte prefix shared by two or more advertising repeaters (planted or by chance). */
  sharedPrefixGroups: { prefix: string; nodes: number[] }[];
  channels: { name: string; keyHex: string; known: boolean }[];
  /**
   * t2: links that carried an uploaded packet, as far as the uploaded path reveals them (advert
   * originator, relays, receiving observer; DIRECT: the hops still to go; TRACE: the route), with
   * the number of uploads; null unless `sim.trackCarriedLinks()` was called before iterating.
   */
  carriedLinks: Array<{ a: number; b: number; uploads: number }> | null;
  /** Nodes whose adverts reached an observer (what a server's node count should be). */
  heardAdvertisers: number[];
  counts: SimCounts;
  /** Frames originated by payload type, heard or not. */
  sentByType: Record<number, number>;
  // t1:
  /**
   * Per heard transmission, the true relays its best observation's path names (node indices,
   * origin side first; TRACE: its route) and the bytes per hop; empty unless the scenario set
   * `recordPathTruth`. Route patterns (subpaths) are counted over these.
   */
  bestPaths: Array<{ relays: number[]; hopWidth: number }>;
  /**
   * t3: every transmission an observer heard (by content hash), its route type, and the nodes that
   * really forwarded it: the union over its heard copies of the relays before each reception
   * (flood: those whose hop the path carries; DIRECT/TRACE: the hops already done).
   */
  transmissionRelays: {
    hash: string;
    route: number;
    payloadType: number;
    firstRxMs: number;
    relays: number[];
  }[];
  /** t3: the planted bridge repeater (config plantBridge), else null. */
  plantedBridge: number | null;
  /**
   * t3: cut vertices (articulation points) of the true radio graph (a link in either direction
   * joins two nodes): nodes whose removal disconnects part of the mesh.
   */
  cutVertices: number[];
}

/** t3: articulation points of the world's link graph, undirected (recursive-free Tarjan). */
function trueCutVertices(world: World): number[] {
  const n = world.nodes.length;
  const { linkStart, linkTo } = world.links;
  const adj: Set<number>[] = Array.from({ length: n }, () => new Set());
  for (let a = 0; a < n; a++)
    for (let p = linkStart[a]; p < linkStart[a + 1]; p++) {
      adj[a].add(linkTo[p]);
      adj[linkTo[p]].add(a);
    }
  const nb = adj.map((s) => [...s]);
  const disc = new Array<number>(n).fill(-1);
  const low = new Array<number>(n).fill(0);
  const cut = new Set<number>();
  let time = 0;
  for (let root = 0; root < n; root++) {
    if (disc[root] >= 0) continue;
    disc[root] = low[root] = time++;
    let rootChildren = 0;
    const stack: { v: number; parent: number; i: number }[] = [{ v: root, parent: -1, i: 0 }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top.i < nb[top.v].length) {
        const w = nb[top.v][top.i++];
        if (disc[w] < 0) {
          disc[w] = low[w] = time++;
          if (top.v === root) rootChildren++;
          stack.push({ v: w, parent: top.v, i: 0 });
        } else if (w !== top.parent) low[top.v] = Math.min(low[top.v], disc[w]);
        continue;
      }
      stack.pop();
      const p = top.parent;
      if (p < 0) continue;
      low[p] = Math.min(low[p], low[top.v]);
      if (p !== root && low[top.v] >= disc[p]) cut.add(p);
    }
    if (rootChildren >= 2) cut.add(root);
  }
  return [...cut].sort((x, y) => x - y);
}

const round = (x: number, dp: number): number => Math.round(x * 10 ** dp) / 10 ** dp;

export function groundTruth(sim: Simulator): GroundTruth {
  const { world, config } = sim;
  const nodes: NodeTruth[] = world.nodes.map((n) => ({
    index: n.index,
    pubkey: n.id.publicHex,
    name: n.name,
    role: n.role,
    region: config.regions[n.region].iata,
    lat: n.lat,
    lon: n.lon,
    gps: n.gps,
    hashSize: n.hashSize,
    relayOnly: n.relayOnly,
    clockKind: n.clock.kind,
    clockErrorMs: n.clock.offsetMs,
    driftPpm: n.clock.driftPpm,
    observer: n.observer >= 0 ? n.observer : null,
  }));
  const observers: ObserverTruth[] = world.observers.map((o) => ({
    index: o.index,
    pubkey: world.nodes[o.node].id.publicHex,
    name: o.name,
    iata: o.iata,
    node: o.node,
    isRepeater: world.nodes[o.node].relays,
    clockOffsetMs: o.clockOffsetMs,
    naiveTimestamps: o.naiveTimestamps,
    uploadDelayMeanMs: round(o.uploadDelayMeanMs, 1),
  }));
  const { linkStart, linkTo, linkSnr, linkKm } = world.links;
  const pairs = new Map<number, LinkTruth>();
  const n = world.nodes.length;
  for (let a = 0; a < n; a++) {
    for (let p = linkStart[a]; p < linkStart[a + 1]; p++) {
      const b = linkTo[p];
      const lo = Math.min(a, b);
      const hi = Math.max(a, b);
      const key = lo * n + hi;
      let link = pairs.get(key);
      if (!link) {
        link = { a: lo, b: hi, distanceKm: round(linkKm[p], 3), snrAtB: null, snrAtA: null };
        pairs.set(key, link);
      }
      // Stored from a's side: SNR at b when a transmits.
      if (a === lo) link.snrAtB = round(linkSnr[p], 2);
      else link.snrAtA = round(linkSnr[p], 2);
    }
  }
  const byPrefix = new Map<string, number[]>();
  for (const node of world.nodes) {
    if (node.role !== 'repeater' || node.relayOnly) continue;
    const prefix = node.id.publicHex.slice(0, 2);
    byPrefix.set(prefix, [...(byPrefix.get(prefix) ?? []), node.index]);
  }
  return {
    scale: config.scale,
    seed: config.seed,
    startMs: config.startMs,
    durationMs: config.durationMs,
    nodes,
    observers,
    links: [...pairs.values()].sort((x, y) => x.a - y.a || x.b - y.b),
    plantedSharedPrefix: world.plantedSharedPrefix,
    sharedPrefixGroups: [...byPrefix.entries()]
      .filter(([, v]) => v.length > 1)
      .sort(([x], [y]) => (x < y ? -1 : 1))
      .map(([prefix, v]) => ({ prefix, nodes: v })),
    channels: sim.channels.map((c) => ({
      name: c.name,
      keyHex: Buffer.from(c.key).toString('hex'),
      known: c.known,
    })),
    carriedLinks: sim.carriedLinks()?.map(([a, b, uploads]) => ({ a, b, uploads })) ?? null,
    heardAdvertisers: sim.heardAdvertisers(),
    counts: sim.getCounts(),
    sentByType: sim.sentByType(),
    bestPaths: sim.bestPathTruth(), // t1
    transmissionRelays: sim.transmissionRelays().map((t) => ({
      hash: contentHash(t.raw),
      route: t.route,
      payloadType: t.payloadType,
      firstRxMs: t.firstRxMs,
      relays: t.relays,
    })),
    plantedBridge: world.plantedBridge,
    cutVertices: trueCutVertices(world),
  };
}
