// GET /api/packets/:id/layout (meshlens addition, issue 11): the stored frame of one
// transmission split into contiguous byte fields by the protocol layer's frameLayout, for the
// packet detail's field table and hex dump. The browser has no decoder of its own.
import type { FastifyPluginAsync } from 'fastify';
import type { PacketLayout } from '../contract.js';
import { apiError } from '../errors.js';
import { frameLayout } from '../../protocol/frame-layout.js';
import { parseHex } from '../../protocol/hex.js';
import { ChannelKeyring } from '../../protocol/keyring.js';
import type { MeshReadModel } from '../../store/read-model.js';
import { I, S, errorSchema, nullable } from './render.js';

export interface PacketLayoutDeps {
  model: MeshReadModel;
  /** Channel keys for GRP_TXT/GRP_DATA (as POST /api/decode). */
  keyring?: ChannelKeyring;
}

const fieldSchema = {
  type: 'object',
  properties: {
    offset: I,
    length: I,
    key: S,
    name: S,
    kind: S,
    value: S,
    description: S,
    status: { type: 'string', enum: ['ok', 'truncated', 'malformed', 'extra', 'invalid'] },
    bits: {
      type: 'array',
      items: {
        type: 'object',
        properties: { name: S, mask: I, value: I, label: S },
      },
    },
  },
} as const;

const schema = {
  summary: "A transmission's raw frame as contiguous byte fields (offset, length, value, description)",
  tags: ['packets'],
  params: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
  response: {
    200: {
      type: 'object',
      properties: {
        id: I,
        hash: S,
        raw_hex: S,
        length: I,
        fields: { type: 'array', items: fieldSchema },
        error: {
          type: ['object', 'null'],
          properties: { code: S, message: S, offset: nullable('integer') },
        },
        payload_error: nullable('string'),
        signature: { type: ['string', 'null'], enum: ['verified', 'invalid', 'not_checked', null] },
        decrypted: {
          type: ['object', 'null'],
          properties: { channel: S, text: S, message: S, sender: nullable('string') },
        },
      },
    },
    404: errorSchema,
  },
};

export function packetLayoutRoutes(deps: PacketLayoutDeps): FastifyPluginAsync {
  const keyring = deps.keyring ?? ChannelKeyring.create();
  return async (app) => {
    app.get('/packets/:id/layout', { schema }, async (request): Promise<PacketLayout> => {
      const { id } = request.params as { id: string };
      const summary = deps.model.transmission(id);
      if (!summary) throw apiError('MESHLENS_ERR_NOT_FOUND', `packet ${id}`);
      const t = summary.transmission;
      const parsed = parseHex(t.rawHex);
      const layout = frameLayout(parsed.ok ? parsed.bytes : new Uint8Array(0), {
        keyring,
        verifySignatures: true,
      });
      const d = layout.decrypted;
      return {
        id: t.id,
        hash: t.hash,
        raw_hex: t.rawHex,
        length: layout.length,
        fields: layout.fields,
        error: layout.error ? { ...layout.error, offset: layout.error.offset ?? null } : null,
        payload_error: layout.payloadError ?? null,
        signature: layout.signature ?? null,
        decrypted: d ? { ...d, sender: d.sender ?? null } : null,
      };
    });
  };
}
