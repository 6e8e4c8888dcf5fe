// /api/observers and /api/observers/:id (spec ingest-store-api §4.2 "Observers"). Observers
// number in the tens to hundreds, so the read model builds the list per request (packetsLastHour
// is a binary search per observer while receive times are ordered); observerBlacklist hides an
// observer everywhere (§4.1).
import type { FastifyPluginAsync } from 'fastify';
import { apiError } from '../errors.js';
import type { ObserverSummary } from '../../store/read-model.js';
import type { ReadRoutesDeps } from './context.js';
import { I, errorSchema, iso, nullable, S } from './render.js';

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
  },
} as const;

function observerItem(s: ObserverSummary) {
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
  };
}

export type ObserverRoutesDeps = Pick<ReadRoutesDeps, 'model' | 'now'>;

export function observerRoutes(deps: ObserverRoutesDeps): FastifyPluginAsync {
  const { model } = deps;
  return async (app) => {
    app.get(
      '/observers',
      {
        schema: {
          summary: 'Observers (most recently seen first), with packets in the last hour',
          tags: ['observers'],
          response: {
            200: {
              type: 'object',
              properties: { observers: { type: 'array', items: observerSchema }, server_time: S },
            },
          },
        },
      },
      async () => {
        const nowMs = deps.now();
        const observers = model.observers(nowMs).map(observerItem);
        return { observers, server_time: new Date(nowMs).toISOString() };
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
        if (!observer) throw apiError('MESHLENS_ERR_NOT_FOUND', `observer ${id}`);
        return observerItem(observer);
      },
    );
  };
}
