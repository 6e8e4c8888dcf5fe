// The ingest pipeline (spec ingest-store-api §1.6-1.9): one observer message at a time,
//   parse (done by the MQTT front end) -> bounded queue -> decode -> ADVERT gate -> dedup
//   against the in-memory store -> ids -> append to memory (readers see it at once) and queue
//   the same records to the SQLite writer -> node / observer upserts -> one event per new
//   observation (the WebSocket feed).
// Every rejection is counted by code in the shared RejectionCounter; decode and advert
// rejections (and parse rejections, without a frame) leave a rate-limited sample row in
// dropped_packets. POST /api/packets uses ingestPacket() directly, so it shares dedup and
// validation with MQTT (spec §1.11 recommendation).
import {
  decodePacket,
  observationPath,
  payloadJsonText,
  verifyAdvertSignature,
  type AdvertPayload,
  type ChannelKeyring,
  type Packet,
} from '../protocol/index.js';
import {
  type NodeRecord,
  type ObservationRecord,
  type ObserverRecord,
  type TransmissionRecord,
} from '../store/records.js';
import { checkAdvert } from './advert-gate.js';
import { hasGpsFix, type GeoFilterStore } from '../config/geo-filter.js';
import { IngestQueue, type IngestQueueStats } from './ingest-queue.js';
import { CommitAcks, type CommitAcksStats } from './commit-acks.js';
import type { IngestMemory, IngestWriter } from './ingest-ports.js';
import { packetSighting, type ObserverMessage, type ObserverStatus } from './observer-message.js';
import type { Sighting } from './sighting.js';
import type { RejectionCounter } from './rejections.js';
import { ObserverUpserts } from './observer-upserts.js';
import type { ObserverAdmissionConfig } from './observer-admission.js';
import { RadioDropCounter } from './radio-ranges.js';
import { TransportScopes } from './transport-scopes.js';

const ADVERT = 4;
const GRP_TXT = 5;
const GRP_DATA = 6;

/** One frame to ingest, from an MQTT packet message or POST /api/packets (sighting.ts). */
export type PacketInput = Sighting;

export type PacketOutcome =
  | {
      ok: true;
      packet: Packet;
      hash: string;
      transmissionId: number;
      /** The new observation's id; for a re-delivery the existing one's. */
      observationId: number;
      isNewTransmission: boolean;
      /** Same (transmission, observer, path) as a stored observation: only signal was filled. */
      redelivery: boolean;
    }
  | { ok: false; code: string; detail: string };

/** Emitted once per new observation (not for re-deliveries). */
export interface ObservationEvent {
  packet: Packet;
  hash: string;
  transmissionId: number;
  firstSeenMs: number;
  /** The transmission's decoded_json when this observation created it, else null (derive from packet). */
  decodedJson: string | null;
  observation: ObservationRecord;
  observerName: string | null;
  region: string;
  observationCount: number;
  isNewTransmission: boolean;
}

export interface PipelineOptions {
  memory: IngestMemory;
  writer: IngestWriter;
  keyring: ChannelKeyring;
  /** Verify ADVERT signatures (config `validateSignatures`, default true). */
  validateSignatures: boolean;
  rejections: RejectionCounter;
  /** Highest ids already used (SQLite, at startup); new ids continue after them. */
  maxIds: { transmissionId: number; observationId: number };
  /** Queue capacity (config `ingestBufferSize`). */
  bufferSize: number;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** dropped_packets rows per reason per minute (default 60): a flood cannot flood the table. */
  droppedSamplesPerMinute?: number;
  /** Config `hashRegions` resolved for transmissions.scope_name (default: none configured). */
  scopes?: TransportScopes;
  /** Config `geo_filter`, read per advert (settable at run time); absent: no filter. */
  geoFilter?: Pick<GeoFilterStore, 'get' | 'allows'>;
  /** Config `foreignAdverts.mode` (default 'flag'): adverts outside geo_filter flagged or dropped. */
  foreignAdverts?: 'flag' | 'drop';
  /** Config `observerAdmission`: new observers per source (issue 13 #5); absent: no limit. */
  observerAdmission?: ObserverAdmissionConfig;
}

export interface PipelineStats {
  packets: number;
  statuses: number;
  transmissionsNew: number;
  observationsNew: number;
  redeliveries: number;
  signalFills: number;
  advertsVerified: number;
  rejected: number;
  droppedSamplesWritten: number;
  droppedSamplesSkipped: number;
  listenerErrors: number;
  /** Advert sightings from outside geo_filter kept and their node flagged foreign ('flag' mode). */
  foreignFlagged: number;
  /** Mean synchronous work per packet (decode .. writer queue), microseconds. */
  meanPacketUs: number;
  maxPacketMs: number;
  queue: IngestQueueStats;
  /** Issue 13 #7: MQTT radio values out of range, dropped to null (the packet is kept), by reason. */
  radioValuesDropped: ReturnType<RadioDropCounter['snapshot']>;
  /** Broker acknowledgements released after commits, and those withheld by reason. */
  acks: CommitAcksStats;
}

/** One decoded frame on its way through #ingestPacket's steps. */
interface Frame {
  input: PacketInput;
  packet: Packet;
  advert: AdvertPayload | null;
  path: string[];
  observer: ObserverRecord;
}

/** A parsed message, or a packet already flattened by the ingest worker (ingest-thread.ts);
 *  `ack` is its broker acknowledgement token (0: none, QoS 0 or not MQTT). */
type Queued = (
  | { message: ObserverMessage; source: string; rxMs: number; topic: string; input?: undefined }
  | { input: PacketInput; message?: undefined }
) & { ack: number };

export class IngestPipeline {
  readonly queue: IngestQueue<Queued>;
  /** Acknowledgements to the brokers, released once what the messages caused is committed. */
  readonly acks: CommitAcks;
  readonly #o: PipelineOptions;
  readonly #listeners = new Set<(e: ObservationEvent) => void>();
  readonly #observers: ObserverUpserts;
  readonly #sampleWindows = new Map<string, { startMs: number; n: number }>();
  readonly #radioDrops = new RadioDropCounter();
  #nextTxId: number;
  #nextObsId: number;
  #packetNs = 0;
  readonly #s = {
    packets: 0,
    statuses: 0,
    transmissionsNew: 0,
    observationsNew: 0,
    redeliveries: 0,
    signalFills: 0,
    advertsVerified: 0,
    rejected: 0,
    droppedSamplesWritten: 0,
    droppedSamplesSkipped: 0,
    listenerErrors: 0,
    foreignFlagged: 0,
    maxPacketMs: 0,
  };
  readonly #scopes: TransportScopes;

  constructor(options: PipelineOptions) {
    this.#o = options;
    this.#observers = new ObserverUpserts(options.memory, options.writer, options.observerAdmission);
    this.#scopes = options.scopes ?? new TransportScopes([]);
    this.#nextTxId = options.maxIds.transmissionId + 1;
    this.#nextObsId = options.maxIds.observationId + 1;
    this.acks = new CommitAcks(() => options.writer.flush?.() ?? Promise.resolve());
    this.queue = new IngestQueue<Queued>({
      capacity: options.bufferSize,
      consume: (q) => {
        try {
          this.#consume(q);
        } finally {
          // Stored, rejected for its content (counted) or failed in a handler (counted): done.
          this.acks.done(q.ack);
        }
      },
      afterSlice: () => this.#observers.flush(),
      onDrop: (q) => {
        const i = q.input;
        this.reject('queue_full', `ingest queue full (${options.bufferSize})`, {
          source: i ? i.source : q.source,
          topic: i ? i.topic : q.topic,
          observerId: i ? i.observerId : q.message.topic.observerId,
          atMs: i ? i.rxMs : q.rxMs,
        });
        this.acks.refuse(q.ack, 'queue_full');
      },
      ...(options.log ? { log: options.log } : {}),
    });
  }

  // ------------------------------------------------------------ entry points

  /**
   * Queues a parsed MQTT message; false when the queue is full (counted as `queue_full`) or
   * the writer is backlogged (`writer_backlogged`). `ack` (0: none) is acknowledged to the
   * broker once committed; a refused message is not, so the broker redelivers it.
   */
  submit(message: ObserverMessage, source: string, rxMs: number, topic: string, ack = 0): boolean {
    if (this.#backlogged({ source, topic, atMs: rxMs, observerId: message.topic.observerId }, ack))
      return false;
    return this.queue.push({ message, source, rxMs, topic, ack });
  }

  /** Queues a packet already parsed into its fields; false when refused (see submit). */
  submitPacket(input: PacketInput, ack = 0): boolean {
    const ctx = { source: input.source, topic: input.topic, atMs: input.rxMs, observerId: input.observerId };
    if (this.#backlogged(ctx, ack)) return false;
    return this.queue.push({ input, ack });
  }

  /** A message rejected before the queue (parse, oversize) and counted: ack after a commit. */
  settled(ack: number): void {
    this.acks.done(ack);
  }

  /** Starts draining the queue (after the store has loaded, spec §1.9 "buffer until ready"). */
  start(): void {
    this.queue.resume();
  }

  /** Resolves when everything queued so far has been processed. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  /** Subscribes to new observations; returns the unsubscribe function. */
  onObservation(listener: (e: ObservationEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Counts a rejection and, within the per-reason sample rate, records a dropped_packets row.
   * Used for the pipeline's own rejections and for the MQTT front end's parse rejections.
   */
  reject(
    code: string,
    detail: string,
    ctx: {
      source?: string;
      topic?: string;
      observerId?: string | null;
      observerName?: string | null;
      rawHex?: string | null;
      hash?: string | null;
      nodePubkey?: string | null;
      nodeName?: string | null;
      payload?: Uint8Array | string;
      atMs?: number;
    } = {},
  ): void {
    const atMs = ctx.atMs ?? Date.now();
    this.#s.rejected++;
    this.#o.rejections.reject(code, {
      detail,
      atMs,
      ...(ctx.topic !== undefined ? { topic: ctx.topic } : {}),
      ...(ctx.source !== undefined ? { source: ctx.source } : {}),
      ...(ctx.payload !== undefined ? { payload: ctx.payload } : {}),
    });
    if (!this.#takeSample(code, atMs)) {
      this.#s.droppedSamplesSkipped++;
      return;
    }
    this.#s.droppedSamplesWritten++;
    this.#o.writer.recordDroppedPacket({
      reason: detail === code ? code : `${code}: ${detail}`.slice(0, 200),
      hash: ctx.hash ?? null,
      rawHex: ctx.rawHex ?? null,
      observerId: ctx.observerId ?? null,
      observerName: ctx.observerName ?? null,
      nodePubkey: ctx.nodePubkey ?? null,
      nodeName: ctx.nodeName ?? null,
      droppedAtMs: atMs,
    });
  }

  /** Decode -> gate -> dedup -> store for one frame, synchronously. */
  ingestPacket(input: PacketInput): PacketOutcome {
    const t0 = process.hrtime.bigint();
    try {
      return this.#ingestPacket(input);
    } finally {
      const ns = Number(process.hrtime.bigint() - t0);
      this.#packetNs += ns;
      if (ns / 1e6 > this.#s.maxPacketMs) this.#s.maxPacketMs = ns / 1e6;
    }
  }

  /** An observer status message: metadata and a metrics sample (spec §1.3). */
  ingestStatus(observerId: string, region: string, status: ObserverStatus, rxMs: number): void {
    this.#s.statuses++;
    this.#observers.status(observerId, region, status, rxMs);
    this.#o.writer.insertObserverMetrics({
      observerId,
      atMs: rxMs,
      noiseFloor: status.noiseFloor,
      txAirSecs: status.txAirSecs,
      rxAirSecs: status.rxAirSecs,
      recvErrors: status.recvErrors,
      batteryMv: status.batteryMv,
      packetsSent: status.packetsSent,
      packetsRecv: status.packetsRecv,
      uptimeSecs: status.uptimeSecs,
    });
  }

  /** Retention removed these observers (never a valid packet) from SQLite; returns those hidden. */
  forgetObservers(ids: readonly string[]): number {
    return this.#observers.forget(ids);
  }

  stats(): PipelineStats {
    return {
      ...this.#s,
      meanPacketUs: this.#s.packets === 0 ? 0 : Math.round(this.#packetNs / this.#s.packets / 10) / 100,
      queue: this.queue.stats(),
      radioValuesDropped: this.#radioDrops.snapshot(),
      acks: this.acks.stats(),
    };
  }

  // ------------------------------------------------------------ internals

  /** Back-pressure: while the writer cannot keep up, MQTT input is refused (counted, not acked). */
  #backlogged(
    ctx: { source: string; topic?: string; atMs: number; observerId: string | null },
    ack: number,
  ): boolean {
    if (!this.#o.writer.backlogged?.()) return false;
    this.reject('writer_backlogged', 'sqlite writer backlogged', ctx);
    this.acks.refuse(ack, 'writer_backlogged');
    return true;
  }

  #consume(q: Queued): void {
    if (q.input) {
      this.#observers.defer = true;
      try {
        this.ingestPacket(q.input);
      } finally {
        this.#observers.defer = false;
      }
      return;
    }
    const m = q.message;
    if (m.kind === 'status') {
      if (!this.#admitObserver(m.topic.observerId, q.source, q.topic, q.rxMs)) return;
      this.ingestStatus(m.topic.observerId, m.region, m.status, q.rxMs);
      return;
    }
    this.ingestPacket(packetSighting(m, q.source, q.rxMs, q.topic));
  }

  /** One frame: decode -> advert gate (new transmissions) -> dedup -> store -> events. */
  #ingestPacket(input: PacketInput): PacketOutcome {
    this.#s.packets++;
    if (input.radioDropped) this.#radioDrops.add(input.radioDropped);
    // Signatures are verified in #gateAdvert, only for new transmissions: a known content hash
    // means the same payload bytes, so the same verdict (spec packet-format §8).
    const decoded = decodePacket(input.rawHex, { keyring: this.#o.keyring, verifySignatures: false });
    if (!decoded.ok) {
      const code = `decode_${decoded.error.code}`;
      this.reject(code, decoded.error.message, rejectContext(input));
      return { ok: false, code, detail: decoded.error.message };
    }
    const packet = decoded.packet;
    const txRow = this.#o.memory.txRowByHash(packet.hash);
    const advert = packet.header.payloadType === ADVERT ? asAdvert(packet) : null;
    if (txRow === -1 && packet.header.payloadType === ADVERT) {
      const refused = this.#gateAdvert(packet, advert, input);
      if (refused) return refused;
    }
    if (!this.#admitObserver(input.observerId, input.source, input.topic, input.rxMs))
      return { ok: false, code: 'observer_rate_limited', detail: 'too many new observers from this source' };
    const f: Frame = {
      input,
      packet,
      advert,
      path: observationPath(packet),
      observer: this.#observers.get(input.observerId, input.rxMs),
    };
    if (txRow !== -1) {
      let existing: number;
      try {
        existing = this.#o.memory.findObservation(txRow, input.observerId, f.path);
      } catch (err) {
        // A path the store cannot hold (e.g. a TRACE route of 4-byte hops): the same refusal
        // as at the append, not an exception out of ingest (POST answered 500).
        return this.#storeRefusal(err, input, packet.hash);
      }
      if (existing !== -1) return this.#redeliver(f, txRow, existing);
    }
    return this.#storeSighting(f, txRow);
  }

  /**
   * The checks a new ADVERT transmission must pass (spec §1.6): signature (when enabled), the
   * quality gate, and `geo_filter` in `foreignAdverts` mode "drop". Null when it passes.
   */
  #gateAdvert(packet: Packet, advert: AdvertPayload | null, input: PacketInput): PacketOutcome | null {
    const o = this.#o;
    if (o.validateSignatures && advert) {
      this.#s.advertsVerified++;
      advert.signatureValid = input.advertSignatureValid ?? verifyAdvertSignature(packet.payloadBytes);
    }
    const verdict =
      checkAdvert(packet.payload) ??
      (advert && o.foreignAdverts === 'drop' && this.#isForeign(advert) === true
        ? {
            code: 'advert_outside_geo_filter',
            detail: `position ${advert.lat}, ${advert.lon} outside geo_filter`,
          }
        : null);
    if (!verdict) return null;
    this.reject(verdict.code, verdict.detail, {
      ...rejectContext(input),
      hash: packet.hash,
      nodePubkey: advert?.pubKey ?? null,
      nodeName: advert?.name ?? null,
    });
    return { ok: false, code: verdict.code, detail: verdict.detail };
  }

  /** Re-delivery (spec §1.7 step 4): same observer and path again; only fill missing signal. */
  #redeliver(f: Frame, txRow: number, existing: number): PacketOutcome {
    const { memory, writer } = this.#o;
    const { input } = f;
    this.#s.redeliveries++;
    const observationId = memory.obsIdAt(existing);
    if (memory.fillObservationSignal(existing, input.snr, input.rssi, input.score)) {
      this.#s.signalFills++;
      writer.fillObservationSignal({ observationId, snr: input.snr, rssi: input.rssi, score: input.score });
    }
    this.#observers.touch(f.observer, input);
    return {
      ok: true,
      packet: f.packet,
      hash: f.packet.hash,
      transmissionId: memory.txIdAt(txRow),
      observationId,
      isNewTransmission: false,
      redelivery: true,
    };
  }

  /**
   * A new observation (and, when txRow is -1, its new transmission): memory first, then the
   * writer, the observer and node upserts, and the observation event.
   */
  #storeSighting(f: Frame, knownTxRow: number): PacketOutcome {
    const { memory, writer } = this.#o;
    const { input, packet } = f;
    const tx = knownTxRow === -1 ? this.#newTransmission(input, packet, f.advert) : null;
    const transmissionId = tx ? tx.id : memory.txIdAt(knownTxRow);
    const firstSeenBefore = tx ? NaN : memory.tx.get('firstSeenMs', knownTxRow);
    const lastSeenBefore = tx ? NaN : memory.tx.get('lastSeenMs', knownTxRow);
    const obs = this.#newObservation(input, transmissionId, f.path);
    const appended = this.#append(tx, obs, input, packet.hash);
    if (typeof appended !== 'number') return appended;
    const txRow = tx ? appended : knownTxRow;
    this.#observers.touch(f.observer, input);
    if (tx) {
      this.#s.transmissionsNew++;
      writer.insertTransmission(tx);
    } else {
      if (input.rxMs > lastSeenBefore) writer.raiseTransmissionLastSeen(transmissionId, input.rxMs);
      if (input.rxMs < firstSeenBefore) writer.lowerTransmissionFirstSeen(transmissionId, input.rxMs);
    }
    writer.insertObservation(obs);
    this.#s.observationsNew++;
    if (f.advert) this.#upsertNode(f.advert, input.rxMs, tx !== null, tx?.scopeName ?? null);
    if (this.#listeners.size > 0) this.#emit(f, tx, obs, txRow);
    return {
      ok: true,
      packet,
      hash: packet.hash,
      transmissionId,
      observationId: obs.id,
      isNewTransmission: tx !== null,
      redelivery: false,
    };
  }

  #newTransmission(input: PacketInput, packet: Packet, advert: AdvertPayload | null): TransmissionRecord {
    return {
      id: this.#nextTxId,
      rawHex: input.rawHex,
      hash: packet.hash,
      firstSeenMs: input.rxMs,
      lastSeenMs: input.rxMs,
      routeType: packet.header.routeType,
      payloadType: packet.header.payloadType,
      payloadVersion: packet.header.payloadVersion,
      decodedJson: payloadJsonText(packet),
      fromPubkey: advert ? advert.pubKey.toLowerCase() : null,
      channelHash: channelHash(packet),
      scopeName: this.#scopes.scopeOf(packet),
    };
  }

  #newObservation(input: PacketInput, transmissionId: number, path: string[]): ObservationRecord {
    return {
      id: this.#nextObsId,
      transmissionId,
      observerId: input.observerId,
      direction: input.direction,
      snr: input.snr,
      rssi: input.rssi,
      score: input.score,
      path,
      rxMs: input.rxMs,
      uploaderMs: input.uploaderMs,
    };
  }

  /**
   * Memory first: a StoreError there (capacity, oversize JSON) leaves nothing half-written in
   * SQLite; a transmission appended without its observation is re-used by the next sighting.
   * Returns the new transmission's row (-1 when tx is null) or the rejection.
   */
  #append(
    tx: TransmissionRecord | null,
    obs: ObservationRecord,
    input: PacketInput,
    hash: string,
  ): number | PacketOutcome {
    const memory = this.#o.memory;
    let txRow = -1;
    try {
      if (tx) {
        txRow = memory.appendTransmission(tx);
        this.#nextTxId++;
      }
      memory.appendObservation(obs);
      this.#nextObsId++;
      return txRow;
    } catch (err) {
      if (tx && txRow !== -1 && isStoreError(err)) {
        // The transmission is in memory (readers see it): it must reach SQLite too, or it is
        // served until a restart loses it and a later observation of it has no parent row.
        this.#s.transmissionsNew++;
        this.#o.writer.insertTransmission(tx);
      }
      return this.#storeRefusal(err, input, hash);
    }
  }

  /** A StoreError as a counted rejection (`store_<reason>`); anything else is rethrown. */
  #storeRefusal(err: unknown, input: PacketInput, hash: string): PacketOutcome {
    if (!isStoreError(err)) throw err;
    const reason = `store_${err.code.slice('STORE_ERR_'.length).toLowerCase()}`;
    this.reject(reason, err.message, { ...rejectContext(input), hash });
    return { ok: false, code: reason, detail: err.message };
  }

  /** One event per new observation; a failing listener is counted and logged, never rethrown. */
  #emit(f: Frame, tx: TransmissionRecord | null, obs: ObservationRecord, txRow: number): void {
    const memory = this.#o.memory;
    const event: ObservationEvent = {
      packet: f.packet,
      hash: f.packet.hash,
      transmissionId: obs.transmissionId,
      firstSeenMs: memory.tx.get('firstSeenMs', txRow),
      decodedJson: tx ? tx.decodedJson : null,
      observation: obs,
      observerName: f.observer.name,
      region: f.input.region,
      observationCount: memory.tx.get('obsCount', txRow),
      isNewTransmission: tx !== null,
    };
    for (const l of this.#listeners) {
      try {
        l(event);
      } catch (err) {
        this.#s.listenerErrors++;
        this.#o.log?.('error', `ingest: observation listener failed: ${(err as Error).message}`);
      }
    }
  }

  /**
   * Whether an advert's position lies outside the geo filter in force: null when there is no
   * filter or the advert has no position (no GPS and (0, 0) always pass, spec §1.6).
   */
  #isForeign(advert: AdvertPayload): boolean | null {
    const geo = this.#o.geoFilter;
    if (!geo || geo.get() === null || !hasGpsFix(advert.lat, advert.lon)) return null;
    return !geo.allows(advert.lat, advert.lon);
  }

  /**
   * Advert -> node (spec §1.6): non-null values win; advert_count counts new transmissions only;
   * `foreign` follows the newest advert judged against geo_filter; default_scope the newest
   * matched transport scope (`scope`, of a new transmission).
   */
  #upsertNode(advert: AdvertPayload, rxMs: number, isNew: boolean, scope: string | null): void {
    const memory = this.#o.memory;
    const publicKey = advert.pubKey.toLowerCase();
    const row = memory.nodeRow(publicKey);
    const old: NodeRecord | null = row === -1 ? null : memory.node(row);
    const role = advert.flags === undefined ? null : advert.role;
    const foreign = this.#isForeign(advert);
    if (foreign) this.#s.foreignFlagged++;
    const defaultScope = scope !== null && scope !== '' ? scope : null;
    const rec: NodeRecord = {
      publicKey,
      name: advert.name ?? old?.name ?? null,
      role: role ?? old?.role ?? null,
      lat: advert.lat ?? old?.lat ?? null,
      lon: advert.lon ?? old?.lon ?? null,
      firstSeenMs: old && old.firstSeenMs <= rxMs ? old.firstSeenMs : rxMs,
      lastSeenMs: old && old.lastSeenMs >= rxMs ? old.lastSeenMs : rxMs,
      advertCount: (old?.advertCount ?? 0) + (isNew ? 1 : 0),
      batteryMv: advert.battery_mv ?? old?.batteryMv ?? null,
      temperatureC: advert.temperature_c ?? old?.temperatureC ?? null,
      foreign: foreign ?? old?.foreign ?? false,
      defaultScope: defaultScope ?? old?.defaultScope ?? null,
    };
    memory.upsertNode(rec);
    this.#o.writer.upsertNode({
      publicKey,
      name: advert.name ?? null,
      role,
      lat: advert.lat ?? null,
      lon: advert.lon ?? null,
      seenMs: rxMs,
      isNewAdvert: isNew,
      batteryMv: advert.battery_mv ?? null,
      temperatureC: advert.temperature_c ?? null,
      foreign,
      defaultScope,
    });
  }

  /** A new observer within its source's budget (issue 13 #5), else counted and refused. */
  #admitObserver(observerId: string, source: string, topic: string | undefined, atMs: number): boolean {
    if (this.#observers.admit(observerId, source)) return true;
    this.reject(
      'observer_rate_limited',
      `new observer ${observerId.slice(0, 64)} over the budget of ${source}`,
      {
        source,
        observerId,
        atMs,
        ...(topic !== undefined ? { topic } : {}),
      },
    );
    return false;
  }

  #takeSample(code: string, atMs: number): boolean {
    const limit = this.#o.droppedSamplesPerMinute ?? 60;
    let w = this.#sampleWindows.get(code);
    if (!w || atMs - w.startMs >= 60_000) {
      w = { startMs: atMs, n: 0 };
      this.#sampleWindows.set(code, w);
    }
    return w.n++ < limit;
  }
}

function isStoreError(err: unknown): err is Error & { code: string } {
  const code = (err as { code?: unknown } | null)?.code;
  return err instanceof Error && typeof code === 'string' && code.startsWith('STORE_ERR');
}

/** Where a rejected packet came from (built only on rejection: ingest's hot path skips it). */
function rejectContext(input: PacketInput) {
  return {
    source: input.source,
    ...(input.topic !== undefined ? { topic: input.topic } : {}),
    observerId: input.observerId,
    observerName: input.origin,
    rawHex: input.rawHex,
    atMs: input.rxMs,
  };
}

function asAdvert(packet: Packet): AdvertPayload | null {
  const p = packet.payload;
  return p.type === 'ADVERT' && !('error' in p) ? p : null;
}

/** transmissions.channel_hash (spec §1.6): channel name when decrypted, `enc_XX` otherwise. */
function channelHash(packet: Packet): string | null {
  const t = packet.header.payloadType;
  if (t !== GRP_TXT && t !== GRP_DATA) return null;
  const p = packet.payload as { channel?: string; channelHashHex?: string };
  if (typeof p.channel === 'string') return p.channel;
  return typeof p.channelHashHex === 'string' ? `enc_${p.channelHashHex}` : null;
}
