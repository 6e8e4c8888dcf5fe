// POST /api/packets (spec ingest-store-api §1.11, API key): a raw frame injected by hand goes
// through the same pipeline as MQTT (decode, advert gate, dedup, memory + writer), not a raw
// INSERT, so a re-post of a known frame returns the same transmission id.
//
// Issue 13: a 200 means the rows are committed to SQLite (they survive a SIGKILL): the answer
// waits for the writer's commit of what this request queued. Concurrent requests share the
// writer's batches. A backlogged or failing writer refuses up front (503 + Retry-After); a
// commit that does not come in time answers 503 too, saying the packet is queued and a retry is
// safe.
import type { FastifyPluginAsync } from 'fastify';
import type { IngestPipeline } from '../../ingest/pipeline.js';
import { readRawHex } from '../../ingest/observer-message.js';
import { toCoreScopeJson } from '../../protocol/index.js';
import { apiError, BadBodyError, notReady, type ApiError } from '../errors.js';
import { RADIO_RANGES } from '../../ingest/radio-ranges.js';

export interface IngestRoutesDeps {
  pipeline: IngestPipeline;
  /** False while the store loads: dedup needs the whole store (503 until then). */
  ready: () => boolean;
  /** The SQLite writer (SqliteWriterThread): its state, and the commit the answer waits for. */
  writer: IngestWriterGate;
  /** How long the answer waits for the commit before a 503 (config writer.commitTimeoutMs). */
  commitTimeoutMs: number;
}

/** What the route needs of the writer thread. */
export interface IngestWriterGate {
  backlogged(): boolean;
  degraded(): { code: string; sinceMs: number } | null;
  flush(): Promise<void>;
  countRejected(reason: string): void;
  stats(): { queuedOps: number; inFlightOps: number };
}

const RETRY_AFTER_SEC = 5;

function withRetryAfter(err: ApiError, sec = RETRY_AFTER_SEC): ApiError {
  Object.assign(err.headers, { 'retry-after': String(sec) });
  return err;
}

/** 503 before ingesting anything when the writer cannot take more now. */
function refusal(writer: IngestWriterGate): ApiError | null {
  const degraded = writer.degraded();
  if (degraded) {
    writer.countRejected('post_writer_degraded');
    const since = new Date(degraded.sinceMs).toISOString();
    return withRetryAfter(apiError('MESHLENS_ERR_WRITER_DEGRADED', degraded.code, since, RETRY_AFTER_SEC));
  }
  if (writer.backlogged()) {
    writer.countRejected('post_writer_backlogged');
    const s = writer.stats();
    const ops = s.queuedOps + s.inFlightOps;
    return withRetryAfter(apiError('MESHLENS_ERR_WRITER_BACKLOGGED', ops, RETRY_AFTER_SEC));
  }
  return null;
}

/** Resolves once what was queued so far is committed; a 503 error after `timeoutMs` or on failure. */
async function durable(writer: IngestWriterGate, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const r = await Promise.race([writer.flush().then(() => 'ok' as const), timeout]);
    if (r === 'ok') return;
    writer.countRejected('post_commit_timeout');
    throw withRetryAfter(apiError('MESHLENS_ERR_NOT_DURABLE', `no commit within ${timeoutMs} ms`));
  } catch (err) {
    if ((err as ApiError).code === 'MESHLENS_ERR_NOT_DURABLE') throw err;
    writer.countRejected('post_writer_failed');
    throw withRetryAfter(apiError('MESHLENS_ERR_NOT_DURABLE', `writer: ${(err as Error).message}`));
  } finally {
    clearTimeout(timer);
  }
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
        // The route's own refusals are counted by reason like the pipeline's (the pipeline
        // counts what ingestPacket refuses).
        const refuse = (reason: string, detail: string) => {
          deps.pipeline.reject(reason, detail, { source: 'api', observerId: body.observer ?? apiObserverId });
          return bad(reason, detail);
        };
        if (body.hex === undefined) throw refuse('missing_raw', 'hex is required');
        const raw = readRawHex(body.hex.replace(/\s+/g, ''));
        if (!raw.ok) throw refuse(raw.code, raw.detail);
        const refused = refusal(deps.writer);
        if (refused) throw refused;
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
        await durable(deps.writer, deps.commitTimeoutMs);
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
