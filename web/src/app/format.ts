// Formatting for people: relative times with the absolute one at hand, units always shown,
// "no data" instead of a misleading zero.
export const NO_DATA = '—';

export function parseTime(t: string | number | null | undefined): number | null {
  if (t === null || t === undefined || t === '') return null;
  const ms = typeof t === 'number' ? t : Date.parse(t);
  return Number.isFinite(ms) ? ms : null;
}

/** "12 s ago", "3 min ago", "5 h ago", "2 d ago" (future times: "in …"). */
export function ago(t: string | number | null | undefined, now = Date.now()): string {
  const ms = parseTime(t);
  if (ms === null) return 'never';
  const d = Math.round((now - ms) / 1000);
  const abs = Math.abs(d);
  const s =
    abs < 60
      ? `${abs} s`
      : abs < 3600
        ? `${Math.floor(abs / 60)} min`
        : abs < 86400 * 2
          ? `${Math.floor(abs / 3600)} h`
          : `${Math.floor(abs / 86400)} d`;
  return d >= 0 ? `${s} ago` : `in ${s}`;
}

/** A duration in ms as "3 h 5 min". */
export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
}

export function isoUtc(t: string | number | null | undefined): string {
  const ms = parseTime(t);
  return ms === null
    ? NO_DATA
    : new Date(ms)
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, ' UTC');
}

export function localTime(t: string | number | null | undefined): string {
  const ms = parseTime(t);
  return ms === null ? NO_DATA : new Date(ms).toLocaleString();
}

const nf = new Intl.NumberFormat();
export function count(n: number | null | undefined): string {
  return n === null || n === undefined || !Number.isFinite(n) ? NO_DATA : nf.format(n);
}

/** A number with its unit: "5.25 dB", "−112 dBm"; null -> "—". */
export function unit(n: number | null | undefined, u: string, digits = 1): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return NO_DATA;
  return `${n.toFixed(digits).replace('-', '−')} ${u}`;
}

export const snr = (n: number | null | undefined) => unit(n, 'dB', 2);
export const rssi = (n: number | null | undefined) => unit(n, 'dBm', 0);
export const km = (n: number | null | undefined) => unit(n, 'km', 1);

/** The first `n` hex characters of a key, for tables (the full key is in the title). */
export const shortKey = (pk: string | null | undefined, n = 8) =>
  pk ? pk.slice(0, n).toUpperCase() : NO_DATA;

/** Parses a JSON string column (decoded_json, path_json) without throwing. */
export function safeJson<T>(s: string | null | undefined, fallback: T): T {
  if (!s) return fallback;
  try {
    return JSON.parse(s) as T;
  } catch {
    return fallback;
  }
}
