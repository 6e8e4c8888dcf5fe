// The Live feed's state outside the component tree: packets arrive at up to hundreds per second,
// so they are queued and folded into the rows once per animation frame (one render per frame,
// never one per packet). Pause keeps buffering ("N new packets — resume"); the counters
// (packets per minute, nodes heard) keep running while paused.
import { signal } from '@preact/signals';
import type { LivePacketData } from '../../../../src/api/contract';
import { parseTime } from '../../app/format';
import { hopsOf, summarize, type Summary } from './summary';

export interface FeedRow extends Summary {
  key: number;
  hash: string;
  type: number;
  observer: string;
  observerId: string;
  region: string | null;
  snr: number | null;
  hops: number;
  rxMs: number;
  /** Local wall-clock time, formatted once (rows re-render every frame; formatting is not free). */
  clock: string;
  p: LivePacketData;
}

export const FEED_CAP = 500;
const MIN_FLUSH_MS = 80;
const clockFmt = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

export function toRow(p: LivePacketData): FeedRow {
  const rxMs = parseTime(p.rx_timestamp) ?? parseTime(p.timestamp) ?? Date.now();
  return {
    ...summarize(p.payload_type, p.decoded_json),
    key: p.observation_id,
    hash: p.hash,
    type: p.payload_type,
    observer: p.observer_name || (p.observer_id ? p.observer_id.slice(0, 8).toUpperCase() : '?'),
    observerId: p.observer_id,
    region: p.region,
    snr: p.snr,
    hops: hopsOf(p.path_json).length,
    rxMs,
    clock: clockFmt.format(rxMs),
    p,
  };
}

export class FeedStore {
  /** Newest first, at most FEED_CAP. */
  rows: FeedRow[] = [];
  /** Rows that arrived while paused (newest first, capped); `pendingTotal` counts them all. */
  pending: FeedRow[] = [];
  pendingTotal = 0;
  /** Packets received this session (replayed ones excluded). */
  received = 0;
  readonly paused = signal(false);
  /** Bumped once per frame when anything changed: the component re-renders on it. */
  readonly version = signal(0);
  /** Rows added at the top in the last flush (the list keeps a scrolled reader's place). */
  lastAdded = 0;
  readonly #incoming: LivePacketData[] = [];
  readonly #nodes = new Set<string>();
  /** Packets per second over the last minute, a ring indexed by epoch second. */
  readonly #perSec = new Uint32Array(60);
  #perSecAt = 0;
  #frame = 0;
  #flushedAt = -Infinity;
  #keep: (p: LivePacketData) => boolean = () => true;
  #listeners = new Set<(batch: readonly LivePacketData[]) => void>();

  /** A live packet (queued until the next frame). */
  push = (p: LivePacketData): void => {
    this.#incoming.push(p);
    this.received++;
    this.#tick(Date.now());
    this.#perSec[Math.floor(Date.now() / 1000) % 60]++;
    if (!this.#frame) this.#frame = requestAnimationFrame(this.flush);
  };

  /** Replayed history: shown as rows, not counted as live traffic. */
  seed(items: LivePacketData[]): void {
    const known = new Set(this.rows.map((r) => r.key));
    const rows = items.filter((p) => !known.has(p.observation_id) && this.#keep(p)).map(toRow);
    this.rows = [...this.rows, ...rows].sort((a, b) => b.rxMs - a.rxMs).slice(0, FEED_CAP);
    for (const l of this.#listeners) l(items);
    this.version.value++;
  }

  /** Receives each frame's batch of live packets (the map animates them, paused or not). */
  onBatch(fn: (batch: readonly LivePacketData[]) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  flush = (now: number = performance.now()): void => {
    this.#frame = 0;
    if (this.#incoming.length === 0) return;
    // At hundreds of packets per second nobody reads 60 updates a second: at most ~12.
    if (now - this.#flushedAt < MIN_FLUSH_MS) {
      this.#frame = requestAnimationFrame(this.flush);
      return;
    }
    this.#flushedAt = now;
    // A filter change may land between a packet's arrival and this frame: drop what it excludes.
    const batch = this.#incoming.splice(0).filter(this.#keep);
    const fresh: FeedRow[] = [];
    for (let i = batch.length - 1; i >= 0; i--) {
      fresh.push(toRow(batch[i]));
      this.#noteNodes(batch[i], fresh[fresh.length - 1].whoKey);
    }
    if (this.paused.value) {
      this.pending = fresh.concat(this.pending).slice(0, FEED_CAP);
      this.pendingTotal += fresh.length;
      this.lastAdded = 0;
    } else {
      this.rows = fresh.concat(this.rows).slice(0, FEED_CAP);
      this.lastAdded = fresh.length;
    }
    for (const l of this.#listeners) l(batch);
    this.version.value++;
  };

  pause(): void {
    this.paused.value = true;
  }

  resume(): void {
    this.rows = this.pending.concat(this.rows).slice(0, FEED_CAP);
    this.lastAdded = 0;
    this.pending = [];
    this.pendingTotal = 0;
    this.paused.value = false;
    this.version.value++;
  }

  /** Applies a new filter: drops the rows it excludes (the server stops sending them). */
  setFilter(keep: (p: LivePacketData) => boolean): void {
    this.#keep = keep;
    const k = (r: FeedRow) => keep(r.p);
    this.rows = this.rows.filter(k);
    this.pending = this.pending.filter(k);
    this.pendingTotal = Math.min(this.pendingTotal, this.pending.length);
    this.lastAdded = 0;
    this.version.value++;
  }

  perMinute(now = Date.now()): number {
    this.#tick(now);
    let n = 0;
    for (const c of this.#perSec) n += c;
    return n;
  }

  get nodesHeard(): number {
    return this.#nodes.size;
  }

  dispose(): void {
    if (this.#frame) cancelAnimationFrame(this.#frame);
    this.#frame = 0;
    this.#listeners.clear();
  }

  /** Zeroes the seconds that passed since the last packet (the ring then covers the last 60 s). */
  #tick(now: number): void {
    const sec = Math.floor(now / 1000);
    const gap = Math.min(60, sec - this.#perSecAt);
    for (let i = 1; i <= gap; i++) this.#perSec[(this.#perSecAt + i) % 60] = 0;
    if (gap > 0) this.#perSecAt = sec;
  }

  #noteNodes(p: LivePacketData, senderKey: string | null): void {
    if (senderKey) this.#nodes.add(senderKey.toLowerCase());
    if (p.observer_id) this.#nodes.add(p.observer_id.toLowerCase());
    for (const k of p.resolved_path ?? []) if (k) this.#nodes.add(k.toLowerCase());
  }
}
