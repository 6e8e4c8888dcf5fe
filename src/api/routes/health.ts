// System routes: readiness (/api/healthz), liveness + telemetry (/api/health) and per-route
// latency (/api/perf) (spec ingest-store-api §4.2 "System / health / perf", §7).
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { FastifyPluginAsync } from 'fastify';
import type { PerfRecorder, SectionRegistry } from '../perf.js';
import type { Readiness } from '../readiness.js';

const readySchema = {
  type: 'object',
  properties: {
    ready: { type: 'boolean' },
    reason: { type: 'string' },
    loadedRows: { type: 'integer' },
    components: { type: 'object', additionalProperties: true },
  },
  required: ['ready'],
};

export interface HealthRoutesDeps {
  readiness: Readiness;
  perf: PerfRecorder;
  /** Telemetry sections merged into /api/health. */
  health: SectionRegistry;
  version: string;
}

export function healthRoutes(deps: HealthRoutesDeps): FastifyPluginAsync {
  const { readiness, perf, health, version } = deps;
  return async (app) => {
    const startedMs = Date.now();
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    app.addHook('onClose', async () => loopDelay.disable());

    app.get(
      '/healthz',
      {
        schema: {
          summary: 'Readiness probe: 503 until the store and first analytics are loaded',
          tags: ['system'],
          response: { 200: readySchema, 503: { ...readySchema, description: 'Still loading' } },
        },
      },
      async (_request, reply) => {
        const state = readiness.state();
        if (!state.ready) {
          reply.code(503).header('retry-after', '5');
          return {
            ready: false,
            reason: 'loading',
            loadedRows: state.loadedRows,
            components: state.components,
          };
        }
        return { ready: true, loadedRows: state.loadedRows, components: state.components };
      },
    );

    app.get('/health', { schema: { summary: 'Liveness and telemetry', tags: ['system'] } }, async () => {
      const mem = process.memoryUsage();
      const uptime = Math.round((Date.now() - startedMs) / 1000);
      const ns = (v: number) => Math.round(v / 1e4) / 100;
      return {
        status: 'ok',
        engine: 'node',
        version,
        nodeVersion: process.version,
        uptime,
        uptimeHuman: humanDuration(uptime),
        ready: readiness.state().ready,
        memory: { rssMB: mb(mem.rss), heapUsedMB: mb(mem.heapUsed), heapTotalMB: mb(mem.heapTotal) },
        eventLoop: {
          p50Ms: ns(loopDelay.percentile(50)),
          p95Ms: ns(loopDelay.percentile(95)),
          p99Ms: ns(loopDelay.percentile(99)),
          maxMs: ns(loopDelay.max),
        },
        slowRequests: perf.slowRequests(5),
        ...health.collect(),
      };
    });

    app.get(
      '/perf',
      { schema: { summary: 'Per-route latency, slow requests and module sections', tags: ['system'] } },
      async () => perf.snapshot(),
    );

    app.post(
      '/perf/reset',
      {
        preHandler: app.meshlens.requireApiKey,
        schema: {
          summary: 'Clears the latency windows and the slow log',
          tags: ['system'],
          security: [{ apiKey: [] }],
          response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } } } },
        },
      },
      async () => {
        perf.reset();
        return { ok: true };
      },
    );
  };
}

const mb = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;

function humanDuration(seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return d > 0 ? `${d}d ${h}h ${m}m` : h > 0 ? `${h}h ${m}m` : `${m}m ${seconds % 60}s`;
}
