// Whole records read back out of the shared tables, for the API and tests (the inverse of the
// store's appends). Hot paths read columns directly; these allocate one object per call.
import type { NodeRecord, ObservationRecord, ObserverRecord, TransmissionRecord } from '../records.js';
import type { StoreTables } from './tables.js';
import { fromQuarter, hashText, pathHops } from './codec.js';
import { CAN_RELAY_UNKNOWN, chunkOf, I32_NULL, NONE, slotOf } from './layout.js';

function orNull(v: number): number | null {
  return Number.isNaN(v) ? null : v;
}

export function readTransmission(s: StoreTables, row: number): TransmissionRecord {
  const c = chunkOf(row, s.tx.shift);
  const i = slotOf(row, s.tx.mask);
  const t = s.tx.cols;
  const fromNode = t.fromNode[c][i];
  return {
    id: t.id[c][i],
    rawHex: s.raw.hex(t.rawOff[c][i], t.rawLen[c][i]).toUpperCase(),
    hash: hashText(t.hashHi[c][i], t.hashLo[c][i]),
    firstSeenMs: t.firstSeenMs[c][i],
    lastSeenMs: t.lastSeenMs[c][i],
    routeType: t.routeType[c][i],
    payloadType: t.payloadType[c][i],
    payloadVersion: t.payloadVersion[c][i],
    decodedJson: s.json.text(t.jsonOff[c][i], t.jsonLen[c][i]),
    fromPubkey: fromNode === NONE ? null : s.interns.pubkeys.get(fromNode),
    channelHash: s.interns.channels.get(t.channel[c][i]),
    scopeName: s.interns.names.get(t.scope[c][i]),
  };
}

export function readObservation(s: StoreTables, row: number): ObservationRecord {
  const c = chunkOf(row, s.obs.shift);
  const i = slotOf(row, s.obs.mask);
  const o = s.obs.cols;
  const hopSize = o.hopSize[c][i];
  const hopCount = o.hopCount[c][i];
  const dir = o.direction[c][i];
  return {
    id: o.id[c][i],
    transmissionId: s.tx.get('id', o.txRow[c][i]),
    observerId: s.interns.observers.get(o.observer[c][i])!,
    direction: dir === 0 ? null : s.interns.directions.get(dir - 1),
    snr: fromQuarter(o.snr[c][i]),
    rssi: fromQuarter(o.rssi[c][i]),
    score: orNull(o.score[c][i]),
    path:
      hopCount === 0 ? [] : pathHops(s.path.bytes(o.pathOff[c][i], hopSize * hopCount), hopSize, hopCount),
    rxMs: o.rxMs[c][i],
    uploaderMs: Number.isNaN(o.uploaderDeltaMs[c][i]) ? null : o.rxMs[c][i] + o.uploaderDeltaMs[c][i],
  };
}

export function readNode(s: StoreTables, row: number): NodeRecord {
  const c = chunkOf(row, s.nodes.shift);
  const i = slotOf(row, s.nodes.mask);
  const n = s.nodes.cols;
  return {
    publicKey: s.interns.pubkeys.get(row)!,
    name: s.interns.names.get(n.name[c][i]),
    role: s.interns.roles.get(n.role[c][i]),
    lat: orNull(n.lat[c][i]),
    lon: orNull(n.lon[c][i]),
    firstSeenMs: n.firstSeenMs[c][i],
    lastSeenMs: n.lastSeenMs[c][i],
    advertCount: n.advertCount[c][i],
    batteryMv: n.batteryMv[c][i] === I32_NULL ? null : n.batteryMv[c][i],
    temperatureC: orNull(n.temperatureC[c][i]),
    foreign: n.foreign[c][i] === 1,
    defaultScope: s.interns.names.get(n.defaultScope[c][i]),
  };
}

/** Observers only seen in observations (no status yet) come back with nulls. */
export function readObserver(s: StoreTables, row: number): ObserverRecord {
  const c = chunkOf(row, s.observers.shift);
  const i = slotOf(row, s.observers.mask);
  const o = s.observers.cols;
  const names = s.interns.names;
  return {
    id: s.interns.observers.get(row)!,
    name: names.get(o.name[c][i]),
    iata: s.interns.regions.get(o.iata[c][i]),
    firstSeenMs: o.firstSeenMs[c][i],
    lastSeenMs: o.lastSeenMs[c][i],
    packetCount: o.packetCount[c][i],
    model: names.get(o.model[c][i]),
    firmware: names.get(o.firmware[c][i]),
    clientVersion: names.get(o.clientVersion[c][i]),
    radio: names.get(o.radio[c][i]),
    batteryMv: o.batteryMv[c][i] === I32_NULL ? null : o.batteryMv[c][i],
    uptimeSecs: orNull(o.uptimeSecs[c][i]),
    noiseFloor: orNull(o.noiseFloor[c][i]),
    lastPacketAtMs: orNull(o.lastPacketAtMs[c][i]),
    clockSkewSeconds: orNull(o.clockSkewSeconds[c][i]),
    clockSkewCount24h: o.clockSkewCount24h[c][i],
    clockLastNaiveAtMs: orNull(o.clockLastNaiveAtMs[c][i]),
    canRelay: o.canRelay[c][i] === CAN_RELAY_UNKNOWN ? null : o.canRelay[c][i] === 1,
  };
}
