// A force-directed layout (d3-force semantics: many-body repulsion, springs, a weak pull to the
// centre, velocity decay, cooling alpha) whose repulsion uses a Barnes–Hut quadtree, so a tick
// costs O(n log n). Pure and DOM-free: it runs in the layout worker, or time-sliced on the main
// thread where workers are unavailable. Positions are interleaved [x0, y0, x1, y1, …].

export interface LayoutInput {
  n: number;
  /** Edge endpoints, interleaved [s0, t0, s1, t1, …]. */
  links: Int32Array;
  /** Start positions (2n), or null for a deterministic phyllotaxis spiral. */
  init: Float32Array | null;
  /** Starting temperature (1 = from scratch; lower when refining a previous layout). */
  alpha: number;
}

const THETA2 = 0.81; // Barnes–Hut opening criterion θ = 0.9, squared
const CHARGE = -40;
const LINK_DISTANCE = 30;
const GRAVITY = 0.08;
const VELOCITY_DECAY = 0.4;
const ALPHA_MIN = 0.001;
const ALPHA_DECAY = 1 - Math.pow(ALPHA_MIN, 1 / 300);

export class Layout {
  readonly pos: Float32Array;
  private vel: Float32Array;
  private links: Int32Array;
  private strength: Float32Array;
  private bias: Float32Array;
  private tree: QuadTree;
  alpha: number;

  constructor(inp: LayoutInput) {
    const { n, links } = inp;
    this.pos = inp.init ? Float32Array.from(inp.init) : spiral(n);
    this.vel = new Float32Array(2 * n);
    this.links = links;
    this.alpha = inp.alpha;
    const deg = new Int32Array(n);
    for (let i = 0; i < links.length; i++) deg[links[i]]++;
    const m = links.length / 2;
    this.strength = new Float32Array(m);
    this.bias = new Float32Array(m);
    for (let k = 0; k < m; k++) {
      const s = deg[links[2 * k]];
      const t = deg[links[2 * k + 1]];
      this.strength[k] = 1 / Math.min(s, t);
      this.bias[k] = s / (s + t);
    }
    this.tree = new QuadTree(n);
  }

  get done(): boolean {
    return this.alpha < ALPHA_MIN;
  }

  tick(): void {
    const { pos, vel, links } = this;
    const n = pos.length / 2;
    const alpha = (this.alpha += (0 - this.alpha) * ALPHA_DECAY);
    // Springs (d3 forceLink).
    for (let k = 0; k < links.length / 2; k++) {
      const s = links[2 * k];
      const t = links[2 * k + 1];
      let dx = pos[2 * t] + vel[2 * t] - pos[2 * s] - vel[2 * s] || jiggle(k);
      let dy = pos[2 * t + 1] + vel[2 * t + 1] - pos[2 * s + 1] - vel[2 * s + 1] || jiggle(k + 1);
      const l = Math.sqrt(dx * dx + dy * dy);
      const f = ((l - LINK_DISTANCE) / l) * alpha * this.strength[k];
      dx *= f;
      dy *= f;
      const b = this.bias[k];
      vel[2 * t] -= dx * b;
      vel[2 * t + 1] -= dy * b;
      vel[2 * s] += dx * (1 - b);
      vel[2 * s + 1] += dy * (1 - b);
    }
    // Repulsion through the quadtree, and gravity to the origin.
    this.tree.build(pos);
    for (let i = 0; i < n; i++) {
      this.tree.repel(i, pos, vel, CHARGE * alpha);
      vel[2 * i] -= pos[2 * i] * GRAVITY * alpha;
      vel[2 * i + 1] -= pos[2 * i + 1] * GRAVITY * alpha;
    }
    for (let i = 0; i < 2 * n; i++) {
      vel[i] *= 1 - VELOCITY_DECAY;
      pos[i] += vel[i];
    }
  }
}

/** d3's start: a phyllotaxis spiral, so the same data always lays out the same way. */
export function spiral(n: number): Float32Array {
  const p = new Float32Array(2 * n);
  const angle = Math.PI * (3 - Math.sqrt(5));
  for (let i = 0; i < n; i++) {
    const r = 10 * Math.sqrt(0.5 + i);
    p[2 * i] = r * Math.cos(i * angle);
    p[2 * i + 1] = r * Math.sin(i * angle);
  }
  return p;
}

const jiggle = (k: number) => ((((k * 2654435761) >>> 0) % 1000) / 1000 - 0.5) * 1e-6;

/**
 * A quadtree in flat typed arrays, rebuilt every tick: cells carry their centre of mass and
 * point count; a leaf holds one point (or several that share a cell at the depth limit).
 */
class QuadTree {
  private cap: number;
  private x0 = new Float64Array(0);
  private y0 = new Float64Array(0);
  private size = new Float64Array(0);
  private cx = new Float64Array(0);
  private cy = new Float64Array(0);
  private mass = new Float64Array(0);
  private child = new Int32Array(0);
  /** Leaf: first point index, or -1; next point in the same leaf via `nextPt`. */
  private point = new Int32Array(0);
  private internal = new Uint8Array(0);
  private nextPt: Int32Array;
  private used = 0;
  private stack = new Int32Array(1024);

  constructor(n: number) {
    this.cap = 0;
    this.nextPt = new Int32Array(n);
    this.grow(Math.max(64, 4 * n));
  }

  private grow(cap: number): void {
    const g = <T extends Float64Array | Int32Array>(a: T, c: number): T => {
      const b = new (a.constructor as new (l: number) => T)(c);
      b.set(a);
      return b;
    };
    this.x0 = g(this.x0, cap);
    this.y0 = g(this.y0, cap);
    this.size = g(this.size, cap);
    this.cx = g(this.cx, cap);
    this.cy = g(this.cy, cap);
    this.mass = g(this.mass, cap);
    this.child = g(this.child, 4 * cap);
    this.point = g(this.point, cap);
    const inn = new Uint8Array(cap);
    inn.set(this.internal);
    this.internal = inn;
    this.cap = cap;
  }

  private cell(x0: number, y0: number, size: number): number {
    if (this.used === this.cap) this.grow(this.cap * 2);
    const c = this.used++;
    this.x0[c] = x0;
    this.y0[c] = y0;
    this.size[c] = size;
    this.cx[c] = this.cy[c] = this.mass[c] = 0;
    this.child.fill(-1, 4 * c, 4 * c + 4);
    this.point[c] = -1;
    this.internal[c] = 0;
    return c;
  }

  build(pos: Float32Array): void {
    const n = pos.length / 2;
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (let i = 0; i < n; i++) {
      minX = Math.min(minX, pos[2 * i]);
      maxX = Math.max(maxX, pos[2 * i]);
      minY = Math.min(minY, pos[2 * i + 1]);
      maxY = Math.max(maxY, pos[2 * i + 1]);
    }
    this.used = 0;
    const root = this.cell(minX, minY, Math.max(maxX - minX, maxY - minY, 1e-3) * 1.0001);
    for (let i = 0; i < n; i++) this.insert(root, i, pos);
  }

  private insert(root: number, i: number, pos: Float32Array): void {
    const x = pos[2 * i];
    const y = pos[2 * i + 1];
    let c = root;
    for (let depth = 0; ; depth++) {
      const wasEmpty = this.mass[c] === 0;
      // Running centre of mass of every cell on the way down.
      const m = this.mass[c] + 1;
      this.cx[c] += (x - this.cx[c]) / m;
      this.cy[c] += (y - this.cy[c]) / m;
      this.mass[c] = m;
      if (!this.internal[c]) {
        if (wasEmpty || depth > 40) {
          // An empty leaf takes the point; at the depth limit (coincident points) they chain.
          this.nextPt[i] = wasEmpty ? -1 : this.point[c];
          this.point[c] = i;
          return;
        }
        // Split: push the resident point one level down.
        const j = this.point[c];
        this.point[c] = -1;
        const q = this.quadrant(c, pos[2 * j], pos[2 * j + 1]);
        this.mass[q] = 1;
        this.cx[q] = pos[2 * j];
        this.cy[q] = pos[2 * j + 1];
        this.point[q] = j;
      }
      c = this.quadrant(c, x, y);
    }
  }

  private quadrant(c: number, x: number, y: number): number {
    const h = this.size[c] / 2;
    const right = x >= this.x0[c] + h ? 1 : 0;
    const bottom = y >= this.y0[c] + h ? 1 : 0;
    const k = 4 * c + right + 2 * bottom;
    if (this.child[k] < 0) {
      const x0 = this.x0[c] + right * h;
      const y0 = this.y0[c] + bottom * h;
      const q = this.cell(x0, y0, h);
      this.child[k] = q;
      this.internal[c] = 1;
    }
    return this.child[k];
  }

  /** Adds to vel[i] the repulsion (strength < 0) of every other point, approximated by cells. */
  repel(i: number, pos: Float32Array, vel: Float32Array, strength: number): void {
    const x = pos[2 * i];
    const y = pos[2 * i + 1];
    let sp = 0;
    this.stack[sp++] = 0;
    while (sp > 0) {
      const c = this.stack[--sp];
      let dx = this.cx[c] - x;
      let dy = this.cy[c] - y;
      let d2 = dx * dx + dy * dy;
      const s = this.size[c];
      const leaf = !this.internal[c];
      if (!leaf && (s * s) / THETA2 < d2) {
        // Far enough: the whole cell acts as one body at its centre of mass.
        const f = (strength * this.mass[c]) / Math.max(d2, 1);
        vel[2 * i] += dx * f;
        vel[2 * i + 1] += dy * f;
        continue;
      }
      if (leaf) {
        for (let j = this.point[c]; j >= 0; j = this.nextPt[j]) {
          if (j === i) continue;
          dx = pos[2 * j] - x || jiggle(i + j);
          dy = pos[2 * j + 1] - y || jiggle(i * 3 + j);
          d2 = Math.max(dx * dx + dy * dy, 1);
          vel[2 * i] += (dx * strength) / d2;
          vel[2 * i + 1] += (dy * strength) / d2;
        }
        continue;
      }
      if (sp + 4 > this.stack.length) {
        const b = new Int32Array(this.stack.length * 2);
        b.set(this.stack);
        this.stack = b;
      }
      for (let q = 0; q < 4; q++) if (this.child[4 * c + q] >= 0) this.stack[sp++] = this.child[4 * c + q];
    }
  }
}
