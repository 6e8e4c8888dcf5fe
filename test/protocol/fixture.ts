// Loads the shared CoreScope fixture (spec §11) from a temporary copy, read-only.
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ChannelKeyring } from '../../src/protocol/index.js';

export const FIXTURE_DIR = new URL('../fixtures/', import.meta.url);

export interface FixtureRow {
  id: number;
  raw_hex: string;
  hash: string;
  route_type: number;
  payload_type: number;
  decoded_json: string;
  channel_hash: string | null;
  from_pubkey: string | null;
}

let cached: FixtureRow[] | undefined;

export function fixtureRows(): FixtureRow[] {
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'meshlens-fixture-'));
  try {
    const file = join(dir, 'fixture.db');
    copyFileSync(new URL('corescope-staging.db', FIXTURE_DIR), file);
    const db = new Database(file, { readonly: true });
    cached = db
      .prepare(
        `SELECT id, raw_hex, hash, route_type, payload_type, decoded_json, channel_hash, from_pubkey
         FROM transmissions ORDER BY id`,
      )
      .all() as FixtureRow[];
    db.close();
    return cached;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function hashtagChannels(): Record<string, string> {
  return JSON.parse(readFileSync(new URL('hashtag-channels.json', FIXTURE_DIR), 'utf8'));
}

/** The built-in Public key plus the fixture's 297 named keys (spec §11). */
export function fixtureKeyring(): ChannelKeyring {
  return ChannelKeyring.create({ keys: hashtagChannels() });
}
