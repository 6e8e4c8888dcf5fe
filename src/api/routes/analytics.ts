// Analytics routes (spec analytics §1): the nine recomputed analytics and the per-node clock
// skew. Parses and validates the query (§1.1, stricter than CoreScope: a bad window, bound or
// unknown area is a 400 naming the parameter, not silently "all data"), asks the
// AnalyticsService, and writes its ready bytes: gzip as computed in the worker, or the JSON
// (decompressed once and kept) for clients that do not accept gzip. One route per registry
// entry, at its `path`: register with `api.register(analyticsRoutes({ service, areas }))` under
// the `/api` prefix. Errors are registry errors (../errors.ts); the bodies whose shape CoreScope
// defines (503 warming up, 404) are kept as CoreScope writes them, see docs/errors.md.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AnalyticsService, AnalyticsAnswer } from '../../analytics/engine/service.js';
import type { QueryParam } from '../../analytics/registry.js';
import { ANALYTICS } from '../../analytics/registry.js';
import type { AnalyticsQuery } from '../../analytics/shared/query.js';
import { areaDefinition, areaPolygon } from '../../config/areas.js';
import { ApiError, apiError, type ErrorCode } from '../errors.js';

export interface AnalyticsRoutesDeps {
  service: AnalyticsService;
  /** config.areas: key -> { label?, polygon: [[lat, lon], ...] } or { bbox } (spec ingest-store-api §6). */
  areas: Record<string, Record<string, unknown>>;
  now?: () => number;
}

/** Relative windows (§1.1), in ms. */
const WINDOWS: Record<string, number> = {
  '1h': 3_600_000,
  '24h': 86_400_000,
  '1d': 86_400_000,
  '3d': 3 * 86_400_000,
  '7d': 7 * 86_400_000,
  '1w': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
};

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** A 400 naming the query parameter at fault (the body carries it as `parameter`). */
export type ParameterError = ApiError & { parameter: string };

export function badParameter(parameter: string, code: ErrorCode, ...args: string[]): ParameterError {
  return Object.assign(apiError(code, ...args), { parameter });
}

function isParameterError(err: unknown): err is ParameterError {
  return err instanceof ApiError && typeof (err as Partial<ParameterError>).parameter === 'string';
}

function str(q: Record<string, unknown>, name: string): string | undefined {
  const v = q[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string')
    throw badParameter(name, 'MESHLENS_ERR_BAD_QUERY_PARAMETER', name, 'must be given once');
  return v;
}

function bound(q: Record<string, unknown>, name: 'from' | 'to'): number | null {
  const v = str(q, name);
  if (v === undefined || v === '') return null;
  const ms = RFC3339.test(v) ? Date.parse(v) : NaN;
  if (Number.isNaN(ms))
    throw badParameter(
      name,
      'MESHLENS_ERR_BAD_QUERY_PARAMETER',
      name,
      `must be an RFC3339 time, got ${JSON.stringify(v)}`,
    );
  return ms;
}

/**
 * Parse the parameters an analytic accepts into its query and cache key (null = the default
 * query, served from the recomputer). Parameters an analytic does not take are ignored (§1.0).
 */
export function parseAnalyticsQuery(
  raw: Record<string, unknown>,
  accepts: readonly QueryParam[],
  areas: AnalyticsRoutesDeps['areas'],
  nowMs: number,
): { query: AnalyticsQuery; key: string | null } {
  const query: AnalyticsQuery = { regions: null, fromMs: null, toMs: null, area: null };
  const key: string[] = [];
  if (accepts.includes('region')) {
    const region = str(raw, 'region');
    const codes = (region ?? '')
      .split(',')
      .map((c) => c.trim().toUpperCase())
      .filter((c) => c !== '' && c !== 'ALL');
    if (codes.length > 0) {
      query.regions = [...new Set(codes)].sort();
      key.push(`region=${query.regions.join(',')}`);
    }
  }
  if (accepts.includes('area')) {
    const area = str(raw, 'area');
    if (area !== undefined && area !== '') {
      const def = areaDefinition(areas, area);
      if (!def) throw badParameter('area', 'MESHLENS_ERR_UNKNOWN_AREA', JSON.stringify(area));
      const polygon = areaPolygon(def);
      if (!polygon) throw badParameter('area', 'MESHLENS_ERR_AREA_WITHOUT_SHAPE', JSON.stringify(area));
      query.area = { key: area, polygon };
      key.push(`area=${area}`);
    }
  }
  if (accepts.includes('window')) {
    const from = bound(raw, 'from');
    const to = bound(raw, 'to');
    if (from !== null || to !== null) {
      // Absolute bounds win over `window` (§1.1).
      if (from !== null && to !== null && from > to)
        throw badParameter('from', 'MESHLENS_ERR_BAD_QUERY_PARAMETER', 'from', 'is after to');
      query.fromMs = from;
      query.toMs = to;
      key.push(`abs=${from ?? ''}|${to ?? ''}`);
    } else {
      const w = str(raw, 'window');
      if (w !== undefined && w !== '') {
        const span = WINDOWS[w];
        if (span === undefined)
          throw badParameter(
            'window',
            'MESHLENS_ERR_BAD_QUERY_PARAMETER',
            'window',
            `must be one of ${Object.keys(WINDOWS).join(', ')}`,
          );
        query.fromMs = nowMs - span;
        // Keyed by label so the key does not change every millisecond (§1.1).
        key.push(`rel=${w}`);
      }
    }
  }
  return { query, key: key.length === 0 ? null : key.join('&') };
}

/**
 * Whether Accept-Encoding admits gzip (RFC 9110 §12.5.3: q=0 means "not acceptable"). Clients
 * send the same few header values over and over: answers are memoized (bounded).
 */
const gzipMemo = new Map<string, boolean>();
export function acceptsGzip(header: string | string[] | undefined): boolean {
  const h = Array.isArray(header) ? header.join(',') : (header ?? '');
  const known = gzipMemo.get(h);
  if (known !== undefined) return known;
  const yes = parseAcceptsGzip(h);
  if (gzipMemo.size >= 64) gzipMemo.clear();
  gzipMemo.set(h, yes);
  return yes;
}

function parseAcceptsGzip(h: string): boolean {
  let gzip: number | null = null;
  let star: number | null = null;
  for (const part of h.split(',')) {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    const qp = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qp ? Number(qp.slice(2)) : 1;
    if (coding === 'gzip' || coding === 'x-gzip') gzip = Number.isNaN(q) ? 0 : q;
    else if (coding === '*') star = Number.isNaN(q) ? 0 : q;
  }
  return (gzip ?? star ?? 0) > 0;
}

const querystring = {
  type: 'object',
  properties: {
    region: { type: 'string' },
    area: { type: 'string' },
    window: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
  },
} as const;

const HEX_KEY = /^[0-9a-fA-F]{2,64}$/;

/** Writes the service's answer: warming up, not found, 304, or the ready bytes. */
export async function writeAnswer(
  request: FastifyRequest,
  reply: FastifyReply,
  answer: AnalyticsAnswer,
  notFound: ErrorCode,
  nowMs: number,
) {
  if (answer.status === 'warming') {
    // CoreScope's warming-up body (spec analytics §2.3), not the registry's {error, code}.
    const err = apiError('MESHLENS_ERR_ANALYTICS_WARMING');
    return reply
      .code(err.statusCode)
      .header('Retry-After', String(answer.retryAfterS))
      .header('Cache-Control', 'no-store')
      .send({ error: err.message, retry_after_s: answer.retryAfterS });
  }
  if (answer.status === 'not-found') {
    const err = apiError(notFound);
    return reply.code(err.statusCode).send({ error: err.message });
  }
  // O(1) per request: headers from the body's precomputed strings, the stored Buffer as is.
  const body = answer.body;
  const gzip = acceptsGzip(request.headers['accept-encoding']);
  const etag = gzip ? body.etagGzip : body.etag;
  reply
    .header('Content-Type', 'application/json; charset=utf-8')
    .header('Vary', 'Accept-Encoding')
    .header('ETag', etag)
    .header('X-Snapshot-Age-Ms', String(Math.max(0, Math.round(nowMs - body.computedAtMs))))
    .header('X-Computed-At', body.computedAtIso);
  if (request.headers['if-none-match'] === etag) return reply.code(304).send();
  if (gzip) return reply.header('Content-Encoding', 'gzip').send(body.gzip);
  return reply.send(await body.identity());
}

/** A bad parameter, a stopped pool or a failed compute, as its registry error. */
export function writeFailure(reply: FastifyReply, err: unknown) {
  if (isParameterError(err))
    return reply.code(err.statusCode).send({ ...err.body(), parameter: err.parameter });
  if ((err as { code?: string }).code === 'ANALYTICS_POOL_CLOSED') {
    const stopped = apiError('MESHLENS_ERR_ANALYTICS_STOPPED');
    return reply.code(stopped.statusCode).header('Retry-After', '5').send(stopped.body());
  }
  reply.log.error({ err }, 'analytics compute failed');
  const failed = apiError('MESHLENS_ERR_ANALYTICS_FAILED');
  return reply.code(failed.statusCode).send(failed.body());
}

export function analyticsRoutes(deps: AnalyticsRoutesDeps): FastifyPluginAsync {
  const { service, areas } = deps;
  const now = deps.now ?? Date.now;

  return async (app) => {
    // One route per registry entry (test/api/analytics-routes.test.ts checks each is served).
    for (const spec of ANALYTICS) {
      const { name, params } = spec;
      app.get(spec.path, { schema: { querystring } }, async (request, reply) => {
        try {
          const raw = request.query as Record<string, unknown>;
          const { query, key } = parseAnalyticsQuery(raw, params, areas, now());
          const answer = await service.get(name, query, key);
          return await writeAnswer(request, reply, answer, 'MESHLENS_ERR_ANALYTIC_NOT_FOUND', now());
        } catch (err) {
          return writeFailure(reply, err);
        }
      });
    }

    const pubkeyParams = {
      type: 'object',
      properties: { pubkey: { type: 'string' } },
      required: ['pubkey'],
    } as const;
    app.get('/nodes/:pubkey/clock-skew', { schema: { params: pubkeyParams } }, async (request, reply) => {
      const { pubkey } = request.params as { pubkey: string };
      try {
        if (!HEX_KEY.test(pubkey))
          throw badParameter('pubkey', 'MESHLENS_ERR_BAD_QUERY_PARAMETER', 'pubkey', 'must be hex');
        const answer = await service.nodeClockSkew(pubkey);
        return await writeAnswer(request, reply, answer, 'MESHLENS_ERR_NO_CLOCK_SKEW', now());
      } catch (err) {
        return writeFailure(reply, err);
      }
    });
  };
}
