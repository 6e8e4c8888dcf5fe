// Public surface of the configuration module.
export { defaultConfig } from './defaults.js';
export { ConfigError, defaultTopic, loadConfig } from './load.js';
export type { ConfigOverrides, LoadConfigOptions, LoadedConfig } from './load.js';
export { minApiKeyLength, weakApiKeyReason } from './api-key.js';
export type * from './types.js';
export { loadKnownChannels, type KnownChannel } from './known-channels.js';
