// A node's battery readings (spec ingest-store-api §4.2 /nodes/{pubkey}/battery): the status
// samples of the observer with the node's public key (observer_metrics.battery_mv, when the
// node's radio also uploads) and the battery telemetry of the node's own adverts in the store
// (decoded `battery_mv`). Adverts are walked through the node's advert row list only, newest
// first, so the cost is that node's adverts, never the dataset.
import type { BatterySample, ObserverMetricsSource } from '../read-model.js';
import type { MemoryStore } from './memory-store.js';

/** Observer samples read at most (a year of 5-minute buckets). */
export const MAX_BATTERY_SAMPLES = 105_120;

export function nodeBatterySamples(
  store: MemoryStore,
  nodeRow: number,
  publicKey: string,
  sinceMs: number,
  untilMs: number,
  metrics: ObserverMetricsSource | null,
): BatterySample[] {
  const out: BatterySample[] = [];
  if (metrics !== null) {
    for (const s of metrics.samples(publicKey.toUpperCase(), sinceMs, untilMs, MAX_BATTERY_SAMPLES)) {
      if (s.batteryMv !== null && s.batteryMv > 0)
        out.push({ atMs: s.atMs, batteryMv: s.batteryMv, source: 'observer' });
    }
  }
  const adverts = store.indexes.byAdvertNode.get(nodeRow);
  if (adverts) {
    for (let k = adverts.length - 1; k >= 0; k--) {
      const row = adverts.at(k);
      const at = store.txFirstSeen(row);
      if (!(at >= sinceMs && at <= untilMs)) continue;
      const json = store.transmission(row).decodedJson;
      if (!json.includes('"battery_mv"')) continue;
      let mv: unknown;
      try {
        mv = (JSON.parse(json) as { battery_mv?: unknown }).battery_mv;
      } catch {
        continue;
      }
      if (typeof mv === 'number' && mv > 0) out.push({ atMs: at, batteryMv: mv, source: 'advert' });
    }
  }
  return out.sort((a, b) => a.atMs - b.atMs || (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
}
