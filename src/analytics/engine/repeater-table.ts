// t3: the main thread's per-node table of the latest repeater-usefulness snapshot (spec analytics
// §7.7: "relay counts + usefulness maps for /api/nodes"). The analytic runs in the worker pool;
// when a new snapshot lands, its body is decompressed on libuv's pool and parsed once into a Map
// keyed by public key, then swapped in whole. `/api/nodes` reads one entry per row: O(1), no
// dataset work on a request. Until the first snapshot has been decoded `get()` answers null
// (the node routes then render the fields as null).
import type { RepeaterUsefulnessResponse, RepeaterUsefulnessRow } from '../compute/repeater-usefulness.js';
import type { AnalyticsService, ReadyBody } from './service.js';

/** What the node routes read: the latest row of a repeater or room, or null. */
export interface RepeaterLookup {
  get(pubkey: string): RepeaterUsefulnessRow | null;
}

export class RepeaterTable implements RepeaterLookup {
  private rows = new Map<string, RepeaterUsefulnessRow>();
  private computedAtMs = -Infinity;
  private decoding: Promise<void> = Promise.resolve();

  constructor(
    service: Pick<AnalyticsService, 'onSnapshot'>,
    private readonly log?: (msg: string, fields: Record<string, unknown>) => void,
  ) {
    service.onSnapshot('repeater-usefulness', (body) => this.accept(body));
  }

  /** Decodes a snapshot body (in order; an older snapshot never replaces a newer one). */
  accept(body: ReadyBody): Promise<void> {
    this.decoding = this.decoding.then(async () => {
      if (body.computedAtMs < this.computedAtMs) return;
      try {
        const json = await body.identity();
        const value = JSON.parse(json.toString('utf8')) as RepeaterUsefulnessResponse;
        const rows = new Map<string, RepeaterUsefulnessRow>();
        for (const r of value.nodes) rows.set(r.pubkey.toLowerCase(), r);
        this.rows = rows;
        this.computedAtMs = body.computedAtMs;
      } catch (err) {
        this.log?.('repeater table: snapshot not decoded; keeping the previous one', { error: String(err) });
      }
    });
    return this.decoding;
  }

  /** Settles when every snapshot handed over so far is decoded (tests). */
  settled(): Promise<void> {
    return this.decoding;
  }

  get(pubkey: string): RepeaterUsefulnessRow | null {
    return this.rows.get(pubkey.toLowerCase()) ?? null;
  }

  get size(): number {
    return this.rows.size;
  }
}
