// Record builders shared by the tests and the benches (bench/ imports this file too): one
// place that knows every field of the four record types and a neutral default for each, so a
// new record field is added here once. Callers pass what their scenario cares about; the
// seeded generators make synthetic data reproducible (a failure or a bench run repeats).
import {
  newObserverRecord,
  type NodeRecord,
  type ObservationRecord,
  type ObserverRecord,
  type TransmissionRecord,
} from '../../src/store/records.js';

/** An observer first and last seen at `atMs`, with no name, region or telemetry. */
export function observerRecord(id: string, atMs: number, o: Partial<ObserverRecord> = {}): ObserverRecord {
  return {
    ...newObserverRecord(id, atMs),
    ...o,
  };
}

/** A node first and last seen at `atMs`, with one advert and no name, role or position. */
export function nodeRecord(publicKey: string, atMs: number, o: Partial<NodeRecord> = {}): NodeRecord {
  return {
    publicKey,
    name: null,
    role: null,
    lat: null,
    lon: null,
    firstSeenMs: atMs,
    lastSeenMs: atMs,
    advertCount: 1,
    batteryMv: null,
    temperatureC: null,
    foreign: false,
    defaultScope: null,
    ...o,
  };
}

/** The 16-hex-digit hash the builders give transmission `id` (unique per id). */
export const hashOfId = (id: number): string => id.toString(16).padStart(16, '0');

/** A FLOOD transmission of `payloadType` first and last seen at `atMs`, hash from its id. */
export function transmissionRecord(
  id: number,
  payloadType: number,
  rawHex: string,
  atMs: number,
  o: Partial<TransmissionRecord> = {},
): TransmissionRecord {
  return {
    id,
    rawHex,
    hash: hashOfId(id),
    firstSeenMs: atMs,
    lastSeenMs: atMs,
    routeType: 1,
    payloadType,
    payloadVersion: 0,
    decodedJson: '{}',
    fromPubkey: null,
    channelHash: null,
    scopeName: null,
    ...o,
  };
}

/** A sighting of transmission `transmissionId` by `observerId` at `rxMs`, with no radio values. */
export function observationRecord(
  id: number,
  transmissionId: number,
  observerId: string,
  rxMs: number,
  o: Partial<ObservationRecord> = {},
): ObservationRecord {
  return {
    id,
    transmissionId,
    observerId,
    direction: null,
    snr: null,
    rssi: null,
    score: null,
    path: [],
    rxMs,
    uploaderMs: null,
    ...o,
  };
}

// ---- seeded generators ----

/** Deterministic PRNG in [0, 1) (mulberry32). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Deterministic PRNG in [0, 1) (xorshift32); seed 0 counts as 1. */
export function xorshift32(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x100000000;
  };
}

const HEX = '0123456789ABCDEF';

/** `bytes` random bytes as uppercase hex. */
export function randomHex(r: () => number, bytes: number): string {
  let s = '';
  for (let i = 0; i < bytes * 2; i++) s += HEX[Math.floor(r() * 16)];
  return s;
}
