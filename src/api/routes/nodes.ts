// /api/nodes, /api/nodes/search, /api/nodes/:pubkey, /api/nodes/:pubkey/health (spec
// ingest-store-api §4.2 "Nodes"): parameters parsed here, answered by the read model (filters
// over the node list sorted once per store version, O(nodes); per-node routes work on the node's
// own adverts, newest first and capped, O(cap)), rendered to CoreScope's shapes.
import type { FastifyPluginAsync } from 'fastify';
import { apiError } from '../errors.js';
import type { NodeSort } from '../../store/read-model.js';
import type { ReadRoutesDeps } from './context.js';
import { badParam, pageLimit, parseRegions, parseTime } from './params.js';
import {
  I,
  S,
  errorSchema,
  iso,
  nodeItem,
  nodeSchema,
  nullable,
  packetItem,
  packetSchema,
} from './render.js';

/** `lastHeard` windows (spec §4.2: 1h..30d). */
const LAST_HEARD_MS: Record<string, number> = {
  '1h': 3_600_000,
  '6h': 6 * 3_600_000,
  '12h': 12 * 3_600_000,
  '24h': 86_400_000,
  '1d': 86_400_000,
  '3d': 3 * 86_400_000,
  '7d': 7 * 86_400_000,
  '14d': 14 * 86_400_000,
  '30d': 30 * 86_400_000,
};
const ROLES = ['repeater', 'room', 'companion', 'sensor'];
/** Adverts a node route reads at most (newest first). */
const RECENT_ADVERTS = 20;
const HEALTH_WINDOW_TX = 500;
const pubkeyParams = {
  type: 'object',
  properties: { pubkey: { type: 'string', pattern: '^[0-9a-fA-F]{8,64}$' } },
  required: ['pubkey'],
} as const;

export type NodeRoutesDeps = ReadRoutesDeps;

export function nodeRoutes(deps: NodeRoutesDeps): FastifyPluginAsync {
  const { model, config } = deps;
  const notFound = (pubkey: string) => apiError('MESHLENS_ERR_NOT_FOUND', `node ${pubkey}`);
  return async (app) => {
    app.get(
      '/nodes',
      {
        schema: {
          summary: 'Nodes with role/search/region/lastHeard filters, sorted and paged',
          tags: ['nodes'],
          querystring: {
            type: 'object',
            properties: {
              limit: { type: 'integer', description: 'default 50, max listLimits.nodesMax' },
              offset: { type: 'integer', minimum: 0 },
              role: { type: 'string', description: `one of ${ROLES.join(', ')} (or all)` },
              search: { type: 'string', description: 'name substring or public-key prefix' },
              before: { type: 'string', description: 'last_seen before this time' },
              lastHeard: { type: 'string', enum: Object.keys(LAST_HEARD_MS) },
              sortBy: { type: 'string', enum: ['lastSeen', 'name', 'packetCount'] },
              region: { type: 'string' },
            },
          },
          response: {
            200: {
              type: 'object',
              properties: {
                nodes: { type: 'array', items: nodeSchema },
                total: I,
                limit: I,
                offset: I,
                counts: {
                  type: 'object',
                  properties: { repeaters: I, rooms: I, companions: I, sensors: I },
                },
              },
            },
            400: errorSchema,
          },
        },
      },
      async (request) => {
        const q = request.query as {
          limit?: number;
          offset?: number;
          role?: string;
          search?: string;
          before?: string;
          lastHeard?: string;
          sortBy?: NodeSort;
          region?: string;
        };
        const nowMs = deps.now();
        const limit = pageLimit(q.limit, 50, config.listLimits.nodesMax);
        const offset = q.offset ?? 0;
        const role =
          q.role === undefined || q.role === '' || q.role.toLowerCase() === 'all'
            ? null
            : q.role.toLowerCase();
        if (role !== null && !ROLES.includes(role))
          throw badParam('role', `unknown role '${q.role}' (one of ${ROLES.join(', ')})`);
        const page = model.nodes({
          role,
          search: q.search?.trim().toLowerCase() || null,
          beforeMs: parseTime(q.before, 'before', nowMs),
          heardSinceMs: q.lastHeard ? nowMs - LAST_HEARD_MS[q.lastHeard] : undefined,
          regions: parseRegions(q.region, model, config.regions),
          sortBy: q.sortBy ?? 'lastSeen',
          limit,
          offset,
        });
        return { nodes: page.items.map(nodeItem), total: page.total, limit, offset, counts: page.counts };
      },
    );

    app.get(
      '/nodes/search',
      {
        schema: {
          summary: 'Nodes whose name contains q or whose key starts with q',
          tags: ['nodes'],
          querystring: {
            type: 'object',
            properties: {
              q: { type: 'string', minLength: 1, maxLength: 64 },
              limit: { type: 'integer', minimum: 1, maximum: 50 },
            },
            required: ['q'],
          },
          response: {
            200: { type: 'object', properties: { nodes: { type: 'array', items: nodeSchema } } },
            400: errorSchema,
          },
        },
      },
      async (request) => {
        const { q, limit = 10 } = request.query as { q: string; limit?: number };
        const nodes = model.searchNodes(q.trim().toLowerCase(), limit).map(nodeItem);
        return { nodes };
      },
    );

    app.get(
      '/nodes/:pubkey',
      {
        schema: {
          summary: 'One node (full key or a unique 8+ digit prefix) with its last 20 adverts',
          tags: ['nodes'],
          params: pubkeyParams,
          response: {
            200: {
              type: 'object',
              properties: { node: nodeSchema, recentAdverts: { type: 'array', items: packetSchema } },
            },
            404: errorSchema,
          },
        },
      },
      async (request) => {
        const { pubkey } = request.params as { pubkey: string };
        const detail = model.node(pubkey, RECENT_ADVERTS);
        if (!detail) throw notFound(pubkey);
        return {
          node: nodeItem(detail.node),
          recentAdverts: detail.recentAdverts.map((a) => packetItem(a)),
        };
      },
    );

    app.get(
      '/nodes/:pubkey/health',
      {
        schema: {
          summary: `Who hears a node and how well (over its last ${HEALTH_WINDOW_TX} adverts)`,
          tags: ['nodes'],
          params: pubkeyParams,
          response: {
            200: {
              type: 'object',
              properties: {
                node: nodeSchema,
                observers: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      observer_id: S,
                      observer_name: nullable('string'),
                      iata: nullable('string'),
                      count: I,
                      avgSnr: nullable('number'),
                      avgRssi: nullable('number'),
                    },
                  },
                },
                stats: {
                  type: 'object',
                  properties: {
                    totalTransmissions: I,
                    totalObservations: I,
                    packetsToday: I,
                    avgSnr: nullable('number'),
                    avgHops: nullable('number'),
                    lastHeard: nullable('string'),
                    windowTransmissions: I,
                  },
                },
                recentPackets: { type: 'array', items: packetSchema },
              },
            },
            404: errorSchema,
          },
        },
      },
      async (request) => {
        const { pubkey } = request.params as { pubkey: string };
        const h = model.nodeHealth(pubkey, HEALTH_WINDOW_TX, RECENT_ADVERTS, deps.now());
        if (!h) throw notFound(pubkey);
        const { lastHeardMs, ...stats } = h.stats;
        return {
          node: nodeItem(h.node),
          observers: h.observers.map((o) => ({
            observer_id: o.observerId,
            observer_name: o.observerName,
            iata: o.iata,
            count: o.count,
            avgSnr: o.avgSnr,
            avgRssi: o.avgRssi,
          })),
          stats: { ...stats, lastHeard: iso(lastHeardMs) },
          recentPackets: h.recentPackets.map((p) => packetItem(p)),
        };
      },
    );
  };
}
