// /api/packets, /api/packets/:id and /api/traces/:hash (spec ingest-store-api §4.2 "Packets").
// One entry per transmission, newest (highest id) first unless order=asc. The store's
// per-key row lists answer every filter; `total` counts the whole filtered set (CoreScope
// computed it after paging in places, §9), so a page costs O(limit) plus the smallest filter.
import type { FastifyPluginAsync } from 'fastify';
import { apiError } from '../errors.js';
import type { MeshReadModel, PacketQuery } from '../../store/read-model.js';
import type { ReadRoutesDeps } from './context.js';
import {
  badParam,
  pageLimit,
  parseList,
  parsePayloadTypes,
  parseRegions,
  parseRouteTypes,
  parseTime,
} from './params.js';
import {
  I,
  S,
  errorSchema,
  nullable,
  observationItem,
  observationSchema,
  packetItem,
  packetSchema,
  type PacketItem,
} from './render.js';

interface PacketsQuery {
  limit?: number;
  offset?: number;
  type?: string;
  payloadType?: string;
  route?: string;
  observer?: string;
  hash?: string;
  since?: string;
  until?: string;
  region?: string;
  node?: string;
  channel?: string;
  order?: 'asc' | 'desc';
  expand?: string;
  groupByHash?: string;
}

export type PacketRoutesDeps = ReadRoutesDeps;

export function packetRoutes(deps: PacketRoutesDeps): FastifyPluginAsync {
  const { model, config } = deps;
  return async (app) => {
    app.get(
      '/packets',
      {
        schema: {
          summary: 'Transmissions, newest first, with filters; total counts the whole filtered set',
          tags: ['packets'],
          querystring: {
            type: 'object',
            properties: {
              limit: {
                type: 'integer',
                description: `default 50, max listLimits.packetsMax; <= 0 means default`,
              },
              offset: { type: 'integer', minimum: 0 },
              type: { type: 'string', description: 'payload types: numbers or names, comma-separated' },
              payloadType: { type: 'string', description: 'alias of type' },
              route: { type: 'string', description: 'route types: numbers or names, comma-separated' },
              observer: { type: 'string', description: 'observer ids, comma-separated' },
              hash: { type: 'string', pattern: '^[0-9a-fA-F]{16}$' },
              since: { type: 'string', description: 'first_seen >= (RFC3339, epoch, or 15m/24h/7d back)' },
              until: { type: 'string', description: 'first_seen <= (same forms as since)' },
              region: { type: 'string', description: 'IATA codes, comma-separated; All = no filter' },
              node: {
                type: 'string',
                description: 'node public key (adverts + paths through it) or exact name',
              },
              channel: {
                type: 'string',
                description: 'channel name as in channel_hash (#test, Public, enc_C3)',
              },
              order: { type: 'string', enum: ['asc', 'desc'] },
              expand: { type: 'string', enum: ['observations', ''] },
              groupByHash: { type: 'string', enum: ['true', 'false', '1', '0', ''] },
            },
          },
          response: {
            200: {
              type: 'object',
              properties: {
                packets: { type: 'array', items: packetSchema },
                total: I,
                limit: I,
                offset: I,
              },
            },
            400: errorSchema,
          },
        },
      },
      async (request) => {
        const q = request.query as PacketsQuery;
        const nowMs = deps.now();
        const limit = pageLimit(q.limit, 50, config.listLimits.packetsMax);
        const offset = q.offset ?? 0;
        const query: PacketQuery = { limit, offset, order: q.order ?? 'desc' };
        if (q.type !== undefined && q.payloadType !== undefined && q.type !== q.payloadType)
          throw badParam('payloadType', 'give type or payloadType, not both');
        query.types = parsePayloadTypes(
          q.type ?? q.payloadType,
          q.type !== undefined ? 'type' : 'payloadType',
        );
        query.routes = parseRouteTypes(q.route);
        query.observers = parseList(q.observer);
        query.regions = parseRegions(q.region, model, config.regions);
        if (q.hash !== undefined) query.hash = q.hash.toLowerCase();
        query.sinceMs = parseTime(q.since, 'since', nowMs);
        query.untilMs = parseTime(q.until, 'until', nowMs);
        if (query.sinceMs !== undefined && query.untilMs !== undefined && query.sinceMs > query.untilMs)
          throw badParam('since', 'is after until');
        if (q.channel !== undefined && q.channel !== '') query.channel = q.channel;
        if (q.node !== undefined && q.node !== '') query.node = resolveNode(model, q.node);

        const expand = q.expand === 'observations';
        const grouped = q.groupByHash === 'true' || q.groupByHash === '1';
        const page = model.packets(query, { observations: expand, observerCount: grouped });
        const packets = page.items.map((summary) => {
          const item: PacketItem & { count?: number; observer_count?: number; latest?: string | null } =
            packetItem(summary, expand);
          if (grouped) {
            item.count = item.observation_count;
            item.observer_count = summary.observerCount;
            item.latest = item.last_seen;
          }
          return item;
        });
        return { packets, total: page.total, limit, offset };
      },
    );

    app.get(
      '/packets/:id',
      {
        schema: {
          summary: 'One transmission by id, 16-hex content hash, or observation id, with its observations',
          tags: ['packets'],
          params: {
            type: 'object',
            properties: { id: { type: 'string', pattern: '^([0-9]{1,10}|[0-9a-fA-F]{16})$' } },
            required: ['id'],
          },
          response: {
            200: {
              type: 'object',
              properties: {
                packet: packetSchema,
                path: { type: 'array', items: S },
                observation_count: I,
                observations: { type: 'array', items: observationSchema },
              },
            },
            404: errorSchema,
          },
        },
      },
      async (request) => {
        const { id } = request.params as { id: string };
        const summary = model.transmission(id);
        if (!summary) throw apiError('MESHLENS_ERR_NOT_FOUND', `packet ${id}`);
        const packet = packetItem(summary);
        const observations = (summary.observations ?? []).map((o) => ({
          ...observationItem(o, packet.hash),
          raw_hex: packet.raw_hex,
          route_type: packet.route_type,
          payload_type: packet.payload_type,
          decoded_json: packet.decoded_json,
        }));
        return { packet, path: packet._parsedPath, observation_count: observations.length, observations };
      },
    );

    app.get(
      '/traces/:hash',
      {
        schema: {
          summary: "Every observer's sighting of one transmission, in receive-time order",
          tags: ['packets'],
          params: {
            type: 'object',
            properties: { hash: { type: 'string', pattern: '^[0-9a-fA-F]{16}$' } },
            required: ['hash'],
          },
          response: {
            200: {
              type: 'object',
              properties: {
                hash: S,
                traces: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      observer: S,
                      observer_name: nullable('string'),
                      observer_iata: nullable('string'),
                      time: nullable('string'),
                      snr: nullable('number'),
                      rssi: nullable('number'),
                      path_json: S,
                    },
                  },
                },
              },
            },
            404: errorSchema,
          },
        },
      },
      async (request) => {
        const { hash } = request.params as { hash: string };
        const sightings = model.traces(hash);
        if (!sightings) throw apiError('MESHLENS_ERR_NOT_FOUND', `packet ${hash}`);
        const h = hash.toLowerCase();
        const traces = sightings.map((s) => {
          const o = observationItem(s, h);
          return {
            observer: o.observer_id,
            observer_name: o.observer_name,
            observer_iata: o.observer_iata,
            time: o.timestamp,
            snr: o.snr,
            rssi: o.rssi,
            path_json: o.path_json,
          };
        });
        return { hash: h, traces };
      },
    );
  };
}

/** `node`: a hex key (full, or a prefix of 6+ digits for hop matching), else an exact node name. */
function resolveNode(model: MeshReadModel, value: string): string {
  if (/^[0-9a-fA-F]{6,64}$/.test(value)) return value.toLowerCase();
  const keys = model.nodeKeysByName(value);
  if (keys.length === 0) throw badParam('node', `unknown node '${value}'`);
  if (keys.length > 1)
    throw badParam('node', `name '${value}' matches ${keys.length} nodes; give the public key`);
  return keys[0] || value;
}
