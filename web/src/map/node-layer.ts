// The node layer: thousands of nodes on one canvas, each drawn with its role's shape and colour
// (--role-* tokens, read at draw time so a theme switch only needs a redraw), stale ones faded;
// optional grid clustering in screen space; neighbour links under the nodes; click hit-testing.
import type { LeafletMouseEvent, Map as LMap } from 'leaflet';
import type { RoleKey } from '../app/mesh';
import { addCanvasOverlay } from './canvas-overlay';
import { cssVar, type LeafletNS } from './leaflet';
import { traceRoleShape } from './shapes';

export interface MapNode {
  id: string;
  lat: number;
  lon: number;
  role: RoleKey;
  /** Drawn faded (status not active). */
  stale: boolean;
  name?: string;
}

export interface MapLink {
  a: [number, number];
  b: [number, number];
  /** Drawn dashed: the edge's hop prefix matched several nodes. */
  ambiguous?: boolean;
}

/** What a click hit: one node, or a cluster of several. */
export type NodeHit = { kind: 'node'; node: MapNode } | { kind: 'cluster'; nodes: MapNode[] };

export interface NodeLayerOptions {
  /** Group nodes closer than `clusterPx` screen pixels below `clusterMaxZoom` (default 28 px, zoom 11). */
  cluster?: boolean;
  clusterPx?: number;
  clusterMaxZoom?: number;
  /** Marker radius in px (default 6). */
  radius?: number;
  onClick?(hit: NodeHit | null, e: LeafletMouseEvent): void;
  /** After each draw: how many nodes the viewport shows (clustered ones included). */
  onDraw?(drawn: number): void;
}

export interface NodeLayer {
  setNodes(nodes: MapNode[]): void;
  setLinks(links: MapLink[]): void;
  setCluster(on: boolean): void;
  setSelected(id: string | null): void;
  redraw(): void;
  /** Nodes represented in the viewport at the last draw (clustered ones included). */
  drawnCount(): number;
  /** The nodes inside the viewport at the last draw. */
  visibleNodes(): MapNode[];
  remove(): void;
}

interface Drawn {
  x: number;
  y: number;
  r: number;
  nodes: MapNode[];
}

/** Adds the node layer to `map` (pane z-index 450: above tiles and vectors, below popups). */
export function addNodeLayer(L: LeafletNS, map: LMap, opts: NodeLayerOptions = {}): NodeLayer {
  let nodes: MapNode[] = [];
  let links: MapLink[] = [];
  let cluster = opts.cluster ?? true;
  let selected: string | null = null;
  let drawn: Drawn[] = [];
  const radius = opts.radius ?? 6;
  const overlay = addCanvasOverlay(L, map, 'ml-nodes', 450, (ctx, w, h) => {
    drawLinks(map, ctx, links);
    const groups = groupNodes(
      map,
      nodes,
      w,
      h,
      cluster && map.getZoom() < (opts.clusterMaxZoom ?? 11),
      opts.clusterPx ?? 28,
    );
    drawn = groups.map((g) => ({ ...g, r: g.nodes.length > 1 ? clusterRadius(g.nodes.length) : radius }));
    drawGroups(ctx, drawn, radius, selected);
    const count = drawn.reduce((s, d) => s + d.nodes.length, 0);
    // A user-timing mark per draw (count in `detail`): bench:web times "nodes on screen" by it.
    performance.mark('meshlens:nodes-drawn', { detail: count });
    opts.onDraw?.(count);
  });
  const onClick = (e: LeafletMouseEvent) => {
    const p = e.containerPoint;
    let best: Drawn | null = null;
    let bestD = Infinity;
    for (const d of drawn) {
      const dist = Math.hypot(d.x - p.x, d.y - p.y);
      if (dist <= d.r + 5 && dist < bestD) [best, bestD] = [d, dist];
    }
    if (!best) return opts.onClick?.(null, e);
    opts.onClick?.(
      best.nodes.length === 1
        ? { kind: 'node', node: best.nodes[0]! }
        : { kind: 'cluster', nodes: best.nodes },
      e,
    );
  };
  map.on('click', onClick);
  return {
    setNodes(n) {
      nodes = n;
      overlay.redraw();
    },
    setLinks(l) {
      links = l;
      overlay.redraw();
    },
    setCluster(on) {
      cluster = on;
      overlay.redraw();
    },
    setSelected(id) {
      selected = id;
      overlay.redraw();
    },
    redraw: overlay.redraw,
    drawnCount: () => drawn.reduce((s, d) => s + d.nodes.length, 0),
    visibleNodes: () => drawn.flatMap((d) => d.nodes),
    remove() {
      map.off('click', onClick);
      overlay.remove();
    },
  };
}

const clusterRadius = (n: number) => Math.min(16, 8 + Math.log2(n) * 1.8);

/** Projects the nodes inside the viewport (plus a margin) and merges those sharing a grid cell. */
function groupNodes(map: LMap, nodes: MapNode[], w: number, h: number, cluster: boolean, cell: number) {
  const out: { x: number; y: number; nodes: MapNode[] }[] = [];
  const cells = new Map<string, { x: number; y: number; nodes: MapNode[] }>();
  for (const n of nodes) {
    const p = map.latLngToContainerPoint([n.lat, n.lon]);
    if (p.x < -20 || p.y < -20 || p.x > w + 20 || p.y > h + 20) continue;
    if (!cluster) {
      out.push({ x: p.x, y: p.y, nodes: [n] });
      continue;
    }
    const key = `${Math.floor(p.x / cell)},${Math.floor(p.y / cell)}`;
    const c = cells.get(key);
    if (c) {
      c.x += p.x;
      c.y += p.y;
      c.nodes.push(n);
    } else cells.set(key, { x: p.x, y: p.y, nodes: [n] });
  }
  for (const c of cells.values())
    out.push({ x: c.x / c.nodes.length, y: c.y / c.nodes.length, nodes: c.nodes });
  return out;
}

function drawLinks(map: LMap, ctx: CanvasRenderingContext2D, links: MapLink[]) {
  if (links.length === 0) return;
  ctx.strokeStyle = cssVar('--muted', '#777');
  ctx.globalAlpha = 0.7;
  ctx.lineWidth = 1.5;
  for (const dashed of [false, true]) {
    ctx.setLineDash(dashed ? [5, 4] : []);
    ctx.beginPath();
    for (const l of links) {
      if (Boolean(l.ambiguous) !== dashed) continue;
      const a = map.latLngToContainerPoint(l.a);
      const b = map.latLngToContainerPoint(l.b);
      ctx.moveTo(a.x, a.y);
      ctx.lineTo(b.x, b.y);
    }
    ctx.stroke();
  }
  ctx.setLineDash([]);
  ctx.globalAlpha = 1;
}

function drawGroups(ctx: CanvasRenderingContext2D, drawn: Drawn[], radius: number, selected: string | null) {
  const colors = new Map<RoleKey, string>();
  const color = (r: RoleKey) => colors.get(r) ?? (colors.set(r, cssVar(`--role-${r}`)), colors.get(r)!);
  const outline = cssVar('--surface', '#fff');
  const text = cssVar('--text', '#000');
  ctx.lineWidth = 1.5;
  ctx.strokeStyle = outline;
  for (const d of drawn) {
    if (d.nodes.length > 1) continue;
    const n = d.nodes[0]!;
    ctx.globalAlpha = n.stale ? 0.4 : 1;
    ctx.fillStyle = color(n.role);
    traceRoleShape(ctx, n.role, d.x, d.y, radius);
    ctx.fill();
    ctx.stroke();
    if (n.id === selected) {
      ctx.globalAlpha = 1;
      ctx.strokeStyle = text;
      ctx.lineWidth = 2.5;
      ctx.beginPath();
      ctx.arc(d.x, d.y, radius + 6, 0, Math.PI * 2);
      ctx.stroke();
      ctx.strokeStyle = outline;
      ctx.lineWidth = 1.5;
    }
  }
  ctx.globalAlpha = 1;
  ctx.font = 'bold 11px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  for (const d of drawn) {
    if (d.nodes.length < 2) continue;
    ctx.fillStyle = outline;
    ctx.strokeStyle = color(dominantRole(d.nodes));
    ctx.lineWidth = 3;
    ctx.beginPath();
    ctx.arc(d.x, d.y, d.r, 0, Math.PI * 2);
    ctx.fill();
    ctx.stroke();
    ctx.fillStyle = text;
    ctx.fillText(String(d.nodes.length), d.x, d.y + 0.5);
  }
}

function dominantRole(nodes: MapNode[]): RoleKey {
  const c = new Map<RoleKey, number>();
  for (const n of nodes) c.set(n.role, (c.get(n.role) ?? 0) + 1);
  return [...c.entries()].sort((a, b) => b[1] - a[1])[0]![0];
}
