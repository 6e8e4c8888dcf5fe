// Hashtag channels discovered from `#tags` in decrypted channel text (issue 9). A hashtag
// channel's key is SHA-256("#name")[0:16] (spec packet-format §6.1), so a `#name` mentioned in a
// readable message gives a key to try on the GRP_TXT that no configured key opened (stored as
// `enc_XX`). A packet whose MAC checks with it belongs to that channel, which is then listed by
// /api/channels with `discovered: true` and readable through /api/channels/:hash/messages.
//
// This is a read-side overlay: the stored rows (SQLite and memory) keep their channel_hash
// `enc_XX` and decoded_json, and the ingest keyring is unchanged. It is maintained
// incrementally over the store's transmission rows with one cursor, in time-budgeted slices
// (setImmediate between them), never on a request: once over the whole store after the startup
// load (so a restart rediscovers everything from the stored data) and then over each new row
// the pipeline appends (`poke()`). Per row: a decrypted GRP_TXT's text is scanned for tags; an
// undecrypted one is tried against the discovered keys with its channel-hash byte only. A new
// tag's backlog is the stored `enc_XX` list of its hash byte (the store's per-channel index),
// below the cursor. Memory is bounded: at most `maxNames` names are kept (mentioned-but-unmatched
// ones included, so a later packet can still match); further names are dropped and counted.
// Decrypted text is not cached: a message is decrypted again when read (O(page)).
import {
  ChannelKeyring,
  channelHashByte,
  decodePacket,
  hashtagKey,
  type ChannelTextPayload,
} from '../../protocol/index.js';
import { NONE } from './layout.js';
import type { MemoryStore } from './memory-store.js';
import { RowList } from './row-list.js';

const GRP_TXT = 5;

export interface ChannelDiscoveryOptions {
  /** Most names kept (matched or not); later names are dropped and counted. */
  maxNames: number;
  /** The configured keys (ingest keyring): names they already open are not "discovered". */
  configured?: ChannelKeyring;
  /** Work per slice before yielding to the event loop (ms, default 4). */
  sliceMs?: number;
}

export interface DiscoveredChannel {
  /** `#name` as mentioned (case kept: the key derives from the exact name). */
  name: string;
  /** The channel-hash byte of its key. */
  hash: number;
  /** The stored GRP_TXT rows whose MAC checks with its key, by transmission id. */
  rows: RowList;
}

export interface DecryptedText {
  text: string | null;
  sender: string | null;
  senderTimestamp: number | null;
}

export interface ChannelDiscoveryStats {
  enabled: boolean;
  /** Names kept (matched or not) and the cap. */
  names: number;
  maxNames: number;
  /** Names with at least one matching packet (listed by /api/channels). */
  channels: number;
  /** Stored GRP_TXT rows decrypted with a discovered key. */
  packets: number;
  /** Mentions of a new name dropped because `maxNames` names were kept. */
  droppedMentions: number;
  /** Transmission rows looked at / in the store (caught up when equal and no backlog). */
  rowsScanned: number;
  rowsTotal: number;
  /** Names whose stored-packet backlog is still being tried. */
  pendingBacklogs: number;
  /** MAC checks tried on stored packets (bounded by the per-hash-byte lists). */
  decryptAttempts: number;
}

/** Tags in a text: `#` after a non-word character (or at the start), letters/digits/`-`/`_`. */
const TAG_RE = /(?:^|[^\p{L}\p{N}_#&/])#([\p{L}\p{N}][\p{L}\p{N}_-]{0,30})/gu;

/** The candidate names of the tags a text mentions: as written, and lower-cased when different. */
export function hashtagNames(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(TAG_RE)) {
    const tag = m[1].replace(/[-_]+$/u, '');
    if (tag === '') continue;
    out.add(`#${tag}`);
    out.add(`#${tag.toLowerCase()}`);
  }
  return [...out];
}

interface Backlog {
  channel: DiscoveredChannel;
  /** A copy of the `enc_XX` rows of its hash byte when it was registered. */
  rows: Uint32Array;
  /** Rows at or above this were still ahead of the cursor (the cursor tries them). */
  belowRow: number;
  pos: number;
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);

export class ChannelDiscovery {
  readonly #store: MemoryStore;
  readonly #maxNames: number;
  readonly #configured: ChannelKeyring | null;
  readonly #sliceMs: number;
  /** Every discovered key (no Public): decodes a row to its channel in one call. */
  readonly #ring = ChannelKeyring.create({ public: false });
  readonly #byName = new Map<string, DiscoveredChannel>();
  readonly #byHash: DiscoveredChannel[][] = Array.from({ length: 256 }, () => []);
  /** Mentioned names that a configured key or a stored channel already covers (bounded by them). */
  readonly #covered = new Set<string>();
  /** Interned channel id -> hash byte for `enc_XX`, -1 for a named channel. */
  readonly #channelKinds = new Map<number, number>();
  readonly #backlogs: Backlog[] = [];
  #cursor = 0;
  #packets = 0;
  #dropped = 0;
  #attempts = 0;
  #version = 0;
  #started = false;
  #timer: NodeJS.Immediate | null = null;

  constructor(store: MemoryStore, options: ChannelDiscoveryOptions) {
    this.#store = store;
    this.#maxNames = options.maxNames;
    this.#configured = options.configured ?? null;
    this.#sliceMs = options.sliceMs ?? 4;
  }

  /** Changes whenever a packet is matched (summaries cache on it). */
  get version(): number {
    return this.#version;
  }

  /** Starts the slices (after the startup load); later rows are picked up on `poke()`. */
  start(): void {
    this.#started = true;
    this.poke();
  }

  stop(): void {
    this.#started = false;
    if (this.#timer) clearImmediate(this.#timer);
    this.#timer = null;
  }

  /** New rows were appended: schedule a slice unless one is pending. */
  poke(): void {
    if (!this.#started || this.#timer) return;
    this.#timer = setImmediate(() => {
      this.#timer = null;
      if (this.pump(this.#sliceMs)) this.poke();
    });
  }

  /** Whether every stored row has been looked at and every backlog tried. */
  get caughtUp(): boolean {
    return this.#backlogs.length === 0 && this.#cursor >= this.#store.transmissionCount;
  }

  /**
   * Does up to `budgetMs` of work (backlogs first, then the rows after the cursor); true when
   * work remains. Synchronous; tests call it directly to run to completion.
   */
  pump(budgetMs = Infinity): boolean {
    const end = performance.now() + budgetMs;
    let n = 0;
    const over = () => (++n & 15) === 0 && performance.now() >= end;
    while (this.#backlogs.length > 0) {
      const b = this.#backlogs[0];
      while (b.pos < b.rows.length) {
        const row = b.rows[b.pos++];
        if (row < b.belowRow && !this.#matchedAny(b.channel.hash, row)) this.#tryRow(row, b.channel.hash);
        if (over()) return true;
      }
      this.#backlogs.shift();
    }
    const store = this.#store;
    const count = store.transmissionCount;
    while (this.#cursor < count) {
      const row = this.#cursor++;
      if (store.tx.get('payloadType', row) === GRP_TXT) this.#row(row);
      if (this.#backlogs.length > 0) return true;
      if (over()) return true;
    }
    return false;
  }

  /** Discovered channels with at least one matching packet. */
  channels(): DiscoveredChannel[] {
    return [...this.#byName.values()].filter((c) => c.rows.length > 0);
  }

  channel(name: string): DiscoveredChannel | null {
    const c = this.#byName.get(name);
    return c && c.rows.length > 0 ? c : null;
  }

  /** A predicate true for the rows of `enc_XX` (hash byte) that a discovered key opened; null when none. */
  matchedIn(hash: number): ((row: number) => boolean) | null {
    const chans = this.#byHash[hash & 0xff].filter((c) => c.rows.length > 0);
    if (chans.length === 0) return null;
    return (row) => chans.some((c) => c.rows.has(row));
  }

  /** The text of a matched row, decrypted again with the discovered keys. */
  decrypt(row: number): DecryptedText {
    const p = this.#decode(row);
    if (!p) return { text: null, sender: null, senderTimestamp: null };
    return {
      text: p.text,
      sender: p.sender ?? null,
      senderTimestamp: typeof p.sender_timestamp === 'number' ? p.sender_timestamp : null,
    };
  }

  stats(): ChannelDiscoveryStats {
    return {
      enabled: true,
      names: this.#byName.size,
      maxNames: this.#maxNames,
      channels: this.channels().length,
      packets: this.#packets,
      droppedMentions: this.#dropped,
      rowsScanned: this.#cursor,
      rowsTotal: this.#store.transmissionCount,
      pendingBacklogs: this.#backlogs.length,
      decryptAttempts: this.#attempts,
    };
  }

  // ------------------------------------------------------------------ internals

  /** One GRP_TXT row after the cursor. */
  #row(row: number): void {
    const store = this.#store;
    const id = store.tx.get('channel', row);
    if (id === NONE) return;
    const hash = this.#channelKind(id);
    if (hash >= 0) {
      if (this.#byHash[hash].length > 0) this.#tryRow(row, hash);
      return;
    }
    const json = store.json.text(store.tx.get('jsonOff', row), store.tx.get('jsonLen', row));
    if (!json.includes('#')) return;
    const text = textOf(json);
    if (text !== null) this.#noteText(text);
  }

  #channelKind(id: number): number {
    let kind = this.#channelKinds.get(id);
    if (kind === undefined) {
      const name = this.#store.interns.channels.get(id) ?? '';
      const m = /^enc_([0-9A-Fa-f]{2})$/.exec(name);
      kind = m ? parseInt(m[1], 16) : -1;
      this.#channelKinds.set(id, kind);
    }
    return kind;
  }

  #matchedAny(hash: number, row: number): boolean {
    return this.#byHash[hash].some((c) => c.rows.has(row));
  }

  /** Tries the discovered keys of `hash` on a stored undecrypted row. */
  #tryRow(row: number, hash: number): void {
    this.#attempts += this.#byHash[hash].length;
    const p = this.#decode(row);
    if (!p) return;
    const channel = this.#byName.get(p.channel);
    if (!channel || !channel.rows.add(row)) return;
    this.#packets++;
    this.#version++;
    this.#noteText(p.text);
  }

  #decode(row: number): ChannelTextPayload | null {
    const store = this.#store;
    const bytes = store.raw.bytes(store.tx.get('rawOff', row), store.tx.get('rawLen', row));
    const r = decodePacket(bytes, { keyring: this.#ring, verifySignatures: false });
    if (!r.ok) return null;
    const p = r.packet.payload as Partial<ChannelTextPayload>;
    return p.type === 'CHAN' && p.decryptionStatus === 'decrypted' ? (p as ChannelTextPayload) : null;
  }

  #noteText(text: string): void {
    for (const name of hashtagNames(text)) {
      if (this.#byName.has(name) || this.#covered.has(name)) continue;
      const key = hashtagKey(name);
      if (this.#isCovered(name, key)) {
        this.#covered.add(name);
        continue;
      }
      if (this.#byName.size >= this.#maxNames) {
        this.#dropped++;
        continue;
      }
      this.#register(name, key);
    }
  }

  /** A configured key opens it already, or the store has a channel of that name. */
  #isCovered(name: string, key: Uint8Array): boolean {
    const store = this.#store;
    const id = store.interns.channels.lookup(name);
    if (id !== NONE && (store.indexes.byChannel.get(id)?.length ?? 0) > 0) return true;
    const configured = this.#configured;
    if (!configured) return false;
    return configured.candidates(channelHashByte(key)).some((k) => sameBytes(k.secret, key));
  }

  #register(name: string, key: Uint8Array): void {
    const store = this.#store;
    this.#ring.add(name, key);
    const hash = channelHashByte(key);
    const txId = (row: number) => store.tx.get('id', row);
    const channel: DiscoveredChannel = { name, hash, rows: new RowList(txId) };
    this.#byName.set(name, channel);
    this.#byHash[hash].push(channel);
    const encName = `enc_${hash.toString(16).toUpperCase().padStart(2, '0')}`;
    const encId = store.interns.channels.lookup(encName);
    const list = encId === NONE ? undefined : store.indexes.byChannel.get(encId);
    if (list && list.length > 0) {
      this.#backlogs.push({ channel, rows: list.rows().slice(), belowRow: this.#cursor, pos: 0 });
    }
  }
}

function textOf(json: string): string | null {
  try {
    const v = JSON.parse(json) as { text?: unknown };
    return v !== null && typeof v === 'object' && typeof v.text === 'string' ? v.text : null;
  } catch {
    return null;
  }
}
