// Time conversions at the SQLite boundary. Inside meshlens every time is epoch ms; CoreScope's
// columns mix RFC3339 text with and without milliseconds, SQLite `datetime()` text and epoch
// seconds (spec ingest-store-api §1.8), so reads accept all of them and writes produce exactly
// CoreScope's formats.

/** Epoch ms -> RFC3339 UTC text with milliseconds (`2026-05-17T18:13:27.535Z`). */
export function toRfc3339(ms: number): string {
  return new Date(ms).toISOString();
}

/** Epoch ms -> whole epoch seconds, as CoreScope stores `observations.timestamp`. */
export function toEpochSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}

/** Epoch ms -> SQLite `datetime()` text (`2026-05-17 18:13:27`), CoreScope's DATETIME default. */
export function toSqliteDatetime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

// Numbers below this are epoch seconds, above it epoch ms (1e11 s is the year 5138, 1e11 ms is 1973).
const SECONDS_LIMIT = 1e11;
const DATE_TEXT =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Any CoreScope time value -> epoch ms, or null when absent or unparseable. Text without a zone
 * is UTC (that is what SQLite's `datetime()` and CoreScope's writers mean by it).
 */
export function parseTimeMs(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'bigint') {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) return null;
    return n < SECONDS_LIMIT ? Math.round(n * 1000) : Math.round(n);
  }
  if (typeof value !== 'string') return null;
  const s = value.trim();
  if (s === '') return null;
  if (/^\d+(\.\d+)?$/.test(s)) return parseTimeMs(Number(s));
  const m = DATE_TEXT.exec(s);
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', sec = '0', frac = '', zone] = m;
  let ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +sec, Math.floor(Number(`0.${frac || '0'}`) * 1000));
  if (!Number.isFinite(ms) || +mo < 1 || +mo > 12 || +d < 1 || +d > 31 || +h > 23 || +mi > 59 || +sec > 60)
    return null;
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return ms;
}

/**
 * SQL expression giving a time column as epoch ms, matching `parseTimeMs` for the formats
 * CoreScope writes (numbers as epoch seconds, text as ISO/SQLite datetime). Used by retention so
 * that a cutoff is exact even where the text formats would not compare lexically.
 */
export function sqlTimeMs(column: string): string {
  return (
    `(CASE typeof(${column}) WHEN 'text' THEN CAST(round(unixepoch(${column}, 'subsec') * 1000) AS INTEGER) ` +
    `WHEN 'integer' THEN (CASE WHEN ${column} < ${SECONDS_LIMIT} THEN ${column} * 1000 ELSE ${column} END) ` +
    `WHEN 'real' THEN CAST(round(CASE WHEN ${column} < ${SECONDS_LIMIT} THEN ${column} * 1000 ELSE ${column} END) AS INTEGER) ` +
    `ELSE NULL END)`
  );
}
