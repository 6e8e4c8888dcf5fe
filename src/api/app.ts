// buildApp: the HTTP app factory (style-examples §6: factory, not server; tests use inject()).
// Cross-cutting behaviour in the order of spec ingest-store-api §4.1: CORS, perf timing,
// Cache-Control: no-store on /api, CDN-header warning, compression, load-status header.
// Routes are encapsulated plugins under /api; shared services hang off `app.meshlens`.
import Fastify, {
  type FastifyInstance,
  type FastifyPluginAsync,
  type FastifyReply,
  type FastifyServerOptions,
} from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import compress from '@fastify/compress';
import { defaultConfig } from '../config/defaults.js';
import type { HttpLimitsConfig, MeshlensConfig } from '../config/types.js';
import { requireApiKey } from './auth.js';
import { apiError, excerpt, toApiError } from './errors.js';
import { HeavyLimits, RequestTurns } from './limits.js';
import { buildOpenApi, collectRoutes } from './openapi.js';
import { PerfRecorder, SectionRegistry } from './perf.js';
import { Readiness } from './readiness.js';
import { healthRoutes } from './routes/health.js';
import type { Telemetry } from './telemetry.js';

/** Request bodies above this get 413 (256 KiB: a geo-filter polygon of 1000 points is ~40 KiB). */
export const bodyLimitBytes = 256 * 1024;

/** Services every route plugin can reach as `app.meshlens`. */
export interface AppServices {
  config: Readonly<MeshlensConfig>;
  perf: PerfRecorder;
  /** Sections of /api/health contributed by other modules. */
  health: SectionRegistry;
  readiness: Readiness;
  /** preHandler for write routes (X-API-Key). */
  requireApiKey: ReturnType<typeof requireApiKey>;
  version: string;
  /** Store, cache, ingest and build figures for /api/health, /api/healthz, /api/perf. */
  telemetry: Telemetry;
  /** Rate limit and concurrency gate of the heavy list routes (issue 13; `heavyRoute()`). */
  heavy: HeavyLimits;
  /** Turns for the other API requests (`http.requestConcurrency`). */
  turns: RequestTurns;
}

declare module 'fastify' {
  interface FastifyInstance {
    meshlens: AppServices;
  }
  interface FastifyRequest {
    meshlensStartNs: bigint;
  }
}

export interface AppDeps {
  config: Readonly<MeshlensConfig>;
  /** Route plugins registered under /api, in order (each encapsulated). */
  routes?: FastifyPluginAsync[];
  /** Plugins registered at the root, e.g. the WebSocket feed at /ws. */
  rootPlugins?: FastifyPluginAsync[];
  perf?: PerfRecorder;
  health?: SectionRegistry;
  readiness?: Readiness;
  logger?: FastifyServerOptions['logger'];
  version?: string;
  telemetry?: Telemetry;
}

const cdnHeaders = ['cf-ray', 'cf-connecting-ip', 'fastly-client-ip', 'true-client-ip'];

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const limits = config.http ?? defaultConfig.http;
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: bodyLimitBytes,
    ...serverLimits(limits),
    // Fastify's Ajv silently strips properties a schema does not allow; a body with unknown
    // fields is a 400 naming them instead (issue 13), so a client's typo is never lost quietly.
    ajv: { customOptions: { removeAdditional: false } },
    // Errors raised before routing answer in the registry's {error, code} shape too, echoing at
    // most a short excerpt of what the client sent (issue 13 #8).
    frameworkErrors: (err, request, reply) => {
      const e =
        err.code === 'FST_ERR_BAD_URL'
          ? apiError('MESHLENS_ERR_BAD_URL', excerpt(request.url))
          : apiError('MESHLENS_ERR_BAD_REQUEST');
      void (reply as FastifyReply).code(e.statusCode).send(e.body());
    },
    clientErrorHandler: writeClientError,
  });
  // Over the cap Node closes a new connection at once (issue 13: no connection cap before).
  if (limits.maxConnections > 0) app.server.maxConnections = limits.maxConnections;
  const services: AppServices = {
    config,
    perf: deps.perf ?? new PerfRecorder(config.perf),
    health: deps.health ?? new SectionRegistry(),
    readiness: deps.readiness ?? new Readiness(),
    requireApiKey: requireApiKey(config.apiKey),
    version: deps.version ?? '0.0.0',
    telemetry: deps.telemetry ?? {},
    heavy: new HeavyLimits(limits),
    turns: new RequestTurns(limits.requestConcurrency),
  };
  app.decorate('meshlens', services);
  // The heavy routes' gate and rate-limit counters, as /api/health `http` (issue 13).
  const dropHttpSection = services.health.register('http', () => ({
    ...services.heavy.stats(),
    turns: services.turns.stats(),
  }));
  app.addHook('onClose', async () => dropHttpSection());
  app.decorateRequest('meshlensStartNs', 0n);
  const operations = collectRoutes(app, '/api');

  // 1. CORS: off unless an allow-list is configured (spec §7).
  const allowed = new Set(config.corsAllowedOrigins);
  let cdnWarned = false;
  app.addHook('onRequest', async (request, reply) => {
    request.meshlensStartNs = process.hrtime.bigint();
    const origin = request.headers.origin;
    if (allowed.size > 0 && origin !== undefined) {
      const ok = allowed.has(origin) || allowed.has('*');
      if (ok) {
        reply.header('access-control-allow-origin', allowed.has(origin) ? origin : '*');
        reply.header('vary', 'Origin');
        reply.header('access-control-allow-methods', 'GET, HEAD, OPTIONS');
        reply.header('access-control-allow-headers', 'Content-Type, X-API-Key');
      }
      if (request.method === 'OPTIONS') {
        if (!ok) throw apiError('MESHLENS_ERR_ORIGIN_FORBIDDEN', origin);
        return reply.code(204).send();
      }
    }
    // 4. A CDN in front may cache /api despite no-store: tell the operator once (spec §7).
    if (!cdnWarned && cdnHeaders.some((h) => request.headers[h] !== undefined)) {
      cdnWarned = true;
      request.log.warn('requests arrive through a CDN: add a "bypass cache for /api/*" rule');
    }
  });

  // Turns: at most http.requestConcurrency non-heavy API requests in progress (limits.ts).
  app.addHook('onRequest', async (request, reply) => services.turns.enter(request, reply));

  // 2. Per-route timing under the route template.
  app.addHook('onResponse', async (request, reply) => {
    const ms = Number(process.hrtime.bigint() - request.meshlensStartNs) / 1e6;
    const route = request.routeOptions.url ?? '(unmatched)';
    services.perf.record(request.method, route, request.url, reply.statusCode, ms);
  });

  // 3 + 6. no-store on /api, and the load-status header the UI's warm-up banner reads.
  app.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith('/api')) reply.header('cache-control', 'no-store');
    const state = services.readiness.state();
    reply.header('x-corescope-load-status', state.ready ? 'ready' : `loading; progress=${state.loadedRows}`);
  });

  // 5. Compression.
  await app.register(compress, {
    global: config.compression.gzip,
    threshold: config.compression.minSizeBytes,
    encodings: ['gzip', 'deflate'],
    // A streamed answer is compressed on the thread pool, one output buffer per round trip to
    // the event loop: with zlib's 16 KiB default a 10 MB list took ~60 trips (~0.5 s on a busy
    // loop); 128 KiB takes a handful.
    zlibOptions: { level: config.compression.level, chunkSize: 128 * 1024 },
    ...(config.compression.contentTypes.length > 0
      ? { customTypes: new RegExp(`^(${config.compression.contentTypes.map(escapeRegExp).join('|')})`) }
      : {}),
  });

  app.setErrorHandler(async (err, request, reply) => {
    const encoding = request.headers['content-encoding'];
    const apiErr = toApiError(err, bodyLimitBytes, typeof encoding === 'string' ? encoding : undefined);
    // 503s are expected answers (busy, not ready): logging each would let a flood fill the log.
    if (apiErr.statusCode >= 500 && apiErr.statusCode !== 503) request.log.error({ err }, 'request failed');
    return reply.code(apiErr.statusCode).headers(apiErr.headers).send(apiErr.body());
  });
  app.setNotFoundHandler(async (request) => {
    throw apiError('MESHLENS_ERR_ROUTE_NOT_FOUND', request.method, request.url.split('?')[0]);
  });

  // Before the routes: @fastify/rate-limit wires each route with a `rateLimit` config as it is added.
  await services.heavy.register(app);

  await app.register(
    async (api) => {
      await api.register(healthRoutes(services));
      for (const routes of deps.routes ?? []) await api.register(routes);
      // Routes are fixed once the app is ready: the document is built on first use, then reused.
      let spec: string | null = null;
      api.get(
        '/spec',
        { schema: { summary: 'This OpenAPI 3 document', tags: ['system'] } },
        async (_req, reply) => {
          spec ??= JSON.stringify(
            buildOpenApi(operations, { title: 'meshlens API', version: services.version }),
          );
          return reply.type('application/json; charset=utf-8').send(spec);
        },
      );
    },
    { prefix: '/api' },
  );
  for (const plugin of deps.rootPlugins ?? []) await app.register(plugin);
  await app.ready();
  return app;
}

/**
 * Connection and request timeouts (issue 13: slow-header connections were held 60-76 s). Node
 * checks the headers and request timeouts every `connectionsCheckingInterval` (30 s by default),
 * so that interval follows the headers timeout.
 */
function serverLimits(limits: Readonly<HttpLimitsConfig>): Partial<FastifyServerOptions> {
  return {
    connectionTimeout: limits.connectionTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    maxRequestsPerSocket: limits.maxRequestsPerSocket,
    ...(limits.trustProxy.length > 0 ? { trustProxy: [...limits.trustProxy] } : {}),
    http: {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(limits.headersTimeoutMs / 4))),
    },
  } as Partial<FastifyServerOptions>;
}

/** A socket-level HTTP error (before any request object exists): a coded JSON answer, then close. */
function writeClientError(err: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable) return void socket.destroy();
  const e =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? apiError('MESHLENS_ERR_HEADERS_TOO_LARGE')
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? apiError('MESHLENS_ERR_REQUEST_TIMEOUT')
        : apiError('MESHLENS_ERR_BAD_REQUEST');
  const body = JSON.stringify(e.body());
  socket.end(
    `HTTP/1.1 ${e.statusCode} ${STATUS_CODES[e.statusCode] ?? 'Error'}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
