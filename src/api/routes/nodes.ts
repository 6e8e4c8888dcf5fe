// /api/nodes and its sub-routes (spec ingest-store-api §4.2 "Nodes"): parameters parsed here,
// answered by the read model (filters over the node list sorted once per store version,
// O(nodes); per-node routes work on the node's own adverts, newest first and capped, O(cap);
// prefixes through a key-sorted index), rendered to CoreScope's shapes. One function per route;
// the static paths (bulk-health, network-status, resolve) are registered beside
// `/nodes/:pubkey`, and fastify's router prefers a static segment, so they never fall into it.
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { apiError } from '../errors.js';
import { heavyRoute, itemSerializer, sendJsonList } from '../limits.js';
import { chooseHopCandidate } from '../../analytics/shared/hop-choice.js';
import { isRelayRole } from '../../analytics/shared/hop-resolver.js';
import type { NodeHealthSummary, NodeSort, NodeSummary } from '../../store/read-model.js';
import type { ReadRoutesDeps } from './context.js';
import type { RepeaterLookup } from '../../analytics/engine/repeater-table.js';
import { badParam, pageLimit, parseArea, parseList, parseRegions, parseTime } from './params.js';
import {
  I,
  S,
  errorSchema,
  iso,
  nodeItem,
  nodeItemWithRelay,
  nodeSchema,
  type RelayRender,
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
/** Adverts read per node by bulk-health (it answers for up to listLimits.bulkHealthMax nodes). */
const BULK_HEALTH_WINDOW_TX = 100;
const PREFIX_CANDIDATES = 50;
const MAX_HOPS = 64;
const HOUR_MS = 3_600_000;
const pubkeyParams = {
  type: 'object',
  properties: { pubkey: { type: 'string', pattern: '^[0-9a-fA-F]{8,64}$' } },
  required: ['pubkey'],
} as const;

/** t2: the neighbour-graph edge between two full keys (null: none, or the graph is warming up). */
export type HopAffinity = (a: string, b: string) => { score: number; count: number } | null;

export interface NodeRoutesDeps extends ReadRoutesDeps {
  /** t3: the latest repeater-usefulness table (relay fields on /nodes and node detail); null without analytics. */
  repeaters?: RepeaterLookup | null;
  /** t2: neighbour-graph affinity for /api/resolve-hops. */
  affinity?: HopAffinity;
}

/** t3: what nodeItemWithRelay needs for one request. */
function relayRender(deps: NodeRoutesDeps, nowMs: number): RelayRender {
  return {
    lookup: deps.repeaters ?? null,
    relayActiveHours: deps.config.healthThresholds.relayActiveHours,
    nowMs,
  };
}

export function nodeRoutes(deps: NodeRoutesDeps): FastifyPluginAsync {
  return async (app) => {
    registerNodeList(app, deps);
    registerNodeSearch(app, deps);
    registerBulkHealth(app, deps);
    registerNetworkStatus(app, deps);
    registerNodeResolve(app, deps);
    registerResolveHops(app, deps);
    registerNodeDetail(app, deps);
    registerNodeHealth(app, deps);
  };
}

const notFound = (pubkey: string) => apiError('MESHLENS_ERR_NOT_FOUND', `node ${pubkey}`);

// ------------------------------------------------------------------ schemas shared by routes

const hearingSchema = {
  type: 'object',
  properties: {
    observer_id: S,
    observer_name: nullable('string'),
    iata: nullable('string'),
    count: I,
    packetCount: I,
    avgSnr: nullable('number'),
    avgRssi: nullable('number'),
    firstSeen: nullable('string'),
    lastSeen: nullable('string'),
  },
} as const;

const healthStatsSchema = {
  type: 'object',
  properties: {
    totalTransmissions: I,
    totalObservations: I,
    totalPackets: I,
    packetsToday: I,
    avgSnr: nullable('number'),
    avgHops: nullable('number'),
    lastHeard: nullable('string'),
    windowTransmissions: I,
  },
} as const;

/** Per-observer hearing and stats of a node's health, as CoreScope names them. */
function renderHealth(h: NodeHealthSummary) {
  const { lastHeardMs, ...stats } = h.stats;
  return {
    observers: h.observers.map((o) => ({
      observer_id: o.observerId,
      observer_name: o.observerName,
      iata: o.iata,
      count: o.count,
      packetCount: o.count,
      avgSnr: o.avgSnr,
      avgRssi: o.avgRssi,
      firstSeen: iso(o.firstSeenMs),
      lastSeen: iso(o.lastSeenMs),
    })),
    stats: { ...stats, totalPackets: stats.totalTransmissions, lastHeard: iso(lastHeardMs) },
  };
}

// ------------------------------------------------------------------ routes

function registerNodeList(app: FastifyInstance, deps: NodeRoutesDeps): void {
  const { model, config } = deps;
  const schema = {
    summary: 'Nodes with role/search/region/area/lastHeard filters, sorted and paged',
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
        area: { type: 'string', description: 'config areas key: nodes with GPS inside it' },
        fields: {
          type: 'string',
          description:
            'meshlens addition: comma-separated node fields to return (e.g. public_key,name,role,lat,lon); default all',
        },
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
          counts: { type: 'object', properties: { repeaters: I, rooms: I, companions: I, sensors: I } },
        },
      },
      400: errorSchema,
    },
  };
  // Heavy (issue 13 #3): rate-limited, gated and streamed like /packets.
  app.get('/nodes', { schema, ...heavyRoute(app.meshlens?.heavy) }, async (request, reply) => {
    const q = request.query as {
      limit?: number;
      offset?: number;
      role?: string;
      search?: string;
      before?: string;
      lastHeard?: string;
      sortBy?: NodeSort;
      region?: string;
      area?: string;
      fields?: string;
    };
    const nowMs = deps.now();
    const fields = parseNodeFields(q.fields);
    const limit = pageLimit(q.limit, 50, config.listLimits.nodesMax);
    const offset = q.offset ?? 0;
    const role =
      q.role === undefined || q.role === '' || q.role.toLowerCase() === 'all' ? null : q.role.toLowerCase();
    if (role !== null && !ROLES.includes(role))
      throw badParam('role', `unknown role '${q.role}' (one of ${ROLES.join(', ')})`);
    const page = model.nodes({
      role,
      search: q.search?.trim().toLowerCase() || null,
      beforeMs: parseTime(q.before, 'before', nowMs),
      heardSinceMs: q.lastHeard ? nowMs - LAST_HEARD_MS[q.lastHeard] : undefined,
      regions: parseRegions(q.region, model, config.regions),
      area: parseArea(q.area, config.areas),
      sortBy: q.sortBy ?? 'lastSeen',
      limit,
      offset,
    });
    const relay = relayRender(deps, nowMs); // t3
    const serializeItem = itemSerializer(reply, nodeSchema);
    return sendJsonList(reply, {
      key: 'nodes',
      envelope: { total: page.total, limit, offset, counts: page.counts },
      items: page.items,
      render: (s) => {
        const n = nodeItemWithRelay(s, relay);
        return serializeItem(fields ? pickFields(n, fields) : n);
      },
    });
  });
}

function registerNodeSearch(app: FastifyInstance, deps: NodeRoutesDeps): void {
  const schema = {
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
  };
  app.get('/nodes/search', { schema }, async (request) => {
    const { q, limit = 10 } = request.query as { q: string; limit?: number };
    return { nodes: deps.model.searchNodes(q.trim().toLowerCase(), limit).map(nodeItem) };
  });
}

function registerBulkHealth(app: FastifyInstance, deps: NodeRoutesDeps): void {
  const { model, config } = deps;
  const schema = {
    summary: `Health of the most recently seen nodes (each over its last ${BULK_HEALTH_WINDOW_TX} adverts): a bare array`,
    tags: ['nodes'],
    querystring: {
      type: 'object',
      properties: {
        limit: { type: 'integer', description: 'default 50, max listLimits.bulkHealthMax' },
        region: { type: 'string' },
        area: { type: 'string', description: 'config areas key: nodes with GPS inside it' },
      },
    },
    response: {
      200: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            ...nodeSchema.properties,
            stats: healthStatsSchema,
            observers: { type: 'array', items: hearingSchema },
          },
        },
      },
      400: errorSchema,
    },
  };
  app.get('/nodes/bulk-health', { schema }, async (request) => {
    const q = request.query as { limit?: number; region?: string; area?: string };
    const health = model.bulkHealth(
      {
        limit: pageLimit(q.limit, 50, config.listLimits.bulkHealthMax),
        regions: parseRegions(q.region, model, config.regions),
        area: parseArea(q.area, config.areas),
        windowAdverts: BULK_HEALTH_WINDOW_TX,
      },
      deps.now(),
    );
    return health.map((h) => ({ ...nodeItem(h.node), ...renderHealth(h) }));
  });
}

function registerNetworkStatus(app: FastifyInstance, deps: NodeRoutesDeps): void {
  const schema = {
    summary: 'Nodes by how recently they were heard (config healthThresholds)',
    tags: ['nodes'],
    response: {
      200: {
        type: 'object',
        properties: {
          total: I,
          active: I,
          degraded: I,
          silent: I,
          roleCounts: { type: 'object', additionalProperties: I },
        },
      },
    },
  };
  app.get('/nodes/network-status', { schema }, async () => {
    const h = deps.config.healthThresholds;
    return deps.model.networkStatus(
      {
        infraDegradedMs: h.infraDegradedHours * HOUR_MS,
        infraSilentMs: h.infraSilentHours * HOUR_MS,
        nodeDegradedMs: h.nodeDegradedHours * HOUR_MS,
        nodeSilentMs: h.nodeSilentHours * HOUR_MS,
      },
      deps.now(),
    );
  });
}

function registerNodeResolve(app: FastifyInstance, deps: NodeRoutesDeps): void {
  const schema = {
    summary: `Nodes whose public key starts with a hex prefix (at most ${PREFIX_CANDIDATES}, most recently seen first)`,
    tags: ['nodes'],
    querystring: { type: 'object', properties: { prefix: S }, required: ['prefix'] },
    response: {
      200: {
        type: 'object',
        properties: { prefix: S, total: I, candidates: { type: 'array', items: nodeSchema } },
      },
      400: errorSchema,
    },
  };
  app.get('/nodes/resolve', { schema }, async (request) => {
    const { prefix } = request.query as { prefix: string };
    const p = prefix.trim().toLowerCase();
    if (!/^[0-9a-f]{1,64}$/.test(p)) throw badParam('prefix', `'${prefix}' is not 1-64 hex digits`);
    const found = deps.model.nodesByPrefix(p, PREFIX_CANDIDATES);
    return { prefix: p, total: found.total, candidates: found.nodes.map(nodeItem) };
  });
}

/** A node as a hop candidate (CoreScope's resolve-hops fields). */
const candidateItem = (s: NodeSummary) => ({
  name: s.node.name,
  pubkey: s.node.publicKey,
  role: s.node.role,
  lat: s.node.lat,
  lon: s.node.lon,
});

function registerResolveHops(app: FastifyInstance, deps: NodeRoutesDeps): void {
  const { model } = deps;
  const candidateSchema = {
    type: 'object',
    properties: {
      name: nullable('string'),
      pubkey: S,
      role: nullable('string'),
      lat: nullable('number'),
      lon: nullable('number'),
    },
  } as const;
  const schema = {
    summary: 'Relays behind hop prefixes, ambiguous ones chosen by position (sender, observer, unique hops)',
    tags: ['nodes'],
    querystring: {
      type: 'object',
      properties: {
        hops: { type: 'string', description: 'comma list of 2-8 hex digit hop prefixes' },
        observer: { type: 'string', description: 'observer id: its position and region as context' },
        from_node: { type: 'string', description: 'sender public key: its position as context' },
      },
      required: ['hops'],
    },
    response: {
      200: {
        type: 'object',
        properties: {
          resolved: {
            type: 'object',
            additionalProperties: {
              type: 'object',
              properties: {
                name: nullable('string'),
                pubkey: nullable('string'),
                ambiguous: { type: 'boolean' },
                tier: S,
                candidates: { type: 'array', items: candidateSchema },
              },
            },
          },
          region: nullable('string'),
        },
      },
      400: errorSchema,
    },
  };
  app.get('/resolve-hops', { schema }, async (request) => {
    const q = request.query as { hops: string; observer?: string; from_node?: string };
    const hops = parseList(q.hops) ?? [];
    if (hops.length === 0) throw badParam('hops', 'give at least one hop prefix');
    if (hops.length > MAX_HOPS) throw badParam('hops', `at most ${MAX_HOPS} hops`);
    for (const h of hops)
      if (!/^[0-9a-fA-F]{2,8}$/.test(h)) throw badParam('hops', `'${h}' is not 2-8 hex digits`);
    if (q.from_node !== undefined && q.from_node !== '' && !/^[0-9a-fA-F]{8,64}$/.test(q.from_node))
      throw badParam('from_node', `'${q.from_node}' is not an 8-64 hex digit public key`);
    const observer = q.observer ? model.observer(q.observer, deps.now()) : null;
    const sender = q.from_node ? model.node(q.from_node, 0)?.node.node : undefined;
    const context: Array<{ lat: number | null; lon: number | null }> = [];
    if (sender) context.push(sender);
    if (observer?.node) context.push(observer.node);
    const candidates = new Map<string, NodeSummary[]>();
    for (const h of hops) {
      const found = model.nodesByPrefix(h.toLowerCase(), PREFIX_CANDIDATES).nodes;
      const relays = found.filter((s) => isRelayRole(s.node.role));
      candidates.set(h, relays);
      if (relays.length === 1) context.push(relays[0].node);
    }
    const resolved: Record<string, unknown> = {};
    // t2: a hop's known neighbours: the uniquely resolved previous/next hop, the sender before
    // the first hop, the observer's node after the last.
    const uniqueKey = (i: number): string | null => {
      if (i < 0) return sender?.publicKey ?? null;
      if (i >= hops.length) return observer?.node?.publicKey ?? null;
      const l = candidates.get(hops[i]) ?? [];
      return l.length === 1 ? l[0].node.publicKey : null;
    };
    const affinity = deps.affinity;
    for (const [i, h] of hops.entries()) {
      const list = candidates.get(h) ?? [];
      const near = [uniqueKey(i - 1), uniqueKey(i + 1)].filter((k): k is string => k !== null);
      const choice = chooseHopCandidate(
        list.map((s) => s.node),
        context,
        affinity && near.length > 0
          ? (c) => {
              let best: { score: number; count: number } | null = null;
              for (const k of near) {
                const e = affinity(c.publicKey, k);
                if (e && (best === null || e.score > best.score)) best = e;
              }
              return best;
            }
          : undefined,
      );
      resolved[h] = {
        name: choice ? choice.pick.name : null,
        pubkey: choice ? choice.pick.publicKey : null,
        ambiguous: list.length > 1,
        tier: choice ? choice.tier : 'unresolved',
        candidates: list.map(candidateItem),
      };
    }
    return { resolved, region: observer?.observer.iata ?? null };
  });
}

function registerNodeDetail(app: FastifyInstance, deps: NodeRoutesDeps): void {
  const schema = {
    summary: `One node (full key or a unique 8+ digit prefix) with its last ${RECENT_ADVERTS} adverts and their observations`,
    tags: ['nodes'],
    params: pubkeyParams,
    response: {
      200: {
        type: 'object',
        properties: { node: nodeSchema, recentAdverts: { type: 'array', items: packetSchema } },
      },
      404: errorSchema,
    },
  };
  app.get('/nodes/:pubkey', { schema }, async (request) => {
    const { pubkey } = request.params as { pubkey: string };
    const detail = deps.model.node(pubkey, RECENT_ADVERTS);
    if (!detail) throw notFound(pubkey);
    return {
      node: nodeItemWithRelay(detail.node, relayRender(deps, deps.now())), // t3
      recentAdverts: detail.recentAdverts.map((a) => packetItem(a, true)),
    };
  });
}

function registerNodeHealth(app: FastifyInstance, deps: NodeRoutesDeps): void {
  const schema = {
    summary: `Who hears a node and how well (over its last ${HEALTH_WINDOW_TX} adverts)`,
    tags: ['nodes'],
    params: pubkeyParams,
    response: {
      200: {
        type: 'object',
        properties: {
          node: nodeSchema,
          observers: { type: 'array', items: hearingSchema },
          stats: healthStatsSchema,
          recentPackets: { type: 'array', items: packetSchema },
        },
      },
      404: errorSchema,
    },
  };
  app.get('/nodes/:pubkey/health', { schema }, async (request) => {
    const { pubkey } = request.params as { pubkey: string };
    const h = deps.model.nodeHealth(pubkey, HEALTH_WINDOW_TX, RECENT_ADVERTS, deps.now());
    if (!h) throw notFound(pubkey);
    return {
      node: nodeItem(h.node),
      ...renderHealth(h),
      recentPackets: h.recentPackets.map((p) => packetItem(p)),
    };
  });
}

/** `fields=` of /nodes: the node fields to keep (400 naming any the node shape does not have). */
function parseNodeFields(raw: string | undefined): string[] | null {
  if (raw === undefined || raw.trim() === '') return null;
  const fields = raw
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  const unknown = fields.filter((f) => !(f in nodeSchema.properties));
  if (unknown.length > 0) throw badParam('fields', `unknown node field(s): ${unknown.join(', ')}`);
  return fields;
}

function pickFields(item: object, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) if (f in item) out[f] = (item as Record<string, unknown>)[f];
  return out;
}
