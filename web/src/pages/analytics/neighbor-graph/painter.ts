// The per-frame state of the graph canvas and its painting, outside Preact (panning never
// re-renders a component): positions from the layout, the view transform, the selection, and
// a cache of the last full drawing. A pan/zoom frame only blits that cache (one drawImage);
// the full drawing follows 150 ms after the gesture stops, or whenever data, positions,
// selection, size or theme change. Writes the test hooks data-view, data-layout, data-drawn.
import { runLayout } from './layout-runner';
import type { GraphModel } from './model';
import { blit, draw, fitView, type View } from './renderer';
import { viewAttr } from './keyboard';
import { seedPositions } from './seed';

export class GraphPainter {
  canvas: HTMLCanvasElement | null = null;
  wrap: HTMLElement | null = null;
  pos: Float32Array | null = null;
  model: GraphModel | null = null;
  view: View = { k: 1, x: 0, y: 0 };
  /** The user moved the view: stop fitting the layout to the canvas. */
  userView = false;
  w = 0;
  h = 0;
  selected: number | null = null;
  /** The layout is still moving nodes. */
  running = false;
  /** Centre the selection once the layout has settled (it was chosen while it ran). */
  private centreWhenDone = false;
  private frame = 0;
  private drawn = false;
  private cache: HTMLCanvasElement | null = null;
  private cacheView: View | null = null;
  private dirty = true;
  private settle: ReturnType<typeof setTimeout> | null = null;

  private paint = () => {
    this.frame = 0;
    const c = this.canvas;
    if (!c || !this.pos || !this.model || this.w === 0) return;
    if (!this.userView) this.view = fitView(this.pos, this.w, this.h);
    const t0 = performance.now();
    if (!this.dirty && this.cache && this.cacheView) blit(c, this.cache, this.w, this.cacheView, this.view);
    else this.full(c);
    // Bench hook: the cost of each frame, when a benchmark asks for it.
    (window as { __meshlensGraphFrames?: number[] }).__meshlensGraphFrames?.push(performance.now() - t0);
    this.wrap?.setAttribute('data-view', viewAttr(this.view));
    if (!this.drawn) {
      this.drawn = true;
      performance.mark('meshlens:graph-drawn');
      this.wrap?.setAttribute('data-drawn', 'true');
    }
  };

  private full(c: HTMLCanvasElement): void {
    // A big graph is drawn light while its layout still moves (frames every 150 ms).
    const lite = this.running && this.model!.edges.length > 1500;
    draw(c, this.w, this.h, {
      model: this.model!,
      pos: this.pos!,
      view: this.view,
      selected: this.selected,
      lite,
    });
    this.cache ??= document.createElement('canvas');
    if (this.cache.width !== c.width || this.cache.height !== c.height) {
      this.cache.width = c.width;
      this.cache.height = c.height;
    }
    const cc = this.cache.getContext('2d');
    cc?.clearRect(0, 0, c.width, c.height);
    cc?.drawImage(c, 0, 0);
    this.cacheView = this.view;
    this.dirty = this.running;
  }

  schedule = () => {
    if (this.frame === 0) this.frame = requestAnimationFrame(this.paint);
  };

  /** Something other than the view changed: the next frame draws everything. */
  redraw = () => {
    this.dirty = true;
    this.schedule();
  };

  setView = (v: View) => {
    this.view = v;
    this.userView = true;
    this.centreWhenDone = false;
    this.schedule();
    if (this.settle !== null) clearTimeout(this.settle);
    this.settle = setTimeout(() => {
      this.settle = null;
      this.redraw();
    }, 150);
  };

  resetView(): void {
    this.userView = false;
    this.redraw();
  }

  centre(i: number): void {
    if (!this.pos) return;
    if (!this.userView) this.view = fitView(this.pos, this.w, this.h);
    const k = this.view.k;
    this.setView({ k, x: this.w / 2 - this.pos[2 * i] * k, y: this.h / 2 - this.pos[2 * i + 1] * k });
  }

  select(i: number | null): void {
    this.selected = i;
    // While the layout still moves nodes, centring now would lose the node: do it when settled.
    if (i !== null && this.running && !this.userView) this.centreWhenDone = true;
    else if (i !== null) this.centre(i);
    this.redraw();
  }

  /** (Re)layout for new data or filters, keeping the places of nodes already drawn. */
  layout(model: GraphModel): () => void {
    const prev = this.model && this.pos ? { model: this.model, pos: this.pos } : null;
    const seed = seedPositions(model, prev);
    this.model = model;
    this.pos = seed.init;
    this.wrap?.setAttribute('data-layout', 'running');
    this.running = true;
    this.redraw();
    const input = { n: model.nodes.length, links: seed.links, init: seed.init, alpha: seed.alpha };
    return runLayout(input, (pos, done) => {
      if (pos.length !== 2 * model.nodes.length) return;
      this.pos = pos;
      this.running = !done;
      if (done) this.wrap?.setAttribute('data-layout', 'done');
      if (done && this.centreWhenDone && this.selected !== null) this.centre(this.selected);
      this.redraw();
    });
  }

  /** The node drawn nearest a screen point. */
  nearest(px: number, py: number): number | null {
    if (!this.pos || !this.model) return null;
    let best: number | null = null;
    let bestD = Infinity;
    for (let i = 0; i < this.model.nodes.length; i++) {
      const dx = this.pos[2 * i] * this.view.k + this.view.x - px;
      const dy = this.pos[2 * i + 1] * this.view.k + this.view.y - py;
      if (dx * dx + dy * dy < bestD) {
        bestD = dx * dx + dy * dy;
        best = i;
      }
    }
    return best;
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    if (this.settle !== null) clearTimeout(this.settle);
  }
}
