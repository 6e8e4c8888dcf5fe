// Opt-in mobile RX coverage (spec ingest-store-api §4.2 "/nodes/{pk}/rx-coverage, /rx-coverage,
// /rx-leaderboard", §2.2 client_receptions): receptions binned into map hexagons as GeoJSON,
// and the clients ranked by receptions. 404 unless config clientRxCoverage.enabled.
// Params: bbox=minLon,minLat,maxLon,maxLat (GeoJSON order), z (zoom 0-18, default 10),
// days (window, default 7, at most 365), node (heard node key), rx (client key), limit.
import type { FastifyPluginAsync } from 'fastify';
import type { GeoBox, RxCell, RxCoverageQuery } from '../../store/read-model.js';
import { apiError, notReady } from '../errors.js';
import type { ReadRoutesDeps } from './context.js';
import { badParam, pageLimit } from './params.js';
import { errorSchema, iso, I, N, nullable, S } from './render.js';

export interface RxCoverageRoutesDeps extends ReadRoutesDeps {
  /** The store load is done (node lookups answer 503 until then). */
  ready: () => boolean;
}

const DAY_MS = 86_400_000;
const HEX = /^[0-9a-fA-F]{2,64}$/;

type Query = Record<string, string | undefined>;

function parseBbox(v: string | undefined): GeoBox | null {
  if (v === undefined || v === '') return null;
  const parts = v.split(',').map((s) => (s.trim() === '' ? NaN : Number(s)));
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n)))
    throw badParam('bbox', `'${v}' is not minLon,minLat,maxLon,maxLat (four numbers)`);
  const [minLon, minLat, maxLon, maxLat] = parts;
  if (minLat < -90 || maxLat > 90 || minLon < -180 || maxLon > 180)
    throw badParam('bbox', 'latitudes must lie within [-90, 90] and longitudes within [-180, 180]');
  if (minLat > maxLat || minLon > maxLon) throw badParam('bbox', 'min must not exceed max');
  return { minLat, minLon, maxLat, maxLon };
}

function parseIntIn(q: Query, name: string, min: number, max: number, def: number): number {
  const v = q[name];
  if (v === undefined || v === '') return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max)
    throw badParam(name, `must be an integer from ${min} to ${max}`);
  return n;
}

function parseDays(q: Query): number {
  const v = q.days;
  if (v === undefined || v === '') return 7;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || n > 365)
    throw badParam('days', 'must be a number above 0 and at most 365');
  return n;
}

function parseKey(q: Query, name: string): string | null {
  const v = q[name];
  if (v === undefined || v === '') return null;
  if (!HEX.test(v)) throw badParam(name, 'must be a hex public key (2 to 64 hex digits)');
  return v.toLowerCase();
}

function feature(c: RxCell) {
  return {
    type: 'Feature' as const,
    geometry: { type: 'Polygon' as const, coordinates: [c.ring] },
    properties: {
      center: c.center,
      count: c.count,
      bestSnr: c.bestSnr,
      avgSnr: c.avgSnr,
      bestRssi: c.bestRssi,
      receivers: c.receivers,
      nodes: c.nodes,
      lastRxAt: iso(c.lastRxMs),
    },
  };
}

const coverageQuery = {
  type: 'object',
  properties: { bbox: S, z: S, days: S, node: S, rx: S },
} as const;

const coverageSchema = {
  type: 'object',
  properties: {
    type: S,
    features: { type: 'array', items: { type: 'object', additionalProperties: true } },
    z: I,
    days: N,
    receptions: I,
    truncated: { type: 'boolean' },
  },
} as const;

export function rxCoverageRoutes(deps: RxCoverageRoutesDeps): FastifyPluginAsync {
  const { model, config, now } = deps;
  return async (api) => {
    api.addHook('onRequest', async () => {
      if (!config.clientRxCoverage.enabled) throw apiError('MESHLENS_ERR_RX_COVERAGE_DISABLED');
    });

    const coverage = (q: Query, node: string | null) => {
      const days = parseDays(q);
      const query: RxCoverageQuery = {
        sinceMs: now() - days * DAY_MS,
        bbox: parseBbox(q.bbox),
        zoom: parseIntIn(q, 'z', 0, 18, 10),
        node,
        rx: parseKey(q, 'rx'),
      };
      const r = model.rxCoverage(query);
      return {
        type: 'FeatureCollection',
        features: r.cells.map(feature),
        z: query.zoom,
        days,
        receptions: r.receptions,
        truncated: r.truncated,
      };
    };

    api.get<{ Querystring: Query }>(
      '/rx-coverage',
      {
        schema: {
          querystring: coverageQuery,
          response: { 200: coverageSchema, 400: errorSchema, 404: errorSchema },
        },
      },
      async (req) => coverage(req.query, parseKey(req.query, 'node')),
    );

    api.get<{ Params: { pubkey: string }; Querystring: Query }>(
      '/nodes/:pubkey/rx-coverage',
      {
        schema: {
          querystring: coverageQuery,
          response: { 200: coverageSchema, 400: errorSchema, 404: errorSchema, 503: errorSchema },
        },
      },
      async (req) => {
        const key = req.params.pubkey;
        if (!/^[0-9a-fA-F]{64}$/.test(key)) throw badParam('pubkey', 'must be a 64-digit hex public key');
        if (!deps.ready()) throw notReady('store');
        if (!model.node(key.toLowerCase(), 0)) throw apiError('MESHLENS_ERR_NOT_FOUND', 'Node');
        return coverage(req.query, key.toLowerCase());
      },
    );

    api.get<{ Querystring: Query }>(
      '/rx-leaderboard',
      {
        schema: {
          querystring: { type: 'object', properties: { days: S, limit: S } },
          response: {
            200: {
              type: 'object',
              properties: {
                leaderboard: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      rx_pubkey: S,
                      name: nullable('string'),
                      receptions: I,
                      nodesHeard: I,
                      bestSnr: nullable('number'),
                      lastRxAt: nullable('string'),
                    },
                  },
                },
                days: N,
              },
            },
            400: errorSchema,
            404: errorSchema,
          },
        },
      },
      async (req) => {
        const days = parseDays(req.query);
        const limit = pageLimit(parseIntIn(req.query, 'limit', 0, 1_000_000, 50), 50, 200);
        const rows = model.rxLeaderboard({ sinceMs: now() - days * DAY_MS, limit });
        return {
          leaderboard: rows.map((r) => ({
            rx_pubkey: r.rxPubkey,
            name: r.name,
            receptions: r.receptions,
            nodesHeard: r.nodesHeard,
            bestSnr: r.bestSnr,
            lastRxAt: r.lastRxMs === null ? null : iso(r.lastRxMs),
          })),
          days,
        };
      },
    );
  };
}
