// Route patterns (spec analytics §7.1): every contiguous run of 2..8 hops of each transmission's
// best path, counted once per transmission, in one pass with numeric keys. Subpaths are the nodes
// of a trie: a subpath is (parent subpath, last hop id), its hops are recovered by walking the
// parents, so the hot loop builds no strings (text is made only for the few that reach a response).
// Hops are interned to dense ids by their numeric code (hop-code.ts). A single hop is a trie root
// (length 1, never counted or listed).
//
// The named form (spec §7.1: "merge keys whose named form is equal") is a second trie over name
// tokens: each hop id resolves once against the aggregate context of the counted transmissions
// (hop-resolver.ts AggregateResolver) to a token (the node's name; an unresolved hop keeps its
// hex), and each raw subpath maps to the named subpath of its tokens, computed in one pass in id
// order (a parent's id is always below its children's).
import type { AnalyticsInput } from '../inputs/input.js';
import { HopCodeIndex, hopText } from './hop-code.js';
import { AggregateResolver, type HopResolver } from './hop-resolver.js';
import { mix32 } from './int-index.js';

export const MIN_SUBPATH = 2;
export const MAX_SUBPATH = 8;

/** Nodes hidden from answers (config nodeBlacklist, hiddenNamePrefixes; spec ingest-store-api §4.1). */
export interface NodeVisibility {
  nodeBlacklist: readonly string[];
  hiddenNamePrefixes: readonly string[];
}

export const NO_HIDING: NodeVisibility = Object.freeze({ nodeBlacklist: [], hiddenNamePrefixes: [] });

/** A growable int32 column. */
class IntColumn {
  data: Int32Array;
  constructor(capacity: number) {
    this.data = new Int32Array(capacity);
  }
  ensure(n: number): void {
    if (n <= this.data.length) return;
    let cap = this.data.length * 2;
    while (cap < n) cap *= 2;
    const next = new Int32Array(cap);
    next.set(this.data);
    this.data = next;
  }
}

/**
 * A trie of sequences over small integer symbols: node = (parent, symbol), parent -1 for a root.
 * Children are found through one open-addressing table keyed by the pair.
 */
export class SequenceTrie {
  readonly parent = new IntColumn(1024);
  readonly symbol = new IntColumn(1024);
  readonly length = new IntColumn(1024);
  size = 0;
  private slots = new Int32Array(2048).fill(-1);
  private mask = 2047;
  private readonly roots: number[] = [];

  root(symbol: number): number {
    const r = this.roots[symbol];
    if (r !== undefined) return r;
    const id = this.add(-1, symbol, 1);
    this.roots[symbol] = id;
    return id;
  }

  child(parent: number, symbol: number): number {
    const p = this.parent.data;
    const s = this.symbol.data;
    let h = mix32(Math.imul(parent, 0x9e3779b1) ^ symbol) & this.mask;
    for (;;) {
      const id = this.slots[h];
      if (id < 0) break;
      if (p[id] === parent && s[id] === symbol) return id;
      h = (h + 1) & this.mask;
    }
    const id = this.add(parent, symbol, this.length.data[parent] + 1);
    this.slots[h] = id;
    if (this.size * 2 > this.mask) this.rehash();
    return id;
  }

  private add(parent: number, symbol: number, length: number): number {
    const id = this.size++;
    this.parent.ensure(this.size);
    this.symbol.ensure(this.size);
    this.length.ensure(this.size);
    this.parent.data[id] = parent;
    this.symbol.data[id] = symbol;
    this.length.data[id] = length;
    return id;
  }

  private rehash(): void {
    this.mask = this.mask * 2 + 1;
    this.slots = new Int32Array(this.mask + 1).fill(-1);
    const p = this.parent.data;
    const s = this.symbol.data;
    for (let id = 0; id < this.size; id++) {
      if (p[id] < 0) continue;
      let h = mix32(Math.imul(p[id], 0x9e3779b1) ^ s[id]) & this.mask;
      while (this.slots[h] >= 0) h = (h + 1) & this.mask;
      this.slots[h] = id;
    }
  }

  /** The symbols of a node, root first. */
  symbols(id: number): number[] {
    const out: number[] = new Array<number>(this.length.data[id]);
    for (let k = out.length - 1; id >= 0; k--, id = this.parent.data[id]) out[k] = this.symbol.data[id];
    return out;
  }
}

/** The named form of an index (see the header): per raw subpath its named subpath and hiding. */
export interface NamedSubpaths {
  /** Name tokens by id: a node's name, or the lower-case hex of an unresolved hop. */
  tokens: string[];
  /** Per hop id: its token id. */
  hopToken: Int32Array;
  /** Per hop id: the resolved node (-1 = unresolved). */
  hopNode: Int32Array;
  /** The trie over token ids. */
  trie: SequenceTrie;
  /** Per raw subpath id: its named subpath id. */
  namedOf: Int32Array;
  /** Per raw subpath id: 1 when one of its hops resolves to a hidden node. */
  hidden: Uint8Array;
}

export interface SubpathIndex {
  /** Transmissions whose best path has ≥ 2 hops (among those counted). */
  totalPaths: number;
  /** The raw trie over hop ids. */
  trie: SequenceTrie;
  /** Per raw subpath id: transmissions containing it (each counted once). */
  count: Int32Array;
  /** Hop id -> numeric hop code. */
  hopCodes: number[];
  /** Hop code -> hop id. */
  hopIds: HopCodeIndex;
  /** Resolution of hops against the aggregate context of the counted transmissions. */
  agg: AggregateResolver;
  /** The named form, built on first use (once per index and visibility). */
  named(visibility: NodeVisibility): NamedSubpaths;
}

/** Lower-case hex of a hop id. */
export function hopHex(index: SubpathIndex, hop: number): string {
  return hopText(index.hopCodes[hop]).toLowerCase();
}

/**
 * Counts the subpaths of every transmission's best path (`best[txRow]`, path-context.ts) that
 * passes `keep` (null = all). One pass also gathers the aggregate resolution context (sender,
 * observer and uniquely resolved hops of every kept transmission with an observation, as topology).
 */
export function buildSubpathIndex(
  input: AnalyticsInput,
  best: Int32Array,
  resolver: HopResolver,
  keep: ((txRow: number) => boolean) | null,
): SubpathIndex {
  const { tx, obs } = input;
  const ctx = resolver.newContext();
  const trie = new SequenceTrie();
  const count = new IntColumn(1024);
  const stamp = new IntColumn(1024);
  const hopIds = new HopCodeIndex();
  const hopCodes: number[] = [];
  let ids = new Int32Array(64);
  let totalPaths = 0;
  for (let t = 0; t < tx.count; t++) {
    const r = best[t];
    if (r < 0) continue;
    if (keep !== null && !keep(t)) continue;
    ctx.add(tx.advertNode(t));
    const o = obs.observer(r);
    if (o >= 0 && o < resolver.observerNode.length) ctx.add(resolver.observerNode[o]);
    const n = obs.hopCount(r);
    if (n > ids.length) ids = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      const code = obs.hopCode(r, k);
      if (code < 0) {
        ids[k] = -1;
        continue;
      }
      ctx.add(resolver.uniqueCode(code));
      let id = hopIds.get(code);
      if (id < 0) {
        id = hopCodes.length;
        hopIds.set(code, id);
        hopCodes.push(code);
      }
      ids[k] = id;
    }
    if (n < MIN_SUBPATH) continue;
    totalPaths++;
    const mark = t + 1;
    for (let i = 0; i + 1 < n; i++) {
      if (ids[i] < 0) continue;
      let node = trie.root(ids[i]);
      for (let j = i + 1; j < n && j - i < MAX_SUBPATH; j++) {
        if (ids[j] < 0) break; // an invalid hop splits the path
        node = trie.child(node, ids[j]);
        if (node >= count.data.length) {
          count.ensure(node + 1);
          stamp.ensure(node + 1);
        }
        // Once per transmission: a path repeating a subpath counts it once.
        if (stamp.data[node] !== mark) {
          stamp.data[node] = mark;
          count.data[node]++;
        }
      }
    }
  }
  count.ensure(trie.size);
  const agg = new AggregateResolver(resolver, ctx);
  const index: SubpathIndex = {
    totalPaths,
    trie,
    count: count.data,
    hopCodes,
    hopIds,
    agg,
    named: (visibility) => {
      // Once per index and visibility (the service passes the same one every time).
      const key = JSON.stringify([visibility.nodeBlacklist, visibility.hiddenNamePrefixes]);
      let n = named.get(key);
      if (n === undefined) named.set(key, (n = nameSubpaths(input, index, visibility)));
      return n;
    },
  };
  const named = new Map<string, NamedSubpaths>();
  return index;
}

/** Whether node `i` is hidden (blacklisted key or a hidden name prefix). */
export function hiddenNodes(input: AnalyticsInput, visibility: NodeVisibility): Uint8Array {
  const nodes = input.nodes;
  const out = new Uint8Array(nodes.count);
  const black = new Set(visibility.nodeBlacklist.map((k) => k.toLowerCase()));
  const prefixes = visibility.hiddenNamePrefixes.filter((p) => p !== '');
  if (black.size === 0 && prefixes.length === 0) return out;
  for (let i = 0; i < nodes.count; i++) {
    if (black.has(nodes.publicKey(i).toLowerCase())) out[i] = 1;
    else {
      const name = nodes.name(i);
      if (name !== null && prefixes.some((p) => name.startsWith(p))) out[i] = 1;
    }
  }
  return out;
}

function nameSubpaths(input: AnalyticsInput, index: SubpathIndex, visibility: NodeVisibility): NamedSubpaths {
  const nHops = index.hopCodes.length;
  const hopToken = new Int32Array(nHops);
  const hopNode = new Int32Array(nHops);
  const hopHidden = new Uint8Array(nHops);
  const tokens: string[] = [];
  const tokenId = new Map<string, number>();
  const hidden = hiddenNodes(input, visibility);
  for (let h = 0; h < nHops; h++) {
    const node = index.agg.resolveCode(index.hopCodes[h]);
    hopNode[h] = node;
    const name = node >= 0 ? input.nodes.name(node) : null;
    const token = name !== null && name !== '' ? name : hopHex(index, h);
    if (node >= 0 && hidden[node] === 1) hopHidden[h] = 1;
    let id = tokenId.get(token);
    if (id === undefined) {
      id = tokens.length;
      tokens.push(token);
      tokenId.set(token, id);
    }
    hopToken[h] = id;
  }
  const raw = index.trie;
  const n = raw.size;
  const namedTrie = new SequenceTrie();
  const namedOf = new Int32Array(n);
  const hid = new Uint8Array(n);
  const parent = raw.parent.data;
  const symbol = raw.symbol.data;
  for (let id = 0; id < n; id++) {
    const h = symbol[id];
    const p = parent[id];
    if (p < 0) {
      namedOf[id] = namedTrie.root(hopToken[h]);
      hid[id] = hopHidden[h];
    } else {
      namedOf[id] = namedTrie.child(namedOf[p], hopToken[h]);
      hid[id] = hid[p] | hopHidden[h];
    }
  }
  return { tokens, hopToken, hopNode, trie: namedTrie, namedOf, hidden: hid };
}
