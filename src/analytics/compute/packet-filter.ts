// GET /api/packets?filter= (spec frontend §5, evaluated over the whole store): scan every
// transmission of the snapshot in a worker and return the ids that match, newest first, as a
// Uint32Array (transferred, never cloned). Fields read the shared columns in place and only
// the fields the filter names are computed. Observation fields (snr, rssi, hops, observer,
// iata, path, routed_through) are those of the display observation /packets shows for the
// row (longest path, earliest on ties; store/memory/transmission-summary.ts bestObservation).
import { compileFilter, type FilterNode } from '../../protocol/filter/index.js';
import { payloadTypeName, routeTypeName } from '../../protocol/enums.js';
import { NONE, type StoreView } from '../../store/memory/reader.js';
import { isRelayRole } from '../../store/memory/hop-prefix-index.js';
import type { SnapshotCounts } from '../inputs/store-input.js';
import type { NodeVisibility } from '../shared/subpath-index.js';

export interface PacketFilterResult {
  /** Matching transmission ids, newest (highest id) first. */
  ids: Uint32Array;
  /** Transmissions scanned. */
  scanned: number;
}

/** Hop prefix (upper-case hex) -> the one visible relay key with it ('' when ambiguous). */
function relayPrefixes(view: StoreView, nodes: number, visibility: NodeVisibility): Map<string, string> {
  const out = new Map<string, string>();
  const blacklist = new Set(visibility.nodeBlacklist.map((k) => k.toLowerCase()));
  const hidden = visibility.hiddenNamePrefixes.filter((p) => p !== '');
  for (let r = 0; r < nodes; r++) {
    if (view.nodes.get('present', r) !== 1 || !isRelayRole(view.nodeRole(r))) continue;
    const key = view.nodePubkey(r)?.toLowerCase();
    if (!key || blacklist.has(key)) continue;
    const name = view.nodeName(r) ?? '';
    if (hidden.some((p) => name.startsWith(p))) continue;
    for (let s = 1; s <= 3; s++) {
      const p = key.slice(0, 2 * s).toUpperCase();
      const seen = out.get(p);
      out.set(p, seen === undefined || seen === key ? key : '');
    }
  }
  return out;
}

/** Field values of one transmission row, computed on first use per row. */
class RowFields {
  row = 0;
  private best = -2;
  private payload: unknown = undefined;
  private relays: Map<string, string> | null = null;

  constructor(
    private readonly view: StoreView,
    private readonly counts: SnapshotCounts,
    private readonly nowMs: number,
    private readonly visibility: NodeVisibility,
  ) {}

  at(row: number): void {
    this.row = row;
    this.best = -2;
    this.payload = undefined;
  }

  /** The display observation: longest path, earliest on ties; -1 when none. */
  private bestObs(): number {
    if (this.best !== -2) return this.best;
    const { tx, obs } = this.view;
    let best = -1;
    let bestHops = -1;
    for (
      let o = tx.get('firstObs', this.row);
      o !== NONE && o < this.counts.obs;
      o = obs.get('nextOfTx', o)
    ) {
      const hops = obs.get('hopCount', o);
      if (hops > bestHops) [best, bestHops] = [o, hops];
    }
    return (this.best = best);
  }

  private decoded(): unknown {
    if (this.payload !== undefined) return this.payload;
    try {
      this.payload = JSON.parse(this.view.txDecodedJson(this.row)) as unknown;
    } catch {
      this.payload = null;
    }
    return this.payload;
  }

  private payloadPath(path: string): unknown {
    let v = this.decoded();
    for (const part of path.split('.').slice(1)) {
      if (v === null || typeof v !== 'object' || !Object.hasOwn(v, part)) return null;
      v = (v as Record<string, unknown>)[part];
    }
    return v;
  }

  private routedThrough(b: number): string | null {
    if (b < 0) return null;
    this.relays ??= relayPrefixes(this.view, this.counts.nodes, this.visibility);
    const keys = this.view.obsPathHops(b).map((h) => this.relays!.get(h.toUpperCase()) || '');
    return keys.filter((k) => k !== '').join(' ');
  }

  get(field: string): unknown {
    const { view, row } = this;
    const tx = view.tx;
    switch (field) {
      case 'type':
        return payloadTypeName(tx.get('payloadType', row));
      case 'route':
        return routeTypeName(tx.get('routeType', row));
      case 'transport': {
        const rt = tx.get('routeType', row);
        return rt === 0 || rt === 3;
      }
      case 'hash':
        return view.txHash(row);
      case 'raw':
        return view.txRawHex(row);
      case 'size':
        return tx.get('rawLen', row);
      case 'payload_bytes':
        return Math.max(0, tx.get('rawLen', row) - 2);
      case 'payload_hex':
        return view.txRawHex(row).slice(4);
      case 'observations':
        return tx.get('obsCount', row);
      case 'time':
      case 'timestamp':
        return tx.get('firstSeenMs', row);
      case 'age':
        return Math.max(0, (this.nowMs - tx.get('firstSeenMs', row)) / 1000);
      case 'code1':
      case 'code2':
        return this.transportCode(field === 'code1' ? 2 : 6);
    }
    if (field.startsWith('payload.')) return this.payloadPath(field);
    return this.observationField(field, this.bestObs());
  }

  /** Transport code hex (wire bytes as CoreScope's transportCodes), or null off transport routes. */
  private transportCode(at: number): string | null {
    const rt = this.view.tx.get('routeType', this.row);
    if ((rt !== 0 && rt !== 3) || this.view.tx.get('rawLen', this.row) < 5) return null;
    return this.view.txRawHex(this.row).slice(at, at + 4);
  }

  private observationField(field: string, b: number): unknown {
    const view = this.view;
    if (field === 'hops') return b < 0 ? 0 : view.obs.get('hopCount', b);
    if (field === 'routed_through') return this.routedThrough(b);
    if (b < 0) return null;
    const observer = view.obs.get('observer', b);
    switch (field) {
      case 'snr':
        return view.obsSnr(b);
      case 'rssi':
        return view.obsRssi(b);
      case 'observer':
        return view.observerName(observer);
      case 'observer_id':
        return view.observerId(observer);
      case 'observer_iata':
      case 'iata':
        return view.observerIata(observer);
      case 'path':
      case 'path_prefixes':
        return view.obsPathHops(b).join(' → ');
    }
    return null;
  }
}

export function computePacketFilter(
  view: StoreView,
  counts: SnapshotCounts,
  ast: FilterNode,
  nowMs: number,
  visibility: NodeVisibility,
): PacketFilterResult {
  const test = compileFilter(ast);
  const fields = new RowFields(view, counts, nowMs, visibility);
  const source = (field: string) => fields.get(field);
  const ids = new Uint32Array(counts.tx);
  let n = 0;
  for (let r = 0; r < counts.tx; r++) {
    fields.at(r);
    if (test(source)) ids[n++] = view.tx.get('id', r);
  }
  const out = ids.slice(0, n).sort().reverse();
  return { ids: out, scanned: counts.tx };
}
