// The graph's canvas: runs the layout off the main thread, repaints in requestAnimationFrame
// (pan/zoom only change the view transform, never the layout), and takes pointer and keyboard
// input. State that changes per frame lives in a ref, not in Preact state, so panning never
// re-renders components. Test hooks on the container: data-nodes, data-edges, data-view
// ("k,x,y"), data-layout (running|done), data-selected.
import { useEffect, useRef } from 'preact/hooks';
import { runLayout } from './layout-runner';
import type { GraphModel } from './model';
import { blit, draw, fitView, hitTest, type View } from './renderer';
import { theme } from '../../../app/prefs';
import { keyAction, panBy, viewAttr, zoomAt } from './keyboard';
import { seedPositions } from './seed';

interface Props {
  model: GraphModel;
  /** Node indices in list order (N / P step through them). */
  order: number[];
  selected: number | null;
  onSelect: (i: number | null) => void;
  listId: string;
}

interface Live {
  pos: Float32Array | null;
  model: GraphModel | null;
  view: View;
  /** The user moved the view: stop fitting the layout to the canvas. */
  userView: boolean;
  w: number;
  h: number;
  frame: number;
  drawn: boolean;
  selected: number | null;
  /** The layout is still moving nodes. */
  running: boolean;
  /** Centre the selection once the layout has settled (it was chosen while it ran). */
  centreWhenDone: boolean;
  /** The last full drawing and the view it was drawn with: pan/zoom frames only blit it. */
  cache: HTMLCanvasElement | null;
  cacheView: View | null;
  /** A full drawing is due (data, positions, selection, size or theme changed, or settled). */
  dirty: boolean;
  settle: ReturnType<typeof setTimeout> | null;
}

export function GraphCanvas(p: Props) {
  const wrap = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const live = useRef<Live>({
    pos: null,
    model: null,
    view: { k: 1, x: 0, y: 0 },
    userView: false,
    w: 0,
    h: 0,
    frame: 0,
    drawn: false,
    selected: null,
    running: false,
    centreWhenDone: false,
    cache: null,
    cacheView: null,
    dirty: true,
    settle: null,
  }).current;
  const props = useRef(p);
  props.current = p;

  const paint = () => {
    live.frame = 0;
    const c = canvas.current;
    if (!c || !live.pos || !live.model || live.w === 0) return;
    if (!live.userView) live.view = fitView(live.pos, live.w, live.h);
    const t0 = performance.now();
    if (!live.dirty && live.cache && live.cacheView) {
      // Pan/zoom in progress: move the last drawing (one blit); redraw crisply when it stops.
      blit(c, live.cache, live.w, live.cacheView, live.view);
    } else {
      // A big graph is drawn light while its layout still moves (frames every 150 ms).
      const lite = live.running && live.model.edges.length > 1500;
      draw(c, live.w, live.h, {
        model: live.model,
        pos: live.pos,
        view: live.view,
        selected: live.selected,
        lite,
      });
      live.cache ??= document.createElement('canvas');
      if (live.cache.width !== c.width || live.cache.height !== c.height) {
        live.cache.width = c.width;
        live.cache.height = c.height;
      }
      const cc = live.cache.getContext('2d');
      cc?.clearRect(0, 0, c.width, c.height);
      cc?.drawImage(c, 0, 0);
      live.cacheView = live.view;
      live.dirty = live.running;
    }
    // Bench hook: the cost of each frame, when a benchmark asks for it.
    (window as { __meshlensGraphFrames?: number[] }).__meshlensGraphFrames?.push(performance.now() - t0);
    wrap.current?.setAttribute('data-view', viewAttr(live.view));
    if (!live.drawn) {
      live.drawn = true;
      performance.mark('meshlens:graph-drawn');
      wrap.current?.setAttribute('data-drawn', 'true');
    }
  };
  const schedule = () => {
    if (live.frame === 0) live.frame = requestAnimationFrame(paint);
  };
  /** Something other than the view changed: the next frame draws everything. */
  const redraw = () => {
    live.dirty = true;
    schedule();
  };
  const setView = (v: View) => {
    live.view = v;
    live.userView = true;
    live.centreWhenDone = false;
    schedule();
    if (live.settle !== null) clearTimeout(live.settle);
    live.settle = setTimeout(() => {
      live.settle = null;
      redraw();
    }, 150);
  };
  const centre = (i: number) => {
    if (!live.pos) return;
    if (!live.userView) live.view = fitView(live.pos, live.w, live.h);
    const k = live.view.k;
    setView({ k, x: live.w / 2 - live.pos[2 * i] * k, y: live.h / 2 - live.pos[2 * i + 1] * k });
  };

  // (Re)layout when the data or the filters change; keep the places of nodes already drawn.
  useEffect(() => {
    const prev = live.model && live.pos ? { model: live.model, pos: live.pos } : null;
    const seed = seedPositions(p.model, prev);
    live.model = p.model;
    live.pos = seed.init;
    wrap.current?.setAttribute('data-layout', 'running');
    live.running = true;
    redraw();
    return runLayout(
      { n: p.model.nodes.length, links: seed.links, init: seed.init, alpha: seed.alpha },
      (pos, done) => {
        if (pos.length !== 2 * p.model.nodes.length) return;
        live.pos = pos;
        live.running = !done;
        if (done) wrap.current?.setAttribute('data-layout', 'done');
        if (done && live.centreWhenDone && live.selected !== null) centre(live.selected);
        redraw();
      },
    );
  }, [p.model]);

  // Selection: highlight, and bring the node to the centre.
  useEffect(() => {
    live.selected = p.selected;
    // While the layout still moves nodes, centring now would lose the node: do it when settled.
    if (p.selected !== null && live.running && !live.userView) live.centreWhenDone = true;
    else if (p.selected !== null) centre(p.selected);
    redraw();
  }, [p.selected, p.model]);

  // A theme switch changes every colour.
  const th = theme.value;
  useEffect(redraw, [th]);
  useSize(wrap, canvas, live, redraw);
  usePointer(canvas, live, setView, (i) => props.current.onSelect(i));
  useEffect(
    () => () => {
      cancelAnimationFrame(live.frame);
      if (live.settle !== null) clearTimeout(live.settle);
    },
    [],
  );

  const onKey = (e: KeyboardEvent) => {
    const a = keyAction(e, live.view, live.w, live.h);
    if (!a || !live.pos) return;
    e.preventDefault();
    const { order, selected, onSelect } = props.current;
    if (a.kind === 'view') setView(a.view);
    else if (a.kind === 'reset') {
      live.userView = false;
      redraw();
    } else if (a.kind === 'clear') onSelect(null);
    else if (a.kind === 'select-centre') onSelect(nearest(live, live.w / 2, live.h / 2));
    else if (order.length > 0) {
      const at = selected === null ? -1 : order.indexOf(selected);
      const next =
        at < 0 ? (a.delta > 0 ? 0 : order.length - 1) : (at + a.delta + order.length) % order.length;
      onSelect(order[next]);
    }
  };

  return (
    <div
      ref={wrap}
      class="ng-canvas-wrap"
      data-nodes={String(p.model.stats.nodes)}
      data-edges={String(p.model.stats.edges)}
      data-selected={p.selected === null ? '' : p.model.nodes[p.selected].id}
    >
      <canvas
        ref={canvas}
        tabIndex={0}
        role="application"
        aria-roledescription="graph drawing"
        aria-label="Neighbour graph. Arrow keys pan, plus and minus zoom, 0 fits the graph, Enter selects the node nearest the centre, N and P step through the nodes, Escape clears the selection. The same data is in the list of nodes and their neighbours."
        aria-describedby={p.listId}
        onKeyDown={onKey}
      />
    </div>
  );
}

function nearest(live: Live, px: number, py: number): number | null {
  if (!live.pos || !live.model) return null;
  let best: number | null = null;
  let bestD = Infinity;
  for (let i = 0; i < live.model.nodes.length; i++) {
    const dx = live.pos[2 * i] * live.view.k + live.view.x - px;
    const dy = live.pos[2 * i + 1] * live.view.k + live.view.y - py;
    if (dx * dx + dy * dy < bestD) {
      bestD = dx * dx + dy * dy;
      best = i;
    }
  }
  return best;
}

function useSize(
  wrap: { current: HTMLDivElement | null },
  canvas: { current: HTMLCanvasElement | null },
  live: Live,
  schedule: () => void,
) {
  useEffect(() => {
    const el = wrap.current;
    const c = canvas.current;
    if (!el || !c) return;
    const ro = new ResizeObserver(() => {
      const r = el.getBoundingClientRect();
      const dpr = Math.min(2, window.devicePixelRatio || 1);
      live.w = Math.round(r.width);
      live.h = Math.round(r.height);
      c.width = Math.round(live.w * dpr);
      c.height = Math.round(live.h * dpr);
      c.style.width = `${live.w}px`;
      c.style.height = `${live.h}px`;
      schedule();
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
}

function usePointer(
  canvas: { current: HTMLCanvasElement | null },
  live: Live,
  setView: (v: View) => void,
  select: (i: number | null) => void,
) {
  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    let drag: { x: number; y: number; moved: number } | null = null;
    const down = (e: PointerEvent) => {
      drag = { x: e.offsetX, y: e.offsetY, moved: 0 };
      c.setPointerCapture(e.pointerId);
    };
    const move = (e: PointerEvent) => {
      if (!drag) return;
      const dx = e.offsetX - drag.x;
      const dy = e.offsetY - drag.y;
      drag = { x: e.offsetX, y: e.offsetY, moved: drag.moved + Math.abs(dx) + Math.abs(dy) };
      setView(panBy(live.view, dx, dy));
    };
    const up = (e: PointerEvent) => {
      if (drag && drag.moved < 4 && live.pos && live.model)
        select(
          hitTest(
            { model: live.model, pos: live.pos, view: live.view, selected: null },
            e.offsetX,
            e.offsetY,
          ),
        );
      drag = null;
    };
    const wheel = (e: WheelEvent) => {
      e.preventDefault();
      setView(zoomAt(live.view, Math.exp(-e.deltaY * 0.0015), e.offsetX, e.offsetY));
    };
    c.addEventListener('pointerdown', down);
    c.addEventListener('pointermove', move);
    c.addEventListener('pointerup', up);
    c.addEventListener('wheel', wheel, { passive: false });
    return () => {
      c.removeEventListener('pointerdown', down);
      c.removeEventListener('pointermove', move);
      c.removeEventListener('pointerup', up);
      c.removeEventListener('wheel', wheel);
    };
  }, []);
}
