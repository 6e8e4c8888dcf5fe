// Who hears a node and how well (/api/nodes/:pubkey/health), over a window of its newest
// advert transmissions: O(window × observations per transmission).
import type { NodeHealth, NodeHearing } from '../read-model.js';
import type { MemoryStore } from './memory-store.js';
import {
  bestObservation,
  obsRssi,
  obsSnr,
  observerIata,
  observerIdOf,
  observerName,
} from './transmission-summary.js';

const DAY_MS = 86_400_000;
const round = (v: number) => Math.round(v * 100) / 100;

interface Tally {
  count: number;
  snr: number;
  snrN: number;
  rssi: number;
  rssiN: number;
  first: number;
  last: number;
}

export function nodeHealth(
  store: MemoryStore,
  txRows: readonly number[],
  nowMs: number,
): {
  observers: NodeHearing[];
  stats: Pick<NodeHealth['stats'], 'totalObservations' | 'packetsToday' | 'avgSnr' | 'avgHops'>;
} {
  const perObserver = new Map<number, Tally>();
  let observations = 0;
  let snrSum = 0;
  let snrN = 0;
  let hopSum = 0;
  let today = 0;
  for (const tx of txRows) {
    if (store.tx.get('firstSeenMs', tx) >= nowMs - DAY_MS) today++;
    const best = bestObservation(store, tx);
    if (best !== -1) hopSum += store.obs.get('hopCount', best);
    for (const o of store.observationRows(tx)) {
      observations++;
      const obsRow = store.obs.get('observer', o);
      let agg = perObserver.get(obsRow);
      if (!agg)
        perObserver.set(
          obsRow,
          (agg = { count: 0, snr: 0, snrN: 0, rssi: 0, rssiN: 0, first: Infinity, last: -Infinity }),
        );
      agg.count++;
      const rx = store.obs.get('rxMs', o);
      if (rx < agg.first) agg.first = rx;
      if (rx > agg.last) agg.last = rx;
      const snr = obsSnr(store, o);
      const rssi = obsRssi(store, o);
      if (snr !== null) {
        agg.snr += snr;
        agg.snrN++;
        snrSum += snr;
        snrN++;
      }
      if (rssi !== null) {
        agg.rssi += rssi;
        agg.rssiN++;
      }
    }
  }
  const observers = [...perObserver.entries()]
    .map(([obsRow, a]) => ({
      observerId: observerIdOf(store, obsRow),
      observerName: observerName(store, obsRow),
      iata: observerIata(store, obsRow),
      count: a.count,
      avgSnr: a.snrN ? round(a.snr / a.snrN) : null,
      avgRssi: a.rssiN ? round(a.rssi / a.rssiN) : null,
      firstSeenMs: a.first,
      lastSeenMs: a.last,
    }))
    .sort((a, b) => b.count - a.count || (a.observerId < b.observerId ? -1 : 1));
  return {
    observers,
    stats: {
      totalObservations: observations,
      packetsToday: today,
      avgSnr: snrN ? round(snrSum / snrN) : null,
      avgHops: txRows.length ? round(hopSum / txRows.length) : null,
    },
  };
}
