// t4: per-node and per-observer analytics (spec analytics §7.2, §7.3; ingest-store-api §4.2):
//   GET /nodes/:pubkey/analytics?days=   (1..365, default 7)
//   GET /nodes/:pubkey/paths
//   GET /nodes/:pubkey/reach?days=       (1..30, default 7; 400 unless a 64-hex key)
//   GET /observers/:id/analytics?days=   (1..365, default 7)
// and the RF-health fleet view GET /observers/metrics/summary?window=&region=.
// The first four are computed in the analytics worker pool behind the TTL cache with
// single-flight (AnalyticsService.entity); the node or observer is looked up in the read model
// first (unknown or hidden: 404). `days` that is not an integer is a 400 naming it; an integer
// out of range is clamped (spec §1.1). The summary is the read model's (a bounded SQLite read).
import type { FastifyPluginAsync } from 'fastify';
import type { AnalyticsService } from '../../analytics/engine/service.js';
import type { MeshReadModel, ObserverMetricsSummaryEntry } from '../../store/read-model.js';
import type { MeshlensConfig } from '../../config/types.js';
import { apiError, notReady } from '../errors.js';
import { badParameter, writeAnswer, writeFailure } from './analytics.js';

export interface EntityAnalyticsRoutesDeps {
  service: AnalyticsService;
  model: MeshReadModel;
  now?: () => number;
}

const DAYS = /^-?\d{1,6}$/;

/** `days`: default 7, an integer clamped to [1, max]; anything else is a 400. */
export function parseDays(raw: unknown, max: number): number {
  if (raw === undefined || raw === '') return 7;
  if (typeof raw !== 'string' || !DAYS.test(raw.trim()))
    throw badParameter(
      'days',
      'MESHLENS_ERR_BAD_QUERY_PARAMETER',
      'days',
      `must be an integer from 1 to ${max}`,
    );
  return Math.min(max, Math.max(1, Number(raw.trim())));
}

const daysQuery = { type: 'object', properties: { days: { type: 'string' } } } as const;
const pubkeyParams = {
  type: 'object',
  properties: { pubkey: { type: 'string' } },
  required: ['pubkey'],
} as const;
const idParams = { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } as const;

export function entityAnalyticsRoutes(deps: EntityAnalyticsRoutesDeps): FastifyPluginAsync {
  const { service, model } = deps;
  const now = deps.now ?? Date.now;
  const notFound = (reply: import('fastify').FastifyReply) => {
    const err = apiError('MESHLENS_ERR_ANALYTIC_NOT_FOUND');
    return reply.code(err.statusCode).send(err.body());
  };
  /** The visible node's full key (a full key or a unique 8+ hex prefix), or null. */
  const nodeKey = (key: string): string | null =>
    model.node(key, 0)?.node.node.publicKey.toLowerCase() ?? null;

  return async (app) => {
    // 503 + Retry-After until the store has loaded, before any lookup (a half-loaded store
    // would turn a known node into a 404).
    app.addHook('preHandler', async (request, reply) => {
      if (service.loaded()) return;
      await writeAnswer(
        request,
        reply,
        { status: 'warming', retryAfterS: 5 },
        'MESHLENS_ERR_ANALYTIC_NOT_FOUND',
        now(),
      );
      return reply;
    });
    app.get(
      '/nodes/:pubkey/analytics',
      { schema: { params: pubkeyParams, querystring: daysQuery } },
      async (request, reply) => {
        try {
          const days = parseDays((request.query as { days?: string }).days, 365);
          const key = nodeKey((request.params as { pubkey: string }).pubkey);
          if (key === null) return notFound(reply);
          const answer = await service.entity('node-analytics', key, days);
          return await writeAnswer(request, reply, answer, 'MESHLENS_ERR_ANALYTIC_NOT_FOUND', now());
        } catch (err) {
          return writeFailure(reply, err);
        }
      },
    );

    app.get('/nodes/:pubkey/paths', { schema: { params: pubkeyParams } }, async (request, reply) => {
      try {
        const key = nodeKey((request.params as { pubkey: string }).pubkey);
        if (key === null) return notFound(reply);
        // All time: every path containing the node (the store's retention bounds it).
        const answer = await service.entity('node-paths', key, 36500);
        return await writeAnswer(request, reply, answer, 'MESHLENS_ERR_ANALYTIC_NOT_FOUND', now());
      } catch (err) {
        return writeFailure(reply, err);
      }
    });

    app.get(
      '/nodes/:pubkey/reach',
      { schema: { params: pubkeyParams, querystring: daysQuery } },
      async (request, reply) => {
        try {
          const pubkey = (request.params as { pubkey: string }).pubkey.toLowerCase();
          if (!/^[0-9a-f]{64}$/.test(pubkey))
            throw badParameter(
              'pubkey',
              'MESHLENS_ERR_BAD_QUERY_PARAMETER',
              'pubkey',
              'must be 64 hex digits',
            );
          const days = parseDays((request.query as { days?: string }).days, 30);
          if (nodeKey(pubkey) === null) return notFound(reply);
          const answer = await service.entity('node-reach', pubkey, days);
          return await writeAnswer(request, reply, answer, 'MESHLENS_ERR_ANALYTIC_NOT_FOUND', now());
        } catch (err) {
          return writeFailure(reply, err);
        }
      },
    );

    app.get(
      '/observers/:id/analytics',
      { schema: { params: idParams, querystring: daysQuery } },
      async (request, reply) => {
        try {
          const days = parseDays((request.query as { days?: string }).days, 365);
          const id = (request.params as { id: string }).id;
          const found = model.observer(id, now()) ?? model.observer(id.toUpperCase(), now());
          if (found === null) {
            const err = apiError('MESHLENS_ERR_OBSERVER_NOT_FOUND');
            return reply.code(err.statusCode).send(err.body());
          }
          const answer = await service.entity('observer-analytics', found.observer.id, days);
          return await writeAnswer(request, reply, answer, 'MESHLENS_ERR_OBSERVER_NOT_FOUND', now());
        } catch (err) {
          return writeFailure(reply, err);
        }
      },
    );
  };
}

// ------------------------------------------------------------------- RF-health fleet summary

/** `window` of /observers/metrics/summary (default 24h). */
const SUMMARY_WINDOWS: Record<string, number> = {
  '1h': 3_600_000,
  '3h': 3 * 3_600_000,
  '6h': 6 * 3_600_000,
  '12h': 12 * 3_600_000,
  '24h': 86_400_000,
  '3d': 3 * 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
};
/** An observer whose newest sample is older than this is offline (3 missed 5-minute samples). */
const OFFLINE_AFTER_MS = 15 * 60_000;

export interface MetricsSummaryRoutesDeps {
  model: MeshReadModel;
  config: Readonly<MeshlensConfig>;
  ready: () => boolean;
  now?: () => number;
}

const r1 = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
const r2 = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);
const pct = (part: number | null, whole: number | null) =>
  part === null || whole === null || whole <= 0 ? null : r2((part / whole) * 100);

function summaryItem(e: ObserverMetricsSummaryEntry) {
  const m = e.metrics;
  const errRate =
    m.recvErrors === null || m.packetsRecv === null || m.recvErrors + m.packetsRecv === 0
      ? null
      : r2((m.recvErrors / (m.recvErrors + m.packetsRecv)) * 100);
  return {
    observer_id: e.observer.id,
    observer_name: e.observer.name,
    iata: e.observer.iata,
    samples: m.samples,
    last_sample_at: m.lastAtMs === null ? null : new Date(m.lastAtMs).toISOString(),
    current_noise_floor: r1(m.noiseFloorCurrent),
    avg_noise_floor: r1(m.noiseFloorAvg),
    min_noise_floor: r1(m.noiseFloorMin),
    max_noise_floor: r1(m.noiseFloorMax),
    tx_airtime_pct: pct(m.txAirSecs, m.txAirWindowS),
    rx_airtime_pct: pct(m.rxAirSecs, m.rxAirWindowS),
    recv_errors: m.recvErrors,
    packets_recv: m.packetsRecv,
    recv_error_rate: errRate,
    battery_mv: m.batteryMvCurrent,
    min_battery_mv: m.batteryMvMin,
    reboots: m.reboots,
    status: e.status,
  };
}

function mean(vals: number[]): number | null {
  return vals.length === 0 ? null : vals.reduce((a, b) => a + b, 0) / vals.length;
}

function median(vals: number[]): number | null {
  if (vals.length === 0) return null;
  const s = [...vals].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function metricsSummaryRoutes(deps: MetricsSummaryRoutesDeps): FastifyPluginAsync {
  const { model, config, ready } = deps;
  const now = deps.now ?? Date.now;
  return async (app) => {
    app.get(
      '/observers/metrics/summary',
      {
        schema: {
          querystring: {
            type: 'object',
            properties: { window: { type: 'string' }, region: { type: 'string' } },
          },
        },
      },
      async (request, reply) => {
        if (!ready()) throw notReady('store');
        try {
          const q = request.query as { window?: string; region?: string };
          const label = q.window === undefined || q.window === '' ? '24h' : q.window;
          // Own keys only: `toString` and the like are not windows (they answered 500).
          const span = Object.hasOwn(SUMMARY_WINDOWS, label) ? SUMMARY_WINDOWS[label] : undefined;
          if (span === undefined)
            throw badParameter(
              'window',
              'MESHLENS_ERR_BAD_QUERY_PARAMETER',
              'window',
              `must be one of ${Object.keys(SUMMARY_WINDOWS).join(', ')}`,
            );
          const regions = (q.region ?? '')
            .split(',')
            .map((c) => c.trim().toUpperCase())
            .filter((c) => c !== '' && c !== 'ALL');
          const toMs = now();
          const s = model.observerMetricsSummary({
            fromMs: toMs - span,
            toMs,
            regions: regions.length > 0 ? regions : null,
            offlineAfterMs: OFFLINE_AFTER_MS,
            lowBatteryMv: config.batteryThresholds.lowMv,
          });
          const observers = s.observers
            .map(summaryItem)
            .sort(
              (a, b) =>
                (a.status === 'normal' ? 1 : 0) - (b.status === 'normal' ? 1 : 0) ||
                (b.current_noise_floor ?? -Infinity) - (a.current_noise_floor ?? -Infinity) ||
                (a.observer_id < b.observer_id ? -1 : 1),
            );
          const nums = (f: (o: (typeof observers)[number]) => number | null) =>
            observers.map(f).filter((v): v is number => v !== null);
          const errSum = observers.reduce((a, o) => a + (o.recv_errors ?? 0), 0);
          const recvSum = observers.reduce((a, o) => a + (o.packets_recv ?? 0), 0);
          const batteries = nums((o) => o.battery_mv);
          return {
            window: label,
            from: new Date(toMs - span).toISOString(),
            to: new Date(toMs).toISOString(),
            region: regions.length > 0 ? regions.join(',') : null,
            samplesRead: s.samplesRead,
            capped: s.capped,
            fleet: {
              observers: observers.length,
              offline: observers.filter((o) => o.status === 'offline').length,
              noise_floor: {
                median_current: r1(median(nums((o) => o.current_noise_floor))),
                avg: r1(mean(nums((o) => o.avg_noise_floor))),
                max: nums((o) => o.max_noise_floor).reduce<number | null>(
                  (a, v) => (a === null || v > a ? v : a),
                  null,
                ),
              },
              airtime: {
                avg_tx_pct: r2(mean(nums((o) => o.tx_airtime_pct))),
                avg_rx_pct: r2(mean(nums((o) => o.rx_airtime_pct))),
              },
              errors: {
                recv_errors: errSum,
                recv_error_rate: errSum + recvSum === 0 ? null : r2((errSum / (errSum + recvSum)) * 100),
                reboots: observers.reduce((a, o) => a + o.reboots, 0),
              },
              battery: {
                reporting: batteries.length,
                min_mv: batteries.length ? Math.min(...batteries) : null,
                low: observers.filter((o) => o.status === 'low_battery').length,
              },
            },
            observers,
          };
        } catch (err) {
          return writeFailure(reply, err);
        }
      },
    );
  };
}
