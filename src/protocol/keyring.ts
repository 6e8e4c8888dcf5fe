// Channel keys (spec §6.1, §6.4). CoreScope tries every configured key in random map order;
// meshlens pre-filters candidates by the channel-hash byte (the firmware's approach, and the
// recommendation of §6.4), which gives the same result on every fixture row and is faster.
import { ChannelCipher, channelHashByte, hashtagKey, PUBLIC_CHANNEL_KEY } from './crypto.js';

export interface ChannelKey {
  /** Display name: `#name` for hashtags, `Public` for the public channel. */
  name: string;
  secret: Uint8Array;
  hash: number;
  cipher: ChannelCipher;
}

export interface KeyringOptions {
  /** Include the well-known Public key (default true). */
  public?: boolean;
  /** `{ name: hexKey }`, e.g. the contents of hashtag-channels.json. */
  keys?: Record<string, string>;
  /** Hashtag channel names; `#` is prepended when missing (§6.1). */
  hashtags?: readonly string[];
  /** Explicit hex keys (32 or 64 hex digits), with an optional display name each. */
  hexKeys?: readonly (string | { name: string; key: string })[];
}

const HEX_KEY_RE = /^(?:[0-9a-fA-F]{32}|[0-9a-fA-F]{64})$/;

/** A channel called `public` in any casing is displayed as `Public` (§6.4). */
function displayName(name: string): string {
  return name.toLowerCase() === 'public' ? 'Public' : name;
}

/**
 * The set of channel secrets a decoder tries. Later additions take priority over earlier ones
 * (CoreScope's load order: Public, rainbow file, hashtag names, explicit keys) both when the
 * same secret is added twice under different names and when several candidates decrypt.
 */
export class ChannelKeyring {
  /** Candidates per channel-hash byte, highest priority first. */
  readonly #byHash: ChannelKey[][] = Array.from({ length: 256 }, () => []);
  readonly #bySecret = new Map<string, ChannelKey>();

  static create(opts: KeyringOptions = {}): ChannelKeyring {
    const ring = new ChannelKeyring();
    if (opts.public !== false) ring.add('Public', PUBLIC_CHANNEL_KEY);
    for (const [name, hex] of Object.entries(opts.keys ?? {})) ring.addHex(name, hex);
    for (const tag of opts.hashtags ?? []) ring.addHashtag(tag);
    for (const k of opts.hexKeys ?? []) {
      if (typeof k === 'string') ring.addHex(k.slice(0, 8).toLowerCase(), k);
      else ring.addHex(k.name, k.key);
    }
    return ring;
  }

  get size(): number {
    return this.#bySecret.size;
  }

  /** Adds a 16- or 32-byte secret under a display name. */
  add(name: string, secret: Uint8Array): this {
    if (secret.length !== 16 && secret.length !== 32) {
      throw new RangeError(`channel '${name}': secret must be 16 or 32 bytes, got ${secret.length}`);
    }
    const id = Buffer.from(secret).toString('hex');
    const old = this.#bySecret.get(id);
    if (old) {
      const list = this.#byHash[old.hash];
      list.splice(list.indexOf(old), 1);
    }
    const copy = Uint8Array.from(secret);
    const key: ChannelKey = {
      name: displayName(name),
      secret: copy,
      hash: channelHashByte(copy),
      cipher: new ChannelCipher(copy),
    };
    this.#bySecret.set(id, key);
    this.#byHash[key.hash].unshift(key);
    return this;
  }

  /** Adds a hex key; throws RangeError on malformed hex (configuration error, not input). */
  addHex(name: string, hex: string): this {
    if (!HEX_KEY_RE.test(hex)) {
      throw new RangeError(`channel '${name}': key must be 32 or 64 hex digits`);
    }
    return this.add(name, Buffer.from(hex, 'hex'));
  }

  /** Adds the derived key of a hashtag channel (§6.1). */
  addHashtag(name: string): this {
    const full = name.startsWith('#') ? name : `#${name}`;
    return this.add(full, hashtagKey(full));
  }

  /** Keys whose channel hash equals `hash`, highest priority first. Do not mutate. */
  candidates(hash: number): readonly ChannelKey[] {
    return this.#byHash[hash & 0xff];
  }

  keys(): ChannelKey[] {
    return [...this.#bySecret.values()];
  }
}
