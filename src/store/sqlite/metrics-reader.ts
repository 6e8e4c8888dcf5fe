// Reads observer_metrics (spec ingest-store-api §2.2) for the read model: one read-only connection
// of its own, prepared statements, and only primary-key range reads (observer_id, timestamp), so a
// request costs O(rows in its range), bounded by the caller's maxRows, never a table scan.
//
// `timestamp` is text. meshlens writes RFC3339 with milliseconds (`…T12:05:00.000Z`); CoreScope
// writes it without (`…T12:05:00Z`), and the two do not compare lexically (`.` < `Z`). The range
// is therefore widened to whole seconds on the text prefix (`>= '…T12:05:00'`, `< '…T12:05:01'`
// after the upper bound) and each row's time is parsed and checked exactly.
import type { ObserverMetricsSample } from '../records.js';
import type { ObserverMetricsAggregate } from '../read-model.js';
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

// t4: the fleet-range read. The newest `?` samples of the window (timestamp index), deltas per
// observer with LAG (a reboot interval — uptime going back, or without uptime any counter going
// back, as observer-metrics.ts — contributes no delta), grouped per observer inside SQLite: the
// JS side converts one row per observer.
const FLEET_SQL = `
WITH w AS (
  SELECT observer_id AS id, timestamp AS ts, julianday(timestamp) AS jd, noise_floor AS nf, battery_mv AS bat,
         tx_air_secs AS tx, rx_air_secs AS rx, recv_errors AS err, packets_recv AS recv, ml_uptime_secs AS up
  FROM observer_metrics WHERE timestamp >= ? AND timestamp < ? ORDER BY timestamp DESC LIMIT ?
), d AS (
  SELECT *, (jd - LAG(jd) OVER p) * 86400.0 AS dt,
         tx - LAG(tx) OVER p AS dtx, rx - LAG(rx) OVER p AS drx, err - LAG(err) OVER p AS derr,
         recv - LAG(recv) OVER p AS drecv, up - LAG(up) OVER p AS dup,
         ROW_NUMBER() OVER (PARTITION BY id ORDER BY jd DESC) AS rn
  FROM w WINDOW p AS (PARTITION BY id ORDER BY jd)
), e AS (
  SELECT *, CASE WHEN dt IS NULL OR dt <= 0 THEN 0
                 WHEN dup IS NOT NULL THEN dup >= 0
                 ELSE NOT (COALESCE(dtx, 0) < 0 OR COALESCE(drx, 0) < 0 OR COALESCE(derr, 0) < 0 OR COALESCE(drecv, 0) < 0)
            END AS ok
  FROM d
)
SELECT id, COUNT(*) AS n, AVG(nf) AS nf_avg, MIN(nf) AS nf_min, MAX(nf) AS nf_max,
  MAX(CASE WHEN rn = 1 THEN nf END) AS nf_cur, MAX(CASE WHEN rn = 1 THEN bat END) AS bat_cur,
  MAX(CASE WHEN rn = 1 THEN ts END) AS last_ts, MIN(bat) AS bat_min,
  SUM(CASE WHEN ok AND dtx IS NOT NULL THEN dtx END) AS sum_tx, SUM(CASE WHEN ok AND dtx IS NOT NULL THEN dt END) AS t_tx,
  SUM(CASE WHEN ok AND drx IS NOT NULL THEN drx END) AS sum_rx, SUM(CASE WHEN ok AND drx IS NOT NULL THEN dt END) AS t_rx,
  SUM(CASE WHEN ok AND derr IS NOT NULL AND drecv IS NOT NULL THEN derr END) AS sum_err,
  SUM(CASE WHEN ok AND derr IS NOT NULL AND drecv IS NOT NULL THEN drecv END) AS sum_recv,
  SUM(CASE WHEN dt > 0 AND NOT ok THEN 1 ELSE 0 END) AS reboots
FROM e GROUP BY id ORDER BY id`;

interface FleetRow {
  id: string;
  n: number;
  nf_avg: number | null;
  nf_min: number | null;
  nf_max: number | null;
  nf_cur: number | null;
  bat_cur: number | null;
  last_ts: string | null;
  bat_min: number | null;
  sum_tx: number | null;
  t_tx: number | null;
  sum_rx: number | null;
  t_rx: number | null;
  sum_err: number | null;
  sum_recv: number | null;
  reboots: number;
}

export class ObserverMetricsReader {
  readonly #db: Db;
  #fleet: Query | null = null;
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

  /**
   * t4: per-observer aggregates over [fromMs, toMs] (whole seconds), from at most `maxRows`
   * samples, the newest; `capped` says the window held more. Cost: O(maxRows) inside SQLite.
   */
  fleetAggregates(
    fromMs: number,
    toMs: number,
    maxRows: number,
  ): { observers: ObserverMetricsAggregate[]; rows: number; capped: boolean } {
    if (!(toMs >= fromMs) || maxRows <= 0) return { observers: [], rows: 0, capped: false };
    this.#fleet ??= this.#db.prepare(FLEET_SQL);
    const rows = this.#fleet.all(secondPrefix(fromMs), secondPrefix(toMs + 1000), maxRows + 1) as FleetRow[];
    let total = 0;
    for (const r of rows) total += r.n;
    const observers = rows.map((r) => ({
      observerId: r.id,
      samples: r.n,
      lastAtMs: r.last_ts === null ? null : parseTimeMs(r.last_ts),
      noiseFloorCurrent: r.nf_cur,
      noiseFloorAvg: r.nf_avg,
      noiseFloorMin: r.nf_min,
      noiseFloorMax: r.nf_max,
      batteryMvCurrent: r.bat_cur,
      batteryMvMin: r.bat_min,
      txAirSecs: r.sum_tx,
      txAirWindowS: r.t_tx,
      rxAirSecs: r.sum_rx,
      rxAirWindowS: r.t_rx,
      recvErrors: r.sum_err,
      packetsRecv: r.sum_recv,
      reboots: r.reboots,
    }));
    return { observers, rows: Math.min(total, maxRows), capped: total > maxRows };
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
