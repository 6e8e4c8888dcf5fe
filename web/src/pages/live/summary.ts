// What a feed row says about a packet, from its decoded payload: who sent it and a one-line
// summary (advert name, channel message text, encrypted direct message between two prefixes).
// Pure: the feed and the detail card both read it.
import type { LivePacketData, PacketItem } from '../../../../src/api/contract';
import { safeJson } from '../../app/format';

export interface Summary {
  /** The sender as far as the packet says: a name, a channel sender, or a hash prefix. */
  who: string | null;
  /** Node key of the sender when the packet carries it (adverts). */
  whoKey: string | null;
  text: string;
}

type Decoded = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const short = (s: string, n = 120) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function summarize(payloadType: number, decodedJson: string | null): Summary {
  const d = safeJson<Decoded>(decodedJson, {});
  const src = str(d.srcHash)?.toUpperCase() ?? null;
  const dst = str(d.destHash)?.toUpperCase() ?? null;
  switch (payloadType) {
    case 4: {
      const name = str(d.name);
      const key = str(d.pubKey);
      const pos = typeof d.lat === 'number' && typeof d.lon === 'number' && (d.lat !== 0 || d.lon !== 0);
      return {
        who: name ?? (key ? key.slice(0, 8).toUpperCase() : null),
        whoKey: key,
        text: `advert${pos ? ` at ${(d.lat as number).toFixed(3)}, ${(d.lon as number).toFixed(3)}` : ''}`,
      };
    }
    case 5: {
      const channel = str(d.channel) ?? (str(d.channelHashHex) ? `#${d.channelHashHex as string}` : null);
      const text = str(d.text);
      const sender = str(d.sender);
      return {
        who: sender,
        whoKey: null,
        text: text ? `${channel ?? 'channel'}: ${short(text)}` : `${channel ?? 'channel'} (encrypted)`,
      };
    }
    case 9:
      return { who: null, whoKey: null, text: str(d.error) ? `trace (${d.error as string})` : 'trace' };
    default:
      if (src || dst)
        return {
          who: null,
          whoKey: null,
          text: `${src ?? '?'} → ${dst ?? '?'}${str(d.text) ? `: ${short(d.text as string)}` : ''}`,
        };
      return { who: null, whoKey: null, text: str(d.error) ?? '' };
  }
}

/** The hop prefixes of an observation's path (path_json is a JSON array of hex prefixes). */
export function hopsOf(pathJson: string | null): string[] {
  const v = safeJson<unknown>(pathJson, []);
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** A replayed `/api/packets` item in the live message shape (no resolved path: the map resolves it). */
export function fromPacketItem(p: PacketItem): LivePacketData {
  return {
    id: p.id,
    observation_id: -p.id,
    raw_hex: p.raw_hex,
    hash: p.hash,
    first_seen: p.first_seen,
    timestamp: p.timestamp,
    rx_timestamp: p.timestamp,
    uploader_timestamp: null,
    route_type: p.route_type,
    payload_type: p.payload_type,
    decoded_json: p.decoded_json,
    observer_id: p.observer_id ?? '',
    observer_name: p.observer_name,
    region: p.observer_iata,
    snr: p.snr,
    rssi: p.rssi,
    path_json: p.path_json ?? '[]',
    resolved_path: null,
    direction: p.direction,
    observation_count: p.observation_count,
  };
}
