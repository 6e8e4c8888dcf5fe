// GET /api/analytics/relay-airtime-share (spec analytics §7.6): per payload type, over the distinct
// transmissions whose first_seen is in the window, the count and the relay airtime score =
// Σ LoRa time-on-air(frame bytes, preset) × distinct resolved relays. "Relays" are the nodes the
// shared HopResolver resolves the transmission's hops to, over every observation's path (one
// per-transmission context: sender, observers' nodes, uniquely resolved hops); a hop with no
// candidate node (a repeater that never advertised, an unknown prefix) is not counted, so the
// score is a lower bound of the airtime the mesh really spent. Each relay transmits a flood once,
// hence distinct nodes, not hop occurrences.
//
// Passes: the shared per-tx relays (PathContext.txRelays(), shared/tx-relays.ts: each distinct
// hop code of a tx resolved once against its context) → `tallyTypes` (per tx: time on air ×
// distinct relays, summed per type) → `rows` (shares, airtime order).
import type { AnalyticsInput } from '../inputs/input.js';
import type { AnalyticsQuery } from '../shared/query.js';
import type { PathContext } from '../shared/path-context.js';
import { inWindow } from '../shared/query-filters.js';
import { payloadTypeName } from '../shared/payload-names.js';
import { airtimeMs } from '../../protocol/airtime.js';

/** `analytics.loraPreset` (config): frequency in Hz, bandwidth kHz, SF, coding-rate denominator. */
export interface LoraPreset {
  freq: number;
  bw: number;
  sf: number;
  cr: number;
}

export const DEFAULT_LORA_PRESET: LoraPreset = Object.freeze({ freq: 869.6e6, bw: 62.5, sf: 8, cr: 5 });

export interface AirtimeRow {
  payload_type: string;
  type: number;
  count: number;
  count_pct: number;
  /** Σ time-on-air (ns) × distinct resolved relays. */
  score: number;
  airtime_pct: number;
  /** Σ distinct resolved relays over the type's transmissions (meshlens addition). */
  relays: number;
}

export interface RelayAirtimeResponse {
  rows: AirtimeRow[];
  total_count: number;
  total_score: number;
  preset: LoraPreset;
  /** The window label (`24h`, …), `custom` for from/to bounds, null for all data. */
  window: string | null;
  /** True for the background snapshot (default shape), false when computed for this shape. */
  cached: boolean;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

/** Per payload type: transmissions, Σ relays, Σ airtime score (ns). */
interface TypeTally {
  count: Map<number, number>;
  relays: Map<number, number>;
  score: Map<number, number>;
}

function tallyTypes(
  input: AnalyticsInput,
  query: AnalyticsQuery,
  paths: PathContext,
  preset: LoraPreset,
): TypeTally {
  const { tx } = input;
  const { relayStart } = paths.txRelays();
  const toaNsByLen = new Map<number, number>();
  const tally: TypeTally = { count: new Map(), relays: new Map(), score: new Map() };
  for (let t = 0; t < tx.count; t++) {
    if (!inWindow(tx.firstSeenMs(t), query)) continue;
    const type = tx.payloadType(t);
    const len = tx.rawLength(t);
    let toaNs = toaNsByLen.get(len);
    if (toaNs === undefined) {
      toaNs = Math.round(
        airtimeMs({
          payloadBytes: len,
          bandwidthKhz: preset.bw,
          spreadingFactor: preset.sf,
          codingRate: preset.cr,
        }) * 1e6,
      );
      toaNsByLen.set(len, toaNs);
    }
    const relays = relayStart[t + 1] - relayStart[t];
    tally.count.set(type, (tally.count.get(type) ?? 0) + 1);
    tally.relays.set(type, (tally.relays.get(type) ?? 0) + relays);
    tally.score.set(type, (tally.score.get(type) ?? 0) + toaNs * relays);
  }
  return tally;
}

export function computeRelayAirtime(
  input: AnalyticsInput,
  query: AnalyticsQuery,
  paths: PathContext,
  preset: LoraPreset = DEFAULT_LORA_PRESET,
): RelayAirtimeResponse {
  const tally = tallyTypes(input, query, paths, preset);
  let totalCount = 0;
  let totalScore = 0;
  for (const c of tally.count.values()) totalCount += c;
  for (const s of tally.score.values()) totalScore += s;
  const rows: AirtimeRow[] = [...tally.count.keys()].map((type) => {
    const count = tally.count.get(type)!;
    const score = tally.score.get(type)!;
    return {
      payload_type: payloadTypeName(type),
      type,
      count,
      count_pct: totalCount > 0 ? round1((count / totalCount) * 100) : 0,
      score,
      airtime_pct: totalScore > 0 ? round1((score / totalScore) * 100) : 0,
      relays: tally.relays.get(type)!,
    };
  });
  rows.sort((a, b) => b.score - a.score || b.count - a.count || a.type - b.type);
  const isDefault = query.fromMs === null && query.toMs === null;
  return {
    rows,
    total_count: totalCount,
    total_score: totalScore,
    preset: { freq: preset.freq, bw: preset.bw, sf: preset.sf, cr: preset.cr },
    window: query.window ?? (isDefault ? null : 'custom'),
    cached: isDefault,
  };
}
