// Compile-time ties between what the analytics compute and what the UI reads: contract.ts has
// no imports (the UI imports it), and the analytics layer cannot import the API layer, so the
// two sides declare their shapes separately. Each line below fails to compile when a computed
// result stops being assignable to the contract type the UI relies on. No runtime code.
import type { RolesResponse as RolesOut } from '../analytics/compute/roles.js';
import type { RfResponse } from '../analytics/compute/rf.js';
import type { TopologyResponse as TopologyOut } from '../analytics/compute/topology.js';
import type { ChannelsResponse as ChannelsOut } from '../analytics/compute/channels.js';
import type { HashSizesResponse as HashSizesOut } from '../analytics/compute/hash-sizes.js';
import type { HashCollisionsResponse as CollisionsOut } from '../analytics/compute/hash-collisions.js';
import type { RelayAirtimeResponse } from '../analytics/compute/relay-airtime.js';
import type { ScopeStatsResponse as ScopeOut } from '../analytics/compute/scope-stats.js';
import type { DistanceResponse as DistanceOut } from '../analytics/compute/distance.js';
import type { SubpathDetailResponse as DetailOut } from '../analytics/compute/subpaths.js';
import type { InspectResponse } from '../analytics/compute/paths-inspect.js';
import type { NodesClockSkewResponse } from '../analytics/compute/clock-skew-nodes.js';
import type { NeighborGraphResponse as GraphOut } from '../analytics/compute/neighbor-graph.js';
import type * as C from './contract.js';

/** What the route serves: object results carry their snapshot time (analytics-worker.ts). */
type Served<T> = T extends unknown[] ? T : T & { computedAt: string };
type Fits<Computed, Contract> = [Served<Computed>] extends [Contract] ? true : never;

export type ContractChecks = [
  Fits<RolesOut, C.RolesResponse>,
  Fits<RfResponse, C.RfAnalyticsResponse>,
  Fits<TopologyOut, C.TopologyResponse>,
  Fits<ChannelsOut, C.ChannelAnalyticsResponse>,
  Fits<HashSizesOut, C.HashSizesResponse>,
  Fits<CollisionsOut, C.HashCollisionsResponse>,
  Fits<RelayAirtimeResponse, C.RelayAirtimeShareResponse>,
  Fits<ScopeOut, C.ScopeStatsResponse>,
  Fits<DistanceOut, C.DistanceResponse>,
  Fits<DetailOut, C.SubpathDetailResponse>,
  Fits<InspectResponse, C.PathInspectResponse>,
  Fits<NodesClockSkewResponse, C.NodesClockSkewItem[]>,
  Fits<GraphOut, C.NeighborGraphResponse>,
];

/** Forces each check: a `never` above makes this assignment an error naming the index. */
export const contractChecks: ContractChecks = [
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
];
