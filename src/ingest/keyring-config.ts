// Channel keys from the configuration (spec ingest-store-api §1.6 "Channel decryption happens at
// ingest"), lowest to highest priority: the built-in Public key, the rainbow file
// (`channelKeysPath` / env CHANNEL_KEYS_PATH, `{ "#name": "hex key" }` such as
// hashtag-channels.json), `hashChannels[]` (key = SHA-256("#name")[0:16]), explicit `channelKeys{}`.
import { readFileSync } from 'node:fs';
import { ChannelKeyring } from '../protocol/index.js';

export interface KeyringConfig {
  channelKeys: Record<string, string>;
  hashChannels: readonly string[];
  channelKeysPath: string;
}

/** Builds the keyring; throws an Error naming the key and the problem on a bad file or key. */
export function keyringFromConfig(config: KeyringConfig): ChannelKeyring {
  let fileKeys: Record<string, string> = {};
  if (config.channelKeysPath !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(config.channelKeysPath, 'utf8'));
    } catch (err) {
      throw new Error(`channelKeysPath '${config.channelKeysPath}': ${(err as Error).message}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error(`channelKeysPath '${config.channelKeysPath}': expected an object of name -> hex key`);
    for (const [name, key] of Object.entries(parsed)) {
      if (typeof key !== 'string') throw new Error(`channelKeysPath: key of '${name}' is not a string`);
    }
    fileKeys = parsed as Record<string, string>;
  }
  try {
    const ring = ChannelKeyring.create({ keys: fileKeys, hashtags: config.hashChannels });
    for (const [name, key] of Object.entries(config.channelKeys)) ring.addHex(name, key);
    return ring;
  } catch (err) {
    throw new Error(`channel keys: ${(err as Error).message}`);
  }
}
