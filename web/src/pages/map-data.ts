// The Map page's data: every positioned node (paged from /api/nodes), the filters applied to
// them, neighbour links, and one packet's path resolved to positions.
import type {
  HopCandidate,
  HealthThresholds,
  NeighborGraphResponse,
  NodeItem,
  NodesPage,
  ObservationItem,
  ResolveHopsResponse,
} from '../../../src/api/contract';
import { stats } from '../app/server-state';
import { api, apiPath } from '../app/api';
import { parseTime, safeJson } from '../app/format';
import { nodeStatus, roleKey, type NodeStatus, type RoleKey } from '../app/mesh';
import type { MapLink, MapNode, RoutePoint } from '../map';

export const PAGE_SIZE = 500;
export const MAP_ROLES: RoleKey[] = ['repeater', 'companion', 'room', 'sensor', 'observer', 'unknown'];

/** The last-heard windows of the filter (spec: 1 h to 30 d). */
export const HEARD_WINDOWS: { value: string; label: string; ms: number | null }[] = [
  { value: '', label: 'Any time', ms: null },
  { value: '1h', label: '1 hour', ms: 3_600_000 },
  { value: '6h', label: '6 hours', ms: 6 * 3_600_000 },
  { value: '24h', label: '24 hours', ms: 24 * 3_600_000 },
  { value: '7d', label: '7 days', ms: 7 * 86_400_000 },
  { value: '30d', label: '30 days', ms: 30 * 86_400_000 },
];

/** A node as the map page keeps it. */
export interface PlacedNode extends MapNode {
  item: NodeItem;
  lastHeardMs: number | null;
  status: NodeStatus;
  reason: string;
}

/** A position the map can draw: both coordinates finite and not the "unset" 0,0. */
export function hasPosition(n: { lat: number | null; lon: number | null }): boolean {
  return (
    typeof n.lat === 'number' &&
    typeof n.lon === 'number' &&
    Number.isFinite(n.lat) &&
    Number.isFinite(n.lon) &&
    !(n.lat === 0 && n.lon === 0) &&
    Math.abs(n.lat) <= 90
  );
}

/** The node fields the map reads: a quarter of the bytes of whole node records. */
const MAP_FIELDS = 'public_key,name,role,lat,lon,last_seen,last_heard';

/**
 * Every node of /api/nodes, PAGE_SIZE per request. The pages the shell's node count says exist
 * are asked for at once (one round trip, not two); any beyond that estimate (nodes that appeared
 * since) follow the first answer's `total`.
 */
export async function fetchAllNodes(region: string[], signal: AbortSignal): Promise<NodeItem[]> {
  const page = (offset: number) =>
    api<NodesPage>(
      apiPath('/nodes', {
        limit: PAGE_SIZE,
        offset,
        region: region.join(',') || undefined,
        fields: MAP_FIELDS,
      }),
      {
        signal,
      },
    );
  const estimate = stats.value?.totalNodesAllTime ?? 0;
  const early: number[] = [];
  for (let o = PAGE_SIZE; o < estimate; o += PAGE_SIZE) early.push(o);
  const [first, ...more] = await Promise.all([page(0), ...early.map(page)]);
  // The server caps `limit` at its nodesMax: with a smaller cap the parallel offsets leave gaps,
  // so page on by what it actually sends.
  if (first.limit < PAGE_SIZE) {
    const all = [...first.nodes];
    while (all.length < first.total) {
      const next = await page(all.length);
      if (next.nodes.length === 0) break;
      all.push(...next.nodes);
    }
    return all;
  }
  const late: number[] = [];
  for (let o = PAGE_SIZE * (early.length + 1); o < first.total; o += PAGE_SIZE) late.push(o);
  const rest = [...more, ...(await Promise.all(late.map(page)))];
  return [first, ...rest].flatMap((p) => p.nodes);
}

export function placeNodes(items: NodeItem[], th: HealthThresholds | null, now = Date.now()): PlacedNode[] {
  const out: PlacedNode[] = [];
  for (const item of items) {
    if (!hasPosition(item)) continue;
    const lastHeardMs = parseTime(item.last_heard ?? item.last_seen);
    const st = th ? nodeStatus(item.role, lastHeardMs, th, now) : { status: 'unknown' as const, reason: '' };
    out.push({
      id: item.public_key,
      lat: item.lat!,
      lon: item.lon!,
      role: roleKey(item.role),
      name: item.name ?? undefined,
      stale: st.status !== 'active',
      item,
      lastHeardMs,
      status: st.status,
      reason: st.reason,
    });
  }
  return out;
}

export interface MapFilters {
  roles: Set<RoleKey>;
  /** '' = all, 'active', 'stale' (degraded, silent or never heard). */
  status: string;
  heardMs: number | null;
  /** Only this node and its neighbours (null = all). */
  neighboursOf: string | null;
}

export function filterNodes(
  nodes: PlacedNode[],
  f: MapFilters,
  neighbourSet: Set<string> | null,
  now = Date.now(),
): PlacedNode[] {
  return nodes.filter(
    (n) =>
      f.roles.has(n.role) &&
      (f.status === '' || (f.status === 'active' ? !n.stale : n.stale)) &&
      (f.heardMs === null || (n.lastHeardMs !== null && now - n.lastHeardMs <= f.heardMs)) &&
      (neighbourSet === null || neighbourSet.has(n.id)),
  );
}

/** Neighbour-graph edges between two positioned nodes, as map links (optionally one node's). */
export function graphLinks(
  graph: NeighborGraphResponse | null,
  byKey: Map<string, PlacedNode>,
  only: string | null,
) {
  const links: MapLink[] = [];
  for (const e of graph?.edges ?? []) {
    if (only && e.source !== only && e.target !== only) continue;
    const a = byKey.get(e.source);
    const b = byKey.get(e.target);
    if (a && b) links.push({ a: [a.lat, a.lon], b: [b.lat, b.lon], ambiguous: e.ambiguous });
  }
  return links;
}

/** The node and its neighbours in the graph. */
export function neighbourKeys(graph: NeighborGraphResponse | null, pk: string): Set<string> {
  const s = new Set([pk]);
  for (const e of graph?.edges ?? []) {
    if (e.source === pk) s.add(e.target);
    if (e.target === pk) s.add(e.source);
  }
  return s;
}

/** One hop of a packet's path as the route panel lists it. */
export interface RouteHop {
  prefix: string;
  name: string | null;
  pubkey: string | null;
  ambiguous: boolean;
  candidates: number;
  point: RoutePoint | null;
}

export interface PacketRoute {
  hash: string;
  observer: string | null;
  hops: RouteHop[];
}

const placed = (c: HopCandidate | undefined) => (c && hasPosition(c) ? c : undefined);

/**
 * A path given as node keys or key prefixes (`#/map?prefixes=`, the path inspector's "Show on
 * map"), resolved against the loaded node list: a prefix that matches one node is placed; one
 * matching several is ambiguous (not placed).
 */
export function routeFromKeys(keys: string[], nodes: NodeItem[]): PacketRoute {
  const hops = keys.map((raw): RouteHop => {
    const prefix = raw.trim().toLowerCase();
    const matches = nodes.filter((n) => n.public_key.toLowerCase().startsWith(prefix));
    const node = matches.length === 1 ? matches[0] : undefined;
    const pos = node && hasPosition(node) ? node : undefined;
    return {
      prefix,
      name: node?.name ?? null,
      pubkey: node?.public_key ?? null,
      ambiguous: matches.length > 1,
      candidates: matches.length,
      point: pos ? { lat: pos.lat!, lon: pos.lon!, label: node?.name ?? prefix, ambiguous: false } : null,
    };
  });
  return { hash: '', observer: null, hops };
}

/** The path of one observation (`obs` id, else the first) resolved to positions. */
export async function fetchRoute(
  hash: string,
  obsId: string | null,
  signal: AbortSignal,
): Promise<PacketRoute> {
  const detail = await api<{ observations: ObservationItem[] }>(`/packets/${encodeURIComponent(hash)}`, {
    signal,
  });
  const obs = detail.observations.find((o) => String(o.id) === obsId) ?? detail.observations[0] ?? null;
  const path = safeJson<string[]>(obs?.path_json, []);
  if (path.length === 0) return { hash, observer: obs?.observer_name ?? null, hops: [] };
  const res = await api<ResolveHopsResponse>(
    apiPath('/resolve-hops', { hops: path.join(','), observer: obs?.observer_id }),
    { signal },
  );
  const hops = path.map((prefix): RouteHop => {
    const r = res.resolved[prefix];
    const chosen =
      r?.candidates.find((c) => c.pubkey === r.pubkey) ??
      (r?.candidates.length === 1 ? r.candidates[0] : undefined);
    const pos = placed(chosen);
    const ambiguous = Boolean(r?.ambiguous) || (r?.candidates.length ?? 0) > 1;
    const label = r?.name ?? prefix;
    return {
      prefix,
      name: r?.name ?? null,
      pubkey: r?.pubkey ?? null,
      ambiguous,
      candidates: r?.candidates.length ?? 0,
      point: pos ? { lat: pos.lat!, lon: pos.lon!, label, ambiguous } : null,
    };
  });
  return { hash, observer: obs?.observer_name ?? null, hops };
}

/**
 * The box holding the bulk of the nodes: the 2nd to 98th percentile of latitude and longitude
 * (all of them under 20 nodes), so one node with a bogus position does not zoom the map out to
 * a whole ocean. [[south, west], [north, east]].
 */
export function coreBounds(
  points: { lat: number; lon: number }[],
): [[number, number], [number, number]] | null {
  if (points.length === 0) return null;
  const lats = points.map((p) => p.lat).sort((a, b) => a - b);
  const lons = points.map((p) => p.lon).sort((a, b) => a - b);
  const cut = points.length < 20 ? 0 : Math.floor(points.length * 0.02);
  const hi = points.length - 1 - cut;
  return [
    [lats[cut]!, lons[cut]!],
    [lats[hi]!, lons[hi]!],
  ];
}
