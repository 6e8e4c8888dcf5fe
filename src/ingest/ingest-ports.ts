// What the pipeline needs from the store layer, stated here so that ingest does not import the
// layer above it (docs/architecture.md). The composition root passes the MemoryStore and the
// SqliteWriterThread, which satisfy these structurally.
import type { NodeRecord, ObservationRecord, ObserverRecord, TransmissionRecord } from '../store/records.js';

/** The in-memory store: dedup lookups and immediate appends (readers see rows at once). */
export interface IngestMemory {
  txRowByHash(hash: string): number;
  txIdAt(row: number): number;
  tx: { get(column: 'firstSeenMs' | 'lastSeenMs' | 'obsCount', row: number): number };
  findObservation(txRow: number, observerId: string, path: readonly string[]): number;
  obsIdAt(row: number): number;
  appendTransmission(rec: TransmissionRecord): number;
  appendObservation(rec: ObservationRecord): number;
  fillObservationSignal(row: number, snr: number | null, rssi: number | null, score: number | null): boolean;
  nodeRow(publicKey: string): number;
  node(row: number): NodeRecord;
  upsertNode(rec: NodeRecord): number;
  observerRow(id: string): number;
  observer(row: number): ObserverRecord;
  upsertObserver(rec: ObserverRecord): number;
}

/** The SQLite writer (spec §1.9: one writer, batched); the same records, queued. */
export interface IngestWriter {
  insertTransmission(tx: TransmissionRecord): void;
  insertObservation(obs: ObservationRecord): void;
  raiseTransmissionLastSeen(id: number, ms: number): void;
  lowerTransmissionFirstSeen(id: number, ms: number): void;
  fillObservationSignal(fill: {
    observationId: number;
    snr: number | null;
    rssi: number | null;
    score: number | null;
  }): void;
  upsertNode(node: {
    publicKey: string;
    name: string | null;
    role: string | null;
    lat: number | null;
    lon: number | null;
    seenMs: number;
    isNewAdvert: boolean;
    batteryMv: number | null;
    temperatureC: number | null;
  }): void;
  upsertObserverFromPacket(o: { id: string; name: string | null; iata: string | null; seenMs: number }): void;
  upsertObserverFromStatus(o: {
    id: string;
    name: string | null;
    iata: string | null;
    seenMs: number;
    model: string | null;
    firmware: string | null;
    clientVersion: string | null;
    radio: string | null;
    batteryMv: number | null;
    uptimeSecs: number | null;
    noiseFloor: number | null;
  }): void;
  insertObserverMetrics(s: {
    observerId: string;
    atMs: number;
    noiseFloor: number | null;
    txAirSecs: number | null;
    rxAirSecs: number | null;
    recvErrors: number | null;
    batteryMv: number | null;
    packetsSent: number | null;
    packetsRecv: number | null;
  }): void;
  recordDroppedPacket(d: {
    reason: string;
    hash: string | null;
    rawHex: string | null;
    observerId: string | null;
    observerName: string | null;
    nodePubkey: string | null;
    nodeName: string | null;
    droppedAtMs: number;
  }): void;
}
