// Per-node facts from the node's own adverts of the last 7 days (spec analytics §4.2), for the
// node list and node detail: path hash size (latest, sizes seen, "varies") and the number of
// flood-routed adverts. Incremental: each node's entry is computed from its advert row list
// (byAdvertNode, newest last), walking back only over the 7-day window, and kept until the node
// gets a new advert or the entry is a minute old (the window slides). A node list page of n nodes
// therefore costs O(n) lookups once warm, never a scan of the dataset.
import { pathHashSizeVerdict, sizesList } from '../../protocol/path-hash-size.js';
import type { MemoryStore } from './memory-store.js';

const WINDOW_MS = 7 * 86_400_000;
const REFRESH_MS = 60_000;
const FLOOD = 1;
const TRANSPORT_FLOOD = 0;
const DIRECT = 2;
const TRANSPORT_DIRECT = 3;

export interface NodeAdvertFacts {
  hashSize: number;
  hashSizeInconsistent: boolean;
  hashSizesSeen: number[];
  floodAdvertCount7d: number;
}

interface Entry {
  adverts: number;
  atMs: number;
  facts: NodeAdvertFacts;
}

const NO_ADVERTS: NodeAdvertFacts = Object.freeze({
  hashSize: 0,
  hashSizeInconsistent: false,
  hashSizesSeen: [],
  floodAdvertCount7d: 0,
}) as NodeAdvertFacts;

export class NodeAdvertInfo {
  readonly #entries = new Map<number, Entry>();

  constructor(
    private readonly store: MemoryStore,
    private readonly now: () => number,
  ) {}

  /** The facts of a node row (pubkey intern id). */
  get(row: number): NodeAdvertFacts {
    const list = this.store.indexes.byAdvertNode.get(row);
    if (!list || list.length === 0) return NO_ADVERTS;
    const nowMs = this.now();
    const hit = this.#entries.get(row);
    if (hit && hit.adverts === list.length && nowMs - hit.atMs < REFRESH_MS && nowMs >= hit.atMs)
      return hit.facts;
    const facts = this.#compute(row, nowMs);
    this.#entries.set(row, { adverts: list.length, atMs: nowMs, facts });
    return facts;
  }

  #compute(row: number, nowMs: number): NodeAdvertFacts {
    const s = this.store;
    const list = s.indexes.byAdvertNode.get(row);
    if (!list) return NO_ADVERTS;
    const since = nowMs - WINDOW_MS;
    const series: Array<[number, number]> = [];
    let flood = 0;
    // Newest last; arrival order follows id for ingested rows, so stop at the first row before
    // the window unless the store's first_seen is not ordered by id.
    const ordered = s.txTimeOrdered();
    for (let k = list.length - 1; k >= 0; k--) {
      const tx = list.at(k);
      const t = s.tx.get('firstSeenMs', tx);
      if (!(t >= since)) {
        if (ordered) break;
        continue;
      }
      if (t > nowMs) continue;
      const route = s.tx.get('routeType', tx);
      if (route === FLOOD || route === TRANSPORT_FLOOD) flood++;
      const pathByte = this.#pathByte(tx, route);
      // A zero-hop direct advert's path byte is generated locally: its size bits mean nothing.
      if ((route === DIRECT || route === TRANSPORT_DIRECT) && (pathByte & 0x3f) === 0) continue;
      series.push([t, (pathByte >> 6) + 1]);
    }
    series.reverse();
    series.sort((a, b) => a[0] - b[0]); // stable: equal times keep id order
    const sizes = series.map((e) => e[1]).filter((z) => z >= 1 && z <= 3);
    const v = pathHashSizeVerdict(sizes);
    return {
      hashSize: v.hashSize,
      hashSizeInconsistent: v.inconsistent,
      hashSizesSeen: sizesList(v.sizesBits),
      floodAdvertCount7d: flood,
    };
  }

  /** The path-length byte of a transmission's raw frame (offset 1, or 5 after transport codes). */
  #pathByte(tx: number, route: number): number {
    const s = this.store;
    const at = route === TRANSPORT_FLOOD || route === TRANSPORT_DIRECT ? 5 : 1;
    const len = s.tx.get('rawLen', tx);
    if (len <= at) return 0;
    return s.raw.bytes(s.tx.get('rawOff', tx) + at, 1)[0];
  }
}
