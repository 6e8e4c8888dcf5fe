// /api/packets, /api/packets/:id, /api/packets/timestamps, POST /api/packets/observations and
// /api/traces/:hash (spec ingest-store-api §4.2 "Packets"), one function per route.
// One entry per transmission, newest (highest id) first unless order=asc. The store's
// per-key row lists answer every filter; `total` counts the whole filtered set (CoreScope
// computed it after paging in places, §9), so a page costs O(limit) plus the smallest filter.
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { PacketDetailResponse } from '../contract.js';
import { apiError, BadBodyError } from '../errors.js';
import { heavyRoute, itemSerializer, sendJsonList } from '../limits.js';
import type { MeshReadModel, PacketQuery, TransmissionSummary } from '../../store/read-model.js';
import type { ReadRoutesDeps } from './context.js';
import { filteredPage, MAX_FILTER_LENGTH, type PacketFilterRunner } from './packet-filter.js';
import {
  badParam,
  pageLimit,
  parseArea,
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
  isoJsonArray,
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
  nodes?: string;
  area?: string;
  channel?: string;
  order?: 'asc' | 'desc';
  expand?: string;
  groupByHash?: string;
  filter?: string;
}

export interface PacketRoutesDeps extends ReadRoutesDeps {
  /** Runs `filter=` in the analytics workers (absent: the engine is off and filter is a 400). */
  packetFilter?: PacketFilterRunner | null;
}

/** POST /packets/observations: hashes per request at most (spec §4.2). */
const MAX_OBSERVATION_HASHES = 200;
/** nodes= on /packets: keys at most. */
const MAX_NODES = 64;

export function packetRoutes(deps: PacketRoutesDeps): FastifyPluginAsync {
  return async (app) => {
    registerPacketList(app, deps);
    registerPacketTimestamps(app, deps);
    registerPacketObservations(app, deps);
    registerPacketDetail(app, deps);
    registerTraces(app, deps);
  };
}

/** A transmission's observations as /packets/:id renders them (each with the tx's fields). */
function observationDetails(summary: TransmissionSummary, packet: PacketItem = packetItem(summary)) {
  return (summary.observations ?? []).map((o) => ({
    ...observationItem(o, packet.hash),
    raw_hex: packet.raw_hex,
    route_type: packet.route_type,
    payload_type: packet.payload_type,
    decoded_json: packet.decoded_json,
  }));
}

function registerPacketList(app: FastifyInstance, deps: PacketRoutesDeps): void {
  const { model, config } = deps;
  const schema = {
    summary: 'Transmissions, newest first, with filters; total counts the whole filtered set',
    tags: ['packets'],
    querystring: {
      type: 'object',
      properties: {
        limit: { type: 'integer', description: `default 50, max listLimits.packetsMax; <= 0 means default` },
        offset: { type: 'integer', minimum: 0 },
        type: { type: 'string', description: 'payload types: numbers or names, comma-separated' },
        payloadType: { type: 'string', description: 'alias of type' },
        route: { type: 'string', description: 'route types: numbers or names, comma-separated' },
        observer: { type: 'string', description: 'observer ids, comma-separated' },
        hash: { type: 'string', pattern: '^[0-9a-fA-F]{16}$' },
        since: { type: 'string', description: 'first_seen >= (RFC3339, epoch, or 15m/24h/7d back)' },
        until: { type: 'string', description: 'first_seen <= (same forms as since)' },
        region: { type: 'string', description: 'IATA codes, comma-separated; All = no filter' },
        area: { type: 'string', description: 'config areas key: ADVERTs of nodes with GPS inside it' },
        node: { type: 'string', description: 'node public key (adverts + paths through it) or exact name' },
        nodes: {
          type: 'string',
          description: `public keys (6-64 hex), comma-separated: any of them, as node`,
        },
        channel: { type: 'string', description: 'channel name as in channel_hash (#test, Public, enc_C3)' },
        order: { type: 'string', enum: ['asc', 'desc'] },
        expand: { type: 'string', enum: ['observations', ''] },
        groupByHash: { type: 'string', enum: ['true', 'false', '1', '0', ''] },
        filter: {
          type: 'string',
          maxLength: MAX_FILTER_LENGTH,
          description:
            'packet filter language (frontend spec §5), e.g. `type == ADVERT && snr > 5`, matched ' +
            'on the server over the whole store; combines with limit, offset, order, expand and ' +
            'groupByHash only. Observation fields (snr, rssi, hops, observer, iata, path, ' +
            'routed_through) are those of the shown observation. A syntax error is a 400 with ' +
            '`position` (0-based) and `expected`; 503 + Retry-After while loading',
        },
      },
    },
    response: {
      200: {
        type: 'object',
        properties: { packets: { type: 'array', items: packetSchema }, total: I, limit: I, offset: I },
      },
      400: { ...errorSchema, properties: { ...errorSchema.properties, position: I, expected: S } },
      503: errorSchema,
    },
  };
  // Heavy (issue 13 #3): limit=10000 is ~9 MB, so the answer is rate-limited, gated and streamed.
  app.get('/packets', { schema, ...heavyRoute(app.meshlens?.heavy) }, async (request, reply) => {
    const q = request.query as PacketsQuery;
    const limit = pageLimit(q.limit, 50, config.listLimits.packetsMax);
    const offset = q.offset ?? 0;
    const expand = q.expand === 'observations';
    const grouped = q.groupByHash === 'true' || q.groupByHash === '1';
    const detail = { observations: expand, observerCount: grouped };
    const page =
      q.filter !== undefined && q.filter !== ''
        ? await filteredPage(model, deps.packetFilter ?? null, {
            filter: q.filter,
            query: q as Record<string, unknown>,
            limit,
            offset,
            order: q.order ?? 'desc',
            detail,
          })
        : model.packets(packetQuery(deps, q, limit, offset), detail);
    const serializeItem = itemSerializer(reply, packetSchema);
    return sendJsonList(reply, {
      key: 'packets',
      envelope: { total: page.total, limit, offset },
      items: page.items,
      render: (summary) => serializeItem(listItem(summary, expand, grouped)),
    });
  });
}

/** One /packets entry (groupByHash adds CoreScope's count, observer_count and latest). */
function listItem(summary: TransmissionSummary, expand: boolean, grouped: boolean) {
  const item: PacketItem & { count?: number; observer_count?: number; latest?: string | null } = packetItem(
    summary,
    expand,
  );
  if (grouped) {
    item.count = item.observation_count;
    item.observer_count = summary.observerCount;
    item.latest = item.last_seen;
  }
  return item;
}

/** The /packets filters as the read model's query (400 naming the parameter at fault). */
function packetQuery(deps: PacketRoutesDeps, q: PacketsQuery, limit: number, offset: number): PacketQuery {
  const { model, config } = deps;
  const nowMs = deps.now();
  const query: PacketQuery = { limit, offset, order: q.order ?? 'desc' };
  if (q.type !== undefined && q.payloadType !== undefined && q.type !== q.payloadType)
    throw badParam('payloadType', 'give type or payloadType, not both');
  query.types = parsePayloadTypes(q.type ?? q.payloadType, q.type !== undefined ? 'type' : 'payloadType');
  query.routes = parseRouteTypes(q.route);
  query.observers = parseList(q.observer);
  query.regions = parseRegions(q.region, model, config.regions);
  query.area = parseArea(q.area, config.areas);
  if (q.hash !== undefined) query.hash = q.hash.toLowerCase();
  query.sinceMs = parseTime(q.since, 'since', nowMs);
  query.untilMs = parseTime(q.until, 'until', nowMs);
  if (query.sinceMs !== undefined && query.untilMs !== undefined && query.sinceMs > query.untilMs)
    throw badParam('since', 'is after until');
  if (q.channel !== undefined && q.channel !== '') query.channel = q.channel;
  if (q.node !== undefined && q.node !== '') query.node = resolveNode(model, q.node);
  const nodes = parseList(q.nodes);
  if (nodes) {
    if (nodes.length > MAX_NODES) throw badParam('nodes', `at most ${MAX_NODES} keys`);
    for (const k of nodes)
      if (!/^[0-9a-fA-F]{6,64}$/.test(k))
        throw badParam('nodes', `'${k}' is not a 6-64 hex digit public key`);
    query.nodes = [...new Set(nodes.map((k) => k.toLowerCase()))];
  }
  return query;
}

function registerPacketTimestamps(app: FastifyInstance, deps: PacketRoutesDeps): void {
  const schema = {
    summary: 'first_seen of every transmission since `since` (until `until`), ascending: for sparklines',
    tags: ['packets'],
    querystring: {
      type: 'object',
      properties: {
        since: { type: 'string', description: 'required: RFC3339, epoch, or 15m/24h/7d back' },
        until: { type: 'string' },
      },
    },
    response: { 200: { type: 'array', items: S }, 400: errorSchema },
  };
  app.get('/packets/timestamps', { schema }, async (request, reply) => {
    const q = request.query as { since?: string; until?: string };
    if (q.since === undefined || q.since === '') throw apiError('MESHLENS_ERR_SINCE_REQUIRED');
    const nowMs = deps.now();
    const sinceMs = parseTime(q.since, 'since', nowMs) as number;
    const untilMs = parseTime(q.until, 'until', nowMs);
    if (untilMs !== undefined && sinceMs > untilMs) throw badParam('since', 'is after until');
    const json = isoJsonArray(deps.model.packetTimestamps(sinceMs, untilMs));
    return reply.type('application/json; charset=utf-8').send(json);
  });
}

function registerPacketObservations(app: FastifyInstance, deps: PacketRoutesDeps): void {
  const schema = {
    summary: `Observations of up to ${MAX_OBSERVATION_HASHES} transmissions by hash (unknown hashes are absent)`,
    tags: ['packets'],
    body: {
      type: 'object',
      properties: { hashes: { type: 'array', items: S } },
      required: ['hashes'],
    },
    response: {
      200: {
        type: 'object',
        properties: {
          results: { type: 'object', additionalProperties: { type: 'array', items: observationSchema } },
        },
      },
      400: errorSchema,
    },
  };
  app.post('/packets/observations', { schema }, async (request) => {
    const { hashes } = request.body as { hashes: string[] };
    if (hashes.length > MAX_OBSERVATION_HASHES)
      throw new BadBodyError(
        'too_many_hashes',
        `hashes: at most ${MAX_OBSERVATION_HASHES}, got ${hashes.length}`,
      );
    const results: Record<string, ReturnType<typeof observationDetails>> = {};
    for (const raw of hashes) {
      const hash = raw.trim().toLowerCase();
      if (!/^[0-9a-f]{16}$/.test(hash) || Object.hasOwn(results, hash)) continue;
      const summary = deps.model.transmission(hash);
      if (summary) results[hash] = observationDetails(summary);
    }
    return { results };
  });
}

function registerPacketDetail(app: FastifyInstance, deps: PacketRoutesDeps): void {
  const schema = {
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
  };
  app.get('/packets/:id', { schema }, async (request): Promise<PacketDetailResponse> => {
    const { id } = request.params as { id: string };
    const summary = deps.model.transmission(id);
    if (!summary) throw apiError('MESHLENS_ERR_NOT_FOUND', `packet ${id}`);
    const packet = packetItem(summary);
    const observations = observationDetails(summary, packet);
    return { packet, path: packet._parsedPath, observation_count: observations.length, observations };
  });
}

function registerTraces(app: FastifyInstance, deps: PacketRoutesDeps): void {
  const schema = {
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
  };
  app.get('/traces/:hash', { schema }, async (request) => {
    const { hash } = request.params as { hash: string };
    const sightings = deps.model.traces(hash);
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
  });
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
