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
import { QueryParamError } from '../../analytics/shared/query.js';
import { areaDefinition, areaPolygon } from '../../config/areas.js';
import { ApiError, apiError, type ErrorCode } from '../errors.js';
import { defaultConfig } from '../../config/defaults.js'; // t1
import type { AnalyticArgs } from '../../analytics/engine/service.js'; // t1
import { parseDetailHops, parseGroups, parseSubpathArgs } from './subpath-params.js'; // t1
import { SCOPE_WINDOWS } from '../../analytics/compute/scope-stats.js'; // t5
import type { InspectRequest } from '../../analytics/compute/paths-inspect.js'; // t5

export interface AnalyticsRoutesDeps {
  service: AnalyticsService;
  /** config.areas: key -> { label?, polygon: [[lat, lon], ...] } or { bbox } (spec ingest-store-api §6). */
  areas: Record<string, Record<string, unknown>>;
  now?: () => number;
  // t1:
  /** config listLimits.analyticsMax: the largest `limit` of the subpath routes (default 200). */
  analyticsMax?: number;
}

// t1:
/** Parsers of the analytics' own parameters (registry `argNames`), by analytic name. */
const ARG_PARSERS: Partial<
  Record<string, (raw: Record<string, unknown>, analyticsMax: number) => AnalyticArgs | null>
> = {
  subpaths: parseSubpathArgs,
};

/** Relative windows (§1.1), in ms. */
const WINDOWS: Record<string, number> = {
  '1h': 3_600_000,
  '6h': 6 * 3_600_000,
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
        const span = Object.hasOwn(WINDOWS, w) ? WINDOWS[w] : undefined;
        if (span === undefined)
          throw badParameter(
            'window',
            'MESHLENS_ERR_BAD_QUERY_PARAMETER',
            'window',
            `must be one of ${Object.keys(WINDOWS).join(', ')}`,
          );
        query.fromMs = nowMs - span;
        query.window = w; // t5: echoed by relay-airtime-share and scope-stats
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

/** t2: the query parameters of registry entries with `extra` (documentation in /api/spec). */
const extraProps = {
  min_count: { type: 'string', description: 'neighbor-graph: minimum sightings per edge (default 5)' },
  min_score: { type: 'string', description: 'neighbor-graph: minimum edge score 0..1 (default 0.1)' },
  role: { type: 'string', description: 'neighbor-graph: keep edges with an endpoint of this role' },
} as const;

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
      .send({ error: err.message, code: err.code, retry_after_s: answer.retryAfterS });
  }
  if (answer.status === 'not-found') {
    const err = apiError(notFound);
    return reply.code(err.statusCode).send(err.body());
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
  // t2: an analytic-specific parameter (registry `extra`).
  if (err instanceof QueryParamError)
    err = badParameter(err.parameter, 'MESHLENS_ERR_BAD_QUERY_PARAMETER', err.parameter, err.detail);
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
  const analyticsMax = deps.analyticsMax ?? defaultConfig.listLimits.analyticsMax; // t1

  return async (app) => {
    // One route per registry entry (test/api/analytics-routes.test.ts checks each is served).
    for (const spec of ANALYTICS) {
      if (spec.ownRoute) continue; // t5: served below with its own parameters
      const { name, params } = spec;
      // The analytic's own parameters: t1's `argNames` (parsed into worker args) or t2's registry
      // `extra` (parsed into query.params); both join the schema and the cache key.
      const own = [...(spec.argNames ?? []), ...(spec.extra ? Object.keys(extraProps) : [])];
      const schema = {
        querystring:
          own.length > 0
            ? {
                ...querystring,
                properties: {
                  ...querystring.properties,
                  ...Object.fromEntries(own.map((a) => [a, { type: 'string' }])),
                },
              }
            : querystring,
      };
      const parseArgs = ARG_PARSERS[name];
      app.get(spec.path, { schema }, async (request, reply) => {
        try {
          const raw = request.query as Record<string, unknown>;
          const parsed = parseAnalyticsQuery(raw, params, areas, now());
          const { query } = parsed;
          let key = parsed.key;
          if (spec.extra) {
            const extra = spec.extra.parse(raw);
            query.params = extra.params;
            if (extra.key !== null) key = key === null ? extra.key : `${key}&${extra.key}`;
          }
          const args = parseArgs ? parseArgs(raw, analyticsMax) : null; // t1
          const answer = await service.get(name, query, key, args);
          return await writeAnswer(request, reply, answer, 'MESHLENS_ERR_ANALYTIC_NOT_FOUND', now());
        } catch (err) {
          return writeFailure(reply, err);
        }
      });
    }

    // t5: GET /api/scope-stats?window=1h|24h|7d (default 24h, the background snapshot; any other
    // value is a 400 naming `window`, as the reference does).
    app.get(
      '/scope-stats',
      { schema: { querystring: { type: 'object', properties: { window: { type: 'string' } } } } },
      async (request, reply) => {
        try {
          const w = str(request.query as Record<string, unknown>, 'window') ?? '24h';
          if (!Object.hasOwn(SCOPE_WINDOWS, w))
            throw badParameter(
              'window',
              'MESHLENS_ERR_BAD_QUERY_PARAMETER',
              'window',
              'must be one of 1h, 24h, 7d',
            );
          const nowMs = now();
          const query: AnalyticsQuery = { regions: null, fromMs: null, toMs: null, area: null, window: w };
          if (w !== '24h') query.fromMs = nowMs - SCOPE_WINDOWS[w as keyof typeof SCOPE_WINDOWS];
          const answer = await service.get('scope-stats', query, w === '24h' ? null : `rel=${w}`);
          return await writeAnswer(request, reply, answer, 'MESHLENS_ERR_ANALYTIC_NOT_FOUND', nowMs);
        } catch (err) {
          return writeFailure(reply, err);
        }
      },
    );

    // t5: POST /api/paths/inspect {prefixes[], context{observerId,since,until}, limit}.
    app.post(
      '/paths/inspect',
      { schema: { body: { type: 'object' } }, bodyLimit: 16_384 },
      async (request, reply) => {
        try {
          const req = parseInspectBody(request.body);
          const key = [
            req.prefixes.join(','),
            req.observerId ?? '',
            req.sinceMs ?? '',
            req.untilMs ?? '',
            req.limit,
          ].join('|');
          const answer = await service.pathsInspect(req, key);
          return await writeAnswer(request, reply, answer, 'MESHLENS_ERR_ANALYTIC_NOT_FOUND', now());
        } catch (err) {
          return writeFailure(reply, err);
        }
      },
    );

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

    // t1: route patterns (spec analytics §7.1) besides the registry's /analytics/subpaths.
    const bulkQuerystring = {
      type: 'object',
      properties: { ...querystring.properties, groups: { type: 'string' } },
    } as const;
    app.get(
      '/analytics/subpaths-bulk',
      { schema: { querystring: bulkQuerystring } },
      async (request, reply) => {
        try {
          const raw = request.query as Record<string, unknown>;
          const { query, key } = parseAnalyticsQuery(raw, ['region', 'window'], areas, now());
          const { groups, key: groupsKey } = parseGroups(raw, analyticsMax);
          const answer = await service.subpathsBulk(query, `${key ?? ''}|${groupsKey}`, groups);
          return await writeAnswer(request, reply, answer, 'MESHLENS_ERR_ANALYTIC_NOT_FOUND', now());
        } catch (err) {
          return writeFailure(reply, err);
        }
      },
    );
    const detailQuerystring = { type: 'object', properties: { hops: { type: 'string' } } } as const;
    app.get(
      '/analytics/subpath-detail',
      { schema: { querystring: detailQuerystring } },
      async (request, reply) => {
        try {
          const hops = parseDetailHops(request.query as Record<string, unknown>);
          const answer = await service.subpathDetail(hops);
          return await writeAnswer(request, reply, answer, 'MESHLENS_ERR_ANALYTIC_NOT_FOUND', now());
        } catch (err) {
          return writeFailure(reply, err);
        }
      },
    );
  };
}

// t5: the body of POST /api/paths/inspect, validated field by field (400 naming the field).
const PREFIX = /^(?:[0-9a-fA-F]{2}){1,3}$/;

function inspectTime(v: unknown, field: string): number | null {
  if (v === undefined || v === null || v === '') return null;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && RFC3339.test(v)) return Date.parse(v);
  throw badParameter(
    field,
    'MESHLENS_ERR_BAD_QUERY_PARAMETER',
    field,
    'must be an RFC3339 time or epoch milliseconds',
  );
}

export function parseInspectBody(body: unknown): InspectRequest {
  const b = (body ?? {}) as Record<string, unknown>;
  const prefixes = b.prefixes;
  if (!Array.isArray(prefixes) || prefixes.length === 0 || prefixes.length > 64)
    throw badParameter(
      'prefixes',
      'MESHLENS_ERR_BAD_QUERY_PARAMETER',
      'prefixes',
      'must be an array of 1 to 64 hex prefixes',
    );
  const clean: string[] = [];
  for (const p of prefixes) {
    const t = typeof p === 'string' ? p.trim() : '';
    if (!PREFIX.test(t))
      throw badParameter(
        'prefixes',
        'MESHLENS_ERR_BAD_QUERY_PARAMETER',
        'prefixes',
        `must be 1-3 bytes of hex each, got ${JSON.stringify(p)}`,
      );
    if (clean.length > 0 && t.length !== clean[0].length)
      throw badParameter(
        'prefixes',
        'MESHLENS_ERR_BAD_QUERY_PARAMETER',
        'prefixes',
        'must all have the same length (one hash size per path)',
      );
    clean.push(t.toLowerCase());
  }
  let limit = 10;
  if (b.limit !== undefined && b.limit !== null) {
    if (typeof b.limit !== 'number' || !Number.isInteger(b.limit) || b.limit < 1 || b.limit > 20)
      throw badParameter(
        'limit',
        'MESHLENS_ERR_BAD_QUERY_PARAMETER',
        'limit',
        'must be an integer from 1 to 20',
      );
    limit = b.limit;
  }
  const ctx = b.context;
  if (ctx !== undefined && ctx !== null && (typeof ctx !== 'object' || Array.isArray(ctx)))
    throw badParameter('context', 'MESHLENS_ERR_BAD_QUERY_PARAMETER', 'context', 'must be an object');
  const c = (ctx ?? {}) as Record<string, unknown>;
  if (c.observerId !== undefined && c.observerId !== null && typeof c.observerId !== 'string')
    throw badParameter(
      'context.observerId',
      'MESHLENS_ERR_BAD_QUERY_PARAMETER',
      'context.observerId',
      'must be a string',
    );
  const observerId =
    typeof c.observerId === 'string' && c.observerId.trim() !== '' ? c.observerId.trim() : null;
  const sinceMs = inspectTime(c.since, 'context.since');
  const untilMs = inspectTime(c.until, 'context.until');
  if (sinceMs !== null && untilMs !== null && sinceMs > untilMs)
    throw badParameter(
      'context.since',
      'MESHLENS_ERR_BAD_QUERY_PARAMETER',
      'context.since',
      'is after context.until',
    );
  return { prefixes: clean, observerId, sinceMs, untilMs, limit };
}
