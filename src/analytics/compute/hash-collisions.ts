// GET /api/analytics/hash-collisions (spec analytics §4.3): repeaters whose 1-, 2- or 3-byte
// key prefixes coincide, so their hops are ambiguous, with how far apart they are.
// Differences from CoreScope (docs/compatibility.md "Analytics"): an unknown region matches
// nothing; the 1-byte `collisions` list uses the same node set as the `one_byte_cells` matrix
// (2- and 3-byte repeaters also answer to their first byte), so list and matrix agree.
import { sizesList } from '../../protocol/path-hash-size.js';
import { computeNodeHashInfo } from '../shared/hash-size-info.js';
import type { AnalyticsInput } from '../inputs/input.js';
import { regionTransmissions } from '../shared/path-context.js';
import { inPolygon } from '../../config/areas.js';
import { regionObservers, type AnalyticsQuery } from '../shared/query.js';
import { round } from '../shared/robust-stats.js';

export interface CollisionNode {
  public_key: string;
  name: string | null;
  role: string | null;
  lat: number | null;
  lon: number | null;
  hash_size: number;
  hash_size_inconsistent: boolean;
  hash_sizes_seen?: number[];
}

export interface Collision {
  prefix: string;
  byte_size: number;
  appearances: number;
  nodes: CollisionNode[];
  max_dist_km: number;
  classification: 'local' | 'regional' | 'distant' | 'incomplete';
  with_coords: number;
}

export interface SizeSection {
  stats: {
    total_nodes: number;
    nodes_for_byte: number;
    using_this_size: number;
    unique_prefixes: number;
    collision_count: number;
    space_size: number;
    pct_used: number;
  };
  collisions: Collision[];
  one_byte_cells?: Record<string, CollisionNode[]>;
  two_byte_cells?: Record<
    string,
    {
      group_nodes: CollisionNode[];
      two_byte_map: Record<string, CollisionNode[]>;
      max_collision: number;
      collision_count: number;
    }
  >;
}

export interface HashCollisionsResponse {
  inconsistent_nodes: CollisionNode[];
  by_size: { '1': SizeSection; '2': SizeSection; '3': SizeSection };
}

const CLASS_ORDER = { local: 0, regional: 1, distant: 2, incomplete: 3 };

export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(a)));
}

const hasCoords = (n: CollisionNode) => n.lat !== null && n.lon !== null && !(n.lat === 0 && n.lon === 0);

function collisionOf(prefix: string, byteSize: number, group: CollisionNode[]): Collision {
  const located = group.filter(hasCoords);
  let max = 0;
  for (let i = 0; i < located.length; i++)
    for (let j = i + 1; j < located.length; j++)
      max = Math.max(max, haversineKm(located[i].lat!, located[i].lon!, located[j].lat!, located[j].lon!));
  const classification =
    located.length < 2 ? 'incomplete' : max < 50 ? 'local' : max < 200 ? 'regional' : 'distant';
  return {
    prefix,
    byte_size: byteSize,
    appearances: group.length,
    nodes: group,
    max_dist_km: round(max, 1),
    classification,
    with_coords: located.length,
  };
}

/** Node indexes kept by region (advertiser or observer of a tx heard in the region) and area. */
function keptNodes(input: AnalyticsInput, query: AnalyticsQuery): Uint8Array {
  const { nodes, tx, obs, observers } = input;
  const keep = new Uint8Array(nodes.count).fill(1);
  const mask = regionObservers(observers, query);
  if (mask) {
    keep.fill(0);
    const byKey = new Map<string, number>();
    for (let i = 0; i < nodes.count; i++) byKey.set(nodes.publicKey(i), i);
    const heard = regionTransmissions(input, mask)!;
    const observerSeen = new Uint8Array(observers.count);
    for (let r = 0; r < obs.count; r++) {
      const t = obs.txRow(r);
      const o = obs.observer(r);
      if (t >= 0 && heard[t] && o >= 0) observerSeen[o] = 1;
    }
    for (let t = 0; t < tx.count; t++) if (heard[t] && tx.advertNode(t) >= 0) keep[tx.advertNode(t)] = 1;
    for (let o = 0; o < observers.count; o++) {
      const i = observerSeen[o] ? byKey.get(observers.id(o).toLowerCase()) : undefined;
      if (i !== undefined) keep[i] = 1;
    }
  }
  if (query.area) {
    for (let i = 0; i < nodes.count; i++) {
      const lat = nodes.lat(i);
      const lon = nodes.lon(i);
      const inside =
        Number.isFinite(lat) &&
        Number.isFinite(lon) &&
        !(lat === 0 && lon === 0) &&
        inPolygon(lat, lon, query.area.polygon);
      if (!inside) keep[i] = 0;
    }
  }
  return keep;
}

/** The kept nodes with their hash-size info, in node order. */
function collisionNodes(input: AnalyticsInput, query: AnalyticsQuery): CollisionNode[] {
  const { nodes } = input;
  const info = computeNodeHashInfo(input);
  const keep = keptNodes(input, query);
  const list: CollisionNode[] = [];
  for (let i = 0; i < nodes.count; i++) {
    if (!keep[i]) continue;
    const seen = sizesList(info.sizesSeen[i]);
    const lat = nodes.lat(i);
    const lon = nodes.lon(i);
    const n: CollisionNode = {
      public_key: nodes.publicKey(i),
      name: nodes.name(i),
      role: nodes.role(i),
      lat: Number.isFinite(lat) ? lat : null,
      lon: Number.isFinite(lon) ? lon : null,
      hash_size: info.hashSize[i],
      hash_size_inconsistent: info.inconsistent[i] === 1,
    };
    if (seen.length > 1) n.hash_sizes_seen = seen;
    list.push(n);
  }
  return list;
}

const hex2 = (k: number) => k.toString(16).toUpperCase().padStart(2, '0');

/** The 2-byte grid: per first byte, the 2-byte prefixes under it and their collisions. */
function twoByteCells(groups: Map<string, CollisionNode[]>): SizeSection['two_byte_cells'] {
  const cells: NonNullable<SizeSection['two_byte_cells']> = {};
  for (let k = 0; k < 256; k++) {
    const map: Record<string, CollisionNode[]> = {};
    const group: CollisionNode[] = [];
    let maxCollision = 0;
    let count = 0;
    for (const [p, g] of groups) {
      if (!p.startsWith(hex2(k))) continue;
      map[p] = g;
      group.push(...g);
      maxCollision = Math.max(maxCollision, g.length);
      if (g.length > 1) count++;
    }
    cells[hex2(k)] = {
      group_nodes: group,
      two_byte_map: map,
      max_collision: maxCollision,
      collision_count: count,
    };
  }
  return cells;
}

/** One `by_size` section: prefix groups of `b` bytes among the repeaters, and their collisions. */
function sizeSection(b: 1 | 2 | 3, list: CollisionNode[], repeaters: CollisionNode[]): SizeSection {
  // b = 1: every sized repeater answers to its first byte; b > 1: repeaters of exactly that size (#441).
  const relevant = b === 1 ? repeaters : repeaters.filter((n) => n.hash_size === b);
  const groups = new Map<string, CollisionNode[]>();
  for (const n of relevant) {
    const p = n.public_key.slice(0, 2 * b).toUpperCase();
    const g = groups.get(p);
    if (g) g.push(n);
    else groups.set(p, [n]);
  }
  const collisions: Collision[] = [];
  for (const [p, g] of groups) if (g.length > 1) collisions.push(collisionOf(p, b, g));
  collisions.sort(
    (x, y) =>
      CLASS_ORDER[x.classification] - CLASS_ORDER[y.classification] ||
      y.appearances - x.appearances ||
      (x.prefix < y.prefix ? -1 : 1),
  );
  const space = 256 ** b;
  const out: SizeSection = {
    stats: {
      total_nodes: list.length,
      nodes_for_byte: relevant.length,
      using_this_size: list.filter((n) => n.hash_size === b).length,
      unique_prefixes: groups.size,
      collision_count: collisions.length,
      space_size: space,
      pct_used: round((groups.size / space) * 100, 2),
    },
    collisions,
  };
  if (b === 1) {
    out.one_byte_cells = {};
    for (let k = 0; k < 256; k++) out.one_byte_cells[hex2(k)] = groups.get(hex2(k)) ?? [];
  }
  if (b === 2) out.two_byte_cells = twoByteCells(groups);
  return out;
}

export function computeHashCollisions(input: AnalyticsInput, query: AnalyticsQuery): HashCollisionsResponse {
  const list = collisionNodes(input, query);
  const inconsistent_nodes = list.filter(
    (n) => n.hash_size_inconsistent && (n.role === 'repeater' || n.role === 'room_server'),
  );
  const repeaters = list.filter((n) => n.role === 'repeater' && n.hash_size > 0);
  return {
    inconsistent_nodes,
    by_size: {
      '1': sizeSection(1, list, repeaters),
      '2': sizeSection(2, list, repeaters),
      '3': sizeSection(3, list, repeaters),
    },
  };
}
