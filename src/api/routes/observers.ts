// /api/observers and /api/observers/:id (spec ingest-store-api §4.2 "Observers"). Observers
// number in the tens to hundreds, so the read model builds the list per request (packetsLastHour
// is a binary search per observer while receive times are ordered); observerBlacklist hides an
// observer everywhere (§4.1).
import type { FastifyPluginAsync } from 'fastify';
import type { ObserverItem } from '../contract.js';
import { ApiError, apiError, type ErrorCode } from '../errors.js';
import type { ObserverMetricPoint, ObserverSummary } from '../../store/read-model.js';
import type { ReadRoutesDeps } from './context.js';
import { badParam, parseTime } from './params.js';
import { I, errorSchema, iso, nullable, S } from './render.js';
import { heavyRoute, itemSerializer, sendJsonList } from '../limits.js';

/** `resolution` of /observers/:id/metrics -> bucket ms (5m = the stored samples). */
const RESOLUTIONS = { '5m': 300_000, '1h': 3_600_000, '1d': 86_400_000 } as const;
const DAY_MS = 86_400_000;
/** Issue 13 #5: /observers answers pages; the default covers any real fleet (tens to hundreds). */
export const OBSERVERS_DEFAULT_LIMIT = 1000;

/** A 400 whose body names the query parameter at fault. */
class ObserverParamError extends ApiError {
  constructor(
    readonly parameter: string,
    problem: string,
  ) {
    const code: ErrorCode = 'MESHLENS_ERR_BAD_PARAMETER';
    super(code, apiError(code, parameter, problem).message);
  }
  override body() {
    return { ...super.body(), parameter: this.parameter };
  }
}

/** A non-negative integer query value (at least `min`), or the default when absent. */
function queryInt(q: Record<string, unknown>, name: string, dflt: number, min: number): number {
  const v = q[name];
  if (v === undefined || v === '') return dflt;
  if (typeof v !== 'string') throw new ObserverParamError(name, 'must be given once');
  if (!/^\d{1,9}$/.test(v)) throw new ObserverParamError(name, 'must be a non-negative integer');
  const n = Number(v);
  if (n < min) throw new ObserverParamError(name, `must be at least ${min}`);
  return n;
}

const metricPointSchema = {
  type: 'object',
  properties: {
    timestamp: S,
    noise_floor: nullable('number'),
    tx_airtime_pct: nullable('number'),
    rx_airtime_pct: nullable('number'),
    packets_sent: nullable('integer'),
    packets_recv: nullable('integer'),
    recv_errors: nullable('integer'),
    recv_error_rate: nullable('number'),
    battery_mv: nullable('integer'),
    is_reboot_sample: { type: 'boolean' },
  },
} as const;

const metricPoint = (p: ObserverMetricPoint) => ({
  timestamp: iso(p.atMs),
  noise_floor: p.noiseFloor,
  tx_airtime_pct: p.txAirtimePct,
  rx_airtime_pct: p.rxAirtimePct,
  packets_sent: p.packetsSent,
  packets_recv: p.packetsRecv,
  recv_errors: p.recvErrors,
  recv_error_rate: p.recvErrorRate,
  battery_mv: p.batteryMv,
  is_reboot_sample: p.isRebootSample,
});

const observerSchema = {
  type: 'object',
  properties: {
    id: S,
    name: nullable('string'),
    iata: nullable('string'),
    last_seen: nullable('string'),
    first_seen: nullable('string'),
    packet_count: I,
    model: nullable('string'),
    firmware: nullable('string'),
    client_version: nullable('string'),
    radio: nullable('string'),
    battery_mv: nullable('integer'),
    uptime_secs: nullable('number'),
    noise_floor: nullable('number'),
    last_packet_at: nullable('string'),
    packetsLastHour: I,
    observation_count: I,
    lat: nullable('number'),
    lon: nullable('number'),
    nodeRole: nullable('string'),
    clock_naive: { type: 'boolean' },
    clock_skew_seconds: nullable('integer'),
    clock_skew_count_24h: I,
    clock_last_naive_at: nullable('string'),
    can_relay: nullable('boolean'),
  },
} as const;

function observerItem(s: ObserverSummary): ObserverItem {
  const o = s.observer;
  return {
    id: o.id,
    name: o.name,
    iata: o.iata,
    last_seen: iso(o.lastSeenMs),
    first_seen: iso(o.firstSeenMs),
    packet_count: o.packetCount,
    model: o.model,
    firmware: o.firmware,
    client_version: o.clientVersion,
    radio: o.radio,
    battery_mv: o.batteryMv,
    uptime_secs: o.uptimeSecs,
    noise_floor: o.noiseFloor,
    last_packet_at: o.lastPacketAtMs === null ? null : iso(o.lastPacketAtMs),
    packetsLastHour: s.packetsLastHour,
    observation_count: s.observationCount,
    lat: s.node?.lat ?? null,
    lon: s.node?.lon ?? null,
    nodeRole: s.node?.role ?? null,
    // Naive-clock observers (spec analytics §6.7), already decayed by the read model.
    clock_naive: s.clock.naive,
    clock_skew_seconds: s.clock.skewSeconds,
    clock_skew_count_24h: s.clock.count24h,
    clock_last_naive_at: s.clock.lastNaiveAtMs === null ? null : iso(s.clock.lastNaiveAtMs),
    // `repeat` from the status messages; null when the observer never stated it.
    can_relay: o.canRelay,
  };
}

/** `config` (optional in unit tests) gives listLimits.observersMax, the largest page. */
export type ObserverRoutesDeps = Pick<ReadRoutesDeps, 'model' | 'now'> &
  Partial<Pick<ReadRoutesDeps, 'config'>>;

export function observerRoutes(deps: ObserverRoutesDeps): FastifyPluginAsync {
  const { model } = deps;
  return async (app) => {
    app.get(
      '/observers',
      {
        schema: {
          summary: 'Observers (most recently seen first), with packets in the last hour; paged',
          tags: ['observers'],
          querystring: {
            type: 'object',
            properties: {
              limit: {
                description: `default ${OBSERVERS_DEFAULT_LIMIT}; above listLimits.observersMax is clamped`,
              },
              offset: { description: 'observers skipped (default 0)' },
            },
          },
          response: {
            200: {
              type: 'object',
              properties: {
                observers: { type: 'array', items: observerSchema },
                server_time: S,
                total: I,
                limit: I,
                offset: I,
              },
            },
            400: { ...errorSchema, properties: { ...errorSchema.properties, parameter: S } },
          },
        },
        // Up to listLimits.observersMax entries (~3 MB): gated, rate-limited and streamed like
        // /packets and /nodes, so never-reading clients cannot pile pages up in memory.
        ...heavyRoute(app.meshlens?.heavy),
      },
      async (request, reply) => {
        const q = request.query as Record<string, unknown>;
        const max = deps.config?.listLimits.observersMax ?? OBSERVERS_DEFAULT_LIMIT;
        const limit = Math.min(queryInt(q, 'limit', OBSERVERS_DEFAULT_LIMIT, 1), max);
        const offset = queryInt(q, 'offset', 0, 0);
        const nowMs = deps.now();
        const page = model.observerPage(nowMs, { offset, limit });
        const serializeItem = itemSerializer(reply, observerSchema);
        return sendJsonList(reply, {
          key: 'observers',
          envelope: { server_time: new Date(nowMs).toISOString(), total: page.total, limit, offset },
          items: page.items,
          render: (s) => serializeItem(observerItem(s)),
        });
      },
    );

    app.get(
      '/observers/:id',
      {
        schema: {
          summary: 'One observer',
          tags: ['observers'],
          params: {
            type: 'object',
            properties: { id: { type: 'string', minLength: 1, maxLength: 128 } },
            required: ['id'],
          },
          response: { 200: observerSchema, 404: errorSchema },
        },
      },
      async (request) => {
        const { id } = request.params as { id: string };
        const observer = model.observer(id, deps.now());
        if (!observer) throw apiError('MESHLENS_ERR_OBSERVER_NOT_FOUND');
        return observerItem(observer);
      },
    );

    app.get(
      '/observers/:id/metrics',
      {
        schema: {
          summary:
            'Status metrics of one observer (observer_metrics): noise floor, airtime %, counter deltas, battery, reboots',
          tags: ['observers'],
          params: {
            type: 'object',
            properties: { id: { type: 'string', minLength: 1, maxLength: 128 } },
            required: ['id'],
          },
          querystring: {
            type: 'object',
            properties: {
              since: { type: 'string', description: 'RFC3339, epoch, or a span like 24h; default 24 h ago' },
              until: { type: 'string', description: 'default now' },
              resolution: { type: 'string', description: '5m (default, the stored samples), 1h or 1d' },
            },
          },
          response: {
            200: {
              type: 'object',
              properties: {
                observer_id: S,
                observer_name: nullable('string'),
                resolution: S,
                since: S,
                until: S,
                truncated: { type: 'boolean' },
                reboots: { type: 'array', items: S },
                metrics: { type: 'array', items: metricPointSchema },
              },
            },
            400: errorSchema,
            404: errorSchema,
          },
        },
      },
      async (request) => {
        const { id } = request.params as { id: string };
        const q = request.query as { since?: string; until?: string; resolution?: string };
        const nowMs = deps.now();
        const resolution = q.resolution === undefined || q.resolution === '' ? '5m' : q.resolution;
        if (!Object.hasOwn(RESOLUTIONS, resolution))
          throw badParam('resolution', `'${resolution}' is not one of 5m, 1h, 1d`);
        const untilMs = parseTime(q.until, 'until', nowMs) ?? nowMs;
        const sinceMs = parseTime(q.since, 'since', nowMs) ?? untilMs - DAY_MS;
        if (sinceMs > untilMs) throw badParam('since', 'is after until');
        const series = model.observerMetrics(id, {
          sinceMs,
          untilMs,
          resolutionMs: RESOLUTIONS[resolution as keyof typeof RESOLUTIONS],
        });
        if (!series) throw apiError('MESHLENS_ERR_OBSERVER_NOT_FOUND');
        return {
          observer_id: series.observer.id,
          observer_name: series.observer.name,
          resolution,
          since: iso(sinceMs),
          until: iso(untilMs),
          truncated: series.truncated,
          reboots: series.reboots.map((ms) => iso(ms)),
          metrics: series.points.map(metricPoint),
        };
      },
    );
  };
}
