// Data helpers of the node pages: the whole node list (paged from /api/nodes), client-side
// filtering and sorting (the API sorts by three keys only; the list sorts by any column), and
// node status from the server's thresholds.
import type { NodeItem, NodesPage, RoleCounts } from '../../../src/api/contract';
import { api, apiPath } from '../app/api';
import { parseTime } from '../app/format';
import { nodeStatus, roleKey, type NodeStatus } from '../app/mesh';
import { clientConfig } from '../app/server-state';

/** Nodes per request (the server's listLimits.nodesMax is 2000 by default). */
const PAGE = 500;

export interface AllNodes {
  nodes: NodeItem[];
  total: number;
  counts: RoleCounts;
}

/** Every node (of the regions), fetched page by page; `onPage` sees each partial list. */
export async function fetchAllNodes(
  region: string[],
  signal: AbortSignal,
  onPage?: (partial: AllNodes) => void,
): Promise<AllNodes> {
  let max = Math.min(PAGE, clientConfig.value?.listLimits.nodesMax ?? PAGE);
  const nodes: NodeItem[] = [];
  // The next offset is what the server actually sent: it caps `limit` at its own nodesMax,
  // which the client config may not have told us yet.
  for (let offset = 0; ; offset = nodes.length) {
    const params: Record<string, string | number> = { limit: max, offset };
    if (region.length > 0) params.region = region.join(',');
    const page = await api<NodesPage>(apiPath('/nodes', params), { signal });
    max = Math.min(max, page.limit);
    nodes.push(...page.nodes);
    const out = { nodes, total: page.total, counts: page.counts };
    if (page.nodes.length === 0 || nodes.length >= page.total) return out;
    onPage?.({ ...out, nodes: nodes.slice() });
  }
}

export const lastHeardMs = (n: NodeItem): number | null => parseTime(n.last_heard ?? n.last_seen);

/** The node's status by the per-role thresholds of /api/config/client (null before it loads). */
export function statusOf(
  n: Pick<NodeItem, 'role' | 'last_heard' | 'last_seen'>,
  opts: { companionThresholds?: boolean; now?: number } = {},
): { status: NodeStatus; reason: string } {
  const th = clientConfig.value?.healthThresholds;
  const heard = parseTime(n.last_heard ?? n.last_seen);
  if (!th) return { status: 'unknown', reason: 'thresholds not loaded yet' };
  // Home uses the companion thresholds for every node (spec §2.2).
  const role = opts.companionThresholds ? 'companion' : n.role;
  return nodeStatus(role, heard, th, opts.now);
}

export type Tab = 'all' | 'repeater' | 'room' | 'companion' | 'sensor' | 'favourites';
export const TABS: {
  id: Tab;
  label: string;
  count: (c: RoleCounts, total: number, favs: number) => number;
}[] = [
  { id: 'all', label: 'All', count: (_c, t) => t },
  { id: 'repeater', label: 'Repeaters', count: (c) => c.repeaters },
  { id: 'room', label: 'Rooms', count: (c) => c.rooms },
  { id: 'companion', label: 'Companions', count: (c) => c.companions },
  { id: 'sensor', label: 'Sensors', count: (c) => c.sensors },
  { id: 'favourites', label: 'Favourites', count: (_c, _t, f) => f },
];

/** The server's search: the key starts with the needle, or the name contains it (case-blind). */
export function matchesSearch(n: NodeItem, needle: string): boolean {
  const q = needle.trim().toLowerCase();
  if (q === '') return true;
  return n.public_key.toLowerCase().startsWith(q) || (n.name ?? '').toLowerCase().includes(q);
}

export function inTab(n: NodeItem, tab: Tab, favs: ReadonlySet<string>): boolean {
  if (tab === 'all') return true;
  if (tab === 'favourites') return favs.has(n.public_key.toLowerCase());
  return (n.role ?? '').toLowerCase() === tab;
}

export type SortKey = 'name' | 'key' | 'role' | 'heard' | 'first' | 'adverts';
export interface Sort {
  key: SortKey;
  asc: boolean;
}
export const SORT_KEYS: SortKey[] = ['name', 'key', 'role', 'heard', 'first', 'adverts'];
/** Last heard, newest first: who is on the air now. */
export const DEFAULT_SORT: Sort = { key: 'heard', asc: false };

/** `sort=col[:asc|:desc]` from the URL (spec §6). */
export function parseSort(s: string | null): Sort {
  if (!s) return DEFAULT_SORT;
  const [k, dir] = s.split(':');
  if (!SORT_KEYS.includes(k as SortKey)) return DEFAULT_SORT;
  const key = k as SortKey;
  return { key, asc: dir === undefined ? key === 'name' || key === 'key' || key === 'role' : dir === 'asc' };
}
export const formatSort = (s: Sort) => `${s.key}:${s.asc ? 'asc' : 'desc'}`;

type Getter = (n: NodeItem) => string | number | null;
const GET: Record<SortKey, Getter> = {
  name: (n) => (n.name ?? '').toLowerCase() || null,
  key: (n) => n.public_key.toLowerCase(),
  role: (n) => roleKey(n.role),
  heard: (n) => lastHeardMs(n),
  first: (n) => parseTime(n.first_seen),
  adverts: (n) => n.advert_count,
};

/** Sorted copy; missing values (no name, never heard) always last. */
export function sortNodes(list: readonly NodeItem[], s: Sort): NodeItem[] {
  const get = GET[s.key];
  const dir = s.asc ? 1 : -1;
  return list
    .map((n) => ({ n, v: get(n) }))
    .sort((a, b) => {
      if (a.v === null || b.v === null) return a.v === b.v ? 0 : a.v === null ? 1 : -1;
      const c = typeof a.v === 'number' ? a.v - (b.v as number) : String(a.v).localeCompare(String(b.v));
      return c * dir || a.n.public_key.localeCompare(b.n.public_key);
    })
    .map((x) => x.n);
}

/** Names carried by more than one node (lower-cased). */
export function duplicateNames(list: readonly NodeItem[]): Set<string> {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const n of list) {
    const k = (n.name ?? '').trim().toLowerCase();
    if (k === '') continue;
    if (seen.has(k)) dup.add(k);
    else seen.add(k);
  }
  return dup;
}
