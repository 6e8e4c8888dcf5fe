// The node list behind the read model's node queries (/api/nodes and friends). Nodes number in the thousands (Cascadia: ~2,600),
// so filtering them per request is cheap, but sorting is not free: the visible rows, their three
// sort orders, role counts and the name index are rebuilt only when the nodes table changes
// (its row count or kMutationCount), i.e. cached by store version; while only fields of known
// nodes change (last seen, advert counts, names: every ingested advert), at most once per
// `refreshMs`, since rebuilding per request made node routes cost O(n log n) each under ingest.
// Membership (a node becoming present) rebuilds at once, and visibility of a single row is
// decided from the row itself, never from a stale list. Hidden nodes (nodeBlacklist,
// hiddenNamePrefixes, spec ingest-store-api §4.1) never enter the directory, so every node route
// treats them as absent.
import type { NodeSort, RoleCounts } from '../read-model.js';
import { NONE } from './layout.js';
import type { MemoryStore } from './memory-store.js';

const ADVERT = 4;

/** Who is hidden from every node answer (spec ingest-store-api §4.1). */
export interface NodeVisibility {
  nodeBlacklist: readonly string[];
  hiddenNamePrefixes: readonly string[];
}

interface Snapshot {
  version: string;
  /** `rowCount:presentCount` when built: a change rebuilds at once. */
  membership: string;
  builtMs: number;
  /** Visible node rows by sort key. */
  orders: Record<NodeSort, number[]>;
  visible: Set<number>;
  counts: RoleCounts;
  /** Lowercased name -> rows. */
  byName: Map<string, number[]>;
  lowerNames: Map<number, string>;
}

const ROLE_COUNT_KEY: Record<string, keyof RoleCounts> = {
  repeater: 'repeaters',
  room: 'rooms',
  companion: 'companions',
  chat: 'companions',
  sensor: 'sensors',
};

export class NodeDirectory {
  #snap: Snapshot | null = null;
  #regionCache = new Map<string, { version: string; nodes: Set<number> }>();
  readonly #blacklist: Set<string>;
  readonly #hiddenPrefixes: string[];
  readonly #refreshMs: number;

  /** `refreshMs`: how stale the sort orders, counts and name index may get while only fields change. */
  constructor(
    private readonly store: MemoryStore,
    config: NodeVisibility,
    refreshMs = 500,
  ) {
    this.#refreshMs = refreshMs;
    this.#blacklist = new Set(config.nodeBlacklist.map((k) => k.toLowerCase()));
    this.#hiddenPrefixes = config.hiddenNamePrefixes.filter((p) => p !== '');
  }

  name(row: number): string | null {
    return this.store.interns.names.get(this.store.nodes.get('name', row));
  }
  role(row: number): string | null {
    return this.store.interns.roles.get(this.store.nodes.get('role', row));
  }
  lastSeen(row: number): number {
    return this.store.nodes.get('lastSeenMs', row);
  }

  #hidden(row: number): boolean {
    if (this.#blacklist.has(this.store.interns.pubkeys.get(row) ?? '')) return true;
    const name = this.name(row);
    return name !== null && this.#hiddenPrefixes.some((p) => name.startsWith(p));
  }

  snapshot(): Snapshot {
    const s = this.store;
    const version = `${s.nodes.rowCount}:${s.nodes.mutationCount()}`;
    if (this.#snap?.version === version) return this.#snap;
    // Membership in O(1): a per-row check (matches, isVisible) may call this for every node.
    const membership = `${s.nodes.rowCount}:${s.presentNodeCount}`;
    const nowMs = performance.now();
    if (this.#snap?.membership === membership && nowMs - this.#snap.builtMs < this.#refreshMs)
      return this.#snap;
    const rows = s.nodeRows().filter((r) => !this.#hidden(r));
    const counts: RoleCounts = { repeaters: 0, rooms: 0, companions: 0, sensors: 0 };
    const byName = new Map<string, number[]>();
    const lowerNames = new Map<number, string>();
    for (const r of rows) {
      const key = ROLE_COUNT_KEY[(this.role(r) ?? '').toLowerCase()];
      if (key) counts[key]++;
      const n = this.name(r);
      if (n !== null) {
        const lower = n.toLowerCase();
        lowerNames.set(r, lower);
        const list = byName.get(lower.trim());
        if (list) list.push(r);
        else byName.set(lower.trim(), [r]);
      }
    }
    const pk = (r: number) => s.interns.pubkeys.get(r) ?? '';
    const byPk = (a: number, b: number) => (pk(a) < pk(b) ? -1 : pk(a) > pk(b) ? 1 : 0);
    const lastSeen = [...rows].sort((a, b) => this.lastSeen(b) - this.lastSeen(a) || byPk(a, b));
    const name = [...rows].sort((a, b) => {
      const na = lowerNames.get(a);
      const nb = lowerNames.get(b);
      if (na === undefined || nb === undefined)
        return (na === undefined ? 1 : 0) - (nb === undefined ? 1 : 0);
      return na < nb ? -1 : na > nb ? 1 : byPk(a, b);
    });
    const adverts = (r: number) => s.nodes.get('advertCount', r);
    const packetCount = [...rows].sort((a, b) => adverts(b) - adverts(a) || byPk(a, b));
    this.#snap = {
      version,
      membership,
      builtMs: nowMs,
      orders: { lastSeen, name, packetCount },
      visible: new Set(rows),
      counts,
      byName,
      lowerNames,
    };
    return this.#snap;
  }

  isVisible(row: number): boolean {
    const s = this.store;
    return row >= 0 && row < s.nodes.rowCount && s.nodes.get('present', row) === 1 && !this.#hidden(row);
  }

  /** A full public key, or a unique hex prefix of at least 8 digits; -1 when none or ambiguous. */
  resolve(key: string): number {
    const k = key.toLowerCase();
    if (!/^[0-9a-f]{8,64}$/.test(k)) return -1;
    if (k.length === 64) {
      const r = this.store.nodeRow(k);
      return this.isVisible(r) ? r : -1;
    }
    let found = -1;
    for (const r of this.store.nodeRows()) {
      if ((this.store.interns.pubkeys.get(r) ?? '').startsWith(k) && !this.#hidden(r)) {
        if (found !== -1) return -1;
        found = r;
      }
    }
    return found;
  }

  /** Rows whose (trimmed, case-insensitive) name is exactly `name`. */
  byName(name: string): number[] {
    return this.snapshot().byName.get(name.trim().toLowerCase()) ?? [];
  }

  /** Whether the node's name contains `q` or its key starts with `q` (both case-insensitive). */
  matches(row: number, qLower: string): boolean {
    if ((this.store.interns.pubkeys.get(row) ?? '').startsWith(qLower)) return true;
    const n = this.name(row);
    return n !== null && n.toLowerCase().includes(qLower);
  }

  /**
   * Nodes whose adverts an observer of one of `regions` heard. Built from the regions' ADVERT
   * rows once per store version (transmission and observation counts), then cached.
   */
  inRegions(regions: readonly string[]): Set<number> {
    const s = this.store;
    const version = `${s.transmissionCount}:${s.observationCount}:${s.nodes.rowCount}`;
    const key = [...regions].sort().join(',');
    const hit = this.#regionCache.get(key);
    if (hit?.version === version) return hit.nodes;
    const nodes = new Set<number>();
    const lists = s.regionLists();
    for (const code of regions) {
      const id = s.interns.regions.lookup(code);
      const list = id === NONE ? undefined : lists.get(id);
      if (!list) continue;
      const rows = list.rows();
      for (let k = 0; k < rows.length; k++) {
        if (s.tx.get('payloadType', rows[k]) !== ADVERT) continue;
        const from = s.tx.get('fromNode', rows[k]);
        if (from !== NONE) nodes.add(from);
      }
    }
    if (this.#regionCache.size > 64) this.#regionCache.clear();
    this.#regionCache.set(key, { version, nodes });
    return nodes;
  }

  /** Latest receive time of the node's own adverts (the traffic-based `last_heard`). */
  lastHeard(row: number): number {
    let best = this.store.nodes.get('lastSeenMs', row);
    const list = this.store.indexes.byAdvertNode.get(row);
    if (list && list.length > 0) {
      // Lists are in transmission-id order; arrival order matches it for ingested rows.
      const t = this.store.tx.get('lastSeenMs', list.at(list.length - 1));
      if (!(t <= best)) best = t;
    }
    return best;
  }
}
