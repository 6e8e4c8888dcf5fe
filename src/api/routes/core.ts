// The core REST API (spec ingest-store-api §4.2, the ★ routes besides health/perf) as one plugin
// for buildApp's `routes`: stats, packets, traces, decode, nodes, observers, channels, config.
// Data routes answer 503 + Retry-After until `ready()` (the store load) says true (design.md:
// never serve partial data as if it were whole); config and decode answer at once.
import type { FastifyPluginAsync } from 'fastify';
import type { KnownChannel } from '../../config/index.js';
import type { GeoFilterStore } from '../../config/geo-filter.js';
import type { MeshlensConfig } from '../../config/types.js';
import type { ChannelKeyring } from '../../protocol/keyring.js';
import type { MeshReadModel } from '../../store/read-model.js';
import { notReady } from '../errors.js';
import type { RepeaterLookup } from '../../analytics/engine/repeater-table.js';
import { channelRoutes } from './channels.js';
import { configRoutes } from './config.js';
import { decodeRoutes } from './decode.js';
import { nodeBatteryRoutes } from './node-battery.js';
import { nodeRoutes } from './nodes.js';
import { observerRoutes } from './observers.js';
import { packetRoutes } from './packets.js';
import { packetLayoutRoutes } from './packet-layout.js';
import { statsRoutes } from './stats.js';

import type { HopAffinity } from './nodes.js';
import type { PacketFilterRunner } from './packet-filter.js';

export interface CoreRoutesDeps {
  /** The store's read model (e.g. MemoryReadModel over the memory store). */
  model: MeshReadModel;
  config: Readonly<MeshlensConfig>;
  /** Channel keys for POST /api/decode (default: the Public channel only). */
  keyring?: ChannelKeyring;
  /** Clock for relative windows (lastHeard, packetsLastHour, since=24h); default Date.now. */
  now?: () => number;
  /** Data routes answer 503 + Retry-After until this says true (the store load). Default: ready. */
  ready?: () => boolean;
  /** theme.json beside the config, merged over the config's UI keys (spec §4.2 /config/theme). */
  themeOverlay?: Record<string, unknown>;
  /** Ingest's count of adverts dropped for a bad signature (for /api/stats). */
  signatureDrops?: () => number;
  /** i9b: the knownChannelsFile catalogue, or null/absent when none is configured (404). */
  knownChannels?: readonly KnownChannel[] | null;
  /** The geo filter in force, for /api/config/client's `geoFilter`. */
  geoFilter?: GeoFilterStore;
  /** t3: the latest repeater-usefulness table for /api/nodes and node detail (null: fields null). */
  repeaters?: RepeaterLookup | null;
  // t2:
  /** The neighbour-graph edge between two full keys (latest snapshot), for /api/resolve-hops. */
  affinity?: HopAffinity;
  /** GET /api/packets?filter= in the analytics workers (absent: filter answers 400). */
  packetFilter?: PacketFilterRunner | null;
}

export function coreRoutes(deps: CoreRoutesDeps): FastifyPluginAsync {
  const read = { model: deps.model, config: deps.config, now: deps.now ?? Date.now };
  return async (api) => {
    await api.register(configRoutes({ ...read, themeOverlay: deps.themeOverlay, geoFilter: deps.geoFilter }));
    await api.register(decodeRoutes({ keyring: deps.keyring }));
    await api.register(async (data) => {
      if (deps.ready) {
        const ready = deps.ready;
        data.addHook('onRequest', async () => {
          if (!ready()) throw notReady('store');
        });
      }
      await data.register(statsRoutes({ ...read, signatureDrops: deps.signatureDrops }));
      await data.register(packetRoutes({ ...read, packetFilter: deps.packetFilter ?? null }));
      await data.register(packetLayoutRoutes({ model: deps.model, keyring: deps.keyring }));
      await data.register(
        nodeRoutes({ ...read, repeaters: deps.repeaters ?? null, affinity: deps.affinity }), // t3, t2
      );
      await data.register(nodeBatteryRoutes(read));
      await data.register(observerRoutes(read));
      await data.register(channelRoutes({ ...read, knownChannels: deps.knownChannels ?? null }));
    });
  };
}
