// How one transmission spreads: flooding through repeaters (each appends its hop hash, spec §4),
// source-routed DIRECT packets (each hop strips itself), TRACE (each hop appends its SNR byte)
// and zero-hop broadcasts. Every reception by an observer is handed to the sink; nothing is
// buffered here.
import { byteHex, headerByte, pathLenByte, PayloadType } from './frames.js';
import { TimeHeap } from './heap.js';
import type { Prng } from './prng.js';
import { airtimeMs, receiveSnr } from './radio.js';
import type { World } from './world.js';

/** One transmission as its originator built it; the path is added per hop. */
export interface TxFrame {
  /** Sequence number of the transmission (the simulator's own id). */
  seq: number;
  type: number;
  route: number;
  /** Two uint16 LE transport codes as hex, or '' (routes 1 and 2). */
  transportHex: string;
  payloadHex: string;
  payloadLen: number;
  /** Bytes per hop hash in the header path. */
  hashSize: number;
  origin: number;
}

export interface Reception {
  /** Identifies the content hash the server will compute (TRACE: one per hop count, spec §8). */
  txKey: number;
  frame: TxFrame;
  observer: number;
  arrivalMs: number;
  /** Header bytes up to and including the path, uppercase hex. */
  prefixHex: string;
  /** Header path (hop hashes, or TRACE SNR bytes), uppercase hex. */
  pathHex: string;
  hops: number;
  snr: number;
  rssi: number;
  /** The same observer already got this transmission with this exact path (the server upserts). */
  duplicate: boolean;
  // t1: ground truth of route patterns.
  /**
   * The nodes the stored path names, origin side first: the relays so far (flood), the relays
   * still to go (direct), the whole payload route (TRACE, whose stored path is its route).
   */
  relays: readonly number[];
  /** Bytes per hop of that path. */
  hopWidth: number;
  /**
   * t3 ground truth: the nodes that really forwarded this copy before the observer heard it, in
   * order (flood: the relays that appended themselves; DIRECT/TRACE: the hops already done).
   */
  relayed: readonly number[];
}

export type ReceptionSink = (r: Reception) => void;

interface Hop {
  node: number;
  atMs: number;
  path: number[];
  pathHex: string;
}

/** Airtime settings for the whole mesh: MeshCore US preset 62.5 kHz SF7 CR4/5. */
const BW_KHZ = 62.5;
const SF = 7;
const CR = 5;

export class Propagator {
  private readonly seenGen: Int32Array;
  private gen = 0;
  private nextTxKey = 0;
  private readonly dupSeen = new Set<string>();
  private readonly hopHex: string[][];
  /**
   * t2: when tracking (ground truth of the neighbour graph), the links of every path an observer
   * uploaded (first copy per observer and path), as far as the uploaded path reveals them:
   * key `min * n + max` -> uploads. See `chainFor`.
   */
  carried: Map<number, number> | null = null;

  constructor(
    private readonly world: World,
    private readonly rng: Prng,
    private readonly sink: ReceptionSink,
  ) {
    this.seenGen = new Int32Array(world.nodes.length);
    this.hopHex = world.nodes.map((n) => [0, 1, 2, 3].map((s) => n.id.publicHex.slice(0, 2 * s)));
  }

  get txKeysAllocated(): number {
    return this.nextTxKey;
  }

  hop(node: number, hashSize: number): string {
    return this.hopHex[node][hashSize];
  }

  private airtime(frame: TxFrame, pathBytes: number): number {
    const len = 2 + (frame.transportHex ? 4 : 0) + pathBytes + frame.payloadLen;
    return airtimeMs(len, BW_KHZ, SF, CR);
  }

  private prefix(frame: TxFrame, pathLen: number, pathHex: string): string {
    return byteHex(headerByte(frame.route, frame.type)) + frame.transportHex + byteHex(pathLen) + pathHex;
  }

  /** Delivers one broadcast by `from` to its listeners; returns the SNR at `want` (NaN if missed). */
  private broadcast(
    frame: TxFrame,
    txKey: number,
    from: number,
    atMs: number,
    pathLen: number,
    pathHex: string,
    hops: number,
    relayed: readonly number[],
    want: number,
    onRelayCandidate: ((node: number, snr: number, arrivalMs: number) => void) | undefined,
    relays: readonly number[], // t1
    hopWidth: number, // t1
    chain?: readonly number[], // t2
    chainToObserver = false, // t2
  ): number {
    // Relays that already handled this flood (seenGen == gen) ignore further copies, so their
    // receptions are not even drawn: the main saving in large floods.
    const gen = this.gen;
    const seenGen = this.seenGen;
    const { linkStart, linkTo, linkSnr } = this.world.links;
    const nodes = this.world.nodes;
    const arrival = atMs + this.airtime(frame, pathHex.length / 2);
    const prefix = this.prefix(frame, pathLen, pathHex);
    let wantSnr = NaN;
    for (let p = linkStart[from], end = linkStart[from + 1]; p < end; p++) {
      const v = linkTo[p];
      const node = nodes[v];
      const relayCandidate = onRelayCandidate !== undefined && node.relays && seenGen[v] !== gen;
      if (v === frame.origin || (node.observer < 0 && v !== want && !relayCandidate)) continue;
      const snr = receiveSnr(this.rng, linkSnr[p]);
      if (Number.isNaN(snr)) continue;
      if (node.observer >= 0) {
        const key = `${txKey}|${node.observer}|${pathHex}`;
        const duplicate = this.dupSeen.has(key);
        if (!duplicate) {
          this.dupSeen.add(key);
          if (this.carried !== null && chain !== undefined)
            this.recordCarried(chain, chainToObserver ? v : -1);
        }
        this.sink({
          txKey,
          frame,
          observer: node.observer,
          arrivalMs: arrival,
          prefixHex: prefix,
          pathHex,
          hops,
          snr,
          rssi: Math.round(node.noiseFloorDbm + snr + this.rng.normal()),
          duplicate,
          relays,
          hopWidth,
          relayed,
        });
      }
      if (v === want) wantSnr = snr;
      if (relayCandidate) onRelayCandidate(v, snr, arrival);
    }
    return wantSnr;
  }

  /** t2: counts the consecutive links of `chain` (+ the receiving observer node when >= 0). */
  private recordCarried(chain: readonly number[], observerNode: number): void {
    const carried = this.carried!;
    const n = this.world.nodes.length;
    const last = chain.length - 1;
    for (let k = 0; k <= last; k++) {
      const a = chain[k];
      const b = k < last ? chain[k + 1] : observerNode;
      if (b < 0 || a === b) continue;
      const key = a < b ? a * n + b : b * n + a;
      carried.set(key, (carried.get(key) ?? 0) + 1);
    }
  }

  /**
   * t2: the nodes an uploaded flood path reveals, in order: the originator when the frame is an
   * ADVERT (its key is in the payload; other payloads hide the sender), then the relays.
   */
  private chainFor(frame: TxFrame, path: readonly number[]): number[] {
    return frame.type === PayloadType.ADVERT ? [frame.origin, ...path] : [...path];
  }

  /**
   * Floods `frame` from its origin at `startMs`. Each repeater relays the first copy it hears,
   * once, after a random backoff, appending its `hashSize`-byte hash. Returns the relay path
   * of the first copy that reached `target` (or null).
   */
  flood(frame: TxFrame, startMs: number, target = -1): number[] | null {
    const txKey = this.nextTxKey++;
    this.dupSeen.clear();
    const gen = ++this.gen;
    const maxHops = Math.min(this.world.config.floodMaxHops, Math.floor(64 / frame.hashSize));
    const hs = frame.hashSize;
    this.seenGen[frame.origin] = gen;
    const queue = new TimeHeap<Hop>();
    queue.push(startMs, { node: frame.origin, atMs: startMs, path: [], pathHex: '' });
    let targetPath: number[] | null = null;
    for (let h = queue.pop(); h; h = queue.pop()) {
      const cur = h;
      const airtime = this.airtime(frame, cur.path.length * hs);
      const snr = this.broadcast(
        frame,
        txKey,
        cur.node,
        cur.atMs,
        pathLenByte(hs, cur.path.length),
        cur.pathHex,
        cur.path.length,
        cur.path,
        targetPath ? -1 : target,
        (v, _snr, arrival) => {
          if (this.seenGen[v] === gen || cur.path.length >= maxHops) return;
          this.seenGen[v] = gen;
          // Firmware backs off a random multiple of the airtime before re-flooding.
          const at = arrival + airtime * (0.5 + 2.5 * this.rng.next());
          queue.push(at, {
            node: v,
            atMs: at,
            path: [...cur.path, v],
            pathHex: cur.pathHex + this.hop(v, hs),
          });
        },
        cur.path,
        hs,
        this.carried !== null ? this.chainFor(frame, cur.path) : undefined,
        true,
      );
      if (!targetPath && !Number.isNaN(snr)) targetPath = cur.path;
    }
    return targetPath;
  }

  /**
   * Sends `frame` source-routed through `relays` towards `dest` (spec §4: the path lists the hops
   * still to go; each hop strips itself). Returns the arrival time at `dest`, or NaN if a hop missed it.
   */
  direct(frame: TxFrame, startMs: number, relays: number[], dest: number): number {
    const txKey = this.nextTxKey++;
    this.dupSeen.clear();
    const hs = frame.hashSize;
    let from = frame.origin;
    let at = startMs;
    for (let k = 0; k <= relays.length; k++) {
      const rest = relays.slice(k);
      const next = k < relays.length ? relays[k] : dest;
      const pathHex = rest.map((n) => this.hop(n, hs)).join('');
      const pathLen = rest.length === 0 ? 0 : pathLenByte(hs, rest.length);
      // t2: a DIRECT path lists the hops still to go: only their adjacency is revealed.
      const snr = this.broadcast(
        frame,
        txKey,
        from,
        at,
        pathLen,
        pathHex,
        rest.length,
        relays.slice(0, k),
        next,
        undefined,
        rest,
        hs,
        rest,
      );
      if (Number.isNaN(snr)) return NaN;
      at += this.airtime(frame, pathHex.length / 2);
      if (k < relays.length) at += this.airtime(frame, 0) * (0.2 + 0.5 * this.rng.next());
      from = next;
    }
    return at;
  }

  /** A zero-hop DIRECT broadcast (local adverts, CONTROL discovery); calls `heard` per relay node. */
  zeroHop(
    frame: TxFrame,
    startMs: number,
    heard?: (node: number, snr: number, arrivalMs: number) => void,
  ): void {
    const txKey = this.nextTxKey++;
    this.dupSeen.clear();
    ++this.gen;
    const chain = this.chainFor(frame, []);
    this.broadcast(
      frame,
      txKey,
      frame.origin,
      startMs,
      0,
      '',
      0,
      [],
      -1,
      heard,
      [],
      frame.hashSize,
      chain,
      true,
    );
  }

  /**
   * TRACE along `route` (spec §4, §5.7): sent DIRECT with an empty header path; each repeater on the
   * route appends the SNR (×4, int8) it heard and forwards. The content hash covers the path length
   * byte, so every stage is its own transmission (txKey).
   */
  trace(frame: TxFrame, startMs: number, route: number[], routeWidth = 1): number {
    if (frame.type !== PayloadType.TRACE) throw new TypeError('trace() needs a TRACE frame');
    let from = frame.origin;
    let at = startMs;
    let snrHex = '';
    for (let k = 0; k <= route.length; k++) {
      const txKey = this.nextTxKey++;
      this.dupSeen.clear();
      const want = k < route.length ? route[k] : -1;
      // t2: the TRACE route (in the payload) is what an upload reveals.
      const snr = this.broadcast(
        frame,
        txKey,
        from,
        at,
        pathLenByte(1, k),
        snrHex,
        k,
        route.slice(0, k),
        want,
        undefined,
        route,
        routeWidth,
        route,
      );
      if (k === route.length || Number.isNaN(snr)) return k;
      snrHex += byteHex(Math.round(snr * 4));
      at += this.airtime(frame, k) * (1.2 + 0.5 * this.rng.next());
      from = want;
    }
    return route.length;
  }
}
