// /api/stats (spec ingest-store-api §4.2): totals the header counters and the Docker
// healthcheck read, from the read model's totals plus this process's memory.
import type { FastifyPluginAsync } from 'fastify';
import type { ReadRoutesDeps } from './context.js';
import { I, N, S } from './render.js';

const mb = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;

export interface StatsRoutesDeps extends Pick<ReadRoutesDeps, 'model' | 'now'> {
  /** Ingest's count of adverts dropped for a bad signature. */
  signatureDrops?: () => number;
}

export function statsRoutes(deps: StatsRoutesDeps): FastifyPluginAsync {
  const { model } = deps;
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
                commit: { type: ['string', 'null'] },
                buildTime: { type: ['string', 'null'] },
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
        const st = model.stats(deps.now());
        const mem = process.memoryUsage();
        return {
          totalPackets: st.transmissions,
          totalTransmissions: st.transmissions,
          totalObservations: st.observations,
          totalNodes: st.activeNodes,
          totalNodesAllTime: st.visibleNodes,
          totalObservers: st.observers,
          packetsLastHour: st.observationsLastHour,
          packetsLast24h: st.observationsLast24h,
          engine: 'node',
          version: app.meshlens.version,
          commit: app.meshlens.telemetry.build?.commit ?? null,
          buildTime: app.meshlens.telemetry.build?.buildTime ?? null,
          counts: st.roleCounts,
          signatureDrops: deps.signatureDrops?.() ?? 0,
          storeDataMB: mb(st.storeBytes),
          processRSSMB: mb(mem.rss),
          heapUsedMB: mb(mem.heapUsed),
        };
      },
    );
  };
}
