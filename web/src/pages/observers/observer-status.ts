// Observer and MQTT-source health as the Observers pages show it: a word, a glyph and a colour
// (never colour alone), with the reason in plain text.
import type { HealthThresholds, MqttSourceItem, ObserverItem } from '../../../../src/api/contract';
import { ago, duration, NO_DATA, parseTime } from '../../app/format';

export type ObserverStatus = 'online' | 'stale' | 'offline';

/** Defaults of the server's config when /api/config/client has not answered yet. */
const DEFAULT_ONLINE_MS = 3_600_000;
const DEFAULT_STALE_MS = 86_400_000;

/** online: heard within observerOnlineMs; stale: within observerStaleMs; else offline. */
export function observerStatus(
  o: Pick<ObserverItem, 'last_seen' | 'last_packet_at'>,
  t: HealthThresholds | null | undefined,
  now = Date.now(),
): { status: ObserverStatus; reason: string } {
  const seen = Math.max(parseTime(o.last_seen) ?? -Infinity, parseTime(o.last_packet_at) ?? -Infinity);
  if (!Number.isFinite(seen)) return { status: 'offline', reason: 'never heard' };
  const age = now - seen;
  const onlineMs = t?.observerOnlineMs ?? DEFAULT_ONLINE_MS;
  const staleMs = t?.observerStaleMs ?? DEFAULT_STALE_MS;
  const status: ObserverStatus = age <= onlineMs ? 'online' : age <= staleMs ? 'stale' : 'offline';
  return { status, reason: `last heard ${ago(seen, now)}` };
}

export const STATUS_ORDER: Record<ObserverStatus, number> = { online: 0, stale: 1, offline: 2 };

export interface Radio {
  freqMhz: number | null;
  bwKhz: number | null;
  sf: number | null;
  cr: number | null;
}

/** The status message's "freq,bw,sf,cr" string (missing or unparsable parts are null). */
export function parseRadio(radio: string | null | undefined): Radio | null {
  if (!radio) return null;
  const [f, bw, sf, cr] = radio.split(',').map((p) => {
    const n = Number(p.trim());
    return p.trim() !== '' && Number.isFinite(n) ? n : null;
  });
  if (f === null && bw === null && sf === null) return null;
  return { freqMhz: f ?? null, bwKhz: bw ?? null, sf: sf ?? null, cr: cr ?? null };
}

export function radioText(radio: string | null | undefined): string {
  const r = parseRadio(radio);
  if (!r) return radio ? radio : NO_DATA;
  const parts = [
    r.freqMhz !== null ? `${r.freqMhz} MHz` : null,
    r.bwKhz !== null ? `BW ${r.bwKhz} kHz` : null,
    r.sf !== null ? `SF${r.sf}` : null,
    r.cr !== null ? `CR${r.cr}` : null,
  ];
  return parts.filter(Boolean).join(' · ');
}

export function batteryText(mv: number | null | undefined): string {
  return mv === null || mv === undefined ? NO_DATA : `${(mv / 1000).toFixed(2)} V`;
}

/** "+1.2 s", "−3 min 4 s": a clock offset with its sign. */
export function offsetText(sec: number | null | undefined): string {
  if (sec === null || sec === undefined || !Number.isFinite(sec)) return NO_DATA;
  const sign = sec < 0 ? '−' : '+';
  const abs = Math.abs(sec);
  return abs < 60 ? `${sign}${abs.toFixed(1)} s` : `${sign}${duration(abs * 1000)}`;
}

export type SourceHealth = 'receiving' | 'quiet' | 'down';
/** A packet within this long and connected = green (spec §2.7: 5 min). */
export const SOURCE_FRESH_MS = 5 * 60_000;

/** green receiving / yellow connected but quiet (the silent-while-connected case) / red down. */
export function sourceHealth(s: MqttSourceItem, now = Date.now()): { health: SourceHealth; reason: string } {
  if (!s.connected)
    return {
      health: 'down',
      reason: s.lastError ? `disconnected: ${s.lastError}` : 'disconnected',
    };
  const last = s.lastPacketUnix > 0 ? s.lastPacketUnix * 1000 : null;
  if (last === null) return { health: 'quiet', reason: 'connected, but silent: no message yet' };
  if (s.silent || now - last > SOURCE_FRESH_MS)
    return { health: 'quiet', reason: `connected, but silent: last message ${ago(last, now)}` };
  return { health: 'receiving', reason: `receiving: last message ${ago(last, now)}` };
}
