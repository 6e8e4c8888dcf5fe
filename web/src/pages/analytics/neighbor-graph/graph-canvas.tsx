// The graph's canvas: runs the layout off the main thread, repaints in requestAnimationFrame
// (pan/zoom only change the view transform, never the layout), and takes pointer and keyboard
// input. State that changes per frame lives in a ref, not in Preact state, so panning never
// re-renders components. Test hooks on the container: data-nodes, data-edges, data-view
// ("k,x,y"), data-layout (running|done), data-selected.
import { useEffect, useRef } from 'preact/hooks';
import { runLayout } from './layout-runner';
import type { GraphModel } from './model';
import { draw, fitView, hitTest, type View } from './renderer';
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
  }).current;
  const props = useRef(p);
  props.current = p;

  const paint = () => {
    live.frame = 0;
    const c = canvas.current;
    if (!c || !live.pos || !live.model || live.w === 0) return;
    if (!live.userView) live.view = fitView(live.pos, live.w, live.h);
    draw(c, live.w, live.h, { model: live.model, pos: live.pos, view: live.view, selected: live.selected });
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
  const setView = (v: View) => {
    live.view = v;
    live.userView = true;
    schedule();
  };

  // (Re)layout when the data or the filters change; keep the places of nodes already drawn.
  useEffect(() => {
    const prev = live.model && live.pos ? { model: live.model, pos: live.pos } : null;
    const seed = seedPositions(p.model, prev);
    live.model = p.model;
    live.pos = seed.init;
    wrap.current?.setAttribute('data-layout', 'running');
    schedule();
    return runLayout(
      { n: p.model.nodes.length, links: seed.links, init: seed.init, alpha: seed.alpha },
      (pos, done) => {
        if (pos.length !== 2 * p.model.nodes.length) return;
        live.pos = pos;
        if (done) wrap.current?.setAttribute('data-layout', 'done');
        schedule();
      },
    );
  }, [p.model]);

  // Selection: highlight, and bring the node to the centre.
  useEffect(() => {
    live.selected = p.selected;
    if (p.selected !== null && live.pos) {
      const i = p.selected;
      const v = live.view;
      setView({ k: v.k, x: live.w / 2 - live.pos[2 * i] * v.k, y: live.h / 2 - live.pos[2 * i + 1] * v.k });
    } else schedule();
  }, [p.selected, p.model]);

  useSize(wrap, canvas, live, schedule);
  usePointer(canvas, live, setView, (i) => props.current.onSelect(i));
  useEffect(() => () => cancelAnimationFrame(live.frame), []);

  const onKey = (e: KeyboardEvent) => {
    const a = keyAction(e, live.view, live.w, live.h);
    if (!a || !live.pos) return;
    e.preventDefault();
    const { order, selected, onSelect, model } = props.current;
    if (a.kind === 'view') setView(a.view);
    else if (a.kind === 'reset') {
      live.userView = false;
      schedule();
    } else if (a.kind === 'clear') onSelect(null);
    else if (a.kind === 'select-centre') onSelect(nearest(live, live.w / 2, live.h / 2));
    else if (order.length > 0) {
      const at = selected === null ? -1 : order.indexOf(selected);
      const next =
        at < 0 ? (a.delta > 0 ? 0 : order.length - 1) : (at + a.delta + order.length) % order.length;
      onSelect(order[next]);
    }
    void model;
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
