// Per-hop prefix lookups for the live feed's `resolved_path` (spec ingest-store-api §5): a hop
// (1-3 byte key prefix, hex) resolves to a full public key only when exactly one visible relay
// node (repeater / room) has that prefix; otherwise null. The index maps every 1/2/3-byte prefix
// of every interned node key to its node rows and only ever grows: node rows are appended (a row
// is a pubkey id), so new rows are indexed incrementally on the next lookup, never by a rescan.
// Role, presence and hiding are checked per candidate at lookup time, so a node that becomes a
// repeater or gets hidden later is answered correctly without rebuilding anything.
import type { MemoryStore } from './memory-store.js';
import type { NodeVisibility } from './node-directory.js';

const HOP = /^(?:[0-9A-F]{2}){1,3}$/;

export function isRelayRole(role: string | null): boolean {
  if (role === null) return false;
  const r = role.toLowerCase();
  return r.includes('repeater') || r.includes('room_server') || r === 'room';
}

export class HopPrefixIndex {
  readonly #byPrefix = new Map<string, number[]>();
  #indexedRows = 0;
  readonly #blacklist: Set<string>;
  readonly #hiddenPrefixes: string[];

  constructor(
    private readonly store: MemoryStore,
    visibility: NodeVisibility,
  ) {
    this.#blacklist = new Set(visibility.nodeBlacklist.map((k) => k.toLowerCase()));
    this.#hiddenPrefixes = visibility.hiddenNamePrefixes.filter((p) => p !== '');
  }

  /** One entry per hop: the unique visible relay's public key, or null (none or ambiguous). */
  resolve(hops: readonly string[]): (string | null)[] {
    this.#catchUp();
    return hops.map((h) => this.#resolveOne(h.toUpperCase()));
  }

  #catchUp(): void {
    const s = this.store;
    const n = s.nodes.rowCount;
    for (let r = this.#indexedRows; r < n; r++) {
      const key = s.interns.pubkeys.get(r);
      if (key === null || key.length < 6) continue;
      const upper = key.toUpperCase();
      for (let len = 2; len <= 6; len += 2) {
        const p = upper.slice(0, len);
        const list = this.#byPrefix.get(p);
        if (list) list.push(r);
        else this.#byPrefix.set(p, [r]);
      }
    }
    this.#indexedRows = n;
  }

  #resolveOne(hop: string): string | null {
    if (!HOP.test(hop)) return null;
    const rows = this.#byPrefix.get(hop);
    if (rows === undefined) return null;
    let found: string | null = null;
    for (const r of rows) {
      if (!this.#eligible(r)) continue;
      if (found !== null) return null; // ambiguous
      found = this.store.interns.pubkeys.get(r);
    }
    return found;
  }

  #eligible(row: number): boolean {
    const s = this.store;
    if (s.nodes.get('present', row) !== 1) return false;
    if (!isRelayRole(s.interns.roles.get(s.nodes.get('role', row)))) return false;
    const key = s.interns.pubkeys.get(row);
    if (key !== null && this.#blacklist.has(key.toLowerCase())) return false;
    const name = s.interns.names.get(s.nodes.get('name', row));
    return !(name !== null && this.#hiddenPrefixes.some((p) => name.startsWith(p)));
  }
}
