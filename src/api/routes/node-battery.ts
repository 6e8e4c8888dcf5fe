// /api/nodes/:pubkey/battery?days= (spec ingest-store-api §4.2 "Nodes"): a node's battery
// voltage over the last `days` days, from the status samples of its own observer
// (observer_metrics) and its adverts' telemetry, plus a status from `batteryThresholds`
// (3300 / 3000 mV): the latest reading below criticalMv is `critical`, below lowMv `low`, else
// `ok`; no reading in the window is `unknown`.
import type { FastifyPluginAsync } from 'fastify';
import { apiError } from '../errors.js';
import type { ReadRoutesDeps } from './context.js';
import { badParam } from './params.js';
import { I, S, errorSchema, iso, nullable } from './render.js';

const DAY_MS = 86_400_000;

export type BatteryStatus = 'ok' | 'low' | 'critical' | 'unknown';

export function batteryStatus(
  latestMv: number | null,
  t: { lowMv: number; criticalMv: number },
): BatteryStatus {
  if (latestMv === null) return 'unknown';
  if (latestMv < t.criticalMv) return 'critical';
  if (latestMv < t.lowMv) return 'low';
  return 'ok';
}

export function nodeBatteryRoutes(deps: ReadRoutesDeps): FastifyPluginAsync {
  const { model, config } = deps;
  return async (app) => {
    app.get(
      '/nodes/:pubkey/battery',
      {
        schema: {
          summary:
            "A node's battery voltage series (its observer's status samples and its adverts) and status",
          tags: ['nodes'],
          params: {
            type: 'object',
            properties: { pubkey: { type: 'string', pattern: '^[0-9a-fA-F]{8,64}$' } },
            required: ['pubkey'],
          },
          querystring: {
            type: 'object',
            properties: { days: { type: 'string', description: 'window in days, 1..365 (default 7)' } },
          },
          response: {
            200: {
              type: 'object',
              properties: {
                public_key: S,
                name: nullable('string'),
                days: I,
                status: { type: 'string', enum: ['ok', 'low', 'critical', 'unknown'] },
                latest_mv: nullable('integer'),
                latest_at: nullable('string'),
                thresholds: { type: 'object', properties: { low_mv: I, critical_mv: I } },
                samples: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      timestamp: S,
                      battery_mv: I,
                      source: { type: 'string', enum: ['observer', 'advert'] },
                    },
                  },
                },
              },
            },
            400: errorSchema,
            404: errorSchema,
          },
        },
      },
      async (request) => {
        const { pubkey } = request.params as { pubkey: string };
        const q = request.query as { days?: string };
        let days = 7;
        if (q.days !== undefined && q.days !== '') {
          if (!/^\d+$/.test(q.days) || Number(q.days) < 1 || Number(q.days) > 365)
            throw badParam('days', `'${q.days}' is not a whole number of days from 1 to 365`);
          days = Number(q.days);
        }
        const nowMs = deps.now();
        const battery = model.nodeBattery(pubkey, nowMs - days * DAY_MS, nowMs);
        if (!battery) throw apiError('MESHLENS_ERR_NOT_FOUND', `node ${pubkey}`);
        const latest = battery.samples.at(-1) ?? null;
        const t = config.batteryThresholds;
        return {
          public_key: battery.node.publicKey,
          name: battery.node.name,
          days,
          status: batteryStatus(latest?.batteryMv ?? null, t),
          latest_mv: latest?.batteryMv ?? null,
          latest_at: latest ? iso(latest.atMs) : null,
          thresholds: { low_mv: t.lowMv, critical_mv: t.criticalMv },
          samples: battery.samples.map((s) => ({
            timestamp: iso(s.atMs),
            battery_mv: s.batteryMv,
            source: s.source,
          })),
        };
      },
    );
  };
}
