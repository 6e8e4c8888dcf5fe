// Benchmark: the pure analytics (topology, rf, distance, channels) over a synthetic
// AnalyticsInput at staging scale (≈78k transmissions, 2.3M observations, 2k nodes; spec
// analytics §8). Columns are plain typed arrays, as the shared-memory store will provide;
// hop strings are interned per (node, width), as a store with a string table would return them.
// Run: npm run bench:analytics-pure [-- --tx 78000 --obs-per-tx 30 --nodes 2000 --runs 3]
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { AnalyticsInput } from '../src/analytics/inputs/input.js';
import { hopCodeOf } from '../src/analytics/shared/hop-code.js';
import { DEFAULT_QUERY } from '../src/analytics/shared/query.js';
import { computeTopology } from '../src/analytics/compute/topology.js';
import { computeRf } from '../src/analytics/compute/rf.js';
import { computeDistance } from '../src/analytics/compute/distance.js';
import { computeChannels } from '../src/analytics/compute/channels.js';
import { mulberry32 } from '../test/support/store-builders.js';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

/** Deterministic PRNG so every run measures the same data. */
const rng = mulberry32;

export function syntheticInput(txCount: number, obsPerTx: number, nodeCount: number): AnalyticsInput {
  const rand = rng(42);
  const nowMs = Date.parse('2026-05-17T18:00:00Z');
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join('');
  const keys = Array.from({ length: nodeCount }, () => hex(64));
  const roles = keys.map((_, i) => (i % 10 < 8 ? 'repeater' : i % 10 === 8 ? 'room' : 'companion'));
  const lat = Float64Array.from(keys, () => 37 + rand() * 2);
  const lon = Float64Array.from(keys, () => -123 + rand() * 2);
  const adverts = Int32Array.from(keys, () => Math.floor(rand() * 200));
  const relays = keys.map((_, i) => i).filter((i) => roles[i] !== 'companion');
  // Each relay links to its 6 nearest relays (a mesh has a bounded set of radio links).
  const links: number[][] = [];
  for (const i of relays) {
    links[i] = relays
      .filter((j) => j !== i)
      .map((j) => [j, (lat[i] - lat[j]) ** 2 + (lon[i] - lon[j]) ** 2] as const)
      .sort((a, b) => a[1] - b[1])
      .slice(0, 6)
      .map(([j]) => j);
  }
  const prefix = [1, 2, 3].map((w) => keys.map((k) => k.slice(0, 2 * w).toUpperCase()));
  const observerCount = 60;
  const observerIds = Array.from({ length: observerCount }, (_, o) =>
    o < 40 ? keys[relays[o]].toUpperCase() : hex(64).toUpperCase(),
  );
  const iatas = ['SJC', 'OAK', 'SFO', 'MRY'];

  const types = [5, 5, 5, 4, 4, 0, 1, 2, 8, 9, 3];
  const payloadType = new Uint8Array(txCount);
  const firstSeen = new Float64Array(txCount);
  const rawLength = new Uint16Array(txCount);
  const advertNode = new Int32Array(txCount).fill(-1);
  const chanByte = new Int16Array(txCount).fill(-1);
  const hopWidth = new Uint8Array(txCount);
  const pathStart = new Int32Array(txCount + 1);
  const pathNodes: number[] = [];
  const grpJson = [
    '{"type":"CHAN","channelHash":217,"decryptionStatus":"decrypted","channel":"#test","text":"alice: hello there","sender":"alice"}',
    '{"type":"CHAN","channelHash":17,"decryptionStatus":"decrypted","channel":"Public","text":"bob: 👋","sender":"bob"}',
    '{"type":"GRP_TXT","channelHash":195,"decryptionStatus":"decryption_failed"}',
    '{"type":"GRP_TXT","channelHash":110,"decryptionStatus":"decryption_failed"}',
  ];
  for (let t = 0; t < txCount; t++) {
    payloadType[t] = types[Math.floor(rand() * types.length)];
    firstSeen[t] = nowMs - 7 * 86_400_000 + (t / txCount) * 7 * 86_400_000;
    rawLength[t] = 20 + Math.floor(rand() * 180);
    if (payloadType[t] === 4) advertNode[t] = Math.floor(rand() * nodeCount);
    if (payloadType[t] === 5) chanByte[t] = [217, 17, 195, 110][t % 4];
    hopWidth[t] = rand() < 0.8 ? 1 : 2;
    pathStart[t] = pathNodes.length;
    // A path is a random walk over the link graph, as floods follow real radio links.
    const len = Math.floor(rand() * 13);
    let at = relays[Math.floor(rand() * relays.length)];
    for (let k = 0; k < len; k++) {
      pathNodes.push(at);
      const nb = links[at];
      at = nb[Math.floor(rand() * nb.length)];
    }
  }
  pathStart[txCount] = pathNodes.length;
  const obsCount = txCount * obsPerTx;
  const oTx = new Uint32Array(obsCount);
  const oObserver = new Uint16Array(obsCount);
  const oRx = new Float64Array(obsCount);
  const oSnr = new Float32Array(obsCount);
  const oRssi = new Int16Array(obsCount);
  const oHops = new Uint8Array(obsCount);
  for (let r = 0; r < obsCount; r++) {
    const t = Math.floor(r / obsPerTx);
    oTx[r] = t;
    oObserver[r] = Math.floor(rand() * observerCount);
    oRx[r] = firstSeen[t] + Math.floor(rand() * 5000);
    oSnr[r] = rand() < 0.9 ? Math.round((rand() * 30 - 15) * 4) / 4 : NaN;
    oRssi[r] = -40 - Math.floor(rand() * 90);
    // Each observer hears the flood somewhere along its path: a prefix of the full route.
    oHops[r] = Math.floor(rand() * (pathStart[t + 1] - pathStart[t] + 1));
  }
  return {
    nowMs,
    tx: {
      count: txCount,
      id: (r) => r + 1,
      hash: (r) => r.toString(16).padStart(16, '0'),
      firstSeenMs: (r) => firstSeen[r],
      routeType: () => 1,
      payloadType: (r) => payloadType[r],
      rawLength: (r) => rawLength[r],
      pathHashSize: (r) => hopWidth[r],
      pathHashCount: (r) => pathStart[r + 1] - pathStart[r],
      advertNode: (r) => advertNode[r],
      advertTimestampSec: (r) => (payloadType[r] === 4 ? Math.floor(firstSeen[r] / 1000) : NaN),
      channelHashByte: (r) => chanByte[r],
      channelName: () => null,
      decodedJson: (r) => (payloadType[r] === 5 ? grpJson[r % 4] : '{}'),
      scopeName: () => null, // t5
    },
    obs: {
      count: obsCount,
      txRow: (r) => oTx[r],
      observer: (r) => oObserver[r],
      rxMs: (r) => oRx[r],
      uploaderMs: () => NaN,
      snr: (r) => oSnr[r],
      rssi: (r) => oRssi[r],
      hopSize: (r) => hopWidth[oTx[r]],
      hopCount: (r) => oHops[r],
      hop: (r, k) => prefix[hopWidth[oTx[r]] - 1][pathNodes[pathStart[oTx[r]] + k]],
      hopCode: (r, k) => hopCodeOf(prefix[hopWidth[oTx[r]] - 1][pathNodes[pathStart[oTx[r]] + k]]),
    },
    nodes: {
      count: nodeCount,
      publicKey: (i) => keys[i],
      name: (i) => `node ${i}`,
      role: (i) => roles[i],
      lat: (i) => lat[i],
      lon: (i) => lon[i],
      advertCount: (i) => adverts[i],
      firstSeenMs: () => nowMs - 30 * 86_400_000,
      lastSeenMs: (i) => nowMs - (i % 10) * 86_400_000,
    },
    observers: {
      count: observerCount,
      id: (o) => observerIds[o],
      name: (o) => `observer ${o}`,
      iata: (o) => iatas[o % iatas.length],
    },
  };
}

function main(): void {
  const txCount = arg('tx', 78_000);
  const obsPerTx = arg('obs-per-tx', 30);
  const nodeCount = arg('nodes', 2000);
  const runs = arg('runs', 3);
  const t0 = performance.now();
  const input = syntheticInput(txCount, obsPerTx, nodeCount);
  console.log(
    `synthetic input: ${txCount} tx, ${input.obs.count} observations, ${nodeCount} nodes, ` +
      `built in ${(performance.now() - t0).toFixed(0)} ms (node ${process.version})`,
  );
  const analytics = [
    ['topology', computeTopology],
    ['rf', computeRf],
    ['distance', computeDistance],
    ['channels', computeChannels],
  ] as const;
  const regional = { ...DEFAULT_QUERY, regions: ['SJC'] };
  let total = 0;
  for (const [name, compute] of analytics) {
    for (const [label, query] of [
      ['default', DEFAULT_QUERY],
      ['region=SJC', regional],
    ] as const) {
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const s = performance.now();
        compute(input, query);
        times.push(performance.now() - s);
      }
      times.sort((a, b) => a - b);
      const median = times[times.length >> 1];
      if (label === 'default') total += median;
      console.log(
        `${name.padEnd(9)} ${label.padEnd(11)} median ${median.toFixed(0).padStart(5)} ms  (runs: ${times.map((t) => t.toFixed(0)).join(', ')})`,
      );
    }
  }
  console.log(`sum of default-query medians: ${total.toFixed(0)} ms`);
}

// Runs only as a script: importing this module (for syntheticInput) has no side effects.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
