// What the pipeline needs from the store layer, stated here so that ingest does not import the
// layer above it (docs/architecture.md). The composition root passes the MemoryStore and the
// SqliteWriterThread, which satisfy these structurally.
import type {
  DroppedPacket,
  NodeRecord,
  NodeUpsert,
  ObservationRecord,
  ObserverClockUpsert,
  ObserverMetricsSample,
  ObserverPacketUpsert,
  ObserverRecord,
  ObserverStatusUpsert,
  SignalFill,
  TransmissionRecord,
} from '../store/records.js';

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
  /** An observer row with an upsert or observations (issue 13 #5: new ones are rate limited). */
  observerKnown(id: string): boolean;
  /** Hides an observer without observations (aged out by retention); false when it has some. */
  removeObserver(id: string): boolean;
}

/** The SQLite writer (spec §1.9: one writer, batched); the same records, queued. */
export interface IngestWriter {
  insertTransmission(tx: TransmissionRecord): void;
  insertObservation(obs: ObservationRecord): void;
  raiseTransmissionLastSeen(id: number, ms: number): void;
  lowerTransmissionFirstSeen(id: number, ms: number): void;
  fillObservationSignal(fill: SignalFill): void;
  upsertNode(node: NodeUpsert): void;
  upsertObserverFromPacket(o: ObserverPacketUpsert): void;
  upsertObserverFromStatus(o: ObserverStatusUpsert): void;
  insertObserverMetrics(s: ObserverMetricsSample): void;
  recordDroppedPacket(d: DroppedPacket): void;
  upsertObserverClock(c: ObserverClockUpsert): void;
  /** Resolves once every write queued before the call is committed (acks follow it; a
   *  writer without it, a test double, commits at once). */
  flush?(): Promise<void>;
  /** True while the writer cannot keep up: MQTT input is refused (counted, not acked). */
  backlogged?(): boolean;
}
