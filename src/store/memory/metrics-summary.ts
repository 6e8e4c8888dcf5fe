// t4: the RF-health fleet summary (GET /api/observers/metrics/summary): the observer_metrics
// source's bounded fleet-range read (per-observer aggregates computed inside SQLite from at most
// MAX_FLEET_SAMPLES samples, the newest), joined with the visible observers of the regions.
import type {
  ObserverMetricsSource,
  ObserverMetricsSummary,
  ObserverMetricsSummaryEntry,
  ObserverMetricsSummaryQuery,
} from '../read-model.js';
import type { MemoryStore } from './memory-store.js';

/** Samples read per request at most (~17 days of 5-minute samples for 10 observers). */
export const MAX_FLEET_SAMPLES = 50_000;

export function observerMetricsSummary(
  store: MemoryStore,
  source: ObserverMetricsSource | null,
  q: ObserverMetricsSummaryQuery,
  visible: (row: number) => boolean,
): ObserverMetricsSummary {
  if (source === null || !source.fleetAggregates) return { observers: [], samplesRead: 0, capped: false };
  const { observers, rows, capped } = source.fleetAggregates(q.fromMs, q.toMs, MAX_FLEET_SAMPLES);
  const regions = q.regions ? new Set(q.regions) : null;
  const out: ObserverMetricsSummaryEntry[] = [];
  for (const metrics of observers) {
    let row = store.observerRow(metrics.observerId);
    if (row === -1) row = store.observerRow(metrics.observerId.toUpperCase());
    if (row === -1 || !visible(row)) continue;
    const observer = store.observer(row);
    if (regions && !regions.has((observer.iata ?? '').trim().toUpperCase())) continue;
    const status =
      metrics.lastAtMs === null || q.toMs - metrics.lastAtMs > q.offlineAfterMs
        ? 'offline'
        : metrics.batteryMvCurrent !== null && metrics.batteryMvCurrent < q.lowBatteryMv
          ? 'low_battery'
          : 'normal';
    out.push({ observer, metrics, status });
  }
  return { observers: out, samplesRead: rows, capped };
}
