// What every core route plugin receives (src/api/routes/core.ts builds it once).
import type { MeshlensConfig } from '../../config/types.js';
import type { ChannelKeyring } from '../../protocol/keyring.js';
import type { MemoryStore } from '../../store/memory/memory-store.js';
import { ActivityCounter } from './activity.js';
import { NodeDirectory } from './node-directory.js';

export interface CoreRoutesOptions {
  store: MemoryStore;
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
}

export interface CoreContext extends Required<Pick<CoreRoutesOptions, 'store' | 'config' | 'now'>> {
  options: CoreRoutesOptions;
  nodes: NodeDirectory;
  activity: ActivityCounter;
}

export function coreContext(options: CoreRoutesOptions): CoreContext {
  const now = options.now ?? Date.now;
  return {
    options,
    store: options.store,
    config: options.config,
    now,
    nodes: new NodeDirectory(options.store, options.config),
    activity: new ActivityCounter(options.store),
  };
}
