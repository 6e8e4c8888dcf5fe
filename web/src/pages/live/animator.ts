// Packet paths on the live map. Each observation becomes a path of positions: the sender (when
// the packet names it, i.e. adverts), each relay hop (`resolved_path`: full key, null when the
// prefix is ambiguous or unknown), and the observer that heard it. The first observation of a
// hash animates at once; later ones within `propagationBufferMs` are buffered and animated
// together when the window closes, each distinct path once (so ten observers hearing one flood
// draw its paths, not ten copies). A moving dot travels hop by hop and a ring pulses at each
// node; a segment across an unknown hop is dashed. With reduced motion the path is drawn
// statically for a few seconds and no animation frame runs. Concurrent animations are capped.
import type { LivePacketData } from '../../../../src/api/contract';
import { safeJson } from '../../app/format';
import type { MapNode } from './nodes';

export interface PathPoint {
  key: string;
  lat: number;
  lon: number;
}
export interface PathAnim {
  hash: string;
  type: number;
  points: PathPoint[];
  /** Per segment: true when unknown hops were skipped between its two ends. */
  dashed: boolean[];
  startMs: number;
  endMs: number;
}

export const HOP_MS = 450;
export const RING_MS = 700;
export const STATIC_MS = 4000;
export const MAX_ACTIVE = 60;

/** The placeable points of one observation's path; null hops are skipped and mark a dashed segment. */
export function pathOf(
  p: LivePacketData,
  nodes: Map<string, MapNode>,
  resolved: (string | null)[],
): {
  points: PathPoint[];
  dashed: boolean[];
} {
  const keys: (string | null)[] = [];
  if (p.payload_type === 4) keys.push(str(safeJson<Record<string, unknown>>(p.decoded_json, {}).pubKey));
  keys.push(...resolved);
  keys.push(p.observer_id || null);
  const points: PathPoint[] = [];
  const dashed: boolean[] = [];
  let gap = false;
  for (const k of keys) {
    const n = k ? nodes.get(k.toLowerCase()) : undefined;
    if (!n) {
      gap = points.length > 0 || gap;
      continue;
    }
    if (points.length > 0 && points[points.length - 1].key === n.key) continue;
    if (points.length > 0) dashed.push(gap);
    gap = false;
    points.push({ key: n.key, lat: n.lat, lon: n.lon });
  }
  return { points, dashed };
}

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);

interface Group {
  firstMs: number;
  drawn: Set<string>;
  queued: { p: LivePacketData; points: PathPoint[]; dashed: boolean[] }[];
}

export interface AnimStats {
  started: number;
  dropped: number;
  unplaceable: number;
  frames: number;
}

export class Animator {
  readonly active: PathAnim[] = [];
  readonly stats: AnimStats = { started: 0, dropped: 0, unplaceable: 0, frames: 0 };
  /** Hashes of the most recent paths started (newest last), for the tests and the detail link. */
  readonly recent: string[] = [];
  readonly #groups = new Map<string, Group>();

  constructor(
    private readonly bufferMs: () => number,
    private readonly reducedMotion: () => boolean,
  ) {}

  /** One observation: animate now if it is the hash's first, else buffer it with its group. */
  add(p: LivePacketData, nodes: Map<string, MapNode>, resolved: (string | null)[], now: number): void {
    const { points, dashed } = pathOf(p, nodes, resolved);
    if (points.length === 0) {
      this.stats.unplaceable++;
      return;
    }
    const g = this.#groups.get(p.hash);
    if (!g) {
      this.#groups.set(p.hash, { firstMs: now, drawn: new Set(), queued: [] });
      this.#start(p, points, dashed, now, this.#groups.get(p.hash)!);
    } else g.queued.push({ p, points, dashed });
  }

  /** Closes groups whose buffer window passed (animating their new paths) and ends old animations. */
  tick(now: number): boolean {
    let changed = false;
    const buffer = this.bufferMs();
    for (const [hash, g] of this.#groups) {
      if (now - g.firstMs < buffer) continue;
      for (const q of g.queued) changed = this.#start(q.p, q.points, q.dashed, now, g) || changed;
      this.#groups.delete(hash);
    }
    const before = this.active.length;
    for (let i = this.active.length - 1; i >= 0; i--)
      if (this.active[i].endMs <= now) this.active.splice(i, 1);
    return changed || this.active.length !== before;
  }

  #start(p: LivePacketData, points: PathPoint[], dashed: boolean[], now: number, g: Group): boolean {
    const id = points.map((x) => x.key).join('>');
    if (g.drawn.has(id)) return false;
    g.drawn.add(id);
    if (this.active.length >= MAX_ACTIVE) {
      this.stats.dropped++;
      return false;
    }
    const segs = points.length - 1;
    const endMs = this.reducedMotion() ? now + STATIC_MS : now + segs * HOP_MS + RING_MS;
    this.active.push({ hash: p.hash, type: p.payload_type, points, dashed, startMs: now, endMs });
    this.stats.started++;
    this.recent.push(p.hash);
    if (this.recent.length > 40) this.recent.shift();
    return true;
  }
}

/** Draws the animations at time `now` (or statically) with `project` giving container pixels. */
export function drawAnims(
  ctx: CanvasRenderingContext2D,
  anims: readonly PathAnim[],
  project: (p: PathPoint) => { x: number; y: number },
  colorOf: (type: number) => string,
  now: number,
  still: boolean,
): void {
  ctx.lineCap = 'round';
  for (const a of anims) {
    const px = a.points.map(project);
    const color = colorOf(a.type);
    const t = still ? Infinity : now - a.startMs;
    const fade = still ? 1 : Math.max(0.15, 1 - Math.max(0, now - (a.endMs - RING_MS)) / RING_MS);
    ctx.strokeStyle = color;
    ctx.fillStyle = color;
    ctx.lineWidth = 2.5;
    ctx.globalAlpha = 0.85 * fade;
    // The traversed part of the path: whole segments, then the partial one up to the dot.
    for (let i = 0; i < px.length - 1; i++) {
      const f = Math.min(1, Math.max(0, (t - i * HOP_MS) / HOP_MS));
      if (f <= 0) break;
      ctx.setLineDash(a.dashed[i] ? [6, 5] : []);
      ctx.beginPath();
      ctx.moveTo(px[i].x, px[i].y);
      const x = px[i].x + (px[i + 1].x - px[i].x) * f;
      const y = px[i].y + (px[i + 1].y - px[i].y) * f;
      ctx.lineTo(x, y);
      ctx.stroke();
      if (f < 1 && !still) {
        ctx.setLineDash([]);
        ctx.globalAlpha = 1;
        ctx.beginPath();
        ctx.arc(x, y, 4.5, 0, Math.PI * 2);
        ctx.fill();
        ctx.globalAlpha = 0.85 * fade;
      }
    }
    ctx.setLineDash([]);
    // A ring at each node reached: pulsing outwards for RING_MS after arrival (a dot when still).
    for (let i = 0; i < px.length; i++) {
      const since = t - i * HOP_MS;
      if (since < 0) break;
      if (still || since > RING_MS) {
        ctx.globalAlpha = 0.9 * fade;
        ctx.beginPath();
        ctx.arc(px[i].x, px[i].y, 3.5, 0, Math.PI * 2);
        ctx.fill();
        continue;
      }
      const k = since / RING_MS;
      ctx.globalAlpha = 1 - k;
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.arc(px[i].x, px[i].y, 4 + 16 * k, 0, Math.PI * 2);
      ctx.stroke();
    }
  }
  ctx.globalAlpha = 1;
}
