// /api/channels and /api/channels/:hash/messages (spec ingest-store-api §4.2 "Channels"). A
// channel is a stored channel_hash value: the decrypted name (`#test`, `Public`) or `enc_XX`
// for GRP_TXT no key opened (listed only with includeEncrypted=true), plus (r2) hashtag channels
// discovered from #tags in decrypted text (`discovered: true`, from the read model).
// The read model caches the summaries per store version; a messages page is O(limit), or
// O(channel) with a region filter.
import type { FastifyPluginAsync } from 'fastify';
import type { ChannelItem } from '../contract.js';
import { apiError } from '../errors.js';
import type { KnownChannel } from '../../config/index.js';
import { channelHashByte, hashtagKey } from '../../protocol/index.js';
import type { ChannelSummary } from '../../store/read-model.js';
import type { ReadRoutesDeps } from './context.js';
import { pageLimit, parseList, parseRegions } from './params.js';
import { I, S, errorSchema, iso, nullable } from './render.js';

export interface ChannelRoutesDeps extends ReadRoutesDeps {
  /** i9b: the operator's catalogue (knownChannelsFile), or null when none is configured. */
  knownChannels?: readonly KnownChannel[] | null;
}

/** A catalogue entry with the hashtag key and channel-hash byte a client needs to monitor it. */
function knownChannelItem(c: KnownChannel) {
  const key = hashtagKey(c.name);
  return {
    name: c.name,
    region: c.region,
    description: c.description,
    key: Buffer.from(key).toString('hex'),
    channelHash: channelHashByte(key),
  };
}

const channelItem = (c: ChannelSummary): ChannelItem => ({
  hash: c.name,
  name: c.name,
  encrypted: c.encrypted,
  discovered: c.discovered,
  messageCount: c.messageCount,
  lastActivity: iso(c.lastActivityMs),
  lastMessage: c.lastMessage,
  lastSender: c.lastSender,
});

export function channelRoutes(deps: ChannelRoutesDeps): FastifyPluginAsync {
  const { model, config } = deps;
  // Keys derived once per catalogue, not per request (a SHA-256 per entry).
  const known = deps.knownChannels ? deps.knownChannels.map(knownChannelItem) : null;
  return async (app) => {
    app.get(
      '/channels',
      {
        schema: {
          summary: 'Channels with message counts and their latest message',
          tags: ['channels'],
          querystring: {
            type: 'object',
            properties: {
              region: { type: 'string' },
              includeEncrypted: { type: 'string', enum: ['true', 'false', '1', '0', ''] },
            },
          },
          response: {
            200: {
              type: 'object',
              properties: {
                channels: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      hash: S,
                      name: S,
                      encrypted: { type: 'boolean' },
                      discovered: {
                        type: 'boolean',
                        description:
                          'a hashtag channel found from a #tag in decrypted text (key derived from its name)',
                      },
                      messageCount: I,
                      lastActivity: nullable('string'),
                      lastMessage: nullable('string'),
                      lastSender: nullable('string'),
                    },
                  },
                },
              },
            },
            400: errorSchema,
          },
        },
      },
      async (request) => {
        const q = request.query as { region?: string; includeEncrypted?: string };
        const withEncrypted = q.includeEncrypted === 'true' || q.includeEncrypted === '1';
        const channels = model.channels(parseRegions(q.region, model, config.regions));
        return {
          channels: (withEncrypted ? channels : channels.filter((c) => !c.encrypted)).map(channelItem),
        };
      },
    );

    app.get(
      '/channels/:hash/messages',
      {
        schema: {
          summary:
            'Messages of one channel, oldest first within the page; offset counts back from the newest',
          tags: ['channels'],
          params: {
            type: 'object',
            properties: { hash: { type: 'string', minLength: 1, maxLength: 128 } },
            required: ['hash'],
          },
          querystring: {
            type: 'object',
            properties: {
              limit: { type: 'integer', description: 'default 100, max listLimits.channelMessagesMax' },
              offset: { type: 'integer', minimum: 0 },
              region: { type: 'string' },
            },
          },
          response: {
            200: {
              type: 'object',
              properties: {
                channel: S,
                total: I,
                limit: I,
                offset: I,
                messages: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      sender: nullable('string'),
                      text: nullable('string'),
                      timestamp: nullable('string'),
                      sender_timestamp: nullable('number'),
                      packetId: I,
                      packetHash: S,
                      repeats: I,
                      observers: { type: 'array', items: S },
                      hops: nullable('integer'),
                      snr: nullable('number'),
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
        const { hash } = request.params as { hash: string };
        const q = request.query as { limit?: number; offset?: number; region?: string };
        const limit = pageLimit(q.limit, 100, config.listLimits.channelMessagesMax);
        const offset = q.offset ?? 0;
        // An unknown channel is a 404 even when the region is bad too (the channel is checked first).
        let regions: string[] | undefined;
        let badRegion: unknown = null;
        try {
          regions = parseRegions(q.region, model, config.regions);
        } catch (err) {
          badRegion = err;
        }
        const page = model.channelMessages(hash, { limit, offset, regions });
        if (!page) throw apiError('MESHLENS_ERR_NOT_FOUND', `channel ${hash}`);
        if (badRegion !== null) throw badRegion;
        const total = page.total;
        const messages = page.items.map((m) => ({
          sender: m.sender,
          text: m.text,
          timestamp: iso(m.transmission.firstSeenMs),
          sender_timestamp: m.senderTimestamp,
          packetId: m.transmission.id,
          packetHash: m.transmission.hash,
          repeats: m.repeats,
          observers: m.observers,
          hops: m.hops,
          snr: m.snr,
        }));
        return { channel: hash, total, limit, offset, messages };
      },
    );

    app.get(
      '/known-channels',
      {
        schema: {
          summary:
            "The operator's hashtag-channel catalogue (knownChannelsFile); region= keeps that region's and region-less entries",
          tags: ['channels'],
          querystring: { type: 'object', properties: { region: { type: 'string' } } },
          response: {
            200: {
              type: 'object',
              properties: {
                channels: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      name: S,
                      region: nullable('string'),
                      description: nullable('string'),
                      key: S,
                      channelHash: I,
                    },
                  },
                },
                total: I,
              },
            },
            404: errorSchema,
          },
        },
      },
      async (request) => {
        if (known === null) throw apiError('MESHLENS_ERR_NO_KNOWN_CHANNELS');
        const q = request.query as { region?: string };
        const regions = parseList(q.region)
          ?.map((r) => r.toUpperCase())
          .filter((r) => r !== 'ALL');
        const wanted = regions && regions.length > 0 ? new Set(regions) : null;
        const channels = known.filter((c) => wanted === null || c.region === null || wanted.has(c.region));
        return { channels, total: channels.length };
      },
    );
  };
}
