// The static network: nodes (identities, roles, positions, firmware settings, clocks), observers,
// and the radio links between them. Built once per scenario from its own PRNG stream, so the
// world is the same for a seed however much traffic is drawn from it.
import type { ScenarioConfig } from './config.js';
import { drawIdentity, type Identity } from './keys.js';
import { makeName, type NameRole } from './names.js';
import { Prng } from './prng.js';
import { haversineKm, isUsableLink, meanRssiDbm, SHADOWING_SIGMA_DB } from './radio.js';

export type Role = NameRole;
/** Advert flag type nibble per role (spec packet-format §5.4). */
export const ROLE_TYPE: Record<Role, number> = { companion: 1, repeater: 2, room: 3, sensor: 4 };

export type ClockKind = 'ok' | 'offset' | 'drift' | 'reset';

export interface NodeClock {
  kind: ClockKind;
  /** Clock error at the scenario start, ms (node time − true time). */
  offsetMs: number;
  /** Rate error, parts per million (positive = runs fast). */
  driftPpm: number;
}

export interface SimNode {
  index: number;
  id: Identity;
  name: string;
  role: Role;
  region: number;
  /** True position (also advertised when `gps` is 'real'). */
  lat: number;
  lon: number;
  gps: 'real' | 'none' | 'zero';
  /** Firmware path-hash size setting: bytes per hop in the floods this node originates (spec §4). */
  hashSize: 1 | 2 | 3;
  /** Repeats floods and direct packets addressed through it. */
  relays: boolean;
  /** A repeater that never advertises (seen only as a hop). */
  relayOnly: boolean;
  clock: NodeClock;
  txPowerDbm: number;
  /** Antenna + height gain, dB: hilltop repeaters hear far, pocket companions don't. */
  gainDb: number;
  noiseFloorDbm: number;
  /** Index into `World.observers`, or -1. */
  observer: number;
}

export interface SimObserver {
  index: number;
  node: number;
  iata: string;
  name: string;
  radio: string;
  model: string;
  firmware: string;
  clientVersion: string;
  /** Offset of the `timestamp` this observer uploads, ms (its clock − true time). */
  clockOffsetMs: number;
  /** Uploads zone-less ISO times (Python `isoformat()`), spec analytics §6.7. */
  naiveTimestamps: boolean;
  /** Mean delay between reception and the broker receiving the upload, ms. */
  uploadDelayMeanMs: number;
  lowercaseHex: boolean;
  sendsScore: boolean;
}

/** Adjacency in CSR form: node i's outgoing links are [linkStart[i], linkStart[i+1]). */
export interface Links {
  linkStart: Int32Array;
  linkTo: Int32Array;
  /** Mean SNR at the receiver, dB. */
  linkSnr: Float32Array;
  linkKm: Float32Array;
}

export interface World {
  config: ScenarioConfig;
  nodes: SimNode[];
  observers: SimObserver[];
  links: Links;
  /** Planted repeater pairs sharing a first public-key byte: [nodeA, nodeB]. */
  plantedSharedPrefix: [number, number][];
  /** t3: the planted bridge repeater (config plantBridge), else null. */
  plantedBridge: number | null;
}

/** t3: a link added by hand (both directions, this SNR at either end). */
interface PlantedLink {
  a: number;
  b: number;
  snr: number;
}

/**
 * t3: the bridge repeater and its links to region 1 (see ScenarioConfig.plantBridge): the
 * best-connected region-0 repeater gets two-way links to the three best-connected region-1
 * repeaters, so every path between the regions crosses it.
 */
function plantBridge(
  cfg: ScenarioConfig,
  nodes: SimNode[],
  links: Links,
): { bridge: number | null; links: PlantedLink[] } {
  if (!cfg.plantBridge || cfg.regions.length < 2) return { bridge: null, links: [] };
  const degree = (n: SimNode) => links.linkStart[n.index + 1] - links.linkStart[n.index];
  const byDegree = (region: number) =>
    nodes
      .filter((n) => n.region === region && n.role === 'repeater' && !n.relayOnly)
      .sort((x, y) => degree(y) - degree(x) || x.index - y.index);
  const near = byDegree(0);
  const far = byDegree(1);
  if (near.length === 0 || far.length < 3) return { bridge: null, links: [] };
  const bridge = near[0];
  return {
    bridge: bridge.index,
    links: far.slice(0, 3).map((t) => ({ a: bridge.index, b: t.index, snr: 8 })),
  };
}

/** t3: `links` plus two-way planted links (CSR rebuilt). */
function withPlantedLinks(nodes: SimNode[], links: Links, planted: PlantedLink[]): Links {
  if (planted.length === 0) return links;
  const n = nodes.length;
  const extra: { from: number; to: number; snr: number; km: number }[] = [];
  for (const { a, b, snr } of planted) {
    const km = haversineKm(nodes[a].lat, nodes[a].lon, nodes[b].lat, nodes[b].lon);
    extra.push({ from: a, to: b, snr, km }, { from: b, to: a, snr, km });
  }
  const linkStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) linkStart[i + 1] = links.linkStart[i + 1] - links.linkStart[i];
  for (const e of extra) linkStart[e.from + 1]++;
  for (let i = 0; i < n; i++) linkStart[i + 1] += linkStart[i];
  const total = linkStart[n];
  const linkTo = new Int32Array(total);
  const linkSnr = new Float32Array(total);
  const linkKm = new Float32Array(total);
  const fill = linkStart.slice(0, n);
  for (let i = 0; i < n; i++) {
    for (let p = links.linkStart[i]; p < links.linkStart[i + 1]; p++) {
      const at = fill[i]++;
      linkTo[at] = links.linkTo[p];
      linkSnr[at] = links.linkSnr[p];
      linkKm[at] = links.linkKm[p];
    }
  }
  for (const e of extra) {
    const at = fill[e.from]++;
    linkTo[at] = e.to;
    linkSnr[at] = e.snr;
    linkKm[at] = e.km;
  }
  return { linkStart, linkTo, linkSnr, linkKm };
}

/** 2023-01-01T00:00:00Z: the default epoch a MeshCore node without RTC backup restarts at. */
export const RESET_EPOCH_MS = Date.UTC(2023, 0, 1);

const MODELS = ['Heltec V3', 'RAK4631', 'Heltec T114', 'Station G2', 'Xiao S3 WIO', 'LilyGo T3S3'];
const FIRMWARE = ['1.12.0', '1.14.1', '1.15.0', '1.16.0', '1.17.1'];
const CLIENTS = [
  'meshcoretomqtt/1.0.8.0',
  'meshcoretomqtt/1.1.2',
  'pyMC_repeater/1.0.4',
  'meshcore-dev/meshcore-ha',
  'meshcore-packet-capture/1.2',
];

function drawRole(rng: Prng, mix: ScenarioConfig['roleMix']): Role {
  const roles: Role[] = ['repeater', 'companion', 'room', 'sensor'];
  return roles[rng.weighted([mix.repeater, mix.companion, mix.room, mix.sensor])];
}

function drawClock(rng: Prng, cfg: ScenarioConfig): NodeClock {
  const m = cfg.clockMix;
  const kind = (['ok', 'offset', 'drift', 'reset'] as const)[
    rng.weighted([m.ok, m.offset, m.drift, m.reset])
  ];
  switch (kind) {
    case 'ok':
      return { kind, offsetMs: Math.round(rng.normal() * 1500), driftPpm: 0 };
    case 'offset': {
      // Minutes to hours off: a wrong time zone, or a clock set by hand.
      const mag = rng.chance(0.5) ? rng.range(60_000, 3_600_000) : rng.range(3_600_000, 12 * 3_600_000);
      return { kind, offsetMs: Math.round(rng.chance(0.5) ? mag : -mag), driftPpm: 0 };
    }
    case 'drift':
      return {
        kind,
        offsetMs: Math.round(rng.normal() * 5000),
        driftPpm: Math.round((rng.chance(0.5) ? 1 : -1) * rng.range(20, 250)),
      };
    case 'reset': {
      // Booted some hours before the scenario with no RTC: its clock restarted at RESET_EPOCH_MS.
      const bootMs = cfg.startMs - Math.round(rng.range(1, 400) * 3_600_000);
      return { kind, offsetMs: RESET_EPOCH_MS - bootMs, driftPpm: 0 };
    }
  }
}

/** Node time for a true time (ms), per the node's clock model. */
export function nodeClockMs(node: SimNode, trueMs: number, startMs: number): number {
  const c = node.clock;
  return trueMs + c.offsetMs + ((trueMs - startMs) * c.driftPpm) / 1e6;
}

/**
 * Regions keep the density of a ~150-node region whatever the scale: the configured spread holds
 * up to that many nodes and grows with the square root beyond, so that neighbour counts (and so
 * copies per observer) stay realistic at 2,600 nodes.
 */
const NODES_AT_CONFIGURED_SPREAD = 150;

function regionSpreadKm(cfg: ScenarioConfig, region: number): number {
  const total = cfg.regions.reduce((a, r) => a + r.weight, 0);
  const expected = (cfg.nodeCount * cfg.regions[region].weight) / total;
  return cfg.regions[region].spreadKm * Math.sqrt(Math.max(1, expected / NODES_AT_CONFIGURED_SPREAD));
}

function place(rng: Prng, cfg: ScenarioConfig, region: number): [number, number] {
  const r = { ...cfg.regions[region], spreadKm: regionSpreadKm(cfg, region) };
  // Nodes gather around a few towns inside each region.
  const town = rng.int(4);
  const townRng = new Prng(cfg.seed ^ (region * 131 + town * 7919), 99);
  const tx = townRng.normal() * r.spreadKm * 0.8;
  const ty = townRng.normal() * r.spreadKm * 0.8;
  const dx = tx + rng.normal() * r.spreadKm * 0.45;
  const dy = ty + rng.normal() * r.spreadKm * 0.45;
  const lat = r.lat + dy / 111.2;
  const lon = r.lon + dx / (111.2 * Math.cos((r.lat * Math.PI) / 180));
  return [Math.round(lat * 1e6) / 1e6, Math.round(lon * 1e6) / 1e6];
}

function makeNodes(rng: Prng, cfg: ScenarioConfig): SimNode[] {
  const regionWeights = cfg.regions.map((r) => r.weight);
  const nodes: SimNode[] = [];
  const usedNames = new Set<string>();
  for (let i = 0; i < cfg.nodeCount; i++) {
    const role = drawRole(rng, cfg.roleMix);
    const region = rng.weighted(regionWeights);
    const [lat, lon] = place(rng, cfg, region);
    let name = makeName(rng, role);
    while (usedNames.has(name)) name = `${name.slice(0, 18)} ${1 + rng.int(99)}`;
    usedNames.add(name);
    const noGps = role !== 'repeater' && rng.chance(cfg.noGpsFraction);
    const gps = noGps ? (rng.chance(cfg.zeroGpsFraction) ? 'zero' : 'none') : 'real';
    const hashSize = (1 + rng.weighted(cfg.hashSizeMix)) as 1 | 2 | 3;
    const relays = role === 'repeater';
    nodes.push({
      index: i,
      id: drawIdentity(rng),
      name,
      role,
      region,
      lat,
      lon,
      gps,
      hashSize,
      relays,
      relayOnly: relays && rng.chance(cfg.relayOnlyFraction),
      clock: drawClock(rng, cfg),
      txPowerDbm: role === 'repeater' || role === 'room' ? 22 : rng.pick([20, 22, 14]),
      gainDb: role === 'repeater' ? rng.range(6, 14) : role === 'room' ? rng.range(3, 10) : rng.range(-4, 4),
      noiseFloorDbm: Math.round(-118 + rng.normal() * 3),
      observer: -1,
    });
  }
  return nodes;
}

/** Plants repeater pairs in each region whose keys share the first byte (hop-prefix collisions). */
function plantSharedPrefixes(rng: Prng, cfg: ScenarioConfig, nodes: SimNode[]): [number, number][] {
  const planted: [number, number][] = [];
  for (let region = 0; region < cfg.regions.length; region++) {
    const reps = nodes.filter((n) => n.region === region && n.role === 'repeater' && !n.relayOnly);
    for (let k = 0; k < cfg.sharedPrefixPairsPerRegion && reps.length >= 2 * (k + 1); k++) {
      // The nearest other repeater: a collision between neighbours is the one that confuses
      // hop resolution (spec analytics §4.3 "local" collisions).
      const a = reps[2 * k];
      const b = reps
        .filter((r) => r !== a && !planted.some(([x, y]) => x === r.index || y === r.index))
        .reduce((best, r) =>
          haversineKm(a.lat, a.lon, r.lat, r.lon) < haversineKm(a.lat, a.lon, best.lat, best.lon) ? r : best,
        );
      b.id = drawIdentity(rng, a.id.publicKey[0]);
      a.hashSize = 1;
      b.hashSize = 1;
      planted.push([a.index, b.index]);
    }
  }
  return planted;
}

function makeObservers(rng: Prng, cfg: ScenarioConfig, nodes: SimNode[]): SimObserver[] {
  const observers: SimObserver[] = [];
  const repeaters = nodes.filter((n) => n.role === 'repeater' && !n.relayOnly);
  const companions = nodes.filter((n) => n.role === 'companion');
  for (let k = 0; k < cfg.observerCount; k++) {
    const wantRepeater = rng.chance(cfg.observerRepeaterFraction);
    const pool = (wantRepeater ? repeaters : companions).filter((n) => n.observer < 0);
    if (pool.length === 0) break;
    const node = rng.pick(pool);
    // Observers are rooftop installations even when the radio is a companion.
    node.gainDb = Math.max(node.gainDb, rng.range(2, 8));
    node.observer = observers.length;
    const skewed = rng.chance(cfg.observerClockSkewFraction);
    const naive = skewed && rng.chance(0.5);
    const client = rng.pick(CLIENTS);
    observers.push({
      index: observers.length,
      node: node.index,
      iata: cfg.regions[node.region].iata,
      name: node.role === 'repeater' ? node.name : `${node.name.slice(0, 20)} Obs`,
      radio: cfg.regions[node.region].radio,
      model: rng.pick(MODELS),
      firmware: rng.pick(FIRMWARE),
      clientVersion: client,
      // A naive uploader in a US time zone is whole hours behind UTC (spec analytics §6.7).
      clockOffsetMs: naive
        ? -rng.pick([7, 8]) * 3_600_000
        : skewed
          ? Math.round(rng.range(-120_000, 120_000))
          : Math.round(rng.normal() * 200),
      naiveTimestamps: naive,
      uploadDelayMeanMs: rng.chance(cfg.observerSlowUploadFraction)
        ? rng.range(2000, 15000)
        : rng.range(40, 600),
      lowercaseHex: rng.chance(0.3),
      sendsScore: client.startsWith('pyMC'),
    });
  }
  return observers;
}

function buildLinks(rng: Prng, nodes: SimNode[]): { links: Links } {
  const n = nodes.length;
  const out: { to: number; snr: number; km: number }[][] = nodes.map(() => []);
  for (let i = 0; i < n; i++) {
    const a = nodes[i];
    for (let j = i + 1; j < n; j++) {
      const b = nodes[j];
      if (Math.abs(a.lat - b.lat) > 0.9 || Math.abs(a.lon - b.lon) > 1.3) continue;
      const km = haversineKm(a.lat, a.lon, b.lat, b.lon);
      const shadow = rng.normal() * SHADOWING_SIGMA_DB;
      const rx = meanRssiDbm(0, a.gainDb + b.gainDb, km) + shadow;
      const snrAtB = rx + a.txPowerDbm - b.noiseFloorDbm;
      const snrAtA = rx + b.txPowerDbm - a.noiseFloorDbm;
      if (isUsableLink(snrAtB)) out[i].push({ to: j, snr: snrAtB, km });
      if (isUsableLink(snrAtA)) out[j].push({ to: i, snr: snrAtA, km });
    }
  }
  const linkStart = new Int32Array(n + 1);
  let total = 0;
  for (let i = 0; i < n; i++) {
    linkStart[i] = total;
    total += out[i].length;
  }
  linkStart[n] = total;
  const linkTo = new Int32Array(total);
  const linkSnr = new Float32Array(total);
  const linkKm = new Float32Array(total);
  for (let i = 0; i < n; i++) {
    let p = linkStart[i];
    for (const l of out[i]) {
      linkTo[p] = l.to;
      linkSnr[p] = l.snr;
      linkKm[p] = l.km;
      p++;
    }
  }
  return { links: { linkStart, linkTo, linkSnr, linkKm } };
}

export function buildWorld(cfg: ScenarioConfig): World {
  const rng = new Prng(cfg.seed, 1);
  const nodes = makeNodes(rng, cfg);
  const plantedSharedPrefix = plantSharedPrefixes(rng, cfg, nodes);
  const observers = makeObservers(rng, cfg, nodes);
  const { links: natural } = buildLinks(rng, nodes);
  const bridge = plantBridge(cfg, nodes, natural); // t3
  const links = withPlantedLinks(nodes, natural, bridge.links);
  return { config: cfg, nodes, observers, links, plantedSharedPrefix, plantedBridge: bridge.bridge };
}
