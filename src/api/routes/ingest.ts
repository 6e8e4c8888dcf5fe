// POST /api/packets (spec ingest-store-api §1.11, API key): a raw frame injected by hand goes
// through the same pipeline as MQTT (decode, advert gate, dedup, memory + writer), not a raw
// INSERT, so a re-post of a known frame returns the same transmission id.
import type { FastifyPluginAsync } from 'fastify';
import type { IngestPipeline } from '../../ingest/pipeline.js';
import { readRawHex } from '../../ingest/observer-message.js';
import { toCoreScopeJson } from '../../protocol/index.js';
import { BadBodyError, notReady } from '../errors.js';
import { RADIO_RANGES } from '../../ingest/radio-ranges.js';

export interface IngestRoutesDeps {
  pipeline: IngestPipeline;
  /** False while the store loads: dedup needs the whole store (503 until then). */
  ready: () => boolean;
}

/** Observer id used when the body names none. */
export const apiObserverId = 'API';

const bodySchema = {
  type: 'object',
  properties: {
    hex: { type: 'string', maxLength: 1024 },
    observer: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' },
    snr: { type: 'number', minimum: RADIO_RANGES.snr.min, maximum: RADIO_RANGES.snr.max },
    rssi: { type: 'number', minimum: RADIO_RANGES.rssi.min, maximum: RADIO_RANGES.rssi.max },
    region: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,16}$' },
    /** Accepted and ignored: the hash is always recomputed (spec §1.2, §1.11). */
    hash: { type: 'string', maxLength: 64 },
  },
  additionalProperties: false,
} as const;

interface Body {
  hex?: string;
  observer?: string;
  snr?: number;
  rssi?: number;
  region?: string;
}

export function ingestRoutes(deps: IngestRoutesDeps): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: Body }>(
      '/packets',
      {
        preHandler: app.meshlens.requireApiKey,
        schema: {
          summary: 'Ingest one raw frame through the pipeline (dedup, validation)',
          tags: ['ingest'],
          security: [{ apiKey: [] }],
          body: bodySchema,
          response: {
            200: {
              type: 'object',
              properties: {
                id: { type: 'integer' },
                observation_id: { type: 'integer' },
                hash: { type: 'string' },
                new: { type: 'boolean' },
                decoded: { type: 'object', additionalProperties: true },
              },
            },
          },
        },
      },
      async (request) => {
        if (!deps.ready()) throw notReady('store');
        const body = request.body ?? {};
        // Every rejection is the registry's bad-body error naming ingest's reason code.
        const bad = (reason: string, detail: string) => new BadBodyError(reason, `${reason}: ${detail}`);
        if (body.hex === undefined) throw bad('missing_raw', 'hex is required');
        const raw = readRawHex(body.hex.replace(/\s+/g, ''));
        if (!raw.ok) throw bad(raw.code, raw.detail);
        const outcome = deps.pipeline.ingestPacket({
          observerId: (body.observer ?? apiObserverId).toUpperCase(),
          rawHex: raw.value,
          snr: body.snr ?? null,
          rssi: body.rssi ?? null,
          score: null,
          direction: null,
          origin: null,
          region: body.region?.toUpperCase() ?? '',
          rxMs: Date.now(),
          uploaderMs: null,
          source: 'api',
        });
        if (!outcome.ok) throw bad(outcome.code, outcome.detail);
        const decoded = toCoreScopeJson(outcome.packet);
        return {
          id: outcome.transmissionId,
          observation_id: outcome.observationId,
          hash: outcome.hash,
          new: outcome.isNewTransmission,
          decoded,
        };
      },
    );
  };
}
