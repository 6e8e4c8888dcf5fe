// Merging the live feed into a channel's message list: a GRP_TXT the server decrypted carries
// channel / sender / text in its decoded_json. A new hash is a new message; another observation
// of a known hash raises its "N× heard" (the feed's observation_count is the count so far).
import type { ChannelMessageItem, LivePacketData } from '../../../../src/api/contract';
import { safeJson } from '../../app/format';

interface DecodedChan {
  channel?: string;
  text?: string;
  sender?: string;
  sender_timestamp?: number;
  decryptionStatus?: string;
}

/** The channel name of a live packet the server decrypted, else null. */
export function liveChannel(p: LivePacketData): { channel: string; decoded: DecodedChan } | null {
  if (p.payload_type !== 5) return null;
  const d = safeJson<DecodedChan>(p.decoded_json, {});
  if (typeof d.channel !== 'string' || typeof d.text !== 'string') return null;
  return { channel: d.channel, decoded: d };
}

/** `msgs` with the live observation merged in (a new array when anything changed, else the same). */
export function mergeLive(
  msgs: ChannelMessageItem[],
  p: LivePacketData,
  d: DecodedChan,
): ChannelMessageItem[] {
  const i = msgs.findIndex((m) => m.packetHash === p.hash);
  if (i >= 0) {
    const m = msgs[i];
    const observers =
      p.observer_name && !m.observers.includes(p.observer_name)
        ? [...m.observers, p.observer_name]
        : m.observers;
    const repeats = Math.max(m.repeats + (observers !== m.observers ? 1 : 0), p.observation_count);
    const snr = m.snr === null || (p.snr !== null && p.snr > m.snr) ? p.snr : m.snr;
    if (repeats === m.repeats && snr === m.snr && observers === m.observers) return msgs;
    const next = msgs.slice();
    next[i] = { ...m, repeats, snr, observers };
    return next;
  }
  const hops = safeJson<unknown[]>(p.path_json, []).length;
  return [
    ...msgs,
    {
      sender: d.sender ?? null,
      text: d.text ?? null,
      timestamp: p.first_seen ?? p.rx_timestamp,
      sender_timestamp: d.sender_timestamp ?? null,
      packetId: p.id,
      packetHash: p.hash,
      repeats: Math.max(1, p.observation_count),
      observers: p.observer_name ? [p.observer_name] : [],
      hops,
      snr: p.snr,
    },
  ];
}

/** The text without the "sender: " prefix the firmware puts in front of it. */
export function bodyText(m: Pick<ChannelMessageItem, 'sender' | 'text'>): string {
  const t = m.text ?? '';
  if (m.sender && t.startsWith(`${m.sender}: `)) return t.slice(m.sender.length + 2);
  return t;
}

/** Oldest first by time (the API pages by storage order, which imported data can break). */
export function byTime(msgs: ChannelMessageItem[]): ChannelMessageItem[] {
  const t = (m: ChannelMessageItem) => (m.timestamp ? Date.parse(m.timestamp) : 0);
  return [...msgs].sort((a, b) => t(a) - t(b) || a.packetId - b.packetId);
}

/** A fresh page, plus the live messages shown so far that are newer than the page's newest. */
export function withPage(page: ChannelMessageItem[], cur: ChannelMessageItem[]): ChannelMessageItem[] {
  const sorted = byTime(page);
  const inPage = new Set(page.map((m) => m.packetHash));
  const last = sorted[sorted.length - 1]?.timestamp ?? '';
  return sorted.concat(cur.filter((m) => !inPage.has(m.packetHash) && (m.timestamp ?? '') > last));
}
