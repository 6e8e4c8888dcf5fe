// System routes: readiness (/api/healthz), liveness + telemetry (/api/health) and per-route
// latency (/api/perf) (spec ingest-store-api §4.2 "System / health / perf", §7).
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { FastifyPluginAsync } from 'fastify';
import type { PerfRecorder, SectionRegistry, SlowRequest } from '../perf.js';
import type { Readiness } from '../readiness.js';
import { LagSampler, processRuntime, type Telemetry } from '../telemetry.js';

const readySchema = {
  type: 'object',
  properties: {
    ready: { type: 'boolean' },
    reason: { type: 'string' },
    loadedRows: { type: 'integer' },
    loadedTx: { type: 'integer' },
    loadedObs: { type: 'integer' },
    components: { type: 'object', additionalProperties: true },
    ingest_liveness: { type: 'object', additionalProperties: true },
    // issue 13 i13a: why a loaded server is not ready (writes failing).
    status: { type: 'string' },
    degraded: { type: 'object', additionalProperties: true },
  },
  required: ['ready'],
};

export interface HealthRoutesDeps {
  readiness: Readiness;
  perf: PerfRecorder;
  /** Telemetry sections merged into /api/health. */
  health: SectionRegistry;
  version: string;
  /** Figures from the composition root (store, cache, ingest, build); each optional. */
  telemetry: Telemetry;
}

export function healthRoutes(deps: HealthRoutesDeps): FastifyPluginAsync {
  const { readiness, perf, health, version, telemetry } = deps;
  return async (app) => {
    const startedMs = Date.now();
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const lag = new LagSampler();
    app.addHook('onClose', async () => {
      loopDelay.disable();
      lag.stop();
    });
    const loaded = () => {
      const rows = telemetry.store?.() ?? null;
      return rows === null ? {} : { loadedTx: rows.transmissions, loadedObs: rows.observations };
    };
    const liveness = () => (telemetry.ingestLiveness ? { ingest_liveness: telemetry.ingestLiveness() } : {});
    // issue 13 i13a: writes failing (or the writer gone) make the server degraded until a commit succeeds.
    const writerDegraded = () => {
      const w = telemetry.writer?.();
      if (!w) return null;
      if (w.failed)
        return { code: 'writer_failed', message: 'the SQLite writer stopped', sinceMs: null, retries: 0 };
      return w.degraded;
    };

    app.get(
      '/healthz',
      {
        schema: {
          summary: 'Readiness probe: 503 until the store and first analytics are loaded',
          tags: ['system'],
          response: {
            200: readySchema,
            503: { ...readySchema, description: 'Still loading, or degraded (writes failing)' },
          },
        },
      },
      async (_request, reply) => {
        const state = readiness.state();
        if (!state.ready) {
          reply.code(503).header('retry-after', '5');
          // The store's load first; else a component's own reason (an MQTT source down, silent).
          const waiting = Object.values(state.components).filter((c) => !c.ready);
          const store = state.components.store;
          const reason =
            store && !store.ready ? 'loading' : (waiting.find((c) => c.reason)?.reason ?? 'loading');
          return {
            ready: false,
            reason,
            loadedRows: state.loadedRows,
            ...loaded(),
            components: state.components,
            ...(reason === 'loading' ? {} : liveness()),
          };
        }
        const degraded = writerDegraded();
        if (degraded) {
          // Reads are served, but what arrives is not stored: a probe must see it (503).
          reply.code(503).header('retry-after', '5');
          return {
            ready: false,
            reason: 'degraded',
            status: 'degraded',
            degraded: { writer: degraded },
            loadedRows: state.loadedRows,
            ...loaded(),
            components: state.components,
            ...liveness(),
          };
        }
        return {
          ready: true,
          loadedRows: state.loadedRows,
          ...loaded(),
          components: state.components,
          ...liveness(),
        };
      },
    );

    app.get(
      '/health',
      {
        schema: {
          summary: "Liveness and telemetry (CoreScope field names beside meshlens's own)",
          tags: ['system'],
          querystring: { type: 'object', properties: { mem: { type: 'string' } } },
        },
      },
      async (request) => {
        const mem = process.memoryUsage();
        const uptime = Math.round((Date.now() - startedMs) / 1000);
        const ns = (v: number) => Math.round(v / 1e4) / 100;
        const p = perf.summary();
        const rows = telemetry.store?.() ?? null;
        const degraded = writerDegraded();
        return {
          status: degraded ? 'degraded' : 'ok',
          ...(degraded ? { degraded: { writer: degraded } } : {}),
          engine: 'node',
          version,
          commit: telemetry.build?.commit ?? null,
          buildTime: telemetry.build?.buildTime ?? null,
          nodeVersion: process.version,
          uptime,
          uptimeHuman: humanDuration(uptime),
          ready: readiness.state().ready,
          memory: {
            rss: mb(mem.rss),
            heapUsed: mb(mem.heapUsed),
            heapTotal: mb(mem.heapTotal),
            external: mb(mem.external),
            rssMB: mb(mem.rss),
            heapUsedMB: mb(mem.heapUsed),
            heapTotalMB: mb(mem.heapTotal),
          },
          eventLoop: {
            currentLagMs: lag.currentMs(),
            maxLagMs: ns(loopDelay.max),
            p50Ms: ns(loopDelay.percentile(50)),
            p95Ms: ns(loopDelay.percentile(95)),
            p99Ms: ns(loopDelay.percentile(99)),
            maxMs: ns(loopDelay.max),
          },
          cache: healthCache(telemetry),
          packetStore: {
            packets: rows?.transmissions ?? 0,
            observations: rows?.observations ?? 0,
            estimatedMB: mb(rows?.estimatedBytes ?? 0),
            trackedMB: mb(rows?.estimatedBytes ?? 0),
          },
          perf: {
            totalRequests: p.totalRequests,
            avgMs: p.avgMs,
            slowQueries: p.slowQueries,
            recentSlow: perf.slowRequests(5).map(corescopeSlow),
          },
          slowRequests: perf.slowRequests(5),
          ...(memBreakdownAsked(request.query) ? { memBreakdown: memBreakdown(mem, telemetry) } : {}),
          ...health.collect(),
        };
      },
    );

    app.get(
      '/perf',
      {
        schema: {
          summary: 'Per-route latency, slow requests and module sections',
          tags: ['system'],
          querystring: { type: 'object', properties: { mem: { type: 'string' } } },
        },
      },
      async (request) => {
        const snap = perf.snapshot();
        const p = perf.summary();
        const rows = telemetry.store?.() ?? null;
        const cache = healthCache(telemetry);
        const sqlite = telemetry.sqlite
          ? await telemetry.sqlite().catch((e: Error) => ({ error: e.message }))
          : null;
        const mem = process.memoryUsage();
        return {
          uptime: snap.uptimeSec,
          avgMs: p.avgMs,
          ...snap,
          slowQueries: perf.slowRequests().map(corescopeSlow),
          cache: { size: cache.entries, ...cache },
          packetStore: {
            totalLoaded: rows?.transmissions ?? 0,
            totalObservations: rows?.observations ?? 0,
            evicted: 0,
            inserts: rows?.inserts ?? 0,
            queries: p.totalRequests,
            inMemory: rows?.transmissions ?? 0,
            sqliteOnly: false,
            maxPackets: 0,
            estimatedMB: mb(rows?.estimatedBytes ?? 0),
            maxMB: 0,
            indexes: rows?.indexes ?? null,
          },
          sqlite,
          goRuntime: processRuntime(mem),
          ...(memBreakdownAsked(request.query) ? { memBreakdown: memBreakdown(mem, telemetry) } : {}),
        };
      },
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

/** A slow request in CoreScope's shape ({path, ms, time, status}) with meshlens's fields kept. */
function corescopeSlow(r: SlowRequest) {
  return { path: r.url.split('?')[0], time: new Date(r.atMs).toISOString(), ...r };
}

function healthCache(t: Telemetry) {
  const c = t.cache?.() ?? { entries: 0, hits: 0, misses: 0, staleHits: 0, recomputes: 0 };
  const asked = c.hits + c.misses;
  return { ...c, hitRate: asked === 0 ? 0 : Math.round((c.hits / asked) * 1000) / 1000 };
}

const memBreakdownAsked = (q: unknown) => (q as { mem?: string }).mem === '1';

/** `?mem=1`: the process's memory by kind, plus the store's own accounting. */
function memBreakdown(mem: NodeJS.MemoryUsage, t: Telemetry) {
  return {
    processMB: {
      rss: mb(mem.rss),
      heapUsed: mb(mem.heapUsed),
      heapTotal: mb(mem.heapTotal),
      external: mb(mem.external),
      arrayBuffers: mb(mem.arrayBuffers),
    },
    store: t.storeMemory?.() ?? null,
  };
}

function humanDuration(seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return d > 0 ? `${d}d ${h}h ${m}m` : h > 0 ? `${h}h ${m}m` : `${m}m ${seconds % 60}s`;
}
