// Compact hand-off of write operations to the writer worker (writer-thread.ts). Posting an array
// of ~1,000 operation objects costs the main thread ~5 ms of structured clone (every property
// name is serialized again for every object); the same values as one flat array of primitives
// clone in ~1.3 ms. So each operation is written as its kind number followed by its payload's
// fields (one checked flat codec per kind, util/flat-codec.ts), and the worker rebuilds the objects.
import type * as R from '../records.js';
import type { WriteOp } from './operations.js';

import { flatCodec, type FlatCodec } from '../../util/flat-codec.js';

const tx = flatCodec<R.TransmissionRecord>({
  id: 0,
  rawHex: 0,
  hash: 0,
  firstSeenMs: 0,
  lastSeenMs: 0,
  routeType: 0,
  payloadType: 0,
  payloadVersion: 0,
  decodedJson: 0,
  fromPubkey: 0,
  channelHash: 0,
  scopeName: 0,
});
const obs = flatCodec<R.ObservationRecord>({
  id: 0,
  transmissionId: 0,
  observerId: 0,
  direction: 0,
  snr: 0,
  rssi: 0,
  score: 0,
  path: 0,
  rxMs: 0,
  uploaderMs: 0,
});
const seen = flatCodec<{ id: number; ms: number }>({ id: 0, ms: 0 });

type Kind = WriteOp['kind'];
type Payload<K extends Kind> = Extract<WriteOp, { kind: K }>;

/** Per kind: the property of the op holding the payload (null: the fields are on the op) and its codec. */
type Layout<K extends Kind> =
  | { key: null; codec: FlatCodec<Omit<Payload<K>, 'kind'>> }
  | { [P in Exclude<keyof Payload<K>, 'kind'>]: { key: P; codec: FlatCodec<Payload<K>[P]> } }[Exclude<
      keyof Payload<K>,
      'kind'
    >];
const layout: { [K in Kind]: Layout<K> } = {
  insertTransmission: { key: 'tx', codec: tx },
  insertObservation: { key: 'obs', codec: obs },
  raiseTransmissionLastSeen: { key: null, codec: seen },
  lowerTransmissionFirstSeen: { key: null, codec: seen },
  fillObservationSignal: {
    key: 'fill',
    codec: flatCodec<R.SignalFill>({ observationId: 0, snr: 0, rssi: 0, score: 0 }),
  },
  upsertNode: {
    key: 'node',
    codec: flatCodec<R.NodeUpsert>({
      publicKey: 0,
      name: 0,
      role: 0,
      lat: 0,
      lon: 0,
      seenMs: 0,
      isNewAdvert: 0,
      batteryMv: 0,
      temperatureC: 0,
      foreign: 0,
      defaultScope: 0,
    }),
  },
  upsertObserverPacket: {
    key: 'observer',
    codec: flatCodec<R.ObserverPacketUpsert>({ id: 0, name: 0, iata: 0, seenMs: 0 }),
  },
  upsertObserverStatus: {
    key: 'observer',
    codec: flatCodec<R.ObserverStatusUpsert>(
      {
        id: 0,
        name: 0,
        iata: 0,
        seenMs: 0,
        model: 0,
        firmware: 0,
        clientVersion: 0,
        radio: 0,
        batteryMv: 0,
        uptimeSecs: 0,
        noiseFloor: 0,
        canRelay: 0,
      },
      { canRelay: 0 },
    ),
  },
  insertObserverMetrics: {
    key: 'sample',
    codec: flatCodec<R.ObserverMetricsSample>({
      observerId: 0,
      atMs: 0,
      noiseFloor: 0,
      txAirSecs: 0,
      rxAirSecs: 0,
      recvErrors: 0,
      batteryMv: 0,
      packetsSent: 0,
      packetsRecv: 0,
      uptimeSecs: 0,
    }),
  },
  recordDroppedPacket: {
    key: 'dropped',
    codec: flatCodec<R.DroppedPacket>({
      reason: 0,
      hash: 0,
      rawHex: 0,
      observerId: 0,
      observerName: 0,
      nodePubkey: 0,
      nodeName: 0,
      droppedAtMs: 0,
    }),
  },
  // t2
  upsertNeighborEdge: {
    key: 'edge',
    codec: flatCodec<R.NeighborEdgeUpsert>({ nodeA: 0, nodeB: 0, count: 0, lastSeenMs: 0 }),
  },
  upsertObserverClock: {
    key: 'clock',
    codec: flatCodec<R.ObserverClockUpsert>({ id: 0, skewSeconds: 0, count24h: 0, lastNaiveAtMs: 0 }),
  },
};

const kinds = Object.keys(layout) as Kind[];
const kindCode = new Map(kinds.map((k, i) => [k, i]));
const entries = kinds.map((k) => ({
  kind: k,
  ...(layout[k] as { key: string | null; codec: FlatCodec<object> }),
}));

/** Appends one operation to `flat`: its kind number, then its fields in layout order. */
export function encodeOp(flat: unknown[], op: WriteOp): void {
  const e = entries[kindCode.get(op.kind)!];
  const src = (e.key === null ? op : (op as unknown as Record<string, unknown>)[e.key]) as Record<
    string,
    unknown
  >;
  flat.push(kindCode.get(op.kind));
  e.codec.write(flat, src as object);
}

/** The operations of a flat array written by encodeOp, in order. */
export function decodeOps(flat: readonly unknown[]): WriteOp[] {
  const ops: WriteOp[] = [];
  let i = 0;
  while (i < flat.length) {
    const e = entries[flat[i++] as number];
    if (e === undefined) throw new Error(`writer hand-off: unknown operation code ${String(flat[i - 1])}`);
    const obj = e.codec.read(flat, i) as Record<string, unknown>;
    i += e.codec.width;
    ops.push((e.key === null ? { kind: e.kind, ...obj } : { kind: e.kind, [e.key]: obj }) as WriteOp);
  }
  return ops;
}
