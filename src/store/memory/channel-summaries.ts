// Channels and their messages (spec ingest-store-api §4.2 "Channels"). A channel is a stored
// channel_hash value: the decrypted name (`#test`, `Public`) or `enc_XX` for GRP_TXT no key
// opened. The summary walks each channel's row list once per store version (and region) and is
// cached; a messages page is O(limit) through the channel's id-ordered list, or O(channel) with
// a region filter. r2: with a ChannelDiscovery, hashtag channels discovered from #tags are
// listed too (`discovered: true`, messages decrypted again when read) and the rows they opened
// leave their `enc_XX` channel.
import type { ChannelMessage, ChannelSummary, Page } from '../read-model.js';
import type { ChannelDiscovery, DecryptedText } from './channel-discovery.js';
import { NONE } from './layout.js';
import type { MemoryStore } from './memory-store.js';
import type { RowList } from './row-list.js';
import { bestObservation, obsSnr, observerIdOf, observerName } from './transmission-summary.js';

function decoded(json: string): { text?: unknown; sender?: unknown; sender_timestamp?: unknown } {
  try {
    const v: unknown = JSON.parse(json);
    return v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
const strOrNull = (v: unknown) => (typeof v === 'string' ? v : null);

export class ChannelSummaries {
  readonly #cache = new Map<string, { version: string; channels: ChannelSummary[] }>();

  /** r2: `discovery` lists hashtag channels discovered from #tags (channel-discovery.ts). */
  constructor(
    private readonly store: MemoryStore,
    private readonly discovery: ChannelDiscovery | null = null,
  ) {}

  /** A region filter as a predicate on transmission rows (any observation in the regions). */
  #regionFilter(regions: readonly string[] | undefined): ((row: number) => boolean) | null {
    if (!regions) return null;
    const store = this.store;
    const all = store.regionLists();
    const lists = regions
      .map((c) => store.interns.regions.lookup(c))
      .map((id) => (id === NONE ? undefined : all.get(id)))
      .filter((l): l is RowList => l !== undefined);
    return (row) => lists.some((l) => l.has(row));
  }

  /** Channels with traffic in the regions, newest activity first, then by name. */
  list(regions?: readonly string[]): ChannelSummary[] {
    const store = this.store;
    const discovery = this.discovery;
    const version = `${store.transmissionCount}:${store.observationCount}:${discovery?.version ?? 0}`;
    const key = regions?.join(',') ?? '';
    const hit = this.#cache.get(key);
    if (hit?.version === version) return hit.channels;
    const accept = this.#regionFilter(regions);
    const channels: ChannelSummary[] = [];
    for (const [name, id] of store.interns.channels.entries()) {
      const list = store.indexes.byChannel.get(id);
      if (!list || list.length === 0) continue;
      // r2: rows a discovered hashtag key opened are listed under that channel, not enc_XX.
      const opened = this.#openedRows(name);
      const keep = opened ? (row: number) => !opened(row) && (!accept || accept(row)) : accept;
      const c = this.#summary(name, list.rows(), keep, (row) => decoded(store.transmission(row).decodedJson));
      if (c) channels.push(c);
    }
    for (const d of discovery?.channels() ?? []) {
      const c = this.#summary(d.name, d.rows.rows(), accept, (row) => discovery!.decrypt(row));
      if (c) channels.push({ ...c, discovered: true });
    }
    // Newest first; a time that is not a number sorts last (it has no date to show).
    const at = (c: ChannelSummary) => (Number.isFinite(c.lastActivityMs) ? c.lastActivityMs : -Infinity);
    channels.sort((a, b) => at(b) - at(a) || a.name.localeCompare(b.name));
    if (this.#cache.size > 64) this.#cache.clear();
    this.#cache.set(key, { version, channels });
    return channels;
  }

  /** One channel's count and newest message over `rows` (kept by `accept`); null when none. */
  #summary(
    name: string,
    rows: Uint32Array,
    accept: ((row: number) => boolean) | null,
    content: (row: number) => { text?: unknown; sender?: unknown },
  ): ChannelSummary | null {
    const store = this.store;
    let count = 0;
    let last = -1;
    let lastMs = -Infinity;
    for (let k = 0; k < rows.length; k++) {
      if (accept && !accept(rows[k])) continue;
      count++;
      const t = store.tx.get('firstSeenMs', rows[k]);
      if (t >= lastMs) [last, lastMs] = [rows[k], t];
    }
    if (count === 0) return null;
    const d = content(last);
    return {
      name,
      encrypted: name.startsWith('enc_'),
      discovered: false,
      messageCount: count,
      lastActivityMs: lastMs,
      lastMessage: strOrNull(d.text),
      lastSender: strOrNull(d.sender),
    };
  }

  /** For an `enc_XX` channel: the rows a discovered key opened (null when none or not enc_). */
  #openedRows(name: string): ((row: number) => boolean) | null {
    const m = this.discovery ? /^enc_([0-9A-F]{2})$/i.exec(name) : null;
    return m ? this.discovery!.matchedIn(parseInt(m[1], 16)) : null;
  }

  messages(
    name: string,
    page: { limit: number; offset: number; regions?: readonly string[] },
  ): Page<ChannelMessage> | null {
    const store = this.store;
    const id = store.interns.channels.lookup(name);
    const stored = id === NONE ? undefined : store.indexes.byChannel.get(id);
    const discovered = stored && stored.length > 0 ? null : (this.discovery?.channel(name) ?? null);
    const list = discovered ? discovered.rows : stored;
    if (!list || list.length === 0) return null;
    const { limit, offset } = page;
    const region = this.#regionFilter(page.regions);
    const opened = discovered ? null : this.#openedRows(name);
    // An enc_XX channel whose every row a discovered key opened has no messages left.
    if (opened && list.rows().every((row) => opened(row))) return null;
    const accept = opened ? (row: number) => !opened(row) && (!region || region(row)) : region;
    let rows: number[];
    let total: number;
    if (!accept) {
      total = list.length;
      const end = Math.max(0, total - offset);
      rows = [];
      for (let k = Math.max(0, end - limit); k < end; k++) rows.push(list.at(k));
    } else {
      const matched: number[] = [];
      for (let k = list.length - 1; k >= 0; k--) if (accept(list.at(k))) matched.push(list.at(k));
      total = matched.length;
      rows = matched.slice(offset, offset + limit).reverse();
    }
    const discovery = this.discovery;
    const content = discovered
      ? (row: number) => discovery!.decrypt(row)
      : (row: number) => {
          const d = decoded(store.transmission(row).decodedJson);
          return {
            text: strOrNull(d.text),
            sender: strOrNull(d.sender),
            senderTimestamp: typeof d.sender_timestamp === 'number' ? d.sender_timestamp : null,
          };
        };
    return { items: rows.map((row) => this.#message(row, content(row))), total };
  }

  #message(row: number, content: DecryptedText): ChannelMessage {
    const store = this.store;
    const t = store.transmission(row);
    const best = bestObservation(store, row);
    const observers = new Set<string>();
    for (const o of store.observationRows(row)) {
      const observer = store.obs.get('observer', o);
      observers.add(observerName(store, observer) ?? observerIdOf(store, observer));
    }
    return {
      transmission: t,
      sender: content.sender,
      text: content.text,
      senderTimestamp: content.senderTimestamp,
      repeats: store.tx.get('obsCount', row),
      observers: [...observers],
      hops: best === -1 ? null : store.obs.get('hopCount', best),
      snr: best === -1 ? null : obsSnr(store, best),
    };
  }
}
