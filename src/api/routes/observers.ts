// /api/observers and /api/observers/:id (spec ingest-store-api §4.2 "Observers"). Observers
// number in the tens to hundreds, so the list is built per request; packetsLastHour comes from
// the ActivityCounter (a binary search per observer while receive times are ordered).
// observerBlacklist hides an observer everywhere here (§4.1).
import type { FastifyPluginAsync } from 'fastify';
import { apiError } from '../errors.js';
import type { CoreContext } from './context.js';
import { I, errorSchema, iso, nullable, S } from './render.js';

const HOUR_MS = 3_600_000;

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

export function observerRoutes(ctx: CoreContext): FastifyPluginAsync {
  const { store, config } = ctx;
  const blacklist = new Set(config.observerBlacklist.map((id) => id.toUpperCase()));
  const visible = (row: number) =>
    store.observers.get('present', row) === 1 &&
    !blacklist.has((store.interns.observers.get(row) ?? '').toUpperCase());

  const item = (row: number, lastHour: (row: number) => number) => {
    const o = store.observer(row);
    // An observer is also a node when its radio adverts (same public key, lowercase in nodes).
    const nodeRow = /^[0-9a-fA-F]{64}$/.test(o.id) ? store.nodeRow(o.id) : -1;
    const node = nodeRow === -1 ? null : store.node(nodeRow);
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
      packetsLastHour: lastHour(row),
      observation_count: store.indexes.obsByObserver.get(row)?.length ?? 0,
      lat: node?.lat ?? null,
      lon: node?.lon ?? null,
      nodeRole: node?.role ?? null,
    };
  };

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
        const nowMs = ctx.now();
        const lastHour = ctx.activity.perObserver(HOUR_MS, nowMs);
        const observers = store
          .observerRows()
          .filter(visible)
          .map((r) => item(r, lastHour))
          .sort(
            (a, b) =>
              (b.last_seen ?? '').localeCompare(a.last_seen ?? '') ||
              (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
          );
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
        let row = store.observerRow(id);
        if (row === -1) row = store.observerRow(id.toUpperCase());
        if (row === -1 || !visible(row)) throw apiError('MESHLENS_ERR_NOT_FOUND', `observer ${id}`);
        return item(row, ctx.activity.perObserver(HOUR_MS, ctx.now()));
      },
    );
  };
}
