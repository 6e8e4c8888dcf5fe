// Times the hash-sizes, hash-collisions, roles and clock-skew computes on a synthetic input of
// staging scale (78k transmissions, 2.3M observations, 2k nodes, 120 observers), backed by typed
// arrays like the shared-memory store. Median of 3 runs per analytic. Run:
//   npm run bench:analytics-pure-2
import { hopCodeOf } from '../src/analytics/shared/hop-code.js';
import type { AnalyticsInput } from '../src/analytics/inputs/input.js';
import { DEFAULT_QUERY } from '../src/analytics/shared/query.js';
import { computeHashSizes } from '../src/analytics/compute/hash-sizes.js';
import { computeHashCollisions } from '../src/analytics/compute/hash-collisions.js';
import { computeRoles } from '../src/analytics/compute/roles.js';
import { computeNodesClockSkew, computeNodeClockSkew } from '../src/analytics/compute/clock-skew-nodes.js';
import { computeObserversClockSkew } from '../src/analytics/compute/clock-skew-observers.js';

const N_TX = 78_000;
const N_OBS = 2_300_000;
const N_NODES = 2_000;
const N_OBSERVERS = 120;
const NOW = Date.UTC(2026, 4, 17);
const SPAN = 7 * 86400_000;

let seed = 42;
const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;

function build(): AnalyticsInput {
  const keys = Array.from({ length: N_NODES }, () =>
    Array.from({ length: 32 }, () =>
      Math.floor(rand() * 256)
        .toString(16)
        .padStart(2, '0'),
    ).join(''),
  );
  const roles = keys.map(() => (rand() < 0.7 ? 'repeater' : rand() < 0.7 ? 'companion' : 'room'));
  const lat = Float64Array.from(keys, () => 37 + rand());
  const lon = Float64Array.from(keys, () => -122 + rand());
  const skewSec = Float64Array.from(keys, () => (rand() < 0.6 ? rand() * 3 : (rand() - 0.5) * 86400));
  const observerIds = Array.from({ length: N_OBSERVERS }, (_, i) => keys[i * 7].toUpperCase());
  const observerOffset = Float64Array.from(observerIds, () => (rand() < 0.15 ? (rand() - 0.5) * 240_000 : 0));

  const first = new Float64Array(N_TX);
  const ptype = new Uint8Array(N_TX);
  const route = new Uint8Array(N_TX);
  const pathByte = new Uint8Array(N_TX);
  const advNode = new Int32Array(N_TX).fill(-1);
  const advTs = new Float64Array(N_TX).fill(NaN);
  const hopStrings: string[][] = [];
  for (let t = 0; t < N_TX; t++) {
    first[t] = NOW - SPAN + (t / N_TX) * SPAN;
    const isAdvert = rand() < 0.15;
    ptype[t] = isAdvert ? 4 : [0, 1, 2, 5, 8, 9][Math.floor(rand() * 6)];
    route[t] = rand() < 0.8 ? 1 : 2;
    const size = rand() < 0.9 ? 1 : 2;
    const hops = Math.floor(rand() * 5);
    pathByte[t] = ((size - 1) << 6) | hops;
    hopStrings.push(
      Array.from({ length: hops }, () => keys[Math.floor(rand() * N_NODES)].slice(0, 2 * size).toUpperCase()),
    );
    if (isAdvert) {
      const n = Math.floor(rand() * N_NODES);
      advNode[t] = n;
      advTs[t] = Math.floor(first[t] / 1000 + skewSec[n]);
    }
  }
  const txRow = new Int32Array(N_OBS);
  const observer = new Int32Array(N_OBS);
  const rx = new Float64Array(N_OBS);
  const up = new Float64Array(N_OBS);
  for (let r = 0; r < N_OBS; r++) {
    const t = Math.min(N_TX - 1, Math.floor((r / N_OBS) * N_TX));
    const o = Math.floor(rand() * N_OBSERVERS);
    txRow[r] = t;
    observer[r] = o;
    rx[r] = first[t] + rand() * 2000;
    up[r] = o % 3 === 0 ? NaN : first[t] + observerOffset[o] + rand() * 300;
  }
  return {
    nowMs: NOW,
    tx: {
      count: N_TX,
      id: (r) => r + 1,
      hash: (r) => r.toString(16).padStart(16, '0'),
      firstSeenMs: (r) => first[r],
      routeType: (r) => route[r],
      payloadType: (r) => ptype[r],
      rawLength: () => 40,
      pathHashSize: (r) => (pathByte[r] >> 6) + 1,
      pathHashCount: (r) => pathByte[r] & 0x3f,
      advertNode: (r) => advNode[r],
      advertTimestampSec: (r) => advTs[r],
      channelHashByte: () => -1,
      channelName: () => null,
      decodedJson: () => '{}',
      scopeName: () => null, // t5
    },
    obs: {
      count: N_OBS,
      txRow: (r) => txRow[r],
      observer: (r) => observer[r],
      rxMs: (r) => rx[r],
      uploaderMs: (r) => up[r],
      snr: () => 5,
      rssi: () => -90,
      hopSize: (r) => (pathByte[txRow[r]] >> 6) + 1,
      hopCount: (r) => hopStrings[txRow[r]].length,
      hop: (r, k) => hopStrings[txRow[r]][k],
      hopCode: (r, k) => hopCodeOf(hopStrings[txRow[r]][k]),
    },
    nodes: {
      count: N_NODES,
      publicKey: (i) => keys[i],
      name: (i) => `node-${i}`,
      role: (i) => roles[i],
      lat: (i) => lat[i],
      lon: (i) => lon[i],
      advertCount: () => 10,
      firstSeenMs: () => NOW - SPAN,
      lastSeenMs: () => NOW,
    },
    observers: {
      count: N_OBSERVERS,
      id: (i) => observerIds[i],
      name: (i) => `observer-${i}`,
      iata: (i) => ['SJC', 'OAK', 'SFO'][i % 3],
    },
  };
}

function medianOf3(fn: () => unknown): number {
  const times: number[] = [];
  for (let k = 0; k < 3; k++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[1];
}

const t0 = performance.now();
const input = build();
console.log(
  `built synthetic input in ${(performance.now() - t0).toFixed(0)} ms: ${N_TX} tx, ${N_OBS} obs, ${N_NODES} nodes`,
);
const fleet = computeNodesClockSkew(input, DEFAULT_QUERY);
// Warm-up: one untimed run of each so the first timed analytic does not pay the JIT alone.
computeHashSizes(input, DEFAULT_QUERY);
computeObserversClockSkew(input, DEFAULT_QUERY);
const rows: Array<[string, number]> = [
  ['hash-sizes', medianOf3(() => computeHashSizes(input, DEFAULT_QUERY))],
  [
    'hash-sizes (region SJC)',
    medianOf3(() => computeHashSizes(input, { ...DEFAULT_QUERY, regions: ['SJC'] })),
  ],
  ['hash-collisions', medianOf3(() => computeHashCollisions(input, DEFAULT_QUERY))],
  ['roles (incl. fleet clock skew)', medianOf3(() => computeRoles(input, DEFAULT_QUERY))],
  ['roles (given fleet)', medianOf3(() => computeRoles(input, DEFAULT_QUERY, fleet))],
  ['observers clock-skew', medianOf3(() => computeObserversClockSkew(input, DEFAULT_QUERY))],
  ['nodes clock-skew (fleet)', medianOf3(() => computeNodesClockSkew(input, DEFAULT_QUERY))],
  ['node clock-skew (single)', medianOf3(() => computeNodeClockSkew(input, fleet[0].pubkey))],
];
console.log(`fleet entries: ${fleet.length}`);
for (const [name, ms] of rows)
  console.log(`${name.padEnd(32)} ${ms.toFixed(1).padStart(8)} ms (median of 3)`);
