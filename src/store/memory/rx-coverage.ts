// Hex binning of mobile client receptions (spec ingest-store-api §4.2 rx-coverage): pointy-top
// hexagons laid out in Web Mercator pixels at the requested zoom (radius HEX_PX pixels), so a
// cell covers the same screen area at every zoom. The rows come from a ReceptionSource (the
// SQLite client_receptions table, store/sqlite/client-receptions.ts), read newest first and
// capped, so a request bins at most `rowCap` rows.
import type {
  ClientReception,
  ReceptionSource,
  RxCell,
  RxCoverage,
  RxCoverageQuery,
  RxLeader,
} from '../read-model.js';

/** Hexagon circumradius in Mercator pixels (256-pixel tiles). */
export const HEX_PX = 16;
/** Rows binned per request at most. */
export const RX_ROW_CAP = 50_000;

const SQRT3 = Math.sqrt(3);

function toPixel(lat: number, lon: number, zoom: number): [number, number] {
  const world = 256 * 2 ** zoom;
  const clamped = Math.max(-85.05112878, Math.min(85.05112878, lat));
  const s = Math.sin((clamped * Math.PI) / 180);
  const x = ((lon + 180) / 360) * world;
  const y = (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * world;
  return [x, y];
}

function toLonLat(x: number, y: number, zoom: number): [number, number] {
  const world = 256 * 2 ** zoom;
  const lon = (x / world) * 360 - 180;
  const n = Math.PI - (2 * Math.PI * y) / world;
  const lat = (180 / Math.PI) * Math.atan(Math.sinh(n));
  return [round6(lon), round6(lat)];
}

const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

/** Axial (q, r) of the hexagon containing a pixel (cube rounding). */
export function hexOf(lat: number, lon: number, zoom: number): [number, number] {
  const [x, y] = toPixel(lat, lon, zoom);
  const qf = ((SQRT3 / 3) * x - y / 3) / HEX_PX;
  const rf = ((2 / 3) * y) / HEX_PX;
  const sf = -qf - rf;
  let q = Math.round(qf);
  let r = Math.round(rf);
  const s = Math.round(sf);
  const dq = Math.abs(q - qf);
  const dr = Math.abs(r - rf);
  const ds = Math.abs(s - sf);
  if (dq > dr && dq > ds) q = -r - s;
  else if (dr > ds) r = -q - s;
  return [q, r];
}

/** The hexagon's centre and closed ring of [lon, lat] vertices. */
export function hexRing(
  q: number,
  r: number,
  zoom: number,
): { center: [number, number]; ring: Array<[number, number]> } {
  const cx = HEX_PX * SQRT3 * (q + r / 2);
  const cy = HEX_PX * 1.5 * r;
  const ring: Array<[number, number]> = [];
  for (let i = 0; i < 6; i++) {
    const a = (Math.PI / 180) * (60 * i - 30);
    ring.push(toLonLat(cx + HEX_PX * Math.cos(a), cy + HEX_PX * Math.sin(a), zoom));
  }
  ring.push(ring[0]);
  return { center: toLonLat(cx, cy, zoom), ring };
}

/** Every stored form of a full key a reception may name it by: 1-3 byte prefixes and the key. */
export function heardKeyForms(key: string): string[] {
  const k = key.toLowerCase();
  const forms = new Set<string>();
  for (const n of [2, 4, 6, k.length]) if (n <= k.length) forms.add(k.slice(0, n));
  return [...forms].flatMap((f) => [f, f.toUpperCase()]);
}

interface Acc {
  q: number;
  r: number;
  count: number;
  snrSum: number;
  snrN: number;
  bestSnr: number | null;
  bestRssi: number | null;
  receivers: Set<string>;
  nodes: Set<string>;
  lastRxMs: number;
}

/** Bins receptions into hexagons, most receptions first (then north-west first). */
export function binReceptions(rows: readonly ClientReception[], zoom: number): RxCell[] {
  const cells = new Map<string, Acc>();
  for (const row of rows) {
    const [q, r] = hexOf(row.lat, row.lon, zoom);
    const id = `${q},${r}`;
    let a = cells.get(id);
    if (!a) {
      a = {
        q,
        r,
        count: 0,
        snrSum: 0,
        snrN: 0,
        bestSnr: null,
        bestRssi: null,
        receivers: new Set(),
        nodes: new Set(),
        lastRxMs: -Infinity,
      };
      cells.set(id, a);
    }
    a.count++;
    if (row.snr !== null) {
      a.snrSum += row.snr;
      a.snrN++;
      if (a.bestSnr === null || row.snr > a.bestSnr) a.bestSnr = row.snr;
    }
    if (row.rssi !== null && (a.bestRssi === null || row.rssi > a.bestRssi)) a.bestRssi = row.rssi;
    a.receivers.add(row.rxPubkey.toLowerCase());
    a.nodes.add(row.heardKey.toLowerCase());
    if (row.rxMs > a.lastRxMs) a.lastRxMs = row.rxMs;
  }
  return [...cells.values()]
    .sort((x, y) => y.count - x.count || x.r - y.r || x.q - y.q)
    .map((a) => ({
      ...hexRing(a.q, a.r, zoom),
      count: a.count,
      bestSnr: a.bestSnr,
      avgSnr: a.snrN === 0 ? null : Math.round((a.snrSum / a.snrN) * 100) / 100,
      bestRssi: a.bestRssi,
      receivers: a.receivers.size,
      nodes: a.nodes.size,
      lastRxMs: a.lastRxMs,
    }));
}

/** The read model's rx-coverage answer: a bounded read, then binning. */
export function rxCoverage(source: ReceptionSource | null, q: RxCoverageQuery): RxCoverage {
  if (!source) return { cells: [], receptions: 0, truncated: false };
  const rows = source.receptions({
    sinceMs: q.sinceMs,
    bbox: q.bbox,
    heardKeys: q.node === null ? null : heardKeyForms(q.node),
    rx: q.rx,
    limit: RX_ROW_CAP + 1,
  });
  const truncated = rows.length > RX_ROW_CAP;
  const kept = truncated ? rows.slice(0, RX_ROW_CAP) : rows;
  return { cells: binReceptions(kept, q.zoom), receptions: kept.length, truncated };
}

export function rxLeaderboard(
  source: ReceptionSource | null,
  q: { sinceMs: number; limit: number },
): RxLeader[] {
  return source ? source.leaderboard({ ...q, rowCap: RX_ROW_CAP }) : [];
}
