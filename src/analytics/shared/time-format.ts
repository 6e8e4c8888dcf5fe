// Time keys used in analytics responses. Inside meshlens times are epoch ms; CoreScope's
// responses carry RFC3339 text and hour keys `YYYY-MM-DDTHH` (spec analytics §3.2).

export const HOUR_MS = 3_600_000;

/** Hour bucket number (hours since the epoch, UTC). */
export function hourIndex(ms: number): number {
  return Math.floor(ms / HOUR_MS);
}

/** `YYYY-MM-DDTHH` for an hour bucket number. */
export function hourLabel(hour: number): string {
  return new Date(hour * HOUR_MS).toISOString().slice(0, 13);
}

/** RFC3339 UTC; whole seconds print as `…:SSZ` like CoreScope's `first_seen`, else with ms. */
export function rfc3339(ms: number): string {
  const s = new Date(ms).toISOString();
  return ms % 1000 === 0 ? `${s.slice(0, 19)}Z` : s;
}
