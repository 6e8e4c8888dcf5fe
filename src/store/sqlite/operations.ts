// The write operations the ingest pipeline hands to the SQLite writer, and how each becomes SQL.
// Ingest has already deduplicated (against the in-memory store) and assigned ids, so these are
// plain inserts and narrowly-scoped updates (spec ingest-store-api §1.6, §1.7).
import type { Statement } from 'better-sqlite3';
import type { Db } from './open.js';
import type {
  DroppedPacket,
  NeighborEdgeUpsert,
  NodeUpsert,
  ObservationRecord,
  ObserverMetricsSample,
  ObserverClockUpsert,
  ObserverPacketUpsert,
  ObserverStatusUpsert,
  SignalFill,
  TransmissionRecord,
} from '../records.js';

import { sqlTimeMs, toEpochSeconds, toRfc3339, toSqliteDatetime } from './time.js';

export type WriteOp =
  | { kind: 'insertTransmission'; tx: TransmissionRecord }
  | { kind: 'insertObservation'; obs: ObservationRecord }
  | { kind: 'raiseTransmissionLastSeen'; id: number; ms: number }
  | { kind: 'lowerTransmissionFirstSeen'; id: number; ms: number }
  | { kind: 'fillObservationSignal'; fill: SignalFill }
  | { kind: 'upsertNode'; node: NodeUpsert }
  | { kind: 'upsertObserverPacket'; observer: ObserverPacketUpsert }
  | { kind: 'upsertObserverStatus'; observer: ObserverStatusUpsert }
  | { kind: 'insertObserverMetrics'; sample: ObserverMetricsSample }
  | { kind: 'recordDroppedPacket'; dropped: DroppedPacket }
  // t2
  | { kind: 'upsertNeighborEdge'; edge: NeighborEdgeUpsert }
  | { kind: 'upsertObserverClock'; clock: ObserverClockUpsert };

/**
 * The write methods of both writers (SqliteWriter on its connection, SqliteWriterThread through
 * its worker): each queues one WriteOp, and the writer decides when it is committed.
 */
export abstract class WriterOps {
  protected abstract enqueue(op: WriteOp): void;

  insertTransmission(tx: TransmissionRecord): void {
    this.enqueue({ kind: 'insertTransmission', tx });
  }
  insertObservation(obs: ObservationRecord): void {
    this.enqueue({ kind: 'insertObservation', obs });
  }
  raiseTransmissionLastSeen(id: number, ms: number): void {
    this.enqueue({ kind: 'raiseTransmissionLastSeen', id, ms });
  }
  lowerTransmissionFirstSeen(id: number, ms: number): void {
    this.enqueue({ kind: 'lowerTransmissionFirstSeen', id, ms });
  }
  /** Fills only snr/rssi/score that are still NULL (§1.7: a re-delivery completes, never overwrites). */
  fillObservationSignal(fill: SignalFill): void {
    this.enqueue({ kind: 'fillObservationSignal', fill });
  }
  upsertNode(node: NodeUpsert): void {
    this.enqueue({ kind: 'upsertNode', node });
  }
  upsertObserverFromPacket(observer: ObserverPacketUpsert): void {
    this.enqueue({ kind: 'upsertObserverPacket', observer });
  }
  upsertObserverFromStatus(observer: ObserverStatusUpsert): void {
    this.enqueue({ kind: 'upsertObserverStatus', observer });
  }
  insertObserverMetrics(sample: ObserverMetricsSample): void {
    this.enqueue({ kind: 'insertObserverMetrics', sample });
  }
  recordDroppedPacket(dropped: DroppedPacket): void {
    this.enqueue({ kind: 'recordDroppedPacket', dropped });
  }
  /** t2: a neighbour-graph edge; count and last_seen only grow (the graph is rebuilt from memory). */
  upsertNeighborEdge(edge: NeighborEdgeUpsert): void {
    this.enqueue({ kind: 'upsertNeighborEdge', edge });
  }

  /** The observer's naive-clock state after new events (spec analytics §6.7), absolute values. */
  upsertObserverClock(clock: ObserverClockUpsert): void {
    this.enqueue({ kind: 'upsertObserverClock', clock });
  }
}

/** Prepared statements and the observer rowid cache; one instance per writer connection. */
export class OpApplier {
  private readonly s: Record<string, Statement>;
  /** observers.id -> observers.rowid (`observations.observer_idx`, §1.7 step 2). */
  private readonly observerIdx = new Map<string, number>();
  /** Rows added to dropped_packets since the last trim. */
  droppedInserted = 0;

  constructor(
    private readonly db: Db,
    private readonly metricsBucketMs: number,
  ) {
    const lastSeenMs = sqlTimeMs('last_seen');
    const firstSeenMs = sqlTimeMs('first_seen');
    this.s = {
      insertTx: db.prepare(
        `INSERT INTO transmissions (id, raw_hex, hash, first_seen, route_type, payload_type, payload_version,
           decoded_json, from_pubkey, last_seen, channel_hash, scope_name, ml_last_seen_ms)
         VALUES (@id, @rawHex, @hash, @firstSeen, @routeType, @payloadType, @payloadVersion,
           @decodedJson, @fromPubkey, @lastSeen, @channelHash, @scopeName, @lastSeenMs)`,
      ),
      insertObs: db.prepare(
        `INSERT INTO observations (id, transmission_id, observer_idx, direction, snr, rssi, score, path_json,
           timestamp, ml_rx_ms, ml_uploader_ms)
         VALUES (@id, @transmissionId, @observerIdx, @direction, @snr, @rssi, @score, @pathJson,
           @timestamp, @rxMs, @uploaderMs)`,
      ),
      raiseLast: db.prepare(
        `UPDATE transmissions SET last_seen = MAX(last_seen, @sec), ml_last_seen_ms = @ms
         WHERE id = @id AND COALESCE(ml_last_seen_ms, last_seen * 1000) < @ms`,
      ),
      lowerFirst: db.prepare(
        `UPDATE transmissions SET first_seen = @text WHERE id = @id AND (${firstSeenMs} IS NULL OR ${firstSeenMs} > @ms)`,
      ),
      fillSignal: db.prepare(
        `UPDATE observations SET snr = COALESCE(snr, @snr), rssi = COALESCE(rssi, @rssi), score = COALESCE(score, @score)
         WHERE id = @id`,
      ),
      upsertNode: db.prepare(
        `INSERT INTO nodes (public_key, name, role, lat, lon, last_seen, first_seen, advert_count, battery_mv,
           temperature_c, foreign_advert, default_scope)
         VALUES (@publicKey, @name, @role, @lat, @lon, @seen, @seen, @inc, @batteryMv, @temperatureC,
           COALESCE(@foreign, 0), @defaultScope)
         ON CONFLICT(public_key) DO UPDATE SET
           foreign_advert = COALESCE(@foreign, foreign_advert),
           default_scope = COALESCE(excluded.default_scope, default_scope),
           name = COALESCE(excluded.name, name), role = COALESCE(excluded.role, role),
           lat = COALESCE(excluded.lat, lat), lon = COALESCE(excluded.lon, lon),
           battery_mv = COALESCE(excluded.battery_mv, battery_mv),
           temperature_c = COALESCE(excluded.temperature_c, temperature_c),
           advert_count = COALESCE(advert_count, 0) + @inc,
           last_seen = CASE WHEN ${lastSeenMs} IS NULL OR ${lastSeenMs} < @ms THEN excluded.last_seen ELSE last_seen END,
           first_seen = CASE WHEN ${firstSeenMs} IS NULL OR ${firstSeenMs} > @ms THEN excluded.first_seen ELSE first_seen END`,
      ),
      upsertObserverPacket: db.prepare(
        `INSERT INTO observers (id, name, iata, last_seen, first_seen, packet_count, last_packet_at)
         VALUES (@id, @name, @iata, @seen, @first, @n, @seen)
         ON CONFLICT(id) DO UPDATE SET
           name = COALESCE(excluded.name, name), iata = COALESCE(excluded.iata, iata),
           packet_count = COALESCE(packet_count, 0) + @n, inactive = 0,
           last_seen = CASE WHEN ${lastSeenMs} IS NULL OR ${lastSeenMs} < @ms THEN excluded.last_seen ELSE last_seen END,
           last_packet_at = excluded.last_packet_at`,
      ),
      upsertObserverStatus: db.prepare(
        `INSERT INTO observers (id, name, iata, last_seen, first_seen, packet_count, model, firmware, client_version,
           radio, battery_mv, uptime_secs, noise_floor, can_relay, can_relay_seen)
         VALUES (@id, @name, @iata, @seen, @seen, 0, @model, @firmware, @clientVersion, @radio, @batteryMv,
           @uptimeSecs, @noiseFloor, COALESCE(@canRelay, 1), @canRelay IS NOT NULL)
         ON CONFLICT(id) DO UPDATE SET
           can_relay = COALESCE(@canRelay, can_relay),
           can_relay_seen = CASE WHEN @canRelay IS NULL THEN can_relay_seen ELSE 1 END,
           name = COALESCE(excluded.name, name), iata = COALESCE(excluded.iata, iata),
           model = COALESCE(excluded.model, model), firmware = COALESCE(excluded.firmware, firmware),
           client_version = COALESCE(excluded.client_version, client_version),
           radio = COALESCE(excluded.radio, radio), battery_mv = COALESCE(excluded.battery_mv, battery_mv),
           uptime_secs = COALESCE(excluded.uptime_secs, uptime_secs),
           noise_floor = COALESCE(excluded.noise_floor, noise_floor), inactive = 0,
           last_seen = CASE WHEN ${lastSeenMs} IS NULL OR ${lastSeenMs} < @ms THEN excluded.last_seen ELSE last_seen END`,
      ),
      // The observer row may not exist yet (its packet upserts are coalesced to the end of the
      // transaction): a minimal row is created, and those upserts then complete it.
      upsertObserverClock: db.prepare(
        `INSERT INTO observers (id, last_seen, first_seen, packet_count, clock_skew_seconds, clock_skew_count_24h,
           clock_last_naive_at)
         VALUES (@id, @at, @at, 0, @skew, @count, @at)
         ON CONFLICT(id) DO UPDATE SET clock_skew_seconds = @skew, clock_skew_count_24h = @count,
           clock_last_naive_at = @at`,
      ),
      observerIdx: db.prepare('SELECT rowid AS idx FROM observers WHERE id = ?'),
      insertMetrics: db.prepare(
        `INSERT OR REPLACE INTO observer_metrics (observer_id, timestamp, noise_floor, tx_air_secs, rx_air_secs,
           recv_errors, battery_mv, packets_sent, packets_recv, ml_uptime_secs)
         VALUES (@observerId, @timestamp, @noiseFloor, @txAirSecs, @rxAirSecs, @recvErrors, @batteryMv,
           @packetsSent, @packetsRecv, @uptimeSecs)`,
      ),
      insertDropped: db.prepare(
        `INSERT INTO dropped_packets (hash, raw_hex, reason, observer_id, observer_name, node_pubkey, node_name,
           dropped_at, ml_dropped_at_ms)
         VALUES (@hash, @rawHex, @reason, @observerId, @observerName, @nodePubkey, @nodeName, @droppedAt, @droppedAtMs)`,
      ),
      // t2
      upsertNeighborEdge: db.prepare(
        `INSERT INTO neighbor_edges (node_a, node_b, count, last_seen) VALUES (@nodeA, @nodeB, @count, @lastSeen)
         ON CONFLICT (node_a, node_b) DO UPDATE SET count = max(count, excluded.count),
           last_seen = max(COALESCE(last_seen, ''), excluded.last_seen)`,
      ),
      trimDropped: db.prepare(
        'DELETE FROM dropped_packets WHERE id <= (SELECT id FROM dropped_packets ORDER BY id DESC LIMIT 1 OFFSET ?)',
      ),
    };
  }

  /** Applies one operation; returns the number of rows it changed. Throws on SQL errors. */
  apply(op: WriteOp): number {
    const s = this.s;
    switch (op.kind) {
      case 'insertTransmission': {
        const t = op.tx;
        return s.insertTx.run({
          id: t.id,
          rawHex: t.rawHex,
          hash: t.hash,
          firstSeen: toRfc3339(t.firstSeenMs),
          routeType: t.routeType,
          payloadType: t.payloadType,
          payloadVersion: t.payloadVersion,
          decodedJson: t.decodedJson,
          fromPubkey: t.fromPubkey,
          lastSeen: toEpochSeconds(t.lastSeenMs),
          channelHash: t.channelHash,
          scopeName: t.scopeName,
          lastSeenMs: t.lastSeenMs,
        }).changes;
      }
      case 'insertObservation': {
        const o = op.obs;
        return s.insertObs.run({
          id: o.id,
          transmissionId: o.transmissionId,
          observerIdx: this.resolveObserver(o.observerId, o.rxMs),
          direction: o.direction,
          snr: o.snr,
          rssi: o.rssi,
          score: o.score,
          pathJson: JSON.stringify(o.path),
          timestamp: toEpochSeconds(o.rxMs),
          rxMs: o.rxMs,
          uploaderMs: o.uploaderMs,
        }).changes;
      }
      case 'raiseTransmissionLastSeen':
        return s.raiseLast.run({ id: op.id, ms: op.ms, sec: toEpochSeconds(op.ms) }).changes;
      case 'lowerTransmissionFirstSeen':
        return s.lowerFirst.run({ id: op.id, ms: op.ms, text: toRfc3339(op.ms) }).changes;
      case 'fillObservationSignal': {
        const f = op.fill;
        return s.fillSignal.run({ id: f.observationId, snr: f.snr, rssi: f.rssi, score: f.score }).changes;
      }
      case 'upsertNode': {
        const n = op.node;
        return s.upsertNode.run({
          publicKey: n.publicKey.toLowerCase(),
          name: n.name,
          role: n.role,
          lat: n.lat,
          lon: n.lon,
          seen: toRfc3339(n.seenMs),
          ms: n.seenMs,
          inc: n.isNewAdvert ? 1 : 0,
          batteryMv: n.batteryMv,
          temperatureC: n.temperatureC,
          foreign: n.foreign === null ? null : n.foreign ? 1 : 0,
          defaultScope: n.defaultScope,
        }).changes;
      }
      case 'upsertObserverPacket':
        return this.observerPackets([op.observer]);
      case 'upsertObserverStatus': {
        const o = op.observer;
        return s.upsertObserverStatus.run({
          ...o,
          id: o.id.toUpperCase(),
          iata: o.iata?.toUpperCase() ?? null,
          seen: toRfc3339(o.seenMs),
          ms: o.seenMs,
          canRelay: o.canRelay === undefined || o.canRelay === null ? null : o.canRelay ? 1 : 0,
        }).changes;
      }
      case 'upsertObserverClock': {
        const k = op.clock;
        return s.upsertObserverClock.run({
          id: k.id.toUpperCase(),
          at: toRfc3339(k.lastNaiveAtMs),
          skew: Math.round(k.skewSeconds),
          count: k.count24h,
        }).changes;
      }
      case 'insertObserverMetrics': {
        const m = op.sample;
        const bucket = Math.floor(m.atMs / this.metricsBucketMs) * this.metricsBucketMs;
        return s.insertMetrics.run({
          observerId: m.observerId.toUpperCase(),
          timestamp: toRfc3339(bucket),
          noiseFloor: m.noiseFloor,
          txAirSecs: m.txAirSecs,
          rxAirSecs: m.rxAirSecs,
          recvErrors: m.recvErrors,
          batteryMv: m.batteryMv,
          packetsSent: m.packetsSent,
          packetsRecv: m.packetsRecv,
          uptimeSecs: m.uptimeSecs === undefined || m.uptimeSecs === null ? null : Math.round(m.uptimeSecs),
        }).changes;
      }
      case 'upsertNeighborEdge': {
        const e = op.edge;
        return s.upsertNeighborEdge.run({
          nodeA: e.nodeA,
          nodeB: e.nodeB,
          count: e.count,
          lastSeen: toRfc3339(e.lastSeenMs),
        }).changes;
      }
      case 'recordDroppedPacket': {
        const d = op.dropped;
        const changes = s.insertDropped.run({
          ...d,
          droppedAt: toSqliteDatetime(d.droppedAtMs),
        }).changes;
        this.droppedInserted += changes;
        return changes;
      }
    }
  }

  /**
   * Several packet sightings of one observer as one upsert: the writer coalesces them per
   * transaction (one upsert per observation was a third of the write cost). Later non-null
   * name/iata win; packet_count grows by the number of sightings.
   */
  observerPackets(sightings: ObserverPacketUpsert[]): number {
    const last = sightings[sightings.length - 1];
    let name: string | null = null;
    let iata: string | null = null;
    let maxMs = -Infinity;
    let minMs = Infinity;
    for (const o of sightings) {
      if (o.seenMs < minMs) minMs = o.seenMs;
      name = o.name ?? name;
      iata = o.iata ?? iata;
      if (o.seenMs > maxMs) maxMs = o.seenMs;
    }
    return this.s.upsertObserverPacket.run({
      id: last.id.toUpperCase(),
      name,
      iata: iata?.toUpperCase() ?? null,
      seen: toRfc3339(maxMs),
      first: toRfc3339(minMs),
      ms: maxMs,
      n: sightings.length,
    }).changes;
  }

  /** Keeps only the newest `keep` dropped_packets rows. */
  trimDropped(keep: number): number {
    this.droppedInserted = 0;
    return this.s.trimDropped.run(keep).changes;
  }

  /**
   * observers.rowid for an observer id. Ingest upserts the observer before its first observation;
   * if it did not, a minimal row is created so the observation still has a valid observer_idx.
   */
  private resolveObserver(observerId: string, seenMs: number): number {
    const id = observerId.toUpperCase();
    const cached = this.observerIdx.get(id);
    if (cached !== undefined) return cached;
    let row = this.s.observerIdx.get(id) as { idx: number } | undefined;
    if (!row) {
      const seen = toRfc3339(seenMs);
      this.db
        .prepare(
          'INSERT OR IGNORE INTO observers (id, last_seen, first_seen, packet_count) VALUES (?, ?, ?, 0)',
        )
        .run(id, seen, seen);
      row = this.s.observerIdx.get(id) as { idx: number };
    }
    this.observerIdx.set(id, row.idx);
    return row.idx;
  }

  /** Forgets cached observer rowids (after a rolled-back transaction may have undone an insert). */
  clearObserverCache(): void {
    this.observerIdx.clear();
  }
}
