// The geo filter (spec ingest-store-api §1.12): GET/PUT /api/config/geo-filter, and the prune
// of nodes outside it, POST /api/admin/prune-geo-filter (+ /status?id=). The filter in force is
// the shared GeoFilterStore (config/geo-filter.ts), which ingest reads per ADVERT: a PUT
// validates, rewrites config.json atomically (config/config-file.ts), then swaps the store, so
// the running ingest uses the new filter from its next advert, with no restart.
//
// The prune's dry run is a pass over every node and transmission, so it runs in an analytics
// worker (`preview`); the confirmed deletion runs in the SQLite writer thread (`deleteNodes`).
// Node rows stay in the memory store until restart (it is append-only, like retention).
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { updateConfigFileKey } from '../../config/config-file.js';
import {
  geoFilterJson,
  parseGeoFilter,
  type GeoFilter,
  type GeoFilterStore,
} from '../../config/geo-filter.js';
import type { GeoPrunePreview } from '../../analytics/compute/geo-prune.js';
import { requireApiKey } from '../auth.js';
import { apiError } from '../errors.js';

export interface GeoPrunePorts {
  /** The dry run over the whole store (an analytics worker); null while the store loads. */
  preview(filter: GeoFilter): Promise<GeoPrunePreview | null>;
  /** Deletes these node rows (the SQLite writer thread). */
  deleteNodes(pubkeys: string[]): Promise<{ nodes: number; inactiveNodes: number }>;
}

export interface GeoFilterRoutesDeps {
  apiKey: string;
  store: GeoFilterStore;
  /** The config.json a PUT rewrites; null when meshlens started without one (PUT answers 409). */
  configPath: string | null;
  /** Null when the analytics workers are off: the prune answers 503. */
  prune: GeoPrunePorts | null;
  /** Rewrites the file; default updateConfigFileKey (tests inject a failing one). */
  writeConfigKey?: (path: string, key: string, value: Record<string, unknown> | undefined) => void;
  now?: () => number;
}

export type PruneJobState = 'running' | 'done' | 'failed';

export interface PruneJob {
  id: string;
  state: PruneJobState;
  createdAt: string;
  finishedAt: string | null;
  /** Pubkeys in the request body. */
  requested: number;
  /** Of those, the ones outside the filter now (only these are deleted). */
  matched: number;
  /** Body keys that are inside the filter now (or unknown): not deleted. */
  skipped: number;
  deletedNodes: number;
  deletedInactiveNodes: number;
  error: string | null;
}

const MAX_JOBS = 50;
const MAX_PUBKEYS = 20000;
const HEX64 = /^[0-9a-fA-F]{64}$/;

function geoFilterBody(filter: GeoFilter | null, writeEnabled: boolean): Record<string, unknown> {
  if (filter === null) return { polygon: null, bufferKm: 0, writeEnabled };
  if (filter.kind === 'polygon') return { ...geoFilterJson(filter), writeEnabled };
  return { polygon: null, bufferKm: 0, ...geoFilterJson(filter), writeEnabled };
}

const geoFilterSchema = {
  type: 'object',
  properties: {
    polygon: { type: ['array', 'null'], items: { type: 'array', items: { type: 'number' } } },
    bufferKm: { type: 'number' },
    latMin: { type: 'number' },
    latMax: { type: 'number' },
    lonMin: { type: 'number' },
    lonMax: { type: 'number' },
    writeEnabled: { type: 'boolean' },
  },
} as const;

export function geoFilterRoutes(deps: GeoFilterRoutesDeps): FastifyPluginAsync {
  const { store } = deps;
  const now = deps.now ?? Date.now;
  const writeKey = deps.writeConfigKey ?? updateConfigFileKey;
  const writeEnabled = () => deps.apiKey !== '' && deps.configPath !== null;
  const jobs = new Map<string, PruneJob>();
  let serial = 0;
  const keyed = { preHandler: requireApiKey(deps.apiKey) };

  async function preview(filter: GeoFilter): Promise<GeoPrunePreview> {
    if (!deps.prune)
      throw apiError('MESHLENS_ERR_PRUNE_UNAVAILABLE', 'the analytics workers (analytics are off)');
    const p = await deps.prune.preview(filter);
    if (p === null) throw apiError('MESHLENS_ERR_NOT_READY', 'store', 5);
    return p;
  }

  return async (app) => {
    app.get(
      '/config/geo-filter',
      {
        schema: {
          summary: 'The geo filter in force (polygon + bufferKm, or a lat/lon box) and writeEnabled',
          tags: ['config'],
          response: { 200: geoFilterSchema },
        },
      },
      async () => geoFilterBody(store.get(), writeEnabled()),
    );

    app.put(
      '/config/geo-filter',
      {
        ...keyed,
        schema: {
          summary:
            'Replace the geo filter (API key): validated, saved to config.json, applied to ingest at once',
          tags: ['config'],
          body: { type: 'object' },
          response: { 200: geoFilterSchema },
        },
      },
      async (request: FastifyRequest) => {
        if (deps.configPath === null) throw apiError('MESHLENS_ERR_NO_CONFIG_FILE');
        const body = request.body as Record<string, unknown>;
        // `{"polygon": null}` removes the filter.
        const clear =
          body.polygon === null && Object.keys(body).every((k) => k === 'polygon' || k === 'bufferKm');
        let filter: GeoFilter | null = null;
        if (!clear) {
          const { writeEnabled: _ignored, ...shape } = body;
          const parsed = parseGeoFilter(shape);
          if ('problems' in parsed) throw apiError('MESHLENS_ERR_BAD_BODY', parsed.problems.join('; '));
          filter = parsed.filter;
        }
        try {
          writeKey(deps.configPath, 'geo_filter', filter === null ? undefined : geoFilterJson(filter));
        } catch (err) {
          throw apiError('MESHLENS_ERR_CONFIG_WRITE_FAILED', (err as Error).message);
        }
        store.set(filter);
        request.log.info({ geoFilter: filter }, 'geo_filter replaced');
        return geoFilterBody(filter, writeEnabled());
      },
    );

    app.post(
      '/admin/prune-geo-filter',
      {
        ...keyed,
        schema: {
          summary:
            'Nodes outside the geo filter (API key): a dry run, or with confirm=true and {pubkeys} the deletion (202 + statusUrl)',
          tags: ['admin'],
          querystring: {
            type: 'object',
            properties: { confirm: { type: 'string', enum: ['true', 'false'] } },
          },
        },
      },
      async (request, reply) => {
        const filter = store.get();
        if (filter === null) throw apiError('MESHLENS_ERR_NO_GEO_FILTER');
        const confirm = (request.query as { confirm?: string }).confirm === 'true';
        if (!confirm) {
          const p = await preview(filter);
          return { dryRun: true, geoFilter: geoFilterJson(filter), ...p };
        }
        const body = (request.body ?? {}) as Record<string, unknown>;
        const keys = body.pubkeys;
        if (!Array.isArray(keys) || keys.length === 0)
          throw apiError(
            'MESHLENS_ERR_BAD_BODY',
            'pubkeys is required with confirm=true (the keys from the dry run)',
          );
        if (keys.length > MAX_PUBKEYS)
          throw apiError('MESHLENS_ERR_BAD_BODY', `pubkeys must hold at most ${MAX_PUBKEYS} keys`);
        const bad = keys.findIndex((k) => typeof k !== 'string' || !HEX64.test(k));
        if (bad >= 0) throw apiError('MESHLENS_ERR_BAD_BODY', `pubkeys[${bad}] must be 64 hex digits`);
        if (!deps.prune)
          throw apiError('MESHLENS_ERR_PRUNE_UNAVAILABLE', 'the analytics workers (analytics are off)');
        // Delete only keys that are outside the filter now: a key the filter admits since the
        // preview (a new position, a wider filter) is kept.
        const p = await preview(filter);
        const outside = new Set(p.nodes.map((n) => n.public_key.toLowerCase()));
        const wanted = [...new Set((keys as string[]).map((k) => k.toLowerCase()))];
        const matched = wanted.filter((k) => outside.has(k));
        const id = `${now().toString(36)}-${(++serial).toString(36)}`;
        const job: PruneJob = {
          id,
          state: 'running',
          createdAt: new Date(now()).toISOString(),
          finishedAt: null,
          requested: wanted.length,
          matched: matched.length,
          skipped: wanted.length - matched.length,
          deletedNodes: 0,
          deletedInactiveNodes: 0,
          error: null,
        };
        jobs.set(id, job);
        for (const old of jobs.keys()) if (jobs.size > MAX_JOBS) jobs.delete(old);
        const prune = deps.prune;
        void (
          matched.length === 0 ? Promise.resolve({ nodes: 0, inactiveNodes: 0 }) : prune.deleteNodes(matched)
        )
          .then((r) => {
            job.deletedNodes = r.nodes;
            job.deletedInactiveNodes = r.inactiveNodes;
            job.state = 'done';
          })
          .catch((err: Error) => {
            job.state = 'failed';
            job.error = err.message;
            request.log.error({ err }, 'geo-filter prune failed');
          })
          .finally(() => {
            job.finishedAt = new Date(now()).toISOString();
          });
        reply.code(202);
        return { ...job, statusUrl: `/api/admin/prune-geo-filter/status?id=${encodeURIComponent(id)}` };
      },
    );

    app.get(
      '/admin/prune-geo-filter/status',
      {
        ...keyed,
        schema: {
          summary: 'State of a confirmed geo-filter prune (API key)',
          tags: ['admin'],
          querystring: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
        },
      },
      async (request) => {
        const { id } = request.query as { id: string };
        const job = jobs.get(id);
        if (!job) throw apiError('MESHLENS_ERR_NOT_FOUND', `prune job ${JSON.stringify(id)}`);
        return job;
      },
    );
  };
}
