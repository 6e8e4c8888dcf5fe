// Reads observer_metrics (spec ingest-store-api §2.2) for the read model: one read-only connection
// of its own, prepared statements, and only primary-key range reads (observer_id, timestamp), so a
// request costs O(rows in its range), bounded by the caller's maxRows, never a table scan.
//
// `timestamp` is text. meshlens writes RFC3339 with milliseconds (`…T12:05:00.000Z`); CoreScope
// writes it without (`…T12:05:00Z`), and the two do not compare lexically (`.` < `Z`). The range
// is therefore widened to whole seconds on the text prefix (`>= '…T12:05:00'`, `< '…T12:05:01'`
// after the upper bound) and each row's time is parsed and checked exactly.
import type { ObserverMetricsSample } from '../records.js';
import { openDatabase, type Db } from './open.js';
import { parseTimeMs } from './time.js';

interface MetricsRow {
  timestamp: string;
  noise_floor: number | null;
  tx_air_secs: number | null;
  rx_air_secs: number | null;
  recv_errors: number | null;
  battery_mv: number | null;
  packets_sent: number | null;
  packets_recv: number | null;
  ml_uptime_secs: number | null;
}

type Query = { all(...args: unknown[]): unknown[] };

const COLUMNS =
  'timestamp, noise_floor, tx_air_secs, rx_air_secs, recv_errors, battery_mv, packets_sent, packets_recv, ml_uptime_secs';

/** The whole-second text prefix of `ms` (`2026-05-17T12:05:00`): sorts before every format of that second. */
function secondPrefix(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19);
}

export class ObserverMetricsReader {
  readonly #db: Db;
  readonly #range: Query;
  readonly #before: Query;

  /** Opens `path` read-only (the file must exist and be migrated: ml_uptime_secs is read). */
  constructor(path: string) {
    this.#db = openDatabase(path, { readonly: true });
    this.#range = this.#db.prepare(
      `SELECT ${COLUMNS} FROM observer_metrics
       WHERE observer_id = ? AND timestamp >= ? AND timestamp < ? ORDER BY timestamp DESC LIMIT ?`,
    );
    this.#before = this.#db.prepare(
      `SELECT ${COLUMNS} FROM observer_metrics
       WHERE observer_id = ? AND timestamp < ? ORDER BY timestamp DESC LIMIT 4`,
    );
  }

  samples(observerId: string, fromMs: number, toMs: number, maxRows: number): ObserverMetricsSample[] {
    if (!(toMs >= fromMs) || maxRows <= 0) return [];
    const id = observerId.toUpperCase();
    // Newest first so that the bound keeps the newest rows; one extra row per format of a second.
    const rows = this.#range.all(
      id,
      secondPrefix(fromMs),
      secondPrefix(toMs + 1000),
      maxRows + 2,
    ) as MetricsRow[];
    const out: ObserverMetricsSample[] = [];
    for (const r of rows) {
      const s = toSample(id, r);
      if (s !== null && s.atMs >= fromMs && s.atMs <= toMs) out.push(s);
    }
    out.sort((a, b) => a.atMs - b.atMs);
    return out.length > maxRows ? out.slice(out.length - maxRows) : out;
  }

  previous(observerId: string, beforeMs: number): ObserverMetricsSample | null {
    const id = observerId.toUpperCase();
    const rows = this.#before.all(id, secondPrefix(beforeMs + 1000)) as MetricsRow[];
    let best: ObserverMetricsSample | null = null;
    for (const r of rows) {
      const s = toSample(id, r);
      if (s !== null && s.atMs < beforeMs && (best === null || s.atMs > best.atMs)) best = s;
    }
    return best;
  }

  close(): void {
    this.#db.close();
  }
}

function toSample(observerId: string, r: MetricsRow): ObserverMetricsSample | null {
  const atMs = parseTimeMs(r.timestamp);
  if (atMs === null) return null;
  return {
    observerId,
    atMs,
    noiseFloor: r.noise_floor,
    txAirSecs: r.tx_air_secs,
    rxAirSecs: r.rx_air_secs,
    recvErrors: r.recv_errors,
    batteryMv: r.battery_mv,
    packetsSent: r.packets_sent,
    packetsRecv: r.packets_recv,
    uptimeSecs: r.ml_uptime_secs,
  };
}
