// The merged observer records of ingest (spec §1.6 "upserts the observer"): created on first
// sight from the store, updated by every packet and status of that observer, written to the
// memory store and queued to the SQLite writer. Packets from the queue are coalesced: one
// memory upsert and at most one naive-clock writer op per observer per slice (every packet's
// upsert was ~5 % of the main thread's ingest work); readers see them within the slice.
import { newObserverRecord, type ObserverRecord } from '../store/records.js';
import { recordNaiveClockEvent } from '../store/observer-clock.js';
import type { IngestMemory, IngestWriter } from './ingest-ports.js';
import type { ObserverStatus } from './observer-message.js';
import type { Sighting } from './sighting.js';
import { naiveClockSkewMs } from './uploader-time.js';
import { ObserverAdmission, type ObserverAdmissionConfig } from './observer-admission.js';

export class ObserverUpserts {
  /** Merged records (ingest is the only writer after the load). */
  readonly #records = new Map<string, ObserverRecord>();
  /** Touched by queued packets in the current slice, written to memory at its end. */
  readonly #dirty = new Set<ObserverRecord>();
  /** With naive-clock events in the current slice: one writer op each at its end. */
  readonly #dirtyClocks = new Set<ObserverRecord>();
  /** True while a queue slice runs: packet upserts wait for `flush()`. */
  defer = false;

  /** The per-source budget of new observers (issue 13 #5). */
  readonly #admission: ObserverAdmission;

  constructor(
    private readonly memory: IngestMemory,
    private readonly writer: IngestWriter,
    admission: ObserverAdmissionConfig = { newPerMinute: 0, burst: 0 },
    now?: () => number,
  ) {
    this.#admission = new ObserverAdmission(admission, now);
  }

  /**
   * Whether a message of observer `id` from `source` may go on: a known observer always, a
   * new one while the source's budget lasts (ObserverAdmission).
   */
  admit(id: string, source: string): boolean {
    return this.#records.has(id) || this.memory.observerKnown(id) || this.#admission.take(source);
  }

  /**
   * Observers that retention deleted from SQLite (never a valid packet): hidden in memory and
   * forgotten here, so that their next message is a new observer again. Returns those removed
   * (one that got a packet meanwhile is kept).
   */
  forget(ids: readonly string[]): number {
    let n = 0;
    for (const id of ids) {
      const rec = this.#records.get(id);
      if (rec && rec.packetCount > 0) continue;
      if (!this.memory.removeObserver(id)) continue;
      this.#records.delete(id);
      n++;
    }
    return n;
  }

  /** The merged record, created on first sight. */
  get(id: string, rxMs: number): ObserverRecord {
    let rec = this.#records.get(id);
    if (rec) return rec;
    const row = this.memory.observerRow(id);
    rec = row === -1 ? newObserverRecord(id, rxMs) : this.memory.observer(row);
    // A row created by an observation alone (no upsert yet) has no times.
    if (Number.isNaN(rec.firstSeenMs)) rec.firstSeenMs = rxMs;
    if (Number.isNaN(rec.lastSeenMs)) rec.lastSeenMs = rxMs;
    this.#records.set(id, rec);
    return rec;
  }

  /** A packet message from this observer: name, region, last packet, packet_count + 1. */
  touch(rec: ObserverRecord, input: Sighting): void {
    rec.name = input.origin ?? rec.name;
    if (input.region !== '') rec.iata = input.region;
    if (!(rec.lastSeenMs >= input.rxMs)) rec.lastSeenMs = input.rxMs;
    if (input.rxMs < rec.firstSeenMs) rec.firstSeenMs = input.rxMs;
    rec.packetCount++;
    rec.lastPacketAtMs = input.rxMs;
    // A naive envelope time far off server time (spec analytics §6.7).
    const skewMs = input.naiveSkewMs ?? null;
    if (skewMs !== null) recordNaiveClockEvent(rec, skewMs, input.rxMs);
    if (this.defer) {
      this.#dirty.add(rec);
      if (skewMs !== null) this.#dirtyClocks.add(rec);
    } else {
      this.memory.upsertObserver(rec);
      if (skewMs !== null) this.#writeClock(rec);
    }
    this.writer.upsertObserverFromPacket({
      id: rec.id,
      name: input.origin,
      iata: input.region === '' ? null : input.region,
      seenMs: input.rxMs,
    });
  }

  /** A status message: its metadata merged, written at once (statuses are rare). */
  status(observerId: string, region: string, status: ObserverStatus, rxMs: number): void {
    const rec = this.get(observerId, rxMs);
    rec.name = status.origin ?? rec.name;
    if (region !== '') rec.iata = region;
    if (rxMs > rec.lastSeenMs || Number.isNaN(rec.lastSeenMs)) rec.lastSeenMs = rxMs;
    rec.model = status.model ?? rec.model;
    rec.firmware = status.firmware ?? rec.firmware;
    rec.clientVersion = status.clientVersion ?? rec.clientVersion;
    rec.radio = status.radio ?? rec.radio;
    rec.batteryMv = status.batteryMv ?? rec.batteryMv;
    rec.uptimeSecs = status.uptimeSecs ?? rec.uptimeSecs;
    rec.noiseFloor = status.noiseFloor ?? rec.noiseFloor;
    rec.canRelay = status.canRelay ?? rec.canRelay;
    const skewMs = naiveClockSkewMs(status.uploaderTime);
    if (skewMs !== null) recordNaiveClockEvent(rec, skewMs, rxMs);
    this.memory.upsertObserver(rec);
    this.writer.upsertObserverFromStatus({
      id: observerId,
      name: status.origin,
      iata: region === '' ? null : region,
      seenMs: rxMs,
      model: status.model,
      firmware: status.firmware,
      clientVersion: status.clientVersion,
      radio: status.radio,
      batteryMv: status.batteryMv,
      uptimeSecs: status.uptimeSecs,
      noiseFloor: status.noiseFloor,
      canRelay: status.canRelay,
    });
    if (skewMs !== null) this.#writeClock(rec);
  }

  /** End of a queue slice: the coalesced memory upserts and naive-clock writer ops. */
  flush(): void {
    for (const rec of this.#dirty) this.memory.upsertObserver(rec);
    this.#dirty.clear();
    for (const rec of this.#dirtyClocks) this.#writeClock(rec);
    this.#dirtyClocks.clear();
  }

  /** The observer's naive-clock state as it is now (absolute values: coalescing loses nothing). */
  #writeClock(rec: ObserverRecord): void {
    if (rec.clockSkewSeconds === null || rec.clockLastNaiveAtMs === null) return;
    this.writer.upsertObserverClock({
      id: rec.id,
      skewSeconds: rec.clockSkewSeconds,
      count24h: rec.clockSkewCount24h,
      lastNaiveAtMs: rec.clockLastNaiveAtMs,
    });
  }
}
