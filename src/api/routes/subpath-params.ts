// Parameters of the route-pattern routes (spec analytics §7.1), stricter than CoreScope: a
// malformed value is a 400 naming the parameter (CoreScope answers subpaths-bulk's bad `groups`
// and subpath-detail's short `hops` with status 200 and an error body, §1.2). Kept as CoreScope:
// minLen is clamped to ≥ 2, limit ≤ 0 means the default and a limit above
// `listLimits.analyticsMax` is clamped to it. Also clamped: maxLen to 8 (the index's longest
// subpath; CoreScope's region/window scan did not cap it).
import { apiError, type ApiError } from '../errors.js';
import { DEFAULT_SUBPATH_ARGS, type SubpathArgs } from '../../analytics/compute/subpaths.js';
import { MAX_SUBPATH, MIN_SUBPATH } from '../../analytics/shared/subpath-index.js';
import { hopCodeOf, NO_HOP } from '../../analytics/shared/hop-code.js';

/** Most groups one subpaths-bulk request may ask for. */
export const MAX_GROUPS = 16;
/** Most hops a subpath-detail request may name. */
export const MAX_DETAIL_HOPS = 64;

function bad(parameter: string, problem: string): ApiError & { parameter: string } {
  return Object.assign(apiError('MESHLENS_ERR_BAD_QUERY_PARAMETER', parameter, problem), { parameter });
}

function text(raw: Record<string, unknown>, name: string): string | undefined {
  const v = raw[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw bad(name, 'must be given once');
  return v.trim();
}

function int(raw: Record<string, unknown>, name: string): number | undefined {
  const v = text(raw, name);
  if (v === undefined || v === '') return undefined;
  if (!/^-?\d{1,9}$/.test(v)) throw bad(name, `must be an integer, got ${JSON.stringify(v)}`);
  return Number(v);
}

function limitOf(value: number | undefined, max: number): number {
  if (value === undefined || value <= 0) return Math.min(DEFAULT_SUBPATH_ARGS.limit, max);
  return Math.min(value, max);
}

/** One length range + limit, checked and clamped; `name` is the parameter blamed. */
function lengths(minLen: number, maxLen: number, limit: number, name: [string, string]): SubpathArgs {
  const lo = Math.max(MIN_SUBPATH, minLen);
  const hi = Math.min(MAX_SUBPATH, maxLen);
  if (hi < MIN_SUBPATH) throw bad(name[1], `must be at least ${MIN_SUBPATH}`);
  if (lo > hi) throw bad(name[0], `must not exceed maxLen (${hi})`);
  return { minLen: lo, maxLen: hi, limit };
}

/**
 * `minLen`, `maxLen`, `limit` of /analytics/subpaths: the value for the worker, and its cache
 * key; null for the default shape (the recomputer's snapshot).
 */
export function parseSubpathArgs(
  raw: Record<string, unknown>,
  analyticsMax: number,
): { value: SubpathArgs; key: string } | null {
  const d = DEFAULT_SUBPATH_ARGS;
  const args = lengths(
    int(raw, 'minLen') ?? d.minLen,
    int(raw, 'maxLen') ?? d.maxLen,
    limitOf(int(raw, 'limit'), analyticsMax),
    ['minLen', 'maxLen'],
  );
  if (args.minLen === d.minLen && args.maxLen === d.maxLen && args.limit === d.limit) return null;
  return { value: args, key: `${args.minLen}-${args.maxLen}:${args.limit}` };
}

const GROUP = /^(\d{1,3})-(\d{1,3}):(\d{1,9})$/;

/** `groups=2-2:50,3-3:30,…` of /analytics/subpaths-bulk (required), and its normalized key. */
export function parseGroups(
  raw: Record<string, unknown>,
  analyticsMax: number,
): { groups: SubpathArgs[]; key: string } {
  const v = text(raw, 'groups');
  if (v === undefined || v === '') throw bad('groups', 'is required, e.g. groups=2-2:50,3-3:30');
  const parts = v.split(',').map((p) => p.trim());
  if (parts.length > MAX_GROUPS) throw bad('groups', `may list at most ${MAX_GROUPS} groups`);
  const groups = parts.map((p) => {
    const m = GROUP.exec(p);
    if (!m) throw bad('groups', `has a malformed group ${JSON.stringify(p)} (want minLen-maxLen:limit)`);
    const limit = Number(m[3]);
    if (limit < 1) throw bad('groups', `has a group with limit 0 (${JSON.stringify(p)})`);
    return lengths(Number(m[1]), Number(m[2]), Math.min(limit, analyticsMax), ['groups', 'groups']);
  });
  return { groups, key: groups.map((g) => `${g.minLen}-${g.maxLen}:${g.limit}`).join(',') };
}

/** `hops=a,b,…` of /analytics/subpath-detail (≥ 2 hops of 1-3 bytes hex, one width) as hop codes. */
export function parseDetailHops(raw: Record<string, unknown>): number[] {
  const v = text(raw, 'hops');
  if (v === undefined || v === '') throw bad('hops', 'is required, e.g. hops=ab,cd');
  const parts = v.split(',').map((p) => p.trim());
  if (parts.length < 2) throw bad('hops', 'must name at least 2 hops');
  if (parts.length > MAX_DETAIL_HOPS) throw bad('hops', `may name at most ${MAX_DETAIL_HOPS} hops`);
  const codes = parts.map((p) => {
    const code = hopCodeOf(p);
    if (code === NO_HOP) throw bad('hops', `has ${JSON.stringify(p)}, not 1-3 bytes of hex`);
    return code;
  });
  if (parts.some((p) => p.length !== parts[0].length)) throw bad('hops', 'must all have the same width');
  return codes;
}
