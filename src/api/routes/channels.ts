// /api/channels and /api/channels/:hash/messages (spec ingest-store-api §4.2 "Channels"). A
// channel is a stored channel_hash value: the decrypted name (`#test`, `Public`) or `enc_XX`
// for GRP_TXT no key opened (listed only with includeEncrypted=true). The summary walks each
// channel's row list once per store version (and region) and is cached; a messages page is
// O(limit) through the channel's id-ordered list, or O(channel) with a region filter.
import type { FastifyPluginAsync } from 'fastify';
import { apiError } from '../errors.js';
import { NONE } from '../../store/memory/layout.js';
import type { RowList } from '../../store/memory/row-list.js';
import type { CoreContext } from './context.js';
import { pageLimit, parseRegions } from './params.js';
import { I, S, bestObservation, errorSchema, iso, nullable, obsSnr, observerLabel } from './render.js';

interface ChannelSummary {
  hash: string;
  name: string;
  encrypted: boolean;
  messageCount: number;
  lastActivity: string | null;
  lastMessage: string | null;
  lastSender: string | null;
}

function decoded(json: string): { text?: unknown; sender?: unknown; sender_timestamp?: unknown } {
  try {
    const v: unknown = JSON.parse(json);
    return v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
const strOrNull = (v: unknown) => (typeof v === 'string' ? v : null);

export function channelRoutes(ctx: CoreContext): FastifyPluginAsync {
  const { store, config } = ctx;
  const summaries = new Map<string, { version: string; channels: ChannelSummary[] }>();

  /** A region filter as a predicate on transmission rows (any observation in the regions). */
  const regionFilter = (regions: string[] | undefined): ((row: number) => boolean) | null => {
    if (!regions) return null;
    const all = store.regionLists();
    const lists = regions
      .map((c) => store.interns.regions.lookup(c))
      .map((id) => (id === NONE ? undefined : all.get(id)))
      .filter((l): l is RowList => l !== undefined);
    return (row) => lists.some((l) => l.has(row));
  };

  const summarize = (regions: string[] | undefined): ChannelSummary[] => {
    const version = `${store.transmissionCount}:${store.observationCount}`;
    const key = regions?.join(',') ?? '';
    const hit = summaries.get(key);
    if (hit?.version === version) return hit.channels;
    const accept = regionFilter(regions);
    const channels: ChannelSummary[] = [];
    for (const [name, id] of store.interns.channels.entries()) {
      const list = store.indexes.byChannel.get(id);
      if (!list || list.length === 0) continue;
      let count = 0;
      let last = -1;
      let lastMs = -Infinity;
      const rows = list.rows();
      for (let k = 0; k < rows.length; k++) {
        if (accept && !accept(rows[k])) continue;
        count++;
        const t = store.tx.get('firstSeenMs', rows[k]);
        if (t >= lastMs) [last, lastMs] = [rows[k], t];
      }
      if (count === 0) continue;
      const d = decoded(store.transmission(last).decodedJson);
      channels.push({
        hash: name,
        name,
        encrypted: name.startsWith('enc_'),
        messageCount: count,
        lastActivity: iso(lastMs),
        lastMessage: strOrNull(d.text),
        lastSender: strOrNull(d.sender),
      });
    }
    channels.sort(
      (a, b) => (b.lastActivity ?? '').localeCompare(a.lastActivity ?? '') || a.name.localeCompare(b.name),
    );
    if (summaries.size > 64) summaries.clear();
    summaries.set(key, { version, channels });
    return channels;
  };

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
        const channels = summarize(parseRegions(q.region, store, config.regions));
        return { channels: withEncrypted ? channels : channels.filter((c) => !c.encrypted) };
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
        const id = store.interns.channels.lookup(hash);
        const list = id === NONE ? undefined : store.indexes.byChannel.get(id);
        if (!list || list.length === 0) throw apiError('MESHLENS_ERR_NOT_FOUND', `channel ${hash}`);
        const limit = pageLimit(q.limit, 100, config.listLimits.channelMessagesMax);
        const offset = q.offset ?? 0;
        const accept = regionFilter(parseRegions(q.region, store, config.regions));
        let rows: number[];
        let total: number;
        if (!accept) {
          total = list.length;
          const end = Math.max(0, total - offset);
          rows = [];
          for (let k = Math.max(0, end - limit); k < end; k++) rows.push(list.at(k));
        } else {
          const matched: number[] = [];
          for (let k = list.length - 1; k >= 0; k--) if (accept(list.at(k))) matched.push(list.at(k));
          total = matched.length;
          rows = matched.slice(offset, offset + limit).reverse();
        }
        const messages = rows.map((row) => {
          const t = store.transmission(row);
          const d = decoded(t.decodedJson);
          const best = bestObservation(store, row);
          const observers = new Set<string>();
          for (const o of store.observationRows(row)) {
            const label = observerLabel(store, store.obs.get('observer', o));
            observers.add(label.name ?? label.id);
          }
          return {
            sender: strOrNull(d.sender),
            text: strOrNull(d.text),
            timestamp: iso(t.firstSeenMs),
            sender_timestamp: typeof d.sender_timestamp === 'number' ? d.sender_timestamp : null,
            packetId: t.id,
            packetHash: t.hash,
            repeats: store.tx.get('obsCount', row),
            observers: [...observers],
            hops: best === -1 ? null : store.obs.get('hopCount', best),
            snr: best === -1 ? null : obsSnr(store, best),
          };
        });
        return { channel: hash, total, limit, offset, messages };
      },
    );
  };
}
