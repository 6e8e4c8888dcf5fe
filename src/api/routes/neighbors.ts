// t2: per-node neighbours and the neighbour-affinity debug view (spec ingest-store-api §4.2),
// served from the neighbour table the analytics service keeps on the main thread (refreshed
// with each neighbour-graph snapshot; analytics/engine/neighbor-index.ts). A lookup is a map get
// plus the node's own edges. 503 + Retry-After until the first graph snapshot.
import type { FastifyPluginAsync } from 'fastify';
import type { MeshReadModel } from '../../store/read-model.js';
import type { NeighborEntry, NeighborIndex } from '../../analytics/engine/neighbor-index.js';
import { apiError, notReady } from '../errors.js';
import { badParam } from './params.js';

export interface NeighborRoutesDeps {
  model: MeshReadModel;
  /** The latest neighbour index, null while the graph warms up. */
  neighbors: () => NeighborIndex | null;
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

function entryItem(e: NeighborEntry) {
  return {
    pubkey: e.ambiguous ? null : e.pubkey,
    prefix: e.ambiguous ? e.pubkey.slice('prefix:'.length) : e.pubkey.slice(0, 2),
    target: e.pubkey,
    name: e.name,
    role: e.role,
    count: e.count,
    score: round4(e.score),
    last_seen: new Date(e.lastSeenMs).toISOString(),
    bidirectional: e.bidirectional,
    ambiguous: e.ambiguous,
    observers: e.observers,
  };
}

function intParam(v: string | undefined, name: string, dflt: number): number {
  if (v === undefined || v === '') return dflt;
  if (!/^\d{1,9}$/.test(v) || Number(v) < 1) throw badParam(name, `must be an integer >= 1, got '${v}'`);
  return Number(v);
}

function scoreParam(v: string | undefined, name: string, dflt: number): number {
  if (v === undefined || v === '') return dflt;
  const n = /^\d*\.?\d+$/.test(v) ? Number(v) : NaN;
  if (!(n >= 0 && n <= 1)) throw badParam(name, `must be a number from 0 to 1, got '${v}'`);
  return n;
}

function boolParam(v: string | undefined, name: string, dflt: boolean): boolean {
  if (v === undefined || v === '') return dflt;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw badParam(name, `must be true or false, got '${v}'`);
}

const S = { type: 'string' } as const;

export function neighborRoutes(deps: NeighborRoutesDeps): FastifyPluginAsync {
  return async (app) => {
    app.get(
      '/nodes/:pubkey/neighbors',
      {
        schema: {
          summary: 'A node’s neighbours in the neighbour graph, with affinity scores',
          tags: ['nodes'],
          params: { type: 'object', properties: { pubkey: S }, required: ['pubkey'] },
          querystring: {
            type: 'object',
            properties: {
              min_count: { ...S, description: 'minimum sightings (default 1)' },
              min_score: { ...S, description: 'minimum score 0..1 (default 0)' },
              include_ambiguous: { ...S, description: 'include prefix:<hex> neighbours (default true)' },
            },
          },
        },
      },
      async (request, reply) => {
        const { pubkey } = request.params as { pubkey: string };
        const q = request.query as Record<string, string | undefined>;
        if (!/^[0-9a-fA-F]{8,64}$/.test(pubkey)) throw badParam('pubkey', 'must be 8-64 hex digits');
        const minCount = intParam(q.min_count, 'min_count', 1);
        const minScore = scoreParam(q.min_score, 'min_score', 0);
        const includeAmbiguous = boolParam(q.include_ambiguous, 'include_ambiguous', true);
        const node = deps.model.node(pubkey, 0);
        if (!node) throw apiError('MESHLENS_ERR_NOT_FOUND', `node ${pubkey}`);
        const index = deps.neighbors();
        if (index === null) throw notReady('neighbour graph');
        const key = node.node.node.publicKey.toLowerCase();
        const list = index
          .neighbors(key)
          .filter((e) => e.count >= minCount && e.score >= minScore && (includeAmbiguous || !e.ambiguous));
        reply.header('X-Computed-At', new Date(index.table.nowMs).toISOString());
        return {
          node: key,
          neighbors: list.map(entryItem),
          total_observations: list.reduce((n, e) => n + e.count, 0),
          computedAt: new Date(index.table.nowMs).toISOString(),
        };
      },
    );

    app.get(
      '/debug/affinity',
      {
        preHandler: app.meshlens.requireApiKey,
        schema: {
          summary:
            'Neighbour-affinity debug: per node its neighbours with scores, counts, last seen, observers',
          tags: ['system'],
          security: [{ apiKey: [] }],
          querystring: {
            type: 'object',
            properties: {
              node: { ...S, description: 'only this node (full key)' },
              limit: { type: 'integer', minimum: 1, maximum: 500, description: 'nodes per page (100)' },
              offset: { type: 'integer', minimum: 0, description: 'nodes skipped (0)' },
            },
          },
        },
      },
      async (request) => {
        const q = request.query as { node?: string; limit?: number; offset?: number };
        if (q.node !== undefined && q.node !== '' && !/^[0-9a-fA-F]{64}$/.test(q.node))
          throw badParam('node', 'must be a 64 hex digit public key');
        const index = deps.neighbors();
        if (index === null) throw notReady('neighbour graph');
        // Paged: the whole graph rendered at once is megabytes and seconds of event loop.
        const all = q.node ? [q.node.toLowerCase()] : index.nodeKeys();
        const offset = q.offset ?? 0;
        const keys = all.slice(offset, offset + (q.limit ?? 100));
        const nodes = keys.map((k) => {
          const list = index.neighbors(k);
          return { pubkey: k, neighbor_count: list.length, neighbors: list.map(entryItem) };
        });
        return {
          computedAt: new Date(index.table.nowMs).toISOString(),
          total_nodes: all.length,
          offset,
          limit: q.limit ?? 100,
          total_edges: index.table.edges.length / 6,
          ambiguous_edges: index.table.amb.length / 3,
          rejected_edges_geo_far: index.table.rejectedGeoFar,
          nodes,
        };
      },
    );
  };
}
