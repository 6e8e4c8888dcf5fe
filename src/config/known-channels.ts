// The known-channels catalogue (i9b; spec ingest-store-api §4.2 `/known-channels`, §6): a JSON
// file the operator supplies (`knownChannelsFile`), a list of `{name, region?, description?}`.
// CoreScope fetched a community catalogue from `knownChannelsUrl` every 24 h; meshlens never
// fetches anything from the internet, so the file is read once at start, and a bad file is a
// config error there (every problem listed), never a half-read catalogue.
import { readFileSync } from 'node:fs';
import { ConfigError } from './load.js';

export interface KnownChannel {
  /** Channel name as users type it, e.g. `#test`. */
  name: string;
  /** IATA code the channel belongs to (uppercase), or null for everywhere. */
  region: string | null;
  description: string | null;
}

const KEYS = new Set(['name', 'region', 'description']);

/** Reads and checks the catalogue; throws ConfigError naming the file and each bad entry. */
export function loadKnownChannels(path: string): KnownChannel[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(`knownChannelsFile ${path}`, [(err as Error).message]);
  }
  if (!Array.isArray(parsed))
    throw new ConfigError(`knownChannelsFile ${path}`, [
      '(top level): must be a JSON array of {name, region?, description?}',
    ]);
  const problems: string[] = [];
  const out: KnownChannel[] = [];
  parsed.forEach((entry: unknown, i) => {
    const at = `[${i}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      problems.push(`${at}: must be an object {name, region?, description?}`);
      return;
    }
    const e = entry as Record<string, unknown>;
    const before = problems.length;
    for (const k of Object.keys(e))
      if (!KEYS.has(k) && !k.startsWith('_comment'))
        problems.push(`${at}.${k}: unknown key (name, region, description)`);
    if (typeof e.name !== 'string' || e.name.trim() === '' || e.name.length > 64)
      problems.push(`${at}.name: must be a non-empty string of at most 64 characters`);
    if (
      e.region !== undefined &&
      e.region !== null &&
      (typeof e.region !== 'string' || !/^[A-Za-z0-9]{2,8}$/.test(e.region))
    )
      problems.push(`${at}.region: must be an IATA-style code (2-8 letters or digits)`);
    if (e.description !== undefined && e.description !== null && typeof e.description !== 'string')
      problems.push(`${at}.description: must be a string`);
    if (problems.length > before) return;
    out.push({
      name: (e.name as string).trim(),
      region: typeof e.region === 'string' ? e.region.toUpperCase() : null,
      description: typeof e.description === 'string' ? e.description : null,
    });
  });
  if (problems.length > 0) throw new ConfigError(`knownChannelsFile ${path}`, problems);
  return out;
}
