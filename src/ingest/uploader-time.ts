// The uploader's envelope timestamp (spec ingest-store-api §1.8). Packets are stored at server
// receive time (#1370); this value is kept separately for the clock-skew analytics.

/** Zoned values more than this far ahead are rejected (14 h, spec §1.8). */
export const maxFutureMs = 14 * 3600_000;
/** Values older than this are rejected as an RTC reset (30 days, spec §1.8). */
export const maxPastMs = 30 * 86400_000;
/** Naive (zone-less) values further than this from server time are clamped (15 min). */
export const naiveToleranceMs = 15 * 60_000;

export type UploaderTimeStatus =
  'absent' | 'accepted' | 'clamped' | 'unparseable' | 'too_far_future' | 'too_far_past';

export interface UploaderTime {
  status: UploaderTimeStatus;
  /** The accepted (possibly clamped) uploader time, epoch ms; null when absent or rejected. */
  timestampMs: number | null;
  /** True for an ISO string without a zone (Python isoformat()), read as UTC. */
  naive: boolean;
  /** Parsed time minus server time (ms, signed), whenever the value parsed. */
  skewMs: number | null;
}

const iso =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Parses an RFC 3339 / ISO 8601 string strictly; null when it is not one. */
export function parseIsoTime(text: string): { ms: number; naive: boolean } | null {
  const m = iso.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s = '0', frac = '', zone] = m;
  const ms = Math.round(Number(`0${frac || '.0'}`) * 1000);
  const local = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, ms);
  const back = new Date(local);
  // Reject rolled-over dates such as Feb 30 or 25:00.
  if (back.getUTCMonth() !== +mo - 1 || back.getUTCDate() !== +d || +h > 23 || +mi > 59 || +s > 60)
    return null;
  if (zone === undefined) return { ms: local, naive: true };
  if (zone === 'Z' || zone === 'z') return { ms: local, naive: false };
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offsetMin = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0');
  return { ms: local - sign * offsetMin * 60_000, naive: false };
}

/**
 * Applies the §1.8 rules to an envelope `timestamp` (ISO string, or epoch seconds/ms as a
 * number) received at server time `nowMs`.
 */
export function resolveUploaderTime(value: unknown, nowMs: number): UploaderTime {
  if (value === undefined || value === null || value === '') return result('absent', null, false, null);
  let parsed: { ms: number; naive: boolean } | null = null;
  if (typeof value === 'string') parsed = parseIsoTime(value);
  else if (typeof value === 'number' && Number.isFinite(value) && value > 0)
    // Epoch seconds until 2286; anything larger is already milliseconds.
    parsed = { ms: value < 1e10 ? value * 1000 : value, naive: false };
  if (parsed === null) return result('unparseable', null, false, null);

  const skewMs = parsed.ms - nowMs;
  if (skewMs > maxFutureMs) return result('too_far_future', null, parsed.naive, skewMs);
  if (skewMs < -maxPastMs) return result('too_far_past', null, parsed.naive, skewMs);
  if (parsed.naive && Math.abs(skewMs) > naiveToleranceMs) return result('clamped', nowMs, true, skewMs);
  if (!parsed.naive && skewMs > 0) return result('clamped', nowMs, false, skewMs);
  return result('accepted', parsed.ms, parsed.naive, skewMs);
}

function result(
  status: UploaderTimeStatus,
  timestampMs: number | null,
  naive: boolean,
  skewMs: number | null,
) {
  return { status, timestampMs, naive, skewMs };
}

/**
 * The uploader's time as it sent it, for the clock analytics: a value CoreScope clamps to the
 * server time (zoned but ahead, naive and far off, spec §1.8) is kept as sent, because packets
 * are stored at server receive time anyway and the clamp would hide exactly the clocks the
 * analytics must find. Implausible values (beyond 14 h ahead or 30 days behind) stay null.
 */
export function uploaderSentMs(t: UploaderTime, nowMs: number): number | null {
  return (t.status === 'accepted' || t.status === 'clamped') && t.skewMs !== null ? nowMs + t.skewMs : null;
}

/**
 * The naive-clock event a timestamp makes (spec analytics §6.7): the signed offset (ms) when the
 * value was naive and clamped for being more than 15 min off server time, else null. A naive
 * value beyond the 14 h / 30 day limits is rejected before that rule and records nothing.
 */
export function naiveClockSkewMs(t: UploaderTime): number | null {
  return t.status === 'clamped' && t.naive ? t.skewMs : null;
}
