// /api/nodes, /api/nodes/search, /api/nodes/:pubkey, /api/nodes/:pubkey/health (spec
// ingest-store-api §4.2 "Nodes"). The node list is the NodeDirectory (sorted per store version);
// filters run over it per request (O(nodes), thousands). Per-node routes work on the node's own
// adverts list, newest first and capped, so they cost O(cap), not O(dataset).
import type { FastifyPluginAsync } from 'fastify';
import { apiError } from '../errors.js';
import type { MemoryStore } from '../../store/memory/memory-store.js';
import type { CoreContext } from './context.js';
import type { NodeSort } from './node-directory.js';
import { badParam, pageLimit, parseRegions, parseTime } from './params.js';
import {
  I,
  S,
  bestObservation,
  errorSchema,
  iso,
  nodeSchema,
  nullable,
  obsRssi,
  obsSnr,
  observerLabel,
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
const DAY_MS = 86_400_000;

export function nodeItem(ctx: CoreContext, row: number) {
  const rec = ctx.store.node(row);
  return {
    public_key: rec.publicKey,
    name: rec.name,
    role: rec.role,
    lat: rec.lat,
    lon: rec.lon,
    last_seen: iso(rec.lastSeenMs),
    first_seen: iso(rec.firstSeenMs),
    advert_count: rec.advertCount,
    battery_mv: rec.batteryMv,
    temperature_c: rec.temperatureC,
    last_heard: iso(ctx.nodes.lastHeard(row)),
    packet_count: ctx.store.indexes.byAdvertNode.get(row)?.length ?? 0,
  };
}

/** The node's newest advert transmission rows (highest id first), at most `max`. */
function recentAdvertRows(store: MemoryStore, row: number, max: number): number[] {
  const list = store.indexes.byAdvertNode.get(row);
  if (!list) return [];
  const out: number[] = [];
  for (let k = list.length - 1; k >= 0 && out.length < max; k--) out.push(list.at(k));
  return out;
}

const pubkeyParams = {
  type: 'object',
  properties: { pubkey: { type: 'string', pattern: '^[0-9a-fA-F]{8,64}$' } },
  required: ['pubkey'],
} as const;

export function nodeRoutes(ctx: CoreContext): FastifyPluginAsync {
  const { store, config } = ctx;
  const lookup = (pubkey: string) => {
    const row = ctx.nodes.resolve(pubkey);
    if (row === -1) throw apiError('MESHLENS_ERR_NOT_FOUND', `node ${pubkey}`);
    return row;
  };
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
        const nowMs = ctx.now();
        const limit = pageLimit(q.limit, 50, config.listLimits.nodesMax);
        const offset = q.offset ?? 0;
        const role =
          q.role === undefined || q.role === '' || q.role.toLowerCase() === 'all'
            ? null
            : q.role.toLowerCase();
        if (role !== null && !ROLES.includes(role))
          throw badParam('role', `unknown role '${q.role}' (one of ${ROLES.join(', ')})`);
        const search = q.search?.trim().toLowerCase() || null;
        const before = parseTime(q.before, 'before', nowMs);
        const heardSince = q.lastHeard ? nowMs - LAST_HEARD_MS[q.lastHeard] : undefined;
        const regions = parseRegions(q.region, store, config.regions);
        const inRegion = regions ? ctx.nodes.inRegions(regions) : null;
        const snap = ctx.nodes.snapshot();
        const rows: number[] = [];
        let total = 0;
        for (const row of snap.orders[q.sortBy ?? 'lastSeen']) {
          if (role !== null && (ctx.nodes.role(row) ?? '').toLowerCase() !== role) continue;
          if (search !== null && !ctx.nodes.matches(row, search)) continue;
          const seen = ctx.nodes.lastSeen(row);
          if (before !== undefined && !(seen < before)) continue;
          if (heardSince !== undefined && !(ctx.nodes.lastHeard(row) >= heardSince)) continue;
          if (inRegion && !inRegion.has(row)) continue;
          if (total >= offset && rows.length < limit) rows.push(row);
          total++;
        }
        return { nodes: rows.map((r) => nodeItem(ctx, r)), total, limit, offset, counts: snap.counts };
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
        const needle = q.trim().toLowerCase();
        const nodes = [];
        for (const row of ctx.nodes.snapshot().orders.lastSeen) {
          if (nodes.length >= limit) break;
          if (ctx.nodes.matches(row, needle)) nodes.push(nodeItem(ctx, row));
        }
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
        const row = lookup((request.params as { pubkey: string }).pubkey);
        return {
          node: nodeItem(ctx, row),
          recentAdverts: recentAdvertRows(store, row, RECENT_ADVERTS).map((r) => packetItem(store, r)),
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
        const row = lookup((request.params as { pubkey: string }).pubkey);
        const nowMs = ctx.now();
        const txRows = recentAdvertRows(store, row, HEALTH_WINDOW_TX);
        const perObserver = new Map<
          number,
          { count: number; snr: number; snrN: number; rssi: number; rssiN: number }
        >();
        let observations = 0;
        let snrSum = 0;
        let snrN = 0;
        let hopSum = 0;
        let today = 0;
        for (const tx of txRows) {
          if (store.tx.get('firstSeenMs', tx) >= nowMs - DAY_MS) today++;
          const best = bestObservation(store, tx);
          if (best !== -1) hopSum += store.obs.get('hopCount', best);
          for (const o of store.observationRows(tx)) {
            observations++;
            const obsRow = store.obs.get('observer', o);
            let agg = perObserver.get(obsRow);
            if (!agg) perObserver.set(obsRow, (agg = { count: 0, snr: 0, snrN: 0, rssi: 0, rssiN: 0 }));
            agg.count++;
            const snr = obsSnr(store, o);
            const rssi = obsRssi(store, o);
            if (snr !== null) {
              agg.snr += snr;
              agg.snrN++;
              snrSum += snr;
              snrN++;
            }
            if (rssi !== null) {
              agg.rssi += rssi;
              agg.rssiN++;
            }
          }
        }
        const round = (v: number) => Math.round(v * 100) / 100;
        const observers = [...perObserver.entries()]
          .map(([obsRow, a]) => {
            const label = observerLabel(store, obsRow);
            return {
              observer_id: label.id,
              observer_name: label.name,
              iata: label.iata,
              count: a.count,
              avgSnr: a.snrN ? round(a.snr / a.snrN) : null,
              avgRssi: a.rssiN ? round(a.rssi / a.rssiN) : null,
            };
          })
          .sort((a, b) => b.count - a.count || (a.observer_id < b.observer_id ? -1 : 1));
        return {
          node: nodeItem(ctx, row),
          observers,
          stats: {
            totalTransmissions: store.indexes.byAdvertNode.get(row)?.length ?? 0,
            totalObservations: observations,
            packetsToday: today,
            avgSnr: snrN ? round(snrSum / snrN) : null,
            avgHops: txRows.length ? round(hopSum / txRows.length) : null,
            lastHeard: iso(ctx.nodes.lastHeard(row)),
            windowTransmissions: txRows.length,
          },
          recentPackets: txRows.slice(0, RECENT_ADVERTS).map((r) => packetItem(store, r)),
        };
      },
    );
  };
}
