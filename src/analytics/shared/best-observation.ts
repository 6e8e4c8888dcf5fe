// One pass over the observations that yields, per transmission, its "best observation" (the
// longest path, first wins on ties: spec analytics §0) and whether any observation came from a
// region observer (spec §1.1: a tx matches a region if ANY of its observations does).
import type { AnalyticsInput } from '../inputs/input.js';

export interface ObservationScan {
  /** Per tx row: the best observation row, or -1 when the tx has no observation. */
  best: Int32Array;
  /** Per tx row: 1 when heard by a region observer; null when the query has no region. */
  inRegion: Uint8Array | null;
}

export function scanObservations(input: AnalyticsInput, regionMask: Uint8Array | null): ObservationScan {
  const { tx, obs } = input;
  const best = new Int32Array(tx.count).fill(-1);
  const bestLen = new Int32Array(tx.count);
  const inRegion = regionMask === null ? null : new Uint8Array(tx.count);
  const nTx = best.length;
  const spans = obs.spans?.();
  if (spans) {
    for (const { start, end, txRow, hopCount, observer } of spans) {
      for (let i = 0, n = end - start; i < n; i++) {
        const t = txRow[i];
        if (t >= nTx) continue;
        const len = hopCount[i];
        if (best[t] < 0 || len > bestLen[t]) {
          best[t] = start + i;
          bestLen[t] = len;
        }
        if (inRegion !== null && regionMask![observer[i]] === 1) inRegion[t] = 1;
      }
    }
    return { best, inRegion };
  }
  for (let r = 0, n = obs.count; r < n; r++) {
    const t = obs.txRow(r);
    if (t < 0 || t >= nTx) continue;
    const len = obs.hopCount(r);
    if (best[t] < 0 || len > bestLen[t]) {
      best[t] = r;
      bestLen[t] = len;
    }
    if (inRegion !== null) {
      const o = obs.observer(r);
      if (o >= 0 && regionMask![o] === 1) inRegion[t] = 1;
    }
  }
  return { best, inRegion };
}
