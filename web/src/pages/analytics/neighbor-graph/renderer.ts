// Draws the graph on a 2D canvas: edges batched into a few score buckets (one path per bucket:
// width and opacity grow with the score; ambiguous prefix edges dashed), nodes batched by role
// (one path per role, the role's shape and colour from mesh.ts's tokens), off-screen nodes
// culled, labels only for the selection and its neighbours or when few nodes are visible.
// Drawing never moves a node: pan and zoom only change the view transform.
import type { RoleKey } from '../../../app/mesh';
import type { GraphModel } from './model';

/** screen = world × k + (x, y), in CSS pixels. */
export interface View {
  k: number;
  x: number;
  y: number;
}

export function fitView(pos: Float32Array, w: number, h: number): View {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < pos.length; i += 2) {
    minX = Math.min(minX, pos[i]);
    maxX = Math.max(maxX, pos[i]);
    minY = Math.min(minY, pos[i + 1]);
    maxY = Math.max(maxY, pos[i + 1]);
  }
  if (!Number.isFinite(minX)) return { k: 1, x: w / 2, y: h / 2 };
  const k = Math.min(4, Math.min((w - 40) / Math.max(1, maxX - minX), (h - 40) / Math.max(1, maxY - minY)));
  return { k, x: w / 2 - ((minX + maxX) / 2) * k, y: h / 2 - ((minY + maxY) / 2) * k };
}

const ROLES: RoleKey[] = ['repeater', 'companion', 'room', 'sensor', 'observer', 'unknown'];
const BUCKETS = [0.1, 0.25, 0.5, Infinity];

interface Palette {
  role: Record<RoleKey, string>;
  edge: string;
  accent: string;
  text: string;
  surface: string;
}
let palette: { theme: string | null; p: Palette } | null = null;
function colours(el: Element): Palette {
  const theme = document.documentElement.getAttribute('data-theme');
  if (palette && palette.theme === theme) return palette.p;
  const cs = getComputedStyle(el);
  const v = (name: string) => cs.getPropertyValue(name).trim() || '#888';
  const role = Object.fromEntries(ROLES.map((r) => [r, v(`--role-${r}`)])) as Record<RoleKey, string>;
  const p = { role, edge: v('--muted'), accent: v('--accent'), text: v('--text'), surface: v('--surface') };
  palette = { theme, p };
  return p;
}

function shape(ctx: CanvasRenderingContext2D, role: RoleKey, x: number, y: number, r: number): void {
  ctx.moveTo(x + r, y);
  if (role === 'repeater') {
    ctx.lineTo(x, y + r * 1.2);
    ctx.lineTo(x - r, y);
    ctx.lineTo(x, y - r * 1.2);
  } else if (role === 'room') {
    ctx.rect(x - r * 0.85, y - r * 0.85, r * 1.7, r * 1.7);
  } else if (role === 'sensor') {
    ctx.moveTo(x, y - r * 1.1);
    ctx.lineTo(x + r, y + r * 0.8);
    ctx.lineTo(x - r, y + r * 0.8);
  } else if (role === 'observer') {
    ctx.moveTo(x, y - r * 1.3);
    for (let k = 1; k < 10; k++) {
      const a = -Math.PI / 2 + (k * Math.PI) / 5;
      const rr = k % 2 ? r * 0.55 : r * 1.3;
      ctx.lineTo(x + rr * Math.cos(a), y + rr * Math.sin(a));
    }
  } else ctx.arc(x, y, r, 0, 2 * Math.PI);
  ctx.closePath();
}

export interface DrawState {
  model: GraphModel;
  pos: Float32Array;
  view: View;
  selected: number | null;
  /** While the layout moves nodes: every edge in one thin stroke, no outlines or labels. */
  lite?: boolean;
}

export function draw(canvas: HTMLCanvasElement, w: number, h: number, s: DrawState): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const dpr = canvas.width / Math.max(1, w);
  const pal = colours(canvas);
  const { model, pos, view } = s;
  const { k, x: tx, y: ty } = view;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  const sx = (i: number) => pos[2 * i] * k + tx;
  const sy = (i: number) => pos[2 * i + 1] * k + ty;
  ctx.strokeStyle = pal.edge;
  if (s.lite) {
    ctx.beginPath();
    for (const e of model.edges) {
      ctx.moveTo(sx(e.s), sy(e.s));
      ctx.lineTo(sx(e.t), sy(e.t));
    }
    ctx.globalAlpha = 0.4;
    ctx.lineWidth = 0.7;
    ctx.stroke();
    ctx.globalAlpha = 1;
    drawNodes(ctx, w, h, s, pal, new Set());
    return;
  }
  // Edges, weakest bucket first.
  let lo = 0;
  for (const hi of BUCKETS) {
    const mid = Math.min(1, (lo + Math.min(hi, 1)) / 2);
    // Dashes are costly to rasterise: a big graph marks ambiguous edges by a fainter line only.
    const dashes = model.edges.length <= 3000;
    for (const dashed of [false, true]) {
      ctx.beginPath();
      for (const e of model.edges) {
        if (e.score < lo || e.score >= hi || e.ambiguous !== dashed) continue;
        const x1 = sx(e.s);
        const y1 = sy(e.s);
        const x2 = sx(e.t);
        const y2 = sy(e.t);
        // Zoomed in: skip edges wholly on one side of the canvas.
        if ((x1 < 0 && x2 < 0) || (x1 > w && x2 > w) || (y1 < 0 && y2 < 0) || (y1 > h && y2 > h)) continue;
        ctx.moveTo(x1, y1);
        ctx.lineTo(x2, y2);
      }
      ctx.globalAlpha = (0.35 + 0.55 * mid) * (dashed && !dashes ? 0.5 : 1);
      ctx.lineWidth = 0.7 + 3 * mid;
      ctx.setLineDash(dashed && dashes ? [4, 3] : []);
      ctx.stroke();
    }
    lo = hi;
  }
  ctx.setLineDash([]);
  ctx.globalAlpha = 1;
  const sel = s.selected;
  const near = new Set<number>();
  if (sel !== null) {
    ctx.beginPath();
    // Labels for the strongest neighbours only (a hub's 50 names would be unreadable).
    const strongest = [...model.incident[sel]].sort((a, b) => model.edges[b].score - model.edges[a].score);
    for (const ei of strongest.slice(0, 10))
      near.add(model.edges[ei].s === sel ? model.edges[ei].t : model.edges[ei].s);
    for (const ei of model.incident[sel]) {
      const e = model.edges[ei];
      ctx.moveTo(sx(e.s), sy(e.s));
      ctx.lineTo(sx(e.t), sy(e.t));
    }
    ctx.strokeStyle = pal.accent;
    ctx.lineWidth = 2.5;
    ctx.stroke();
  }
  drawNodes(ctx, w, h, s, pal, near);
}

function radius(s: DrawState, i: number): number {
  return (
    (2.5 + Math.sqrt(s.model.incident[i].length) * 0.8) * Math.sqrt(Math.min(2.5, Math.max(0.5, s.view.k)))
  );
}

function drawNodes(
  ctx: CanvasRenderingContext2D,
  w: number,
  h: number,
  s: DrawState,
  pal: Palette,
  near: Set<number>,
): void {
  const { model, pos, view } = s;
  const visible: number[] = [];
  for (let i = 0; i < model.nodes.length; i++) {
    const x = pos[2 * i] * view.k + view.x;
    const y = pos[2 * i + 1] * view.k + view.y;
    if (x > -20 && y > -20 && x < w + 20 && y < h + 20) visible.push(i);
  }
  ctx.lineWidth = 1;
  ctx.strokeStyle = pal.surface;
  for (const role of ROLES) {
    ctx.beginPath();
    for (const i of visible) {
      const n = model.nodes[i];
      if (n.role !== role || n.prefix) continue;
      shape(ctx, role, pos[2 * i] * view.k + view.x, pos[2 * i + 1] * view.k + view.y, radius(s, i));
    }
    ctx.fillStyle = pal.role[role];
    ctx.fill();
    // An outline separates overlapping shapes; a big graph skips it (it doubles the raster cost).
    if (visible.length <= 800 && !s.lite) ctx.stroke();
  }
  // Ambiguous prefixes: hollow rings.
  ctx.beginPath();
  for (const i of visible)
    if (model.nodes[i].prefix)
      shape(ctx, 'unknown', pos[2 * i] * view.k + view.x, pos[2 * i + 1] * view.k + view.y, radius(s, i));
  ctx.strokeStyle = pal.role.unknown;
  ctx.lineWidth = 1.5;
  ctx.stroke();
  if (s.selected !== null) {
    const i = s.selected;
    ctx.beginPath();
    ctx.arc(pos[2 * i] * view.k + view.x, pos[2 * i + 1] * view.k + view.y, radius(s, i) + 4, 0, 2 * Math.PI);
    ctx.strokeStyle = pal.accent;
    ctx.lineWidth = 2.5;
    ctx.stroke();
  }
  if (s.lite) return;
  const labelled = visible.length <= 60 ? visible : visible.filter((i) => i === s.selected || near.has(i));
  ctx.font = '12px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  ctx.lineJoin = 'round';
  for (const i of labelled) {
    const x = pos[2 * i] * view.k + view.x + radius(s, i) + 4;
    const y = pos[2 * i + 1] * view.k + view.y;
    ctx.lineWidth = 3;
    ctx.strokeStyle = pal.surface;
    ctx.strokeText(model.nodes[i].name, x, y);
    ctx.fillStyle = pal.text;
    ctx.fillText(model.nodes[i].name, x, y);
  }
}

/** Draws `cache` (a full drawing made with view `from`) as seen with view `to`. */
export function blit(
  canvas: HTMLCanvasElement,
  cache: HTMLCanvasElement,
  w: number,
  from: View,
  to: View,
): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const dpr = canvas.width / Math.max(1, w);
  const f = to.k / from.k;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.setTransform(dpr * f, 0, 0, dpr * f, dpr * (to.x - from.x * f), dpr * (to.y - from.y * f));
  ctx.drawImage(cache, 0, 0, w, canvas.height / dpr);
}

/** The node drawn under a screen point (within its radius + 4 px), or null. */
export function hitTest(s: DrawState, px: number, py: number): number | null {
  let best: number | null = null;
  let bestD = Infinity;
  for (let i = 0; i < s.model.nodes.length; i++) {
    const dx = s.pos[2 * i] * s.view.k + s.view.x - px;
    const dy = s.pos[2 * i + 1] * s.view.k + s.view.y - py;
    const d = dx * dx + dy * dy;
    const r = radius(s, i) + 4;
    if (d < r * r && d < bestD) {
      best = i;
      bestD = d;
    }
  }
  return best;
}
