// GET /api/analytics/channels (spec analytics §3.4): group-channel activity from GRP_TXT
// transmissions, grouped by channel-hash byte.
import type { AnalyticsInput } from '../inputs/input.js';
import { regionObservers, type AnalyticsQuery } from '../shared/query.js';
import { inWindow } from '../shared/query-filters.js';
import { regionTransmissions } from '../shared/path-context.js';
import { channelHashByte, hashtagKey, PUBLIC_CHANNEL_KEY } from '../../protocol/crypto.js';
import { hourIndex, hourLabel, rfc3339 } from '../shared/time-format.js';

export interface ChannelSummary {
  hash: string;
  name: string;
  messages: number;
  senders: number;
  lastActivity: string;
  encrypted: boolean;
}

export interface ChannelsResponse {
  activeChannels: number;
  decryptable: number;
  channels: ChannelSummary[];
  topSenders: Array<{ name: string; count: number }>;
  channelTimeline: Array<{ hour: string; channel: string; count: number }>;
  msgLengths: number[];
}

const GRP_TXT = 5;
const TOP_SENDERS = 15;
const PUBLIC_HASH = channelHashByte(PUBLIC_CHANNEL_KEY);

interface Bucket {
  hash: string;
  name: string;
  placeholder: boolean;
  messages: number;
  senders: Set<string>;
  lastMs: number;
  encrypted: boolean;
  hours: Map<number, number>;
}

interface DecodedGroupText {
  channel?: unknown;
  text?: unknown;
  sender?: unknown;
  decryptionStatus?: unknown;
}

/**
 * Guard against a rainbow-table name that does not belong to the hash (spec §3.4): a hashtag
 * channel's hash is SHA256(SHA256("#name")[0:16])[0]; "Public" has its well-known key.
 */
function nameMatchesHash(name: string, hash: number, cache: Map<string, number>): boolean {
  let h = cache.get(name);
  if (h === undefined) {
    h = name.toLowerCase() === 'public' ? PUBLIC_HASH : channelHashByte(hashtagKey(name));
    cache.set(name, h);
  }
  return h === hash;
}

function parseGroupText(json: string): DecodedGroupText {
  try {
    const parsed = JSON.parse(json) as unknown;
    if (parsed !== null && typeof parsed === 'object') return parsed as DecodedGroupText;
  } catch {
    // An unparseable payload counts as an encrypted message on its channel hash.
  }
  return {};
}

/** The channel name a message claims, or the placeholder when it does not match the hash. */
function verifiedName(
  claimed: string,
  placeholderName: string,
  d: DecodedGroupText,
  hashByte: number,
  cache: Map<string, number>,
): string {
  if (
    claimed !== placeholderName &&
    d.decryptionStatus !== 'decrypted' &&
    (hashByte < 0 || !nameMatchesHash(claimed, hashByte, cache))
  )
    return placeholderName;
  return claimed;
}

/** The bucket of a channel hash, created on first use; a real name replaces a placeholder. */
function bucketFor(
  buckets: Map<string, Bucket>,
  hash: string,
  name: string,
  real: boolean,
  at: number,
): Bucket {
  let b = buckets.get(hash);
  if (b === undefined) {
    b = {
      hash,
      name,
      placeholder: !real,
      messages: 0,
      senders: new Set(),
      lastMs: at,
      encrypted: true,
      hours: new Map(),
    };
    buckets.set(hash, b);
  } else if (b.placeholder && real) {
    b.name = name;
    b.placeholder = false;
  }
  return b;
}

/** One pass over the GRP_TXT transmissions the query selects. */
function tallyChannels(input: AnalyticsInput, query: AnalyticsQuery) {
  const { tx } = input;
  const inRegion = regionTransmissions(input, regionObservers(input.observers, query));
  const buckets = new Map<string, Bucket>();
  const senderCounts = new Map<string, number>();
  const msgLengths: number[] = [];
  const hashCache = new Map<string, number>();
  for (let t = 0; t < tx.count; t++) {
    if (tx.payloadType(t) !== GRP_TXT) continue;
    if (inRegion !== null && inRegion[t] === 0) continue;
    const at = tx.firstSeenMs(t);
    if (!inWindow(at, query)) continue;
    const d = parseGroupText(tx.decodedJson(t));
    const hashByte = tx.channelHashByte(t);
    const hash = hashByte >= 0 ? String(hashByte) : '?';
    const placeholderName = `ch${hash}`;
    const text = typeof d.text === 'string' ? d.text : null;
    const sender = typeof d.sender === 'string' && d.sender !== '' ? d.sender : null;
    const claimed =
      typeof d.channel === 'string' && d.channel !== '' ? d.channel : (tx.channelName(t) ?? placeholderName);
    const name = verifiedName(claimed, placeholderName, d, hashByte, hashCache);
    // A name that does not match the hash marks the message encrypted too.
    const encrypted = (text === null && sender === null) || name !== claimed;
    const b = bucketFor(buckets, hash, name, name !== placeholderName, at);
    b.messages++;
    // lastActivity is the latest first_seen, not the last one iterated (spec §9 item 6).
    if (at > b.lastMs) b.lastMs = at;
    const hour = hourIndex(at);
    b.hours.set(hour, (b.hours.get(hour) ?? 0) + 1);
    if (encrypted) continue;
    b.encrypted = false;
    if (sender !== null) {
      b.senders.add(sender);
      senderCounts.set(sender, (senderCounts.get(sender) ?? 0) + 1);
    }
    if (text !== null) msgLengths.push(Buffer.byteLength(text, 'utf8'));
  }
  return { buckets, senderCounts, msgLengths };
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Per channel and hour, by hour then channel name. */
function channelTimeline(list: Bucket[]): ChannelsResponse['channelTimeline'] {
  const timeline: ChannelsResponse['channelTimeline'] = [];
  const timelineHour: number[] = [];
  for (const b of list) {
    for (const [hour, count] of b.hours) {
      timeline.push({ hour: hourLabel(hour), channel: b.name, count });
      timelineHour.push(hour);
    }
  }
  const order = timeline.map((_, i) => i);
  order.sort((x, y) => timelineHour[x] - timelineHour[y] || byName(timeline[x].channel, timeline[y].channel));
  return order.map((i) => timeline[i]);
}

export function computeChannels(input: AnalyticsInput, query: AnalyticsQuery): ChannelsResponse {
  const empty: ChannelsResponse = {
    activeChannels: 0,
    decryptable: 0,
    channels: [],
    topSenders: [],
    channelTimeline: [],
    msgLengths: [],
  };
  // GRP_TXT carries no sender key, so an area (attributed by transmitter key) selects nothing
  // (spec §1.1, §9 item 5): answer empty rather than unfiltered.
  if (query.area !== null) return empty;
  const { buckets, senderCounts, msgLengths } = tallyChannels(input, query);
  const list = [...buckets.values()];
  const timeline = channelTimeline(list);
  return {
    activeChannels: list.length,
    decryptable: list.filter((b) => !b.encrypted).length,
    channels: list
      .sort((a, b) => b.messages - a.messages || byName(a.hash, b.hash))
      .map((b) => ({
        hash: b.hash,
        name: b.name,
        messages: b.messages,
        senders: b.senders.size,
        lastActivity: rfc3339(b.lastMs),
        encrypted: b.encrypted,
      })),
    topSenders: [...senderCounts.entries()]
      .sort((a, b) => b[1] - a[1] || byName(a[0], b[0]))
      .slice(0, TOP_SENDERS)
      .map(([name, count]) => ({ name, count })),
    channelTimeline: timeline,
    msgLengths,
  };
}
