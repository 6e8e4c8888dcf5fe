// Intermediates that topology, distance and hash-sizes all need (spec analytics §9 item 2:
// share work between analytics): per transmission its best observation (the longest path, first
// wins on ties, §0) and its first observation (the frame hash-sizes reads hops from), and the
// hop resolver with its neighbour graph. None depends on the query, so a worker builds them once
// per data version and every analytic and query over that snapshot reuses them.
import type { AnalyticsInput } from '../inputs/input.js';
import { HopResolver } from './hop-resolver.js';
import { buildTxRelays, type TxRelays } from './tx-relays.js';

export interface PathContext {
  /** Per tx row: the best observation row, or -1 when the tx has no observation. */
  best: Int32Array;
  /** Per tx row: the first observation row (lowest row), or -1. */
  firstObs: Int32Array;
  /** Resolver over this input with the neighbour graph built from `best`. */
  resolver: HopResolver;
  /** p1: per tx, the relays its paths name (built on first use, then shared; tx-relays.ts). */
  txRelays(): TxRelays;
}

export function buildPathContext(input: AnalyticsInput): PathContext {
  const { tx, obs } = input;
  const best = new Int32Array(tx.count).fill(-1);
  const firstObs = new Int32Array(tx.count).fill(-1);
  const bestLen = new Int32Array(tx.count);
  const nTx = best.length;
  // Rows arrive in increasing order on both paths, so "first wins on ties" holds for each.
  const spans = obs.spans?.();
  if (spans) {
    for (const { start, end, txRow, hopCount } of spans) {
      for (let i = 0, n = end - start; i < n; i++) {
        const t = txRow[i];
        if (t >= nTx) continue;
        const len = hopCount[i];
        if (best[t] < 0) {
          best[t] = start + i;
          firstObs[t] = start + i;
          bestLen[t] = len;
        } else if (len > bestLen[t]) {
          best[t] = start + i;
          bestLen[t] = len;
        }
      }
    }
  } else {
    for (let r = 0, n = obs.count; r < n; r++) {
      const t = obs.txRow(r);
      if (t < 0 || t >= nTx) continue;
      const len = obs.hopCount(r);
      if (best[t] < 0) {
        best[t] = r;
        firstObs[t] = r;
        bestLen[t] = len;
      } else if (len > bestLen[t]) {
        best[t] = r;
        bestLen[t] = len;
      }
    }
  }
  const resolver = new HopResolver(input);
  resolver.buildNeighborGraph(best);
  let txRelays: TxRelays | undefined;
  return { best, firstObs, resolver, txRelays: () => (txRelays ??= buildTxRelays(input, resolver)) };
}

/** Per tx row: 1 when any observation came from a region observer (spec §1.1); null without a region. */
export function regionTransmissions(input: AnalyticsInput, regionMask: Uint8Array | null): Uint8Array | null {
  if (regionMask === null) return null;
  const { tx, obs } = input;
  const inRegion = new Uint8Array(tx.count);
  const nTx = inRegion.length;
  const spans = obs.spans?.();
  if (spans) {
    for (const { start, end, txRow, observer } of spans) {
      for (let i = 0, n = end - start; i < n; i++) {
        const t = txRow[i];
        if (t < nTx && regionMask[observer[i]] === 1) inRegion[t] = 1;
      }
    }
    return inRegion;
  }
  for (let r = 0, n = obs.count; r < n; r++) {
    const t = obs.txRow(r);
    if (t < 0 || t >= nTx) continue;
    const o = obs.observer(r);
    if (o >= 0 && regionMask[o] === 1) inRegion[t] = 1;
  }
  return inRegion;
}
