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

export const T0 = Date.UTC(2026, 4, 1); // 2026-05-01T00:00:00Z

export class StoreBuilder {
  transmissions: TransmissionRecord[] = [];
  observations: ObservationRecord[] = [];
  nodes: NodeRecord[] = [];
  observers: ObserverRecord[] = [];

  /** A node whose key is `prefix` padded with its index to 64 hex digits. */
  node(prefix: string, role: string | null, extra: Partial<NodeRecord> = {}): string {
    const pk = (prefix + this.nodes.length.toString(16).padStart(4, '0')).padEnd(64, '0').toLowerCase();
    this.nodes.push({
      publicKey: pk,
      name: extra.name ?? `node-${this.nodes.length}`,
      role,
      lat: null,
      lon: null,
      firstSeenMs: T0,
      lastSeenMs: T0,
      advertCount: 1,
      batteryMv: null,
      temperatureC: null,
      ...extra,
    });
    return pk;
  }

  observer(id: string, iata: string | null = 'SJC', name: string | null = null): string {
    this.observers.push({
      id,
      name: name ?? `obs-${id}`,
      iata,
      firstSeenMs: T0,
      lastSeenMs: T0,
      packetCount: 0,
      model: null,
      firmware: null,
      clientVersion: null,
      radio: null,
      batteryMv: null,
      uptimeSecs: null,
      noiseFloor: null,
      lastPacketAtMs: null,
    });
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
    this.transmissions.push({
      id,
      rawHex: rawHex.toUpperCase(),
      hash: id.toString(16).padStart(16, '0'),
      firstSeenMs: opts.firstSeenMs ?? T0,
      lastSeenMs: opts.firstSeenMs ?? T0,
      routeType: route,
      payloadType: opts.payloadType,
      payloadVersion: 0,
      decodedJson: JSON.stringify(decoded),
      fromPubkey: opts.from ?? null,
      channelHash: null,
      scopeName: null,
    });
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
    this.observations.push({
      id: this.observations.length + 1,
      transmissionId: txId,
      observerId,
      direction: null,
      snr: null,
      rssi: null,
      score: null,
      path: path ?? [],
      rxMs,
      uploaderMs,
    });
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
