// Channels and their messages (spec ingest-store-api §4.2 "Channels"). A channel is a stored
// channel_hash value: the decrypted name (`#test`, `Public`) or `enc_XX` for GRP_TXT no key
// opened. The summary walks each channel's row list once per store version (and region) and is
// cached; a messages page is O(limit) through the channel's id-ordered list, or O(channel) with
// a region filter.
import type { ChannelMessage, ChannelSummary, Page } from '../read-model.js';
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

  constructor(private readonly store: MemoryStore) {}

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
    const version = `${store.transmissionCount}:${store.observationCount}`;
    const key = regions?.join(',') ?? '';
    const hit = this.#cache.get(key);
    if (hit?.version === version) return hit.channels;
    const accept = this.#regionFilter(regions);
    const channels: ChannelSummary[] = [];
    for (const [name, id] of store.interns.channels.entries()) {
      const list = store.indexes.byChannel.get(id);
      if (!list || list.length === 0) continue;
      let count = 0;
      let last = -1;
      let lastMs = -Infinity;
      const rows = list.rows();
      for (let k = 0; k < rows.length; k++) {
        if (accept && !accept(rows[k])) continue;
        count++;
        const t = store.tx.get('firstSeenMs', rows[k]);
        if (t >= lastMs) [last, lastMs] = [rows[k], t];
      }
      if (count === 0) continue;
      const d = decoded(store.transmission(last).decodedJson);
      channels.push({
        name,
        encrypted: name.startsWith('enc_'),
        messageCount: count,
        lastActivityMs: lastMs,
        lastMessage: strOrNull(d.text),
        lastSender: strOrNull(d.sender),
      });
    }
    // Newest first; a time that is not a number sorts last (it has no date to show).
    const at = (c: ChannelSummary) => (Number.isFinite(c.lastActivityMs) ? c.lastActivityMs : -Infinity);
    channels.sort((a, b) => at(b) - at(a) || a.name.localeCompare(b.name));
    if (this.#cache.size > 64) this.#cache.clear();
    this.#cache.set(key, { version, channels });
    return channels;
  }

  messages(
    name: string,
    page: { limit: number; offset: number; regions?: readonly string[] },
  ): Page<ChannelMessage> | null {
    const store = this.store;
    const id = store.interns.channels.lookup(name);
    const list = id === NONE ? undefined : store.indexes.byChannel.get(id);
    if (!list || list.length === 0) return null;
    const { limit, offset } = page;
    const accept = this.#regionFilter(page.regions);
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
    return { items: rows.map((row) => this.#message(row)), total };
  }

  #message(row: number): ChannelMessage {
    const store = this.store;
    const t = store.transmission(row);
    const d = decoded(t.decodedJson);
    const best = bestObservation(store, row);
    const observers = new Set<string>();
    for (const o of store.observationRows(row)) {
      const observer = store.obs.get('observer', o);
      observers.add(observerName(store, observer) ?? observerIdOf(store, observer));
    }
    return {
      transmission: t,
      sender: strOrNull(d.sender),
      text: strOrNull(d.text),
      senderTimestamp: typeof d.sender_timestamp === 'number' ? d.sender_timestamp : null,
      repeats: store.tx.get('obsCount', row),
      observers: [...observers],
      hops: best === -1 ? null : store.obs.get('hopCount', best),
      snr: best === -1 ? null : obsSnr(store, best),
    };
  }
}
