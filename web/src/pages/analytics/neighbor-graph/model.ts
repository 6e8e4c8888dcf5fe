// The neighbour graph as the tab draws and lists it: the server's nodes (by public key) plus one
// pseudo-node per ambiguous hop prefix (`prefix:<hex>`), the edges kept by the confidence
// filter, each node's incident edges, and the stats row (components over resolved edges only:
// an ambiguous prefix may stand for several relays, so it must not join components).
import type { NeighborGraphResponse } from '../../../../../src/api/contract';
import { roleKey, type RoleKey } from '../../../app/mesh';

/** any: every edge; resolved: no ambiguous prefix edge; two-way: heard in both directions. */
export type Confidence = 'any' | 'resolved' | 'two-way';
export const CONFIDENCES: { value: Confidence; label: string }[] = [
  { value: 'any', label: 'Any (include ambiguous prefixes)' },
  { value: 'resolved', label: 'Resolved hops only' },
  { value: 'two-way', label: 'Heard both ways' },
];

export interface GNode {
  id: string;
  name: string;
  role: RoleKey;
  /** An ambiguous hop prefix, not a node. */
  prefix: boolean;
}
export interface GEdge {
  s: number;
  t: number;
  score: number;
  /** Sightings. */
  weight: number;
  bidirectional: boolean;
  snr: number | null;
  ambiguous: boolean;
}
export interface GraphStats {
  nodes: number;
  prefixes: number;
  edges: number;
  ambiguous: number;
  twoWay: number;
  components: number;
  largest: number;
  /** 2E/N over keyed nodes, as the server's avg_cluster_size. */
  avgNeighbours: number;
}
export interface GraphModel {
  nodes: GNode[];
  edges: GEdge[];
  /** Edge indices per node. */
  incident: number[][];
  index: Map<string, number>;
  stats: GraphStats;
}

export function keepEdge(e: NeighborGraphResponse['edges'][number], conf: Confidence): boolean {
  if (conf === 'resolved') return !e.ambiguous;
  if (conf === 'two-way') return e.bidirectional;
  return true;
}

export const prefixLabel = (id: string) => `prefix ${id.slice(7).toUpperCase()}`;

export function buildModel(resp: NeighborGraphResponse, conf: Confidence): GraphModel {
  const kept = resp.edges.filter((e) => keepEdge(e, conf));
  const used = new Set<string>();
  for (const e of kept) used.add(e.source).add(e.target);
  const nodes: GNode[] = [];
  const index = new Map<string, number>();
  const add = (n: GNode) => {
    index.set(n.id, nodes.length);
    nodes.push(n);
  };
  for (const n of resp.nodes)
    if (conf === 'any' || used.has(n.pubkey))
      add({ id: n.pubkey, name: n.name ?? n.pubkey.slice(0, 8), role: roleKey(n.role), prefix: false });
  const edges: GEdge[] = [];
  for (const e of kept) {
    for (const id of [e.source, e.target])
      if (!index.has(id))
        add({
          id,
          name: id.startsWith('prefix:') ? prefixLabel(id) : id.slice(0, 8),
          role: 'unknown',
          prefix: id.startsWith('prefix:'),
        });
    edges.push({
      s: index.get(e.source)!,
      t: index.get(e.target)!,
      score: e.score,
      weight: e.weight,
      bidirectional: e.bidirectional,
      snr: e.avg_snr,
      ambiguous: e.ambiguous,
    });
  }
  const incident: number[][] = nodes.map(() => []);
  edges.forEach((e, i) => {
    incident[e.s].push(i);
    incident[e.t].push(i);
  });
  return { nodes, edges, incident, index, stats: graphStats(nodes, edges) };
}

function graphStats(nodes: GNode[], edges: GEdge[]): GraphStats {
  // Union-find over resolved edges between keyed nodes.
  const parent = nodes.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  for (const e of edges) if (!e.ambiguous) parent[find(e.s)] = find(e.t);
  const size = new Map<number, number>();
  let keyed = 0;
  nodes.forEach((n, i) => {
    if (n.prefix) return;
    keyed++;
    const r = find(i);
    size.set(r, (size.get(r) ?? 0) + 1);
  });
  const ambiguous = edges.filter((e) => e.ambiguous).length;
  return {
    nodes: keyed,
    prefixes: nodes.length - keyed,
    edges: edges.length,
    ambiguous,
    twoWay: edges.filter((e) => e.bidirectional).length,
    components: size.size,
    largest: Math.max(0, ...size.values()),
    avgNeighbours: keyed === 0 ? 0 : Math.round((200 * edges.length) / keyed) / 100,
  };
}

/** A node's neighbours, strongest first (ties by name): what the list and the panel show. */
export function neighboursOf(m: GraphModel, i: number): { node: GNode; idx: number; edge: GEdge }[] {
  return m.incident[i]
    .map((ei) => {
      const e = m.edges[ei];
      const idx = e.s === i ? e.t : e.s;
      return { node: m.nodes[idx], idx, edge: e };
    })
    .sort((a, b) => b.edge.score - a.edge.score || a.node.name.localeCompare(b.node.name));
}

/** List order: most neighbours first, then name. */
export function listOrder(m: GraphModel): number[] {
  return m.nodes
    .map((_, i) => i)
    .sort(
      (a, b) => m.incident[b].length - m.incident[a].length || m.nodes[a].name.localeCompare(m.nodes[b].name),
    );
}
