// The nodes the live map can place: every node with a position, paged from /api/nodes (most
// recently seen first, up to clientConfig.liveMapMaxNodes), kept by full key. A hop prefix is
// resolved here when the packet came without a resolved path (replayed history): only when
// exactly one known node has that prefix, as the server does (ambiguous stays null).
import type { NodeItem, NodesPage } from '../../../../src/api/contract';
import { api } from '../../app/api';

export interface MapNode {
  key: string;
  name: string | null;
  role: string | null;
  lat: number;
  lon: number;
  lastHeard: string | null;
}

const PAGE = 500;

export async function loadNodes(max: number, signal?: AbortSignal): Promise<Map<string, MapNode>> {
  const out = new Map<string, MapNode>();
  for (let offset = 0; offset < max; offset += PAGE) {
    const limit = Math.min(PAGE, max - offset);
    const page = await api<NodesPage>(`/nodes?limit=${limit}&offset=${offset}&sortBy=lastSeen`, { signal });
    for (const n of page.nodes) addNode(out, n);
    if (page.nodes.length < limit || offset + limit >= page.total) break;
  }
  return out;
}

export function addNode(
  into: Map<string, MapNode>,
  n: Pick<NodeItem, 'public_key' | 'name' | 'role' | 'lat' | 'lon'> & {
    last_heard?: string | null;
    last_seen?: string | null;
  },
): void {
  if (n.lat === null || n.lon === null || (n.lat === 0 && n.lon === 0)) return;
  if (!Number.isFinite(n.lat) || !Number.isFinite(n.lon)) return;
  into.set(n.public_key.toLowerCase(), {
    key: n.public_key.toLowerCase(),
    name: n.name,
    role: n.role,
    lat: n.lat,
    lon: n.lon,
    lastHeard: n.last_heard ?? n.last_seen ?? null,
  });
}

/** Per hop: the one node whose key starts with the prefix, else null (ambiguous or unknown). */
export function resolveHops(hops: readonly string[], nodes: Map<string, MapNode>): (string | null)[] {
  if (hops.length === 0) return [];
  const keys = [...nodes.keys()];
  return hops.map((h) => {
    const pre = h.toLowerCase();
    let found: string | null = null;
    for (const k of keys) {
      if (!k.startsWith(pre)) continue;
      if (found) return null;
      found = k;
    }
    return found;
  });
}
