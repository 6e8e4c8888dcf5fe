// Newest-first (or oldest-first) pages of transmissions with filters, costing O(page) plus
// binary searches, never O(dataset): each filter maps to per-key row lists sorted by
// transmission id (indexes.ts); the smallest one drives the walk and the others are tested
// by binary search. `total` is the driving list's length when it is the only filter (or the
// union of disjoint lists: types, routes), a pair of bisections for since/until when
// first_seen grows with id; otherwise it counts over the smallest candidate list (bounded
// by that filter's own size, not by the dataset).

import type { PacketQuery } from '../read-model.js';
import { NONE } from './layout.js';
import { hopKeyOfHex } from './codec.js';
import type { StoreIndexes } from './indexes.js';
import type { InternWriter } from './intern.js';
import type { RowList } from './row-list.js';

export type { PacketQuery };

/** The read model's query plus what it resolved for the store: the area's node rows. */
export interface StorePacketQuery extends PacketQuery {
  /** ADVERTs of these node rows (pubkey intern ids) only. */
  advertNodeRows?: readonly number[];
}

/**
 * What the queries read from the memory store (MemoryStore satisfies it); spelled out so this
 * module, which MemoryStore calls, does not import MemoryStore back.
 */
export interface PacketIndexSource {
  readonly indexes: StoreIndexes;
  readonly interns: {
    readonly regions: InternWriter;
    readonly pubkeys: InternWriter;
    readonly channels: InternWriter;
  };
  regionLists(): StoreIndexes['txByRegion'];
  observerRow(id: string): number;
  txFirstSeen(row: number): number;
  txRowByHash(hash: string): number;
  txTimeOrdered(): boolean;
}

export interface PacketPage {
  /** Transmission rows of the page, in the requested order. */
  rows: number[];
  total: number;
}

/** A filter: the union of some id-sorted lists. `disjoint` when no row can be in two of them. */
interface Source {
  lists: RowList[];
  disjoint: boolean;
  size: number;
}

function source(lists: (RowList | undefined)[], disjoint: boolean): Source {
  const present = lists.filter((l): l is RowList => l !== undefined && l.length > 0);
  return { lists: present, disjoint, size: present.reduce((n, l) => n + l.length, 0) };
}

export function queryPackets(store: PacketIndexSource, q: StorePacketQuery): PacketPage {
  const ix = store.indexes;
  const sources: Source[] = [];
  if (q.types)
    sources.push(
      source(
        q.types.map((t) => ix.byType.get(t)),
        true,
      ),
    );
  if (q.routes)
    sources.push(
      source(
        q.routes.map((t) => ix.byRoute.get(t)),
        true,
      ),
    );
  if (q.observers) {
    sources.push(
      source(
        q.observers.map((o) => ix.txByObserver.get(store.observerRow(o))),
        false,
      ),
    );
  }
  if (q.regions) {
    const regions = store.regionLists();
    const ids = q.regions.map((r) => store.interns.regions.lookup(r.trim().toUpperCase()));
    sources.push(
      source(
        ids.map((id) => (id === NONE ? undefined : regions.get(id))),
        false,
      ),
    );
  }
  /** A node's lists: its adverts plus transmissions with its 1/2/3-byte prefix as a hop. */
  const nodeLists = (key: string): (RowList | undefined)[] => {
    const pk = key.toLowerCase();
    const lists: (RowList | undefined)[] = [];
    const id = store.interns.pubkeys.lookup(pk);
    if (id !== NONE) lists.push(ix.byAdvertNode.get(id));
    if (/^[0-9a-f]{6,}$/.test(pk)) for (let s = 1; s <= 3; s++) lists.push(ix.byHop.get(hopKeyOfHex(pk, s)));
    return lists;
  };
  if (q.node !== undefined) sources.push(source(nodeLists(q.node), false));
  if (q.nodes !== undefined) sources.push(source(q.nodes.flatMap(nodeLists), false));
  if (q.advertNodeRows !== undefined)
    sources.push(
      source(
        q.advertNodeRows.map((r) => ix.byAdvertNode.get(r)),
        true,
      ),
    );
  if (q.channel !== undefined) {
    const id = store.interns.channels.lookup(q.channel);
    sources.push(source([id === NONE ? undefined : ix.byChannel.get(id)], true));
  }

  const since = q.sinceMs ?? -Infinity;
  const until = q.untilMs ?? Infinity;
  const timed = q.sinceMs !== undefined || q.untilMs !== undefined;
  const inTime = (row: number) => {
    const t = store.txFirstSeen(row);
    return t >= since && t <= until;
  };

  if (q.hash !== undefined) {
    const row = store.txRowByHash(q.hash);
    const ok = row !== -1 && (!timed || inTime(row)) && sources.every((s) => s.lists.some((l) => l.has(row)));
    const rows = ok && q.offset === 0 && q.limit > 0 ? [row] : [];
    return { rows, total: ok ? 1 : 0 };
  }

  if (sources.length === 0) sources.push(source([ix.txAll], true));
  sources.sort((a, b) => a.size - b.size);
  const [driver, ...others] = sources;
  const accept = (row: number) =>
    (!timed || inTime(row)) && others.every((s) => s.lists.some((l) => l.has(row)));
  const desc = q.order !== 'asc';

  // Fast paths: one disjoint driver, no other predicate.
  if (others.length === 0 && driver.disjoint && driver.lists.length <= 1) {
    const list = driver.lists[0];
    if (!list) return { rows: [], total: 0 };
    let lo = 0;
    let hi = list.length;
    if (timed) {
      if (!store.txTimeOrdered()) return walk(driver, accept, desc, q);
      lo = list.lowerBoundBy((r) => store.txFirstSeen(r), since);
      hi = until === Infinity ? list.length : list.lowerBoundBy((r) => store.txFirstSeen(r), nextUp(until));
    }
    const total = Math.max(0, hi - lo);
    const rows: number[] = [];
    for (let k = q.offset; k < Math.min(total, q.offset + q.limit); k++)
      rows.push(list.at(desc ? hi - 1 - k : lo + k));
    return { rows, total };
  }
  return walk(driver, accept, desc, q);
}

function nextUp(x: number): number {
  return x + Math.max(Number.EPSILON * Math.abs(x), Number.MIN_VALUE);
}

/** Merge the driver's lists in id order (dedup), keep accepted rows, count them all. */
function walk(driver: Source, accept: (row: number) => boolean, desc: boolean, q: PacketQuery): PacketPage {
  const lists = driver.lists;
  const pos = lists.map((l) => (desc ? l.length - 1 : 0));
  const rows: number[] = [];
  let total = 0;
  let last = -1;
  for (;;) {
    let best = -1;
    let bestId = 0;
    for (let k = 0; k < lists.length; k++) {
      const p = pos[k];
      if (p < 0 || p >= lists[k].length) continue;
      const row = lists[k].at(p);
      const id = keyOf(lists[k], p);
      if (best === -1 || (desc ? id > bestId : id < bestId)) {
        best = row;
        bestId = id;
      }
    }
    if (best === -1) break;
    for (let k = 0; k < lists.length; k++) {
      const p = pos[k];
      if (p >= 0 && p < lists[k].length && lists[k].at(p) === best) pos[k] += desc ? -1 : 1;
    }
    if (best === last) continue;
    last = best;
    if (!accept(best)) continue;
    if (total >= q.offset && rows.length < q.limit) rows.push(best);
    total++;
  }
  return { rows, total };
}

/** Sort key of position p in a list (rows are sorted by transmission id). */
function keyOf(list: RowList, p: number): number {
  return list.keyAt(p);
}

/** Newest-first (or oldest-first) observation rows of one observer, O(page). */
export function observerObservations(
  store: PacketIndexSource,
  observerId: string,
  page: { limit: number; offset: number; order?: 'asc' | 'desc' },
): { rows: number[]; total: number } {
  const r = store.observerRow(observerId);
  const list = r === -1 ? undefined : store.indexes.obsByObserver.get(r);
  if (!list) return { rows: [], total: 0 };
  const total = list.length;
  const rows: number[] = [];
  for (let k = page.offset; k < Math.min(total, page.offset + page.limit); k++) {
    rows.push(list.at(page.order === 'asc' ? k : total - 1 - k));
  }
  return { rows, total };
}
