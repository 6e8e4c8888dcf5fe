// Group channels the simulated users talk on (spec packet-format §6.1): the Public channel,
// hashtag channels whose keys derive from their names, and private channels with random keys
// that no analyzer has configured (they must decode as `no_key`/undecrypted).
import { hashtagKey, PUBLIC_CHANNEL_KEY } from '../protocol/crypto.js';
import type { Prng } from './prng.js';

export interface SimChannel {
  name: string;
  key: Uint8Array;
  /** An analyzer with the Public key and the hashtag list below can decrypt it. */
  known: boolean;
  /** Relative share of group traffic. */
  weight: number;
}

export const KNOWN_HASHTAGS = ['#test', '#mesh', '#emergency', '#wardriving', '#weather'];

export function makeChannels(rng: Prng): SimChannel[] {
  return [
    { name: 'Public', key: PUBLIC_CHANNEL_KEY, known: true, weight: 10 },
    ...KNOWN_HASHTAGS.map((name, i) => ({ name, key: hashtagKey(name), known: true, weight: 4 - (i % 3) })),
    // A hashtag nobody put in the analyzer's list, and two private channels.
    { name: '#secretclub', key: hashtagKey('#secretclub'), known: false, weight: 1 },
    { name: 'private-1', key: rng.bytes(16), known: false, weight: 2 },
    { name: 'private-2', key: rng.bytes(16), known: false, weight: 1 },
  ];
}
