// Reads of client_receptions / client_observers (spec ingest-store-api §2.2) for the opt-in RX
// coverage routes, on a read-only connection of its own (WAL: readers never block the writer).
// Every query is bounded: rx_at >= the window start (idx_client_receptions_rx_at), newest
// first, LIMIT a row cap. rx_at is expected as RFC3339 UTC text, as the rest of CoreScope's
// text times; rows whose rx_at does not parse are skipped.
import type { ClientReception, GeoBox, ReceptionSource, RxLeader } from '../read-model.js';
import { openDatabase, type Db } from './open.js';
import { parseTimeMs } from './time.js';

interface Row {
  rx_pubkey: string | null;
  heard_key: string | null;
  rssi: number | null;
  snr: number | null;
  lat: number;
  lon: number;
  rx_at: unknown;
}

/** The window start as text that sorts at or before every RFC3339 form of the same second. */
const sinceText = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19);

export class ClientReceptionReader implements ReceptionSource {
  #db: Db | null = null;

  constructor(private readonly path: string) {}

  /** Opened on first use (the routes are off unless clientRxCoverage.enabled). */
  get #conn(): Db {
    this.#db ??= openDatabase(this.path, { readonly: true });
    return this.#db;
  }

  receptions(f: {
    sinceMs: number;
    bbox: GeoBox | null;
    heardKeys: string[] | null;
    rx: string | null;
    limit: number;
  }): ClientReception[] {
    const where = ['rx_at >= ?'];
    const args: unknown[] = [sinceText(f.sinceMs)];
    if (f.bbox) {
      where.push('lat BETWEEN ? AND ?', 'lon BETWEEN ? AND ?');
      args.push(f.bbox.minLat, f.bbox.maxLat, f.bbox.minLon, f.bbox.maxLon);
    }
    if (f.heardKeys) {
      where.push(`heard_key IN (${f.heardKeys.map(() => '?').join(',')})`);
      args.push(...f.heardKeys);
    }
    if (f.rx !== null) {
      where.push('rx_pubkey IN (?, ?)');
      args.push(f.rx.toLowerCase(), f.rx.toUpperCase());
    }
    const rows = this.#conn
      .prepare(
        `SELECT rx_pubkey, heard_key, rssi, snr, lat, lon, rx_at FROM client_receptions
         WHERE ${where.join(' AND ')} ORDER BY rx_at DESC LIMIT ?`,
      )
      .all(...args, f.limit) as Row[];
    const out: ClientReception[] = [];
    for (const r of rows) {
      const rxMs = parseTimeMs(r.rx_at);
      if (rxMs === null || rxMs < f.sinceMs || r.rx_pubkey === null || r.heard_key === null) continue;
      out.push({
        rxPubkey: r.rx_pubkey,
        heardKey: r.heard_key,
        rssi: r.rssi,
        snr: r.snr,
        lat: r.lat,
        lon: r.lon,
        rxMs,
      });
    }
    return out;
  }

  leaderboard(f: { sinceMs: number; limit: number; rowCap: number }): RxLeader[] {
    const rows = this.#conn
      .prepare(
        `SELECT r.rx_pubkey AS rx, COUNT(*) AS n, COUNT(DISTINCT lower(r.heard_key)) AS heard,
                MAX(r.snr) AS best_snr, MAX(r.rx_at) AS last_rx, c.name AS name
         FROM (SELECT rx_pubkey, heard_key, snr, rx_at FROM client_receptions
               WHERE rx_at >= ? AND rx_pubkey IS NOT NULL ORDER BY rx_at DESC LIMIT ?) r
         LEFT JOIN client_observers c ON lower(c.pubkey) = lower(r.rx_pubkey)
         GROUP BY lower(r.rx_pubkey) ORDER BY n DESC, rx LIMIT ?`,
      )
      .all(sinceText(f.sinceMs), f.rowCap, f.limit) as Array<{
      rx: string;
      n: number;
      heard: number;
      best_snr: number | null;
      last_rx: unknown;
      name: string | null;
    }>;
    return rows.map((r) => ({
      rxPubkey: r.rx,
      name: r.name,
      receptions: r.n,
      nodesHeard: r.heard,
      bestSnr: r.best_snr,
      lastRxMs: parseTimeMs(r.last_rx),
    }));
  }

  close(): void {
    this.#db?.close();
    this.#db = null;
  }
}
