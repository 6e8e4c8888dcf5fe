// A tiny builder of hand-made stores (records -> recordsInput) for the clock-skew, roles and
// hash analytics tests. Frames are real enough for the path-length byte: header, path byte, hops.
import type {
  NodeRecord,
  ObservationRecord,
  ObserverRecord,
  TransmissionRecord,
} from '../../src/store/records.js';
import { recordsInput } from '../../src/analytics/inputs/records-input.js';
import type { AnalyticsInput } from '../../src/analytics/inputs/input.js';
import {
  nodeRecord,
  observationRecord,
  observerRecord,
  transmissionRecord,
} from '../support/store-builders.js';

export const T0 = Date.UTC(2026, 4, 1); // 2026-05-01T00:00:00Z

export class StoreBuilder {
  transmissions: TransmissionRecord[] = [];
  observations: ObservationRecord[] = [];
  nodes: NodeRecord[] = [];
  observers: ObserverRecord[] = [];

  /** A node whose key is `prefix` padded with its index to 64 hex digits. */
  node(prefix: string, role: string | null, extra: Partial<NodeRecord> = {}): string {
    const pk = (prefix + this.nodes.length.toString(16).padStart(4, '0')).padEnd(64, '0').toLowerCase();
    this.nodes.push(nodeRecord(pk, T0, { name: extra.name ?? `node-${this.nodes.length}`, role, ...extra }));
    return pk;
  }

  observer(id: string, iata: string | null = 'SJC', name: string | null = null): string {
    this.observers.push(observerRecord(id, T0, { name: name ?? `obs-${id}`, iata }));
    return id;
  }

  /** A transmission; hops go into the frame's path (size = bytes per hop) and become obs paths. */
  tx(opts: {
    payloadType: number;
    routeType?: number;
    firstSeenMs?: number;
    hops?: string[];
    hashSize?: number;
    from?: string | null;
    advertSec?: number;
  }): number {
    const id = this.transmissions.length + 1;
    const route = opts.routeType ?? 1;
    const hops = opts.hops ?? [];
    const size = opts.hashSize ?? (hops.length ? hops[0].length / 2 : 1);
    const header = ((opts.payloadType & 0x0f) << 2) | route;
    const pathByte = ((size - 1) << 6) | hops.length;
    const transport = route === 0 || route === 3 ? '00000000' : '';
    const hex = (b: number) => b.toString(16).padStart(2, '0');
    const rawHex = hex(header) + transport + hex(pathByte) + hops.join('') + 'AABBCCDD';
    const decoded: Record<string, unknown> = { type: opts.payloadType === 4 ? 'ADVERT' : 'OTHER' };
    if (opts.from) decoded.pubKey = opts.from;
    if (opts.advertSec !== undefined) decoded.timestamp = opts.advertSec;
    this.transmissions.push(
      transmissionRecord(id, opts.payloadType, rawHex.toUpperCase(), opts.firstSeenMs ?? T0, {
        routeType: route,
        decodedJson: JSON.stringify(decoded),
        fromPubkey: opts.from ?? null,
      }),
    );
    return id;
  }

  obs(
    txId: number,
    observerId: string,
    rxMs: number,
    uploaderMs: number | null = null,
    path?: string[],
  ): void {
    const t = this.transmissions[txId - 1];
    this.observations.push(
      observationRecord(this.observations.length + 1, txId, observerId, rxMs, {
        path: path ?? [],
        uploaderMs,
      }),
    );
    if (rxMs < t.firstSeenMs) t.firstSeenMs = rxMs;
  }

  /** An advert by `from` whose clock reads `advertSec`, heard by each [observer, rxMs, uploaderMs?]. */
  advert(
    from: string,
    advertSec: number,
    heard: Array<[string, number, number?]>,
    hops: string[] = [],
  ): number {
    const id = this.tx({
      payloadType: 4,
      from,
      advertSec,
      hops,
      firstSeenMs: Math.min(...heard.map((h) => h[1])),
    });
    for (const [o, rx, up] of heard) this.obs(id, o, rx, up ?? null, hops);
    return id;
  }

  build(nowMs = T0 + 86400_000): AnalyticsInput {
    return recordsInput(
      {
        transmissions: this.transmissions,
        observations: this.observations,
        nodes: this.nodes,
        observers: this.observers,
      },
      nowMs,
    );
  }
}
