// POST /api/decode (spec ingest-store-api §4.2): `{hex}` -> the same object `meshlens decode`
// prints: `{decoded, hash, signatureValid?}`. An undecodable frame is a 400 whose body carries
// the decoder's reason code (spec packet-format §13), e.g. `{"error": ..., "reason": "too_short"}`.
import type { FastifyPluginAsync } from 'fastify';
import { BadBodyError } from '../errors.js';
import { ChannelKeyring, decodePacket, toCoreScopeJson } from '../../protocol/index.js';
import { MAX_FRAME_SIZE } from '../../protocol/frame.js';
import { S, errorSchema } from './render.js';

export interface DecodeRoutesDeps {
  /** Channel keys to try (default: the Public channel only). */
  keyring?: ChannelKeyring;
}

export function decodeRoutes(deps: DecodeRoutesDeps): FastifyPluginAsync {
  const keyring = deps.keyring ?? ChannelKeyring.create();
  return async (app) => {
    app.post(
      '/decode',
      {
        schema: {
          summary: 'Decode one raw frame given as hex (spaces allowed)',
          tags: ['packets'],
          body: {
            type: 'object',
            properties: {
              // Hex of the largest frame, with room for a separator after every byte.
              hex: { type: 'string', minLength: 1, maxLength: MAX_FRAME_SIZE * 3 + 16 },
            },
            required: ['hex'],
          },
          response: {
            200: {
              type: 'object',
              properties: {
                decoded: { type: 'object', additionalProperties: true },
                hash: S,
                signatureValid: { type: 'boolean' },
              },
            },
            400: errorSchema,
          },
        },
      },
      async (request) => {
        const { hex } = request.body as { hex: string };
        const res = decodePacket(hex, { keyring, verifySignatures: true });
        if (!res.ok) throw new BadBodyError(res.error.code, `hex: ${res.error.code}: ${res.error.message}`);
        const p = res.packet;
        const out: { decoded: unknown; hash: string; signatureValid?: boolean } = {
          decoded: toCoreScopeJson(p),
          hash: p.hash,
        };
        if (p.payload.type === 'ADVERT' && 'signatureValid' in p.payload)
          out.signatureValid = p.payload.signatureValid as boolean;
        return out;
      },
    );
  };
}
