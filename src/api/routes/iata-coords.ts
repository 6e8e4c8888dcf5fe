// GET /api/iata-coords (spec ingest-store-api §4.2 "Config"): the built-in airport table
// (api/data/iata-airports.ts) as `{coords: {IATA: {lat, lon, radiusKm}}}`, built once.
import type { FastifyPluginAsync } from 'fastify';
import { AIRPORTS, DEFAULT_RADIUS_KM, RADIUS_KM } from '../data/iata-airports.js';

export function iataCoordsRoutes(): FastifyPluginAsync {
  const body = {
    coords: Object.fromEntries(
      Object.keys(AIRPORTS)
        .sort()
        .map((code) => {
          const [lat, lon] = AIRPORTS[code];
          return [code, { lat, lon, radiusKm: RADIUS_KM[code] ?? DEFAULT_RADIUS_KM }];
        }),
    ),
  };
  return async (app) => {
    app.get(
      '/iata-coords',
      {
        schema: {
          summary: 'Built-in airport table: IATA code -> {lat, lon, radiusKm}',
          tags: ['config'],
          response: {
            200: {
              type: 'object',
              properties: {
                coords: {
                  type: 'object',
                  additionalProperties: {
                    type: 'object',
                    properties: {
                      lat: { type: 'number' },
                      lon: { type: 'number' },
                      radiusKm: { type: 'number' },
                    },
                  },
                },
              },
            },
          },
        },
      },
      async () => body,
    );
  };
}
