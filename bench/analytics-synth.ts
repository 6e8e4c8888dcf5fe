// Synthetic staging-scale mesh for the analytics benches (spec analytics §8: ≈78k transmissions,
// 2.3M observations, 2k nodes): 80 % repeaters, 60 observers, 7 days of traffic, appended to a
// MemoryStore as records. Deterministic (seeded), so every run measures the same data.
import type { MemoryStore } from '../src/store/memory/memory-store.js';
import {
  mulberry32 as rng,
  nodeRecord,
  observationRecord,
  observerRecord,
  transmissionRecord,
} from '../test/support/store-builders.js';

const HEX = '0123456789ABCDEF';
const hex2 = (v: number) => HEX[(v >> 4) & 15] + HEX[v & 15];

export const NOW = Date.parse('2026-05-17T18:00:00Z');
const GRP = [
  [
    217,
    '#test',
    '{"type":"CHAN","channelHash":217,"decryptionStatus":"decrypted","channel":"#test","text":"alice: hi","sender":"alice"}',
  ],
  [
    17,
    'Public',
    '{"type":"CHAN","channelHash":17,"decryptionStatus":"decrypted","channel":"Public","text":"bob: yo","sender":"bob"}',
  ],
  [195, 'enc_C3', '{"type":"GRP_TXT","channelHash":195,"decryptionStatus":"decryption_failed"}'],
] as const;

export interface Synth {
  rand: () => number;
  keys: string[];
  relays: number[];
  observerIds: string[];
  /** Per transmission: hop width and relay route (node indexes). */
  width: number[];
  route: number[][];
}

/** A staging-like mesh: 2k nodes in the Bay Area (80 % repeaters), 60 observers, 7 days of traffic. */
export function fill(store: MemoryStore, txCount: number, obsPerTx: number): Synth {
  const rand = rng(42);
  const hex = (n: number) => Array.from({ length: n }, () => HEX[Math.floor(rand() * 16)]).join('');
  const keys = Array.from({ length: 2000 }, () => hex(64).toLowerCase());
  const roles = keys.map((_, i) => (i % 10 < 8 ? 'repeater' : i % 10 === 8 ? 'room' : 'companion'));
  const relays = keys.map((_, i) => i).filter((i) => roles[i] !== 'companion');
  const observerIds = Array.from({ length: 60 }, (_, o) =>
    (o < 40 ? keys[relays[o]] : hex(64)).toUpperCase(),
  );
  observerIds.forEach((id, o) =>
    store.upsertObserver(
      observerRecord(id, NOW, { name: `observer ${o}`, iata: ['SJC', 'OAK', 'SFO', 'MRY'][o % 4] }),
    ),
  );
  keys.forEach((k, i) =>
    store.upsertNode(
      nodeRecord(k, NOW, {
        name: `node ${i}`,
        role: roles[i],
        lat: 37 + rand() * 2,
        lon: -123 + rand() * 2,
        firstSeenMs: NOW - 30 * 86_400_000,
        lastSeenMs: NOW - (i % 10) * 86_400_000,
        advertCount: Math.floor(rand() * 200),
      }),
    ),
  );
  const synth: Synth = { rand, keys, relays, observerIds, width: [], route: [] };
  let obsId = 1;
  for (let t = 0; t < txCount; t++) {
    const firstSeenMs = NOW - 7 * 86_400_000 + (t / txCount) * 7 * 86_400_000;
    appendTx(store, synth, t, firstSeenMs);
    for (let k = 0; k < obsPerTx; k++)
      appendObs(store, synth, t, obsId++, firstSeenMs + Math.floor(rand() * 5000));
  }
  return synth;
}

const TYPES = [5, 5, 5, 4, 4, 0, 1, 2, 8, 9, 3];

/** A new transmission as row t (id t + 1): random type, hop width and relay route. */
export function appendTx(store: MemoryStore, s: Synth, t: number, firstSeenMs: number): void {
  const { rand, keys, relays } = s;
  const pt = TYPES[Math.floor(rand() * TYPES.length)];
  s.width[t] = rand() < 0.8 ? 1 : 2;
  const hops = Array.from(
    { length: Math.floor(rand() * 13) },
    () => relays[Math.floor(rand() * relays.length)],
  );
  s.route[t] = hops;
  const advertiser = pt === 4 ? Math.floor(rand() * keys.length) : -1;
  const grp = pt === 5 ? GRP[t % 3] : null;
  const raw =
    hex2((pt << 2) | 1) +
    hex2(((s.width[t] - 1) << 6) | hops.length) +
    '00'.repeat(20 + Math.floor(rand() * 150));
  store.appendTransmission(
    transmissionRecord(t + 1, pt, raw, firstSeenMs, {
      decodedJson:
        advertiser >= 0
          ? `{"type":"ADVERT","pubKey":"${keys[advertiser]}","timestamp":${Math.floor(firstSeenMs / 1000) - (advertiser % 50) * 30}}`
          : grp
            ? grp[2]
            : '{}',
      fromPubkey: advertiser >= 0 ? keys[advertiser] : null,
      channelHash: grp ? grp[1] : null,
    }),
  );
}

/** One sighting of transmission row t by a random observer, somewhere along its route. */
export function appendObs(store: MemoryStore, s: Synth, t: number, id: number, rxMs: number): void {
  const hops = s.route[t].slice(0, Math.floor(s.rand() * (s.route[t].length + 1)));
  const w = s.width[t];
  const observerId = s.observerIds[Math.floor(s.rand() * s.observerIds.length)];
  store.appendObservation(
    observationRecord(id, t + 1, observerId, rxMs, {
      snr: s.rand() < 0.9 ? Math.round((s.rand() * 30 - 15) * 4) / 4 : null,
      rssi: -40 - Math.floor(s.rand() * 90),
      path: hops.map((n) => s.keys[n].slice(0, 2 * w).toUpperCase()),
    }),
  );
}
