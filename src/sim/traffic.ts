// What the simulated users and devices do: adverts, channel chatter, direct messages with
// path learning (flood first, then DIRECT along the returned path), requests, logins, traces
// and neighbour discovery. Each activity builds real frames and hands them to the Propagator.
import { signMessage } from './keys.js';
import { makeMessage } from './names.js';
import type { Prng } from './prng.js';
import type { SimChannel } from './channels.js';
import {
  ackPayload,
  advertAppData,
  advertPayload,
  anonRequestPayload,
  discoverRequestPayload,
  discoverResponsePayload,
  groupTextPayload,
  PayloadType,
  peerPayload,
  regionTransportCode,
  Route,
  toHex,
  tracePayload,
  transportHex,
} from './frames.js';
import type { Propagator, TxFrame } from './propagation.js';
import { nodeClockMs, ROLE_TYPE, type SimNode, type World } from './world.js';

/** What a test needs to check a frame against its plaintext. */
export interface SentInfo {
  frame: TxFrame;
  atMs: number;
  channel?: SimChannel;
  text?: string;
  senderTimestampSec?: number;
}

type Exchange = 'message' | 'request' | 'login';

const REQUEST_TYPE: Record<Exchange, number> = {
  message: PayloadType.TXT_MSG,
  request: PayloadType.REQ,
  login: PayloadType.ANON_REQ,
};

interface LearnedPath {
  relays: number[];
  hashSize: number;
}

export class Traffic {
  private seq = 0;
  private readonly pathCache = new Map<number, LearnedPath>();
  readonly sentByType = new Map<number, number>();
  onSend: ((info: SentInfo) => void) | null = null;

  constructor(
    private readonly world: World,
    private readonly rng: Prng,
    private readonly prop: Propagator,
    private readonly channels: SimChannel[],
  ) {}

  get transmissionsSent(): number {
    return this.seq;
  }

  private frame(
    origin: SimNode,
    type: number,
    route: number,
    payload: Uint8Array,
    hashSize: number,
  ): TxFrame {
    this.sentByType.set(type, (this.sentByType.get(type) ?? 0) + 1);
    return {
      seq: this.seq++,
      type,
      route,
      transportHex: '',
      payloadHex: toHex(payload),
      payloadLen: payload.length,
      hashSize,
      origin: origin.index,
    };
  }

  private clockSec(node: SimNode, atMs: number): number {
    return Math.floor(nodeClockMs(node, atMs, this.world.config.startMs) / 1000) >>> 0;
  }

  private sent(info: SentInfo): void {
    this.onSend?.(info);
  }

  /** A signed advert (spec §5.4, §7): flooded, or zero-hop DIRECT for the local neighbourhood. */
  advert(node: SimNode, atMs: number, flood: boolean): void {
    const location: [number, number] | null =
      node.gps === 'real' ? [node.lat, node.lon] : node.gps === 'zero' ? [0, 0] : null;
    const appData = advertAppData({ roleType: ROLE_TYPE[node.role], location, name: node.name });
    const ts = this.clockSec(node, atMs);
    const payload = advertPayload(node.id.publicKey, ts, appData, (m) => signMessage(node.id, m));
    const f = this.frame(
      node,
      PayloadType.ADVERT,
      flood ? Route.FLOOD : Route.DIRECT,
      payload,
      flood ? node.hashSize : 1,
    );
    this.sent({ frame: f, atMs, senderTimestampSec: ts });
    if (flood) this.prop.flood(f, atMs);
    else this.prop.zeroHop(f, atMs);
  }

  groupText(node: SimNode, atMs: number): void {
    const channel = this.channels[this.rng.weighted(this.channels.map((c) => c.weight))];
    const text = `${node.name}: ${makeMessage(this.rng)}`;
    const ts = this.clockSec(node, atMs);
    const payload = groupTextPayload(channel.key, ts, text);
    const scoped = this.rng.chance(0.05);
    const f = this.frame(
      node,
      PayloadType.GRP_TXT,
      scoped ? Route.TRANSPORT_FLOOD : Route.FLOOD,
      payload,
      node.hashSize,
    );
    if (scoped) {
      const region = this.world.config.regions[node.region].iata.toLowerCase();
      f.transportHex = transportHex(regionTransportCode(region, PayloadType.GRP_TXT, payload), 0);
    }
    this.sent({ frame: f, atMs, channel, text, senderTimestampSec: ts });
    this.prop.flood(f, atMs);
  }

  private requestPayload(kind: Exchange, a: SimNode, b: SimNode): Uint8Array {
    const dest = b.id.publicKey[0];
    switch (kind) {
      case 'message':
        return peerPayload(this.rng, dest, a.id.publicKey[0], 5 + 8 + this.rng.int(60));
      case 'request':
        return peerPayload(this.rng, dest, a.id.publicKey[0], 5 + this.rng.int(10));
      case 'login':
        return anonRequestPayload(this.rng, dest, a.id.publicKey, 8 + 4 + this.rng.int(12));
    }
  }

  /** The reply that travels back DIRECT: an ACK for a message, a RESPONSE otherwise. */
  private replyFrame(kind: Exchange, a: SimNode, b: SimNode, hashSize: number): TxFrame {
    if (kind === 'message') {
      return this.frame(
        b,
        PayloadType.ACK,
        Route.DIRECT,
        ackPayload(this.rng, this.rng.chance(0.6)),
        hashSize,
      );
    }
    const payload = peerPayload(this.rng, a.id.publicKey[0], b.id.publicKey[0], 4 + 8 + this.rng.int(90));
    return this.frame(b, PayloadType.RESPONSE, Route.DIRECT, payload, hashSize);
  }

  /**
   * A request/reply between `a` and `b`. With a learned path it goes DIRECT and the reply comes
   * back along the reversed path; otherwise it floods, and `b` answers with a flooded PATH whose
   * (encrypted) content teaches both ends the route, as the firmware does.
   */
  exchange(kind: Exchange, a: SimNode, b: SimNode, atMs: number, allowDirect = true): void {
    const n = this.world.nodes.length;
    const learned = allowDirect ? this.pathCache.get(a.index * n + b.index) : undefined;
    const type = REQUEST_TYPE[kind];
    if (learned) {
      const f = this.frame(a, type, Route.DIRECT, this.requestPayload(kind, a, b), learned.hashSize);
      const arrived = this.prop.direct(f, atMs, learned.relays, b.index);
      if (Number.isNaN(arrived)) {
        this.pathCache.delete(a.index * n + b.index);
        this.exchange(kind, a, b, atMs + this.rng.range(4000, 9000), false);
        return;
      }
      const reply = this.replyFrame(kind, a, b, learned.hashSize);
      this.prop.direct(reply, arrived + this.rng.range(150, 1500), [...learned.relays].reverse(), a.index);
      return;
    }
    const f = this.frame(a, type, Route.FLOOD, this.requestPayload(kind, a, b), a.hashSize);
    const relays = this.prop.flood(f, atMs, b.index);
    if (!relays) return;
    const hs = a.hashSize;
    // PATH plaintext: path length byte, path, extra type, extra (spec §5.2).
    const extraLen = kind === 'message' ? 4 : 8 + this.rng.int(60);
    const plainLen = 1 + relays.length * hs + 1 + extraLen;
    const pathPayload = peerPayload(this.rng, a.id.publicKey[0], b.id.publicKey[0], plainLen);
    const back = this.frame(b, PayloadType.PATH, Route.FLOOD, pathPayload, b.hashSize);
    const replyAt = atMs + (relays.length + 1) * 700 + this.rng.range(200, 1500);
    if (this.prop.flood(back, replyAt, a.index)) {
      this.pathCache.set(a.index * n + b.index, { relays, hashSize: hs });
      this.pathCache.set(b.index * n + a.index, { relays: [...relays].reverse(), hashSize: hs });
    }
  }

  /** Forgets a share of learned paths, as real routes go stale and clients re-flood. */
  expirePaths(fraction: number): void {
    for (const key of this.pathCache.keys()) if (this.rng.chance(fraction)) this.pathCache.delete(key);
  }

  /** TRACE out and back along a short random walk of repeaters starting next to `a`. */
  trace(a: SimNode, atMs: number): void {
    const { linkStart, linkTo } = this.world.links;
    const nodes = this.world.nodes;
    const relayNeighbours = (v: number, exclude: Set<number>): number[] => {
      const out: number[] = [];
      for (let p = linkStart[v]; p < linkStart[v + 1]; p++) {
        const w = linkTo[p];
        if (nodes[w].relays && !exclude.has(w)) out.push(w);
      }
      return out;
    };
    const walk: number[] = [];
    const used = new Set<number>([a.index]);
    const steps = 1 + this.rng.int(3);
    let at = a.index;
    for (let k = 0; k < steps; k++) {
      const options = relayNeighbours(at, used);
      if (options.length === 0) break;
      at = this.rng.pick(options);
      used.add(at);
      walk.push(at);
    }
    if (walk.length === 0) return;
    const route = [...walk, ...walk.slice(0, -1).reverse()];
    const pathSz = a.hashSize >= 2 ? 1 : 0;
    const width = 1 << pathSz;
    const routeBytes = new Uint8Array(route.length * width);
    route.forEach((v, i) => routeBytes.set(nodes[v].id.publicKey.subarray(0, width), i * width));
    const payload = tracePayload(this.rng.u32(), this.rng.u32(), pathSz, routeBytes);
    const f = this.frame(a, PayloadType.TRACE, Route.DIRECT, payload, 1);
    this.sent({ frame: f, atMs });
    this.prop.trace(f, atMs, route, width);
  }

  /** CONTROL DISCOVER_REQ (zero-hop); each repeater that hears it answers with DISCOVER_RESP. */
  discover(a: SimNode, atMs: number): void {
    const tag = this.rng.u32();
    const req = this.frame(a, PayloadType.CONTROL, Route.DIRECT, discoverRequestPayload(1 << 2, tag, 0), 1);
    const heard: [number, number, number][] = [];
    this.prop.zeroHop(req, atMs, (v, snr, arrival) => heard.push([v, snr, arrival]));
    for (const [v, snr, arrival] of heard) {
      const node = this.world.nodes[v];
      const payload = discoverResponsePayload(
        ROLE_TYPE[node.role],
        snr,
        tag,
        node.id.publicKey,
        this.rng.chance(0.3),
      );
      const resp = this.frame(node, PayloadType.CONTROL, Route.DIRECT, payload, 1);
      this.prop.zeroHop(resp, arrival + this.rng.range(300, 3000));
    }
  }
}
