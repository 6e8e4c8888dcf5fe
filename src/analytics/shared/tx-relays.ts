// p1: per transmission, the relays its observations' paths name — one shared intermediate built
// once per snapshot (PathContext.txRelays()) for relay-airtime-share and repeater-usefulness,
// which used to resolve every hop of every observation each (millions of resolutions).
//
// Two views, each with the exact rule of its analytic:
// - `relay*` (relay-airtime-share, spec analytics §7.6): the distinct nodes the HopResolver
//   resolves the transmission's hops to (any tier), over every observation's path, against ONE
//   per-transmission context (sender, every observer's node, every uniquely resolved hop, added
//   in row order). The context is fixed within a transmission, so each distinct hop code is
//   resolved once per transmission (a flood's observations repeat most hops).
// - `flood*` (repeater-usefulness, §7.7): FLOOD routes only (0, 1); per observation, a hop is
//   attributed when it has a single candidate or tier 1 (neighbour affinity) picks it against
//   that observation's own context (sender, its observer's node, its uniquely resolved hops);
//   no candidate → `unresolvedHops`, a guess (tiers 2-4) → `ambiguousHops`. Hop counts are per
//   occurrence; `flood*` lists the distinct attributed nodes per transmission.
// Lists are CSR: the relays of tx t are relayNode[relayStart[t] .. relayStart[t + 1]), in order
// of first appearance.
import type { AnalyticsInput } from '../inputs/input.js';
import { AffinityEdges, type HopResolver } from './hop-resolver.js';

export interface TxRelays {
  relayStart: Uint32Array;
  relayNode: Int32Array;
  floodStart: Uint32Array;
  floodNode: Int32Array;
  /** Transmissions with a FLOOD route (0 TRANSPORT_FLOOD, 1 FLOOD). */
  floodTx: number;
  /** Flood hop occurrences attributed (unique prefix or neighbour affinity). */
  attributedHops: number;
  /** Flood hop occurrences with no candidate. */
  unresolvedHops: number;
  /** Flood hop occurrences only a guess would attribute. */
  ambiguousHops: number;
}

/** A growable Int32Array list (no per-item allocation). */
class IntList {
  data: Int32Array;
  length = 0;
  constructor(capacity: number) {
    this.data = new Int32Array(Math.max(16, capacity));
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  view(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

/** Observation rows per transmission in increasing row order: the store's lists, else a counting sort. */
function obsGroups(input: AnalyticsInput): { start: Int32Array; rows: Int32Array } {
  const { tx, obs } = input;
  const nTx = tx.count;
  const start = new Int32Array(nTx + 1);
  const spans = obs.spans?.();
  if (spans) {
    for (const { start: s, end, txRow } of spans) {
      for (let i = 0, n = end - s; i < n; i++) {
        const t = txRow[i];
        if (t < nTx) start[t + 1]++;
      }
    }
  } else {
    for (let r = 0; r < obs.count; r++) {
      const t = obs.txRow(r);
      if (t >= 0 && t < nTx) start[t + 1]++;
    }
  }
  for (let t = 0; t < nTx; t++) start[t + 1] += start[t];
  const fill = start.slice(0, nTx);
  const rows = new Int32Array(start[nTx]);
  if (spans) {
    for (const { start: s, end, txRow } of spans) {
      for (let i = 0, n = end - s; i < n; i++) {
        const t = txRow[i];
        if (t < nTx) rows[fill[t]++] = s + i;
      }
    }
  } else {
    for (let r = 0; r < obs.count; r++) {
      const t = obs.txRow(r);
      if (t >= 0 && t < nTx) rows[fill[t]++] = r;
    }
  }
  return { start, rows };
}

export function buildTxRelays(input: AnalyticsInput, resolver: HopResolver): TxRelays {
  const { tx, obs, nodes } = input;
  const nTx = tx.count;
  const n = nodes.count;
  const { start, rows } = obsGroups(input);
  const observerNode = resolver.observerNode;
  const relayStart = new Uint32Array(nTx + 1);
  const floodStart = new Uint32Array(nTx + 1);
  const relayNode = new IntList(nTx * 4);
  const floodNode = new IntList(nTx * 4);
  const seen = new Int32Array(n).fill(-1);
  const seenFlood = new Int32Array(n).fill(-1);
  // The tx's hops: codes flat, per observation [hopStart[i], hopStart[i + 1]).
  let codes = new Int32Array(256);
  let uniq = new Int32Array(256);
  let hopStart = new Int32Array(64);
  // Distinct hop codes of the tx: stamps for 1-2 byte codes, a set for 3-byte ones.
  const stamp1 = new Int32Array(256).fill(-1);
  const stamp2 = new Int32Array(65536).fill(-1);
  const stamp3 = new Map<number, number>();
  const index1 = new Int32Array(256);
  const index2 = new Int32Array(65536);
  const distinct = new IntList(64);
  // Per ambiguous distinct code: its rows in `edges` (neighbour edges into the tx context); each
  // observation's context ⊆ the tx context, so tier 1 of any of them reads only these rows.
  let edgeFrom = new Int32Array(64);
  let edgeTo = new Int32Array(64);
  const edges = new AffinityEdges();
  const ctx = resolver.newContext();
  const obsCtx = resolver.newContext();
  let floodTx = 0;
  let attributed = 0;
  let unresolved = 0;
  let ambiguous = 0;
  for (let t = 0; t < nTx; t++) {
    const from = start[t];
    const to = start[t + 1];
    const m = to - from;
    if (hopStart.length < m + 1) hopStart = new Int32Array(2 * (m + 1));
    // Gather the hops and build the tx context (the order relay-airtime always used).
    const origin = tx.advertNode(t);
    ctx.clear();
    ctx.add(origin);
    distinct.length = 0;
    stamp3.clear();
    let h = 0;
    for (let i = 0; i < m; i++) {
      const r = rows[from + i];
      hopStart[i] = h;
      const o = obs.observer(r);
      if (o >= 0 && o < observerNode.length) ctx.add(observerNode[o]);
      const hops = obs.hopCount(r);
      if (h + hops > codes.length) {
        const size = 2 * (h + hops);
        const c2 = new Int32Array(size);
        c2.set(codes.subarray(0, h));
        codes = c2;
        const u2 = new Int32Array(size);
        u2.set(uniq.subarray(0, h));
        uniq = u2;
      }
      for (let k = 0; k < hops; k++, h++) {
        const code = obs.hopCode(r, k);
        codes[h] = code;
        const u = resolver.uniqueCode(code);
        uniq[h] = u;
        ctx.add(u);
        if (code < 0) continue;
        const size = code >>> 24;
        if (size === 1) {
          if (stamp1[code & 255] === t) continue;
          stamp1[code & 255] = t;
          index1[code & 255] = distinct.length;
        } else if (size === 2) {
          if (stamp2[code & 0xffff] === t) continue;
          stamp2[code & 0xffff] = t;
          index2[code & 0xffff] = distinct.length;
        } else {
          if (stamp3.has(code)) continue;
          stamp3.set(code, distinct.length);
        }
        distinct.push(code);
      }
    }
    hopStart[m] = h;
    // relay-airtime: each distinct code once against the tx context.
    // Ambiguous codes: their neighbour edges into the tx context, collected once and read by
    // both views (tier 1 of any sub-context needs only these edges).
    const dc = distinct.data;
    if (edgeFrom.length < distinct.length) {
      edgeFrom = new Int32Array(2 * distinct.length);
      edgeTo = new Int32Array(2 * distinct.length);
    }
    edges.length = 0;
    for (let j = 0; j < distinct.length; j++) {
      const code = dc[j];
      let node: number;
      if (resolver.candidatesCode(code).length < 2) node = resolver.resolveCode(code, ctx);
      else {
        edgeFrom[j] = edges.length;
        resolver.collectAffinityEdges(code, ctx, edges);
        edgeTo[j] = edges.length;
        node = resolver.resolveFromEdges(code, edges, edgeFrom[j], edgeTo[j], ctx);
      }
      if (node < 0 || seen[node] === t) continue;
      seen[node] = t;
      relayNode.push(node);
    }
    relayStart[t + 1] = relayNode.length;
    // repeater-usefulness: flood routes, per observation context, evidence tiers only.
    const route = tx.routeType(t);
    if (route === 0 || route === 1) {
      floodTx++;
      for (let i = 0; i < m; i++) {
        const a = hopStart[i];
        const b = hopStart[i + 1];
        if (a === b) continue;
        let ctxReady = false;
        for (let k = a; k < b; k++) {
          let v = uniq[k];
          if (v < 0) {
            const code = codes[k];
            if (resolver.candidatesCode(code).length === 0) v = -1;
            else {
              if (!ctxReady) {
                obsCtx.clear();
                obsCtx.add(origin);
                const o = obs.observer(rows[from + i]);
                if (o >= 0 && o < observerNode.length) obsCtx.add(observerNode[o]);
                for (let q = a; q < b; q++) obsCtx.add(uniq[q]);
                ctxReady = true;
              }
              const size = code >>> 24;
              const d =
                size === 1 ? index1[code & 255] : size === 2 ? index2[code & 0xffff] : stamp3.get(code)!;
              const node = resolver.affinityFrom(code, edges, edgeFrom[d], edgeTo[d], obsCtx.mark);
              v = node >= 0 ? node : -2;
            }
          }
          if (v === -1) unresolved++;
          else if (v === -2) ambiguous++;
          else {
            attributed++;
            if (seenFlood[v] !== t) {
              seenFlood[v] = t;
              floodNode.push(v);
            }
          }
        }
      }
    }
    floodStart[t + 1] = floodNode.length;
  }
  return {
    relayStart,
    relayNode: relayNode.view(),
    floodStart,
    floodNode: floodNode.view(),
    floodTx,
    attributedHops: attributed,
    unresolvedHops: unresolved,
    ambiguousHops: ambiguous,
  };
}
