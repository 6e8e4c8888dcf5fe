// The nine recomputed analytics (spec analytics §1.0, §2.2), the single source of truth for
// each: name, route path, config key for the recompute interval, the query parameters that
// apply, the TTL-cache key for other shapes, and the compute. Imported by both sides: the
// worker runs `compute`, the main thread reads the rest. The API route table, the benchmarks
// and the tests that visit all nine are derived from `ANALYTICS`: a new analytic is one entry
// here (plus its config key in config/types.ts).
//
// Every one of the nine is gated during warmup (spec §9 item 1; CoreScope gates only three).
import type { RecomputedAnalytic } from '../config/types.js';
import type { AnalyticsInput } from './inputs/input.js';
import type { AnalyticsQuery } from './shared/query.js';
import { computeTopology } from './compute/topology.js';
import { buildPathContext, type PathContext } from './shared/path-context.js';
import { computeRf } from './compute/rf.js';
import { computeDistance } from './compute/distance.js';
import { computeChannels } from './compute/channels.js';
import { computeHashSizes } from './compute/hash-sizes.js';
import { computeHashCollisions } from './compute/hash-collisions.js';
import { computeRoles } from './compute/roles.js';
import { buildClockSkewEngine, type ClockSkewEngine } from './shared/clock-skew-engine.js';
import { observersClockSkewFromEngine } from './compute/clock-skew-observers.js';
import { fleetFromEngine, type NodesClockSkewResponse } from './compute/clock-skew-nodes.js';
// t1: route patterns
import { computeSubpaths, type SubpathArgs } from './compute/subpaths.js';
import {
  buildSubpathIndex,
  NO_HIDING,
  type NodeVisibility,
  type SubpathIndex,
} from './shared/subpath-index.js';
import { computeRepeaterUsefulness } from './compute/repeater-usefulness.js'; // t3
// t5
import { computeRelayAirtime, type LoraPreset } from './compute/relay-airtime.js';
import { computeScopeStats } from './compute/scope-stats.js';
// t2
import { computeNeighborGraph, NEIGHBOR_GRAPH_DEFAULTS } from './compute/neighbor-graph.js';
import { QueryParamError } from './shared/query.js';

export const ANALYTIC_NAMES = [
  'topology',
  'rf',
  'distance',
  'channels',
  'hash-collisions',
  'hash-sizes',
  'roles',
  'observers-clock-skew',
  'nodes-clock-skew',
  // t1:
  'subpaths',
  // t3
  'repeater-usefulness',
  // t5
  'relay-airtime-share',
  'scope-stats',
  // t2
  'neighbor-graph',
] as const;
export type AnalyticName = (typeof ANALYTIC_NAMES)[number];

export type QueryParam = 'region' | 'area' | 'window';

/** Intermediates shared between analytics inside one worker (spec §9 item 2). */
export interface ComputeContext {
  /** The clock-skew engine over this input (built once, shared by both skews and roles). */
  engine(): ClockSkewEngine;
  /** The default-query fleet over this input, for roles. */
  fleet(): NodesClockSkewResponse;
  /** Best/first observation per tx and the hop resolver with its neighbour graph (topology, distance, hash-sizes). */
  paths(): PathContext;
  // t1:
  /** Subpath counts over every transmission's best path, lengths 2..8 (route patterns). */
  subpaths(): SubpathIndex;
}

// t1:
/**
 * What a compute gets besides input, query and context: the analytic's own parameters (null =
 * its defaults; see `api/routes` for their parsing) and which nodes answers must not show.
 */
export interface ComputeExtra {
  args: unknown;
  visibility: NodeVisibility;
  /** t5: config settings the compute reads (the worker has no config). */
  options?: AnalyticOptions;
}

export const NO_EXTRA: ComputeExtra = Object.freeze({ args: null, visibility: NO_HIDING });

export interface AnalyticSpec {
  name: AnalyticName;
  /** Route path under the API prefix (`/api`), e.g. `/analytics/rf`. */
  path: string;
  /** Key under `analytics.recomputeIntervalSeconds`. */
  configKey: RecomputedAnalytic;
  /** Query parameters the route accepts (spec §1.0 / §1.1); others are ignored. */
  params: readonly QueryParam[];
  /** `cacheTTL` key for non-default shapes, and its default in seconds (spec §1.3). */
  ttlKey: 'analyticsRF' | 'analyticsHashSizes';
  ttlDefaultS: number;
  /** Bare-array responses carry their age in a header only (no `computedAt` field). */
  shape: 'object' | 'array';
  /**
   * Analytics sharing an intermediate run on the same worker so it is built once per snapshot:
   * 'engine' (clock-skew engine: roles and both skews) or 'paths' (best observations and hop
   * resolver: topology, distance, hash-sizes); null runs anywhere.
   */
  group: 'engine' | 'paths' | null;
  compute(input: AnalyticsInput, query: AnalyticsQuery, ctx: ComputeContext, extra?: ComputeExtra): unknown;
  // t1:
  /** Names of the analytic's own query parameters besides region/area/window (route schema). */
  argNames?: readonly string[];
  /** t5: the route is written by hand in api/routes (its parameters differ from §1.1's); the loop skips it. */
  ownRoute?: boolean;
  // t2:
  /** Analytic-specific query parameters beyond region/area/window (absent: none). */
  extra?: ExtraParams;
}

/** t5: settings from the config that a compute needs (the worker has no config); set by the service. */
export interface AnalyticOptions {
  /** `analytics.loraPreset` (relay-airtime-share). */
  loraPreset?: LoraPreset;
}

/**
 * t2: an analytic's own query parameters. `parse` reads the raw query string values (throwing
 * QueryParamError) into `query.params`, every parameter present with its default filled in,
 * and a cache-key part naming the non-default ones (null = all defaults). `snapshots` are
 * further raw shapes kept as background snapshots like the default one. `server` names
 * parameters the service fills from the config (e.g. neighbor-graph's `maxEdgeKm`).
 */
export interface ExtraParams {
  parse(raw: Record<string, unknown>): { params: Record<string, string | number>; key: string | null };
  snapshots: ReadonlyArray<Record<string, string>>;
  server?: readonly string[];
}

const RWA: readonly QueryParam[] = ['region', 'area', 'window'];
const RA: readonly QueryParam[] = ['region', 'area'];
const rf = { ttlKey: 'analyticsRF', ttlDefaultS: 60 } as const;

export const ANALYTICS: readonly AnalyticSpec[] = [
  {
    name: 'topology',
    path: '/analytics/topology',
    configKey: 'topology',
    params: RWA,
    ...rf,
    shape: 'object',
    group: 'paths',
    compute: (input, query, ctx) => computeTopology(input, query, ctx.paths()),
  },
  {
    name: 'rf',
    path: '/analytics/rf',
    configKey: 'rf',
    params: RWA,
    ...rf,
    shape: 'object',
    group: 'paths',
    compute: computeRf,
  },
  {
    name: 'distance',
    path: '/analytics/distance',
    configKey: 'distance',
    params: RA,
    ...rf,
    shape: 'object',
    group: 'paths',
    compute: (input, query, ctx) => computeDistance(input, query, ctx.paths()),
  },
  {
    name: 'channels',
    path: '/analytics/channels',
    configKey: 'channels',
    params: RWA,
    ...rf,
    shape: 'object',
    group: null,
    compute: computeChannels,
  },
  {
    name: 'hash-collisions',
    path: '/analytics/hash-collisions',
    configKey: 'hashCollisions',
    params: RA,
    // CoreScope's (misleadingly named) key for the collision cache, 3600 s default (§1.3).
    ttlKey: 'analyticsHashSizes',
    ttlDefaultS: 3600,
    shape: 'object',
    group: null,
    compute: computeHashCollisions,
  },
  {
    name: 'hash-sizes',
    path: '/analytics/hash-sizes',
    configKey: 'hashSizes',
    params: RA,
    ...rf,
    shape: 'object',
    group: 'paths',
    compute: (input, query, ctx) => computeHashSizes(input, query, ctx.paths()),
  },
  {
    name: 'roles',
    path: '/analytics/roles',
    configKey: 'roles',
    params: [],
    ...rf,
    shape: 'object',
    group: 'engine',
    compute: (input, query, ctx) => computeRoles(input, query, ctx.fleet()),
  },
  {
    name: 'observers-clock-skew',
    path: '/observers/clock-skew',
    configKey: 'observersClockSkew',
    params: [],
    ...rf,
    shape: 'array',
    group: 'engine',
    compute: (_input, _query, ctx) => observersClockSkewFromEngine(ctx.engine()),
  },
  {
    name: 'nodes-clock-skew',
    path: '/nodes/clock-skew',
    configKey: 'nodesClockSkew',
    params: ['area'],
    ...rf,
    shape: 'array',
    group: 'engine',
    compute: (_input, query, ctx) => (query.area ? fleetFromEngine(ctx.engine(), query) : ctx.fleet()),
  },
  // t1: route patterns (spec §7.1). The default shape (minLen 2, maxLen 8, limit 100) is the
  // snapshot; other lengths and limits rank the snapshot's index on request, region/window count
  // their own. /subpaths-bulk and /subpath-detail read the same index (engine task kinds).
  {
    name: 'subpaths',
    path: '/analytics/subpaths',
    configKey: 'subpaths',
    params: ['region', 'window'],
    ...rf,
    shape: 'object',
    group: 'paths',
    argNames: ['minLen', 'maxLen', 'limit'],
    compute: (input, query, ctx, extra = NO_EXTRA) =>
      computeSubpaths(
        input,
        query,
        ctx.paths(),
        () => ctx.subpaths(),
        extra.args as SubpathArgs | null,
        extra.visibility,
      ),
  },
  // t3: repeater enrichment and usefulness (spec analytics §7.7). Its snapshot feeds the per-node
  // table /api/nodes reads (engine/repeater-table.ts); the route exists because every entry has one.
  {
    name: 'repeater-usefulness',
    path: '/analytics/repeater-usefulness',
    configKey: 'repeaterUsefulness',
    params: [],
    ...rf,
    shape: 'object',
    group: 'paths',
    compute: (input, query, ctx) => computeRepeaterUsefulness(input, query, ctx.paths()),
  },
  // t5: relay airtime share (spec analytics §7.6) and transport-scope statistics (ingest-store-api §4.2).
  {
    name: 'relay-airtime-share',
    path: '/analytics/relay-airtime-share',
    configKey: 'relayAirtimeShare',
    params: ['window'],
    ...rf,
    shape: 'object',
    group: 'paths',
    compute: (input, query, ctx, extra) =>
      computeRelayAirtime(input, query, ctx.paths(), extra?.options?.loraPreset),
  },
  {
    name: 'scope-stats',
    path: '/scope-stats',
    configKey: 'scopeStats',
    params: ['window'],
    // CoreScope caches scope-stats 30 s; other windows use the rf TTL key like the rest.
    ...rf,
    shape: 'object',
    group: null,
    ownRoute: true,
    compute: (input, query) => computeScopeStats(input, query),
  },
  // t2: the neighbour graph (spec analytics §7.5), over the path context's one edge tally.
  {
    name: 'neighbor-graph',
    path: '/analytics/neighbor-graph',
    configKey: 'neighborGraph',
    params: ['region'],
    ...rf,
    shape: 'object',
    group: 'paths',
    compute: (input, query, ctx) => computeNeighborGraph(input, query, ctx.paths()),
    extra: {
      parse: parseNeighborGraphParams,
      // The UI's shape (CoreScope pre-renders both).
      snapshots: [{ min_count: '1', min_score: '0' }],
      server: ['maxEdgeKm'],
    },
  },
];

/** t2: one raw query value (a repeated parameter is an error). */
function rawParam(raw: Record<string, unknown>, name: string): string | undefined {
  const v = raw[name];
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string') throw new QueryParamError(name, 'must be given once');
  return v;
}

/** t2: min_count (integer ≥ 1), min_score (0..1), role (a role name) of the neighbour graph. */
export function parseNeighborGraphParams(raw: Record<string, unknown>): {
  params: Record<string, string | number>;
  key: string | null;
} {
  const d = NEIGHBOR_GRAPH_DEFAULTS;
  const params: Record<string, string | number> = { min_count: d.minCount, min_score: d.minScore };
  const key: string[] = [];
  const mc = rawParam(raw, 'min_count');
  if (mc !== undefined) {
    const v = /^\d{1,9}$/.test(mc) ? Number(mc) : NaN;
    if (!(v >= 1))
      throw new QueryParamError('min_count', `must be an integer >= 1, got ${JSON.stringify(mc)}`);
    params.min_count = v;
  }
  const ms = rawParam(raw, 'min_score');
  if (ms !== undefined) {
    const v = /^\d*\.?\d+$/.test(ms) ? Number(ms) : NaN;
    if (!(v >= 0 && v <= 1))
      throw new QueryParamError('min_score', `must be a number from 0 to 1, got ${JSON.stringify(ms)}`);
    params.min_score = v;
  }
  const role = rawParam(raw, 'role');
  if (role !== undefined) {
    if (!/^[A-Za-z_ -]{1,32}$/.test(role))
      throw new QueryParamError('role', `must be a role name, got ${JSON.stringify(role)}`);
    params.role = role.trim().toLowerCase();
  }
  if (params.min_count !== d.minCount) key.push(`min_count=${params.min_count}`);
  if (params.min_score !== d.minScore) key.push(`min_score=${params.min_score}`);
  if (params.role !== undefined) key.push(`role=${params.role}`);
  return { params, key: key.length === 0 ? null : key.join('&') };
}

export const ANALYTIC_BY_NAME: ReadonlyMap<AnalyticName, AnalyticSpec> = new Map(
  ANALYTICS.map((a) => [a.name, a]),
);

/** A ComputeContext that builds each intermediate at most once over `input`. */
export function lazyContext(input: AnalyticsInput): ComputeContext {
  let engine: ClockSkewEngine | undefined;
  let fleet: NodesClockSkewResponse | undefined;
  let paths: PathContext | undefined;
  let subpaths: SubpathIndex | undefined; // t1
  const ctx: ComputeContext = {
    paths: () => (paths ??= buildPathContext(input)),
    // t1:
    subpaths: () => (subpaths ??= buildSubpathIndex(input, ctx.paths().best, ctx.paths().resolver, null)),
    engine: () => (engine ??= buildClockSkewEngine(input)),
    fleet: () =>
      (fleet ??= fleetFromEngine(ctx.engine(), { regions: null, fromMs: null, toMs: null, area: null })),
  };
  return ctx;
}
