// /api/stats (spec ingest-store-api §4.2): totals the header counters and the Docker
// healthcheck read. Row counts are O(1); active nodes are counted over the node directory
// (thousands); observation windows come from the ActivityCounter.
import type { FastifyPluginAsync } from 'fastify';
import type { CoreContext } from './context.js';
import { I, N, S } from './render.js';

const HOUR_MS = 3_600_000;
const ACTIVE_NODE_MS = 7 * 86_400_000;
const mb = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;

export function statsRoutes(ctx: CoreContext): FastifyPluginAsync {
  const { store } = ctx;
  return async (app) => {
    app.get(
      '/stats',
      {
        schema: {
          summary: 'Store totals, recent activity and node role counts',
          tags: ['system'],
          response: {
            200: {
              type: 'object',
              properties: {
                totalPackets: I,
                totalTransmissions: I,
                totalObservations: I,
                totalNodes: I,
                totalNodesAllTime: I,
                totalObservers: I,
                packetsLastHour: I,
                packetsLast24h: I,
                engine: S,
                version: S,
                counts: {
                  type: 'object',
                  properties: { repeaters: I, rooms: I, companions: I, sensors: I },
                },
                signatureDrops: I,
                storeDataMB: N,
                processRSSMB: N,
                heapUsedMB: N,
              },
            },
          },
        },
      },
      async () => {
        const nowMs = ctx.now();
        const snap = ctx.nodes.snapshot();
        let active = 0;
        for (const row of snap.orders.lastSeen) {
          // lastSeen order is descending: stop at the first node outside the window.
          if (!(ctx.nodes.lastSeen(row) >= nowMs - ACTIVE_NODE_MS)) break;
          active++;
        }
        let observers = 0;
        for (const r of store.observerRows()) if (store.observers.get('present', r) === 1) observers++;
        const mem = process.memoryUsage();
        return {
          totalPackets: store.transmissionCount,
          totalTransmissions: store.transmissionCount,
          totalObservations: store.observationCount,
          totalNodes: active,
          totalNodesAllTime: snap.visible.size,
          totalObservers: observers,
          packetsLastHour: ctx.activity.count(HOUR_MS, nowMs),
          packetsLast24h: ctx.activity.count(24 * HOUR_MS, nowMs),
          engine: 'node',
          version: app.meshlens.version,
          counts: snap.counts,
          signatureDrops: ctx.options.signatureDrops?.() ?? 0,
          storeDataMB: mb(store.memory().totalBytes),
          processRSSMB: mb(mem.rss),
          heapUsedMB: mb(mem.heapUsed),
        };
      },
    );
  };
}
