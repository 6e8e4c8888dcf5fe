// Transmissions and observations as the read model hands them out: whole records plus the
// observer's display fields and the display observation. Each costs O(the transmission's
// observations), never O(dataset); the objects per item are the ones the API's render built
// before (record, best observation, one wrapper).
import type { PacketDetailOptions, Sighting, TransmissionSummary } from '../read-model.js';
import { I16_NULL, NONE } from './layout.js';
import type { MemoryStore } from './memory-store.js';

export function observerName(store: MemoryStore, observerRow: number): string | null {
  return store.interns.names.get(store.observers.get('name', observerRow));
}
export function observerIata(store: MemoryStore, observerRow: number): string | null {
  return store.interns.regions.get(store.observers.get('iata', observerRow));
}
/** Observer id of an observer row ('' when unknown). */
export function observerIdOf(store: MemoryStore, observerRow: number): string {
  return store.interns.observers.get(observerRow) ?? '';
}

/** An observation row with its observer's name and IATA. */
export function sighting(store: MemoryStore, row: number): Sighting {
  const observer = store.obs.get('observer', row);
  return {
    observation: store.observation(row),
    observerName: observerName(store, observer),
    observerIata: observerIata(store, observer),
  };
}

/** The display observation (spec §3.1): the longest path, earliest on ties; -1 when none. */
export function bestObservation(store: MemoryStore, txRow: number): number {
  let best = -1;
  let bestHops = -1;
  for (let r = store.tx.get('firstObs', txRow); r !== NONE; r = store.obs.get('nextOfTx', r)) {
    const hops = store.obs.get('hopCount', r);
    if (hops > bestHops) {
      best = r;
      bestHops = hops;
    }
  }
  return best;
}

/** Distinct observers of a transmission (for groupByHash). */
export function observerCount(store: MemoryStore, txRow: number): number {
  const seen = new Set<number>();
  for (let r = store.tx.get('firstObs', txRow); r !== NONE; r = store.obs.get('nextOfTx', r))
    seen.add(store.obs.get('observer', r));
  return seen.size;
}

export function transmissionSummary(
  store: MemoryStore,
  txRow: number,
  detail?: PacketDetailOptions,
): TransmissionSummary {
  const best = bestObservation(store, txRow);
  const observer = best === -1 ? -1 : store.obs.get('observer', best);
  const summary: TransmissionSummary = {
    transmission: store.transmission(txRow),
    observationCount: store.tx.get('obsCount', txRow),
    best: best === -1 ? null : store.observation(best),
    bestObserverName: observer === -1 ? null : observerName(store, observer),
    bestObserverIata: observer === -1 ? null : observerIata(store, observer),
  };
  if (detail?.observations)
    summary.observations = store.observationRows(txRow).map((r) => sighting(store, r));
  if (detail?.observerCount) summary.observerCount = observerCount(store, txRow);
  return summary;
}

/** SNR / RSSI of an observation row in dB, or null (stored as quarter-dB). */
export function obsSnr(store: MemoryStore, row: number): number | null {
  const q = store.obs.get('snr', row);
  return q === I16_NULL ? null : q / 4;
}
export function obsRssi(store: MemoryStore, row: number): number | null {
  const q = store.obs.get('rssi', row);
  return q === I16_NULL ? null : q / 4;
}
