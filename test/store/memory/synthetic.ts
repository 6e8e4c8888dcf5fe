// Deterministic synthetic records for the memory-store tests and bench (seeded PRNG, so a
// failure reproduces). Values follow the record contract: quarter-dB SNR, uppercase hops.

import type { ObservationRecord, TransmissionRecord } from '../../../src/store/records.js';
import { randomHex as hex, xorshift32 as rng } from '../../support/store-builders.js';

export interface SynthOptions {
  seed: number;
  transmissions: number;
  observationsPerTx: number;
  observers: number;
  nodes: number;
  t0Ms?: number;
}

export interface Synth {
  txs: TransmissionRecord[];
  obs: ObservationRecord[];
  observerIds: string[];
  pubkeys: string[];
}

/** Transmissions with ids 1..n in time order, each followed by its observations (ids in order). */
export function synthesize(o: SynthOptions): Synth {
  const r = rng(o.seed);
  const t0 = o.t0Ms ?? 1_700_000_000_000;
  const pubkeys = Array.from({ length: o.nodes }, () => hex(r, 32).toLowerCase());
  const observerIds = Array.from({ length: o.observers }, () => hex(r, 32));
  const channels = ['Public', '#test', 'enc_3F', null];
  const txs: TransmissionRecord[] = [];
  const obs: ObservationRecord[] = [];
  let obsId = 1;
  for (let i = 0; i < o.transmissions; i++) {
    const payloadType = [0, 1, 2, 4, 4, 5, 5, 5, 9][Math.floor(r() * 9)];
    const t = t0 + i * 1000 + Math.floor(r() * 500);
    const from = payloadType === 4 ? pubkeys[Math.floor(r() * pubkeys.length)] : null;
    const decoded =
      payloadType === 4
        ? {
            type: 'ADVERT',
            pubKey: from,
            timestamp: Math.floor(t / 1000) - Math.floor(r() * 100),
            name: 'n' + i,
          }
        : { type: 'X', text: 'hello ' + hex(r, 8 + Math.floor(r() * 40)) };
    txs.push({
      id: i + 1,
      rawHex: hex(r, 20 + Math.floor(r() * 100)),
      hash: hex(r, 8).toLowerCase(),
      firstSeenMs: t,
      lastSeenMs: t,
      routeType: Math.floor(r() * 4),
      payloadType,
      payloadVersion: 0,
      decodedJson: JSON.stringify(decoded),
      fromPubkey: from,
      channelHash: payloadType === 5 ? channels[Math.floor(r() * channels.length)] : null,
      scopeName: r() < 0.1 ? '#west' : null,
    });
    const n = Math.max(1, Math.round(o.observationsPerTx * 2 * r()));
    for (let k = 0; k < n; k++) {
      const hopSize = 1 + Math.floor(r() * 3);
      const hops = Math.floor(r() * 6);
      const path = Array.from({ length: hops }, () =>
        r() < 0.3
          ? pubkeys[Math.floor(r() * pubkeys.length)].slice(0, hopSize * 2).toUpperCase()
          : hex(r, hopSize),
      );
      obs.push({
        id: obsId++,
        transmissionId: i + 1,
        observerId: observerIds[Math.floor(r() * observerIds.length)],
        direction: r() < 0.1 ? null : r() < 0.9 ? 'rx' : 'tx',
        snr: r() < 0.1 ? null : Math.round((r() * 30 - 15) * 4) / 4 + 0,
        rssi: r() < 0.1 ? null : Math.round(-120 + r() * 90),
        score: r() < 0.5 ? null : Math.floor(r() * 1000),
        path,
        rxMs: t + k * 37,
        uploaderMs: r() < 0.3 ? null : t + k * 37 - Math.floor(r() * 2000),
      });
    }
  }
  return { txs, obs, observerIds, pubkeys };
}
