// t4: helpers shared by the per-node and per-observer analytics (compute/node-analytics.ts,
// node-paths.ts, node-reach.ts, observer-analytics.ts). These run in the analytics worker over
// the rows the main thread's indexes named for one node or observer (`EntityRows`), never over
// the whole dataset: a request costs O(the entity's rows × observations per row).
import type { AnalyticsInput } from '../inputs/input.js';
import type { HopContext, HopResolver } from './hop-resolver.js';
import { hasGps } from './geo.js';

export const DAY_MS = 86_400_000;

/** The index of the node with this public key (lowercase 64 hex), or -1. O(nodes). */
export function nodeIndexOf(input: AnalyticsInput, pubkey: string): number {
  const key = pubkey.trim().toLowerCase();
  const { nodes } = input;
  for (let i = 0; i < nodes.count; i++) if (nodes.publicKey(i) === key) return i;
  return -1;
}

/** The node as its DB row (spec analytics §7.2 `node`). */
export function nodeRow(input: AnalyticsInput, n: number): Record<string, unknown> {
  const { nodes } = input;
  const lat = nodes.lat(n);
  const lon = nodes.lon(n);
  const first = nodes.firstSeenMs(n);
  const last = nodes.lastSeenMs(n);
  return {
    public_key: nodes.publicKey(n),
    name: nodes.name(n),
    role: nodes.role(n),
    lat: Number.isFinite(lat) ? lat : null,
    lon: Number.isFinite(lon) ? lon : null,
    last_seen: Number.isFinite(last) ? new Date(last).toISOString() : null,
    first_seen: Number.isFinite(first) ? new Date(first).toISOString() : null,
    advert_count: nodes.advertCount(n),
  };
}

/** GPS of a node as nullable numbers (null when absent or exactly 0,0). */
export function gpsOf(input: AnalyticsInput, n: number): { lat: number | null; lon: number | null } {
  if (n < 0) return { lat: null, lon: null };
  const lat = input.nodes.lat(n);
  const lon = input.nodes.lon(n);
  return hasGps(lat, lon) ? { lat, lon } : { lat: null, lon: null };
}

export const round1 = (v: number) => Math.round(v * 10) / 10;
export const round2 = (v: number) => Math.round(v * 100) / 100;

/** ISO time without milliseconds when whole seconds (CoreScope's RFC3339 text). */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * The observation rows of a transmission, in row order. Uses the store's per-transmission list
 * (`tx.firstObs` / `obs.nextOfTx`); an input without one (the records input of tests) is
 * grouped once per input by a scan.
 */
export class ObservationsOfTx {
  private groups: Map<number, number[]> | null = null;
  constructor(private readonly input: AnalyticsInput) {}

  rows(t: number): readonly number[] {
    const { tx, obs } = this.input;
    if (tx.firstObs && obs.nextOfTx) {
      const out: number[] = [];
      for (let r = tx.firstObs(t); r !== -1; r = obs.nextOfTx(r)) out.push(r);
      return out;
    }
    if (this.groups === null) {
      this.groups = new Map();
      for (let r = 0; r < obs.count; r++) {
        const tr = obs.txRow(r);
        const g = this.groups.get(tr);
        if (g) g.push(r);
        else this.groups.set(tr, [r]);
      }
    }
    return this.groups.get(t) ?? [];
  }
}

/**
 * Whether node `n` is one of the relay hops of observation `o`'s path: a hop whose candidates
 * include `n` and that resolves to `n` (a unique prefix, or the four tiers of spec §0 in the
 * context of the transmission: its advertiser, the observer, the uniquely resolved hops).
 * Returns the hop index, or -1.
 */
export function relayHopIndex(
  input: AnalyticsInput,
  resolver: HopResolver,
  ctx: HopContext,
  t: number,
  o: number,
  n: number,
): number {
  const { obs, tx } = input;
  const hops = obs.hopCount(o);
  let built = false;
  for (let k = 0; k < hops; k++) {
    const cands = resolver.candidatesCode(obs.hopCode(o, k));
    if (!cands.includes(n)) continue;
    if (cands.length === 1) return k;
    if (!built) {
      ctx.clear();
      ctx.add(tx.advertNode(t));
      const observer = obs.observer(o);
      if (observer >= 0 && observer < resolver.observerNode.length) ctx.add(resolver.observerNode[observer]);
      for (let j = 0; j < hops; j++) {
        const u = resolver.uniqueCode(obs.hopCode(o, j));
        if (u >= 0) ctx.add(u);
      }
      built = true;
    }
    if (resolver.resolveCode(obs.hopCode(o, k), ctx) === n) return k;
  }
  return -1;
}
