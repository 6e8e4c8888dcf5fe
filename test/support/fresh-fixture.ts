// A copy of the CoreScope fixture with every time column shifted by one delta so that its
// newest time is "now" (as CoreScope's CI freshens its fixture before the server tests). The
// relative order and spacing of all times is kept; only routes that count recent data
// (last hour / 24 h / 7 d, "inactive" observers) see a difference. Times inside the packets
// (advert timestamps) are bytes of raw_hex and stay as they are.
import Database from 'better-sqlite3';
import { fixtureCopy, FIXTURE_NOW_MS } from './fixture.js';

/** Every time column of the fixture's schema (fixtures/README.md), with its stored format. */
export const FIXTURE_TIME_COLUMNS = [
  ['transmissions', 'first_seen'],
  ['transmissions', 'created_at'],
  ['observations', 'timestamp'],
  ['nodes', 'first_seen'],
  ['nodes', 'last_seen'],
  ['observers', 'first_seen'],
  ['observers', 'last_seen'],
  ['observers', 'last_packet_at'],
  ['neighbor_edges', 'last_seen'],
] as const;

const ISO = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?Z$/;
const SQLITE_DATETIME = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/;

/** One stored time moved by `deltaMs` (whole seconds), in the format it was stored in. */
export function shiftTime(value: unknown, deltaMs: number): unknown {
  if (value === null || value === '') return value;
  if (typeof value === 'number') return value + deltaMs / 1000; // epoch seconds
  if (typeof value !== 'string') throw new Error(`unexpected time value ${String(value)}`);
  const iso = ISO.exec(value);
  if (iso) {
    const shifted = new Date(Date.parse(value) + deltaMs).toISOString();
    return iso[2] === undefined ? shifted.replace(/\.\d{3}Z$/, 'Z') : shifted;
  }
  if (SQLITE_DATETIME.test(value))
    return new Date(Date.parse(`${value.replace(' ', 'T')}Z`) + deltaMs)
      .toISOString()
      .slice(0, 19)
      .replace('T', ' ');
  throw new Error(`unexpected time format '${value}'`);
}

/**
 * Copies the fixture into `dir` and shifts its times so that the newest one
 * (FIXTURE_NOW_MS) lands on `nowMs` (whole seconds). Returns the copy's path and the delta.
 */
export function freshFixtureCopy(
  dir: string,
  nowMs = Date.now(),
  name = 'fresh-fixture.db',
): { path: string; deltaMs: number } {
  const path = fixtureCopy(dir, name);
  const deltaMs = Math.floor((nowMs - FIXTURE_NOW_MS) / 1000) * 1000;
  const db = new Database(path);
  try {
    db.function('ml_shift_time', { deterministic: true }, (v: unknown) => shiftTime(v, deltaMs) as never);
    db.transaction(() => {
      for (const [table, column] of FIXTURE_TIME_COLUMNS)
        db.prepare(`UPDATE ${table} SET ${column} = ml_shift_time(${column})`).run();
    })();
  } finally {
    db.close();
  }
  return { path, deltaMs };
}
