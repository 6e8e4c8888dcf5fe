// The simulator: a pull-based, deterministic stream of observer messages in broker-arrival
// order. Activities (adverts, chatter, status heartbeats) are drawn from an event queue in time
// order; each activity's receptions go into an output heap, and a message leaves the heap only
// once no later activity can produce an earlier one (every reception happens after its
// activity starts, so anything at or before the next activity's start time is final).
import { makeChannels, type SimChannel } from './channels.js';
import type { ScenarioConfig } from './config.js';
import { TimeHeap } from './heap.js';
import {
  packetMessage,
  packetTopic,
  statusTopic,
  type SimMessage,
  type SimStatusMessage,
} from './messages.js';
import { Prng } from './prng.js';
import { Propagator, type Reception } from './propagation.js';
import { Traffic, type SentInfo } from './traffic.js';
import { buildWorld, type SimNode, type World } from './world.js';

type Activity = 'groupText' | 'message' | 'request' | 'login' | 'trace' | 'discover';

type Event =
  | { kind: 'floodAdvert' | 'localAdvert'; node: number }
  | { kind: 'activity'; activity: Activity }
  | { kind: 'status'; observer: number }
  | { kind: 'expirePaths' };

interface Pending {
  r: Reception;
  rxMs: number;
}

/** Counts of what the stream has yielded so far (the ground truth's `counts`). */
export interface SimCounts {
  packetMessages: number;
  statusMessages: number;
  /** Packet messages repeating an (observer, transmission, path) already yielded. */
  duplicateMessages: number;
  /** Distinct transmissions (content hashes) among yielded packets. */
  transmissions: number;
  /** Distinct (transmission, observer, path) observations: packetMessages − duplicateMessages. */
  observations: number;
  transmissionsByType: Record<number, number>;
  observationsByType: Record<number, number>;
  /** Nodes whose adverts were yielded at least once. */
  advertisingNodes: number;
  /** Observers that yielded at least one message. */
  activeObservers: number;
  firstRxMs: number | null;
  lastRxMs: number | null;
}

const HOUR_MS = 3_600_000;

export class Simulator implements Iterable<SimMessage> {
  readonly config: ScenarioConfig;
  readonly world: World;
  readonly channels: SimChannel[];
  private readonly rng: Prng;
  private readonly prop: Propagator;
  private readonly traffic: Traffic;
  private readonly events = new TimeHeap<Event>();
  private readonly output = new TimeHeap<Pending | SimStatusMessage>();
  private readonly endMs: number;
  private readonly companionsByRegion: SimNode[][];
  private readonly serversByRegion: SimNode[][];
  private readonly companions: SimNode[];
  /** Per companion: the few people it messages and the servers it uses (users have habits). */
  private readonly contacts = new Map<number, SimNode[]>();
  private readonly favouriteServers = new Map<number, SimNode[]>();
  private readonly topics: string[];
  private readonly receivedByObserver: Int32Array;
  private readonly seenTx = new Set<number>();
  private readonly advertisers = new Set<number>();
  private readonly activeObservers = new Set<number>();
  private readonly advertiserIndex = new Map<string, number>();
  /** t3: per yielded transmission (txKey): its frame, first yield and the union of real relays. */
  private readonly relayTruth = new Map<
    number,
    { raw: string; route: number; payloadType: number; firstRxMs: number; relays: Set<number> }
  >();
  private readonly counts: SimCounts = {
    packetMessages: 0,
    statusMessages: 0,
    duplicateMessages: 0,
    transmissions: 0,
    observations: 0,
    transmissionsByType: {},
    observationsByType: {},
    advertisingNodes: 0,
    activeObservers: 0,
    firstRxMs: null,
    lastRxMs: null,
  };

  constructor(config: ScenarioConfig) {
    this.config = config;
    this.world = buildWorld(config);
    this.rng = new Prng(config.seed, 2);
    this.channels = makeChannels(new Prng(config.seed, 3));
    this.prop = new Propagator(this.world, this.rng, (r) => this.receive(r));
    this.traffic = new Traffic(this.world, this.rng, this.prop, this.channels);
    this.endMs = config.startMs + config.durationMs;
    const nodes = this.world.nodes;
    const regions = config.regions.map((_, i) => i);
    this.companions = nodes.filter((n) => n.role === 'companion');
    this.companionsByRegion = regions.map((r) => this.companions.filter((n) => n.region === r));
    this.serversByRegion = regions.map((r) =>
      nodes.filter((n) => n.region === r && (n.role === 'repeater' || n.role === 'room')),
    );
    this.topics = this.world.observers.map((o) => packetTopic(o, nodes[o.node]));
    this.receivedByObserver = new Int32Array(this.world.observers.length);
    for (const n of nodes) this.advertiserIndex.set(n.id.publicHex, n.index);
    const habits = new Prng(config.seed, 4);
    for (const c of this.companions) {
      const peers = this.companionsByRegion[c.region].filter((p) => p !== c);
      const servers = this.serversByRegion[c.region];
      this.contacts.set(c.index, peers.length ? Array.from({ length: 4 }, () => habits.pick(peers)) : []);
      this.favouriteServers.set(
        c.index,
        servers.length ? Array.from({ length: 2 }, () => habits.pick(servers)) : [],
      );
    }
    this.schedule();
  }

  /** Called with every frame an activity originates (tests use it to check plaintexts). */
  set onSend(fn: ((info: SentInfo) => void) | null) {
    this.traffic.onSend = fn;
  }

  private schedule(): void {
    const { startMs, traffic: t } = this.config;
    for (const n of this.world.nodes) {
      if (n.relayOnly) continue;
      const floodMean = t.floodAdvertIntervalH[n.role] * HOUR_MS;
      this.events.push(startMs + this.rng.next() * floodMean, { kind: 'floodAdvert', node: n.index });
      if (n.role === 'repeater' || n.role === 'room') {
        this.events.push(startMs + this.rng.next() * t.zeroHopAdvertIntervalH * HOUR_MS, {
          kind: 'localAdvert',
          node: n.index,
        });
      }
    }
    for (const activity of ['groupText', 'message', 'request', 'login', 'trace', 'discover'] as Activity[]) {
      this.events.push(startMs + this.rng.exp(this.activityMeanMs(activity)), { kind: 'activity', activity });
    }
    for (const o of this.world.observers) {
      this.events.push(startMs + this.rng.next() * this.config.statusIntervalMs, {
        kind: 'status',
        observer: o.index,
      });
    }
    this.events.push(startMs + HOUR_MS, { kind: 'expirePaths' });
  }

  /** Mean gap between network-wide occurrences of an activity, ms. */
  private activityMeanMs(a: Activity): number {
    const t = this.config.traffic;
    const perNodeH = {
      groupText: t.groupTextPerNodeH,
      message: t.directMessagePerNodeH,
      request: t.requestPerNodeH,
      login: t.anonRequestPerNodeH,
      trace: t.tracePerNodeH,
      discover: t.discoverPerNodeH,
    }[a];
    return HOUR_MS / Math.max(1e-9, perNodeH * Math.max(1, this.companions.length));
  }

  private receive(r: Reception): void {
    const obs = this.world.observers[r.observer];
    this.receivedByObserver[r.observer]++;
    // Upload latency: a floor for the network round trip plus an exponential tail.
    const rxMs = Math.round(r.arrivalMs + 20 + this.rng.exp(obs.uploadDelayMeanMs));
    this.output.push(rxMs, { r, rxMs });
  }

  private runEvent(ev: Event, atMs: number): void {
    const nodes = this.world.nodes;
    const t = this.config.traffic;
    switch (ev.kind) {
      case 'floodAdvert':
      case 'localAdvert': {
        const node = nodes[ev.node];
        const flood = ev.kind === 'floodAdvert';
        this.traffic.advert(node, atMs, flood);
        const meanMs = (flood ? t.floodAdvertIntervalH[node.role] : t.zeroHopAdvertIntervalH) * HOUR_MS;
        this.events.push(atMs + meanMs * (0.8 + 0.4 * this.rng.next()), ev);
        return;
      }
      case 'activity':
        this.runActivity(ev.activity, atMs);
        this.events.push(atMs + this.rng.exp(this.activityMeanMs(ev.activity)), ev);
        return;
      case 'status':
        this.output.push(Math.round(atMs), this.statusMessage(ev.observer, Math.round(atMs)));
        this.events.push(atMs + this.config.statusIntervalMs * (0.95 + 0.1 * this.rng.next()), ev);
        return;
      case 'expirePaths':
        this.traffic.expirePaths(0.02);
        this.events.push(atMs + HOUR_MS, ev);
        return;
    }
  }

  private runActivity(activity: Activity, atMs: number): void {
    if (this.companions.length === 0) return;
    const a = this.rng.pick(this.companions);
    switch (activity) {
      case 'groupText':
        return this.traffic.groupText(a, atMs);
      case 'message': {
        const peers = this.contacts.get(a.index)!;
        if (peers.length > 0) this.traffic.exchange('message', a, this.rng.pick(peers), atMs);
        return;
      }
      case 'request':
      case 'login': {
        const servers = this.favouriteServers.get(a.index)!;
        if (servers.length > 0) this.traffic.exchange(activity, a, this.rng.pick(servers), atMs);
        return;
      }
      case 'trace':
        return this.traffic.trace(a, atMs);
      case 'discover':
        return this.traffic.discover(a, atMs);
    }
  }

  private statusMessage(index: number, atMs: number): SimStatusMessage {
    const obs = this.world.observers[index];
    const node = this.world.nodes[obs.node];
    const uptime = Math.floor((atMs - this.config.startMs) / 1000) + 3600 * (1 + (index % 50));
    const recv = this.receivedByObserver[index];
    return {
      kind: 'status',
      topic: statusTopic(obs, node),
      rxMs: atMs,
      observer: index,
      payload: {
        status: 'online',
        origin: obs.name,
        origin_id: node.id.publicHex,
        radio: obs.radio,
        model: obs.model,
        firmware_version: obs.firmware,
        client_version: obs.clientVersion,
        stats: {
          battery_mv: 3700 + this.rng.int(500),
          uptime_secs: uptime,
          noise_floor: node.noiseFloorDbm + this.rng.int(3) - 1,
          tx_air_secs: Math.floor(recv * 0.02),
          rx_air_secs: Math.floor(recv * 0.25),
          recv_errors: Math.floor(recv * 0.05),
          packets_sent: Math.floor(recv * 0.1),
          packets_recv: recv,
        },
        repeat: node.relays,
      },
    };
  }

  /** The next message in broker-arrival order, or null when the scenario is over. */
  next(): SimMessage | null {
    while (this.events.peekTime() < this.endMs && this.output.peekTime() > this.events.peekTime()) {
      const at = this.events.peekTime();
      this.runEvent(this.events.pop()!, at);
    }
    const item = this.output.pop();
    if (!item) return null;
    const msg = 'kind' in item ? item : this.packet(item);
    this.count(msg);
    return msg;
  }

  // t1:
  /** Per heard transmission (txKey): its best observation's path, if `recordPathTruth`. */
  private readonly bestPaths = new Map<number, { relays: readonly number[]; hopWidth: number }>();

  /**
   * The best path of every heard transmission, in first-heard order: the longest observed path,
   * the first yielded on ties, as the server's "best observation" (spec analytics §0) over the
   * observations it stores (duplicates of an observer's (tx, path) are not new observations).
   * Empty unless the scenario set `recordPathTruth`.
   */
  bestPathTruth(): Array<{ relays: number[]; hopWidth: number }> {
    return [...this.bestPaths.values()].map((p) => ({ relays: [...p.relays], hopWidth: p.hopWidth }));
  }

  private packet(p: Pending): SimMessage {
    if (this.config.recordPathTruth && !p.r.duplicate) {
      const cur = this.bestPaths.get(p.r.txKey);
      if (!cur || p.r.relays.length > cur.relays.length)
        this.bestPaths.set(p.r.txKey, { relays: p.r.relays, hopWidth: p.r.hopWidth });
    }
    const obs = this.world.observers[p.r.observer];
    return packetMessage(p.r, obs, this.world.nodes[obs.node], this.topics[obs.index], p.rxMs);
  }

  private count(msg: SimMessage): void {
    const c = this.counts;
    c.firstRxMs ??= msg.rxMs;
    c.lastRxMs = msg.rxMs;
    if (!this.activeObservers.has(msg.observer)) {
      this.activeObservers.add(msg.observer);
      c.activeObservers++;
    }
    if (msg.kind === 'status') {
      c.statusMessages++;
      return;
    }
    c.packetMessages++;
    this.noteRelays(msg);
    if (msg.duplicate) c.duplicateMessages++;
    else {
      c.observations++;
      c.observationsByType[msg.payloadType] = (c.observationsByType[msg.payloadType] ?? 0) + 1;
    }
    if (!this.seenTx.has(msg.txKey)) {
      this.seenTx.add(msg.txKey);
      c.transmissions++;
      c.transmissionsByType[msg.payloadType] = (c.transmissionsByType[msg.payloadType] ?? 0) + 1;
      if (msg.payloadType === 4) this.noteAdvertiser(msg.payload.raw);
    }
  }

  private noteAdvertiser(raw: string): void {
    // The advertiser's key is the first 32 payload bytes; find it by the node index we encoded.
    const key = this.advertiserIndex.get(advertKeyOf(raw));
    if (key !== undefined && !this.advertisers.has(key)) {
      this.advertisers.add(key);
      this.counts.advertisingNodes++;
    }
  }

  /** t3: the union of the real relays of every yielded copy of a transmission. */
  private noteRelays(msg: SimMessage & { kind: 'packet' }): void {
    let t = this.relayTruth.get(msg.txKey);
    if (!t) {
      t = {
        raw: msg.payload.raw,
        route: msg.route,
        payloadType: msg.payloadType,
        firstRxMs: msg.rxMs,
        relays: new Set(),
      };
      this.relayTruth.set(msg.txKey, t);
    }
    for (const v of msg.relayed) t.relays.add(v);
  }

  /** t3: per yielded transmission, its raw frame (first copy), route, type, first yield and real relays. */
  transmissionRelays(): {
    raw: string;
    route: number;
    payloadType: number;
    firstRxMs: number;
    relays: number[];
  }[] {
    return [...this.relayTruth.values()].map((t) => ({
      raw: t.raw,
      route: t.route,
      payloadType: t.payloadType,
      firstRxMs: t.firstRxMs,
      relays: [...t.relays].sort((x, y) => x - y),
    }));
  }

  /** A snapshot of the counts so far. */
  getCounts(): SimCounts {
    return structuredClone(this.counts);
  }

  /** Node indices heard advertising so far. */
  /**
   * t2: from now on, record the links of every uploaded path (ground truth of the neighbour
   * graph: `groundTruth(sim).carriedLinks`). Call before iterating; off by default (it costs a
   * map update per link per upload).
   */
  trackCarriedLinks(): void {
    this.prop.carried ??= new Map();
  }

  /** t2: the links recorded since `trackCarriedLinks()`, as [a, b, uploads] with a < b; null if off. */
  carriedLinks(): Array<[number, number, number]> | null {
    const carried = this.prop.carried;
    if (carried === null) return null;
    const n = this.world.nodes.length;
    return [...carried.entries()]
      .map(([key, c]): [number, number, number] => [Math.floor(key / n), key % n, c])
      .sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  }

  heardAdvertisers(): number[] {
    return [...this.advertisers].sort((x, y) => x - y);
  }

  /** Originated frames by payload type (including those no observer heard). */
  sentByType(): Record<number, number> {
    return Object.fromEntries(this.traffic.sentByType);
  }

  [Symbol.iterator](): Iterator<SimMessage> {
    return {
      next: () => {
        const m = this.next();
        return m ? { value: m, done: false } : { value: undefined, done: true };
      },
    };
  }
}

/** The advertiser's public key (uppercase hex) from an ADVERT frame's raw hex. */
export function advertKeyOf(raw: string): string {
  const b0 = parseInt(raw.slice(0, 2), 16);
  const route = b0 & 3;
  let off = route === 0 || route === 3 ? 10 : 2;
  const pb = parseInt(raw.slice(off, off + 2), 16);
  off += 2 + 2 * ((pb >> 6) + 1) * (pb & 0x3f);
  return raw.slice(off, off + 64).toUpperCase();
}
