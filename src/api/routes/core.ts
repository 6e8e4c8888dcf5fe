// The core REST API (spec ingest-store-api §4.2, the ★ routes besides health/perf) as one plugin
// for buildApp's `routes`: stats, packets, traces, decode, nodes, observers, channels, config.
// Data routes answer 503 + Retry-After until `ready()` (the store load) says true (design.md:
// never serve partial data as if it were whole); config and decode answer at once.
import type { FastifyPluginAsync } from 'fastify';
import { notReady } from '../errors.js';
import { coreContext, type CoreRoutesOptions } from './context.js';
import { channelRoutes } from './channels.js';
import { configRoutes } from './config.js';
import { decodeRoutes } from './decode.js';
import { nodeRoutes } from './nodes.js';
import { observerRoutes } from './observers.js';
import { packetRoutes } from './packets.js';
import { statsRoutes } from './stats.js';

export type { CoreRoutesOptions } from './context.js';

export function coreRoutes(options: CoreRoutesOptions): FastifyPluginAsync {
  const ctx = coreContext(options);
  return async (api) => {
    await api.register(configRoutes(ctx));
    await api.register(decodeRoutes(ctx));
    await api.register(async (data) => {
      if (options.ready) {
        const ready = options.ready;
        data.addHook('onRequest', async () => {
          if (!ready()) throw notReady('store');
        });
      }
      await data.register(statsRoutes(ctx));
      await data.register(packetRoutes(ctx));
      await data.register(nodeRoutes(ctx));
      await data.register(observerRoutes(ctx));
      await data.register(channelRoutes(ctx));
    });
  };
}
