// t4: GET /api/nodes/:pubkey/paths (spec ingest-store-api §4.2): every path containing the node
// as a relay hop, grouped by hop signature (the best observation's raw hops), with counts, the
// newest time and a sample hash. Candidates are the transmissions with one of the node's
// 1/2/3-byte prefixes as a hop (main-thread index); a candidate counts when a hop of its best
// path resolves to the node (spec §0's byNode "resolved as a relay hop").
import type { AnalyticsInput } from '../inputs/input.js';
import type { PathContext } from '../shared/path-context.js';
import { gpsOf, isoSeconds, nodeIndexOf, nodeRow, relayHopIndex } from '../shared/entity.js';
import type { EntityQuery } from './node-analytics.js';

/** Paths listed at most (busiest first); `totalPaths` counts them all. */
export const NODE_PATHS_MAX = 1000;

interface Group {
  count: number;
  lastSeen: number;
  sampleTx: number;
  sampleObs: number;
}

export function computeNodePaths(
  input: AnalyticsInput,
  q: EntityQuery,
  paths: PathContext,
): Record<string, unknown> | null {
  const n = nodeIndexOf(input, q.key);
  if (n < 0) return null;
  const { tx, obs, nodes } = input;
  const { best, resolver } = paths;
  const ctx = resolver.newContext();
  const groups = new Map<string, Group>();
  let transmissions = 0;
  for (let i = 0; i < q.rows.length; i++) {
    const t = q.rows[i];
    if (t >= tx.count || t >= best.length) continue;
    const b = best[t];
    if (b < 0 || relayHopIndex(input, resolver, ctx, t, b, n) < 0) continue;
    transmissions++;
    const hops: string[] = [];
    for (let k = 0, h = obs.hopCount(b); k < h; k++) hops.push(obs.hop(b, k));
    const key = hops.join(',');
    const fs = tx.firstSeenMs(t);
    const g = groups.get(key);
    if (!g) groups.set(key, { count: 1, lastSeen: fs, sampleTx: t, sampleObs: b });
    else {
      g.count++;
      if (fs >= g.lastSeen) {
        g.lastSeen = fs;
        g.sampleTx = t;
        g.sampleObs = b;
      }
    }
  }
  const sorted = [...groups.entries()].sort(
    (a, b) => b[1].count - a[1].count || b[1].lastSeen - a[1].lastSeen || (a[0] < b[0] ? -1 : 1),
  );
  const list = sorted.slice(0, NODE_PATHS_MAX).map(([, g]) => {
    // Each hop resolved in the context of the group's newest transmission.
    const t = g.sampleTx;
    const o = g.sampleObs;
    ctx.clear();
    ctx.add(tx.advertNode(t));
    const observer = obs.observer(o);
    if (observer >= 0 && observer < resolver.observerNode.length) ctx.add(resolver.observerNode[observer]);
    const h = obs.hopCount(o);
    for (let k = 0; k < h; k++) ctx.add(resolver.uniqueCode(obs.hopCode(o, k)));
    const hops = [];
    for (let k = 0; k < h; k++) {
      const prefix = obs.hop(o, k);
      const node = resolver.resolveCode(obs.hopCode(o, k), ctx);
      const gps = gpsOf(input, node);
      hops.push({
        prefix,
        name: node >= 0 ? (nodes.name(node) ?? prefix) : prefix,
        pubkey: node >= 0 ? nodes.publicKey(node) : null,
        lat: gps.lat,
        lon: gps.lon,
      });
    }
    return { hops, count: g.count, lastSeen: isoSeconds(g.lastSeen), sampleHash: tx.hash(t) };
  });
  return {
    node: nodeRow(input, n),
    paths: list,
    totalPaths: groups.size,
    totalTransmissions: transmissions,
  };
}
