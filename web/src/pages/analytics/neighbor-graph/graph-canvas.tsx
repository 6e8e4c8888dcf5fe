// The graph's canvas: a focusable drawing (pointer: drag pans, wheel zooms, click selects;
// keyboard: see keyboard.ts) painted by a GraphPainter that lives outside Preact. Test hooks
// on the container: data-nodes, data-edges, data-view ("k,x,y"), data-layout (running|done),
// data-drawn, data-selected.
import { useEffect, useRef } from 'preact/hooks';
import { theme } from '../../../app/prefs';
import { keyAction, panBy, zoomAt } from './keyboard';
import type { GraphModel } from './model';
import { GraphPainter } from './painter';
import { hitTest } from './renderer';

interface Props {
  model: GraphModel;
  /** Node indices in list order (N / P step through them). */
  order: number[];
  selected: number | null;
  onSelect: (i: number | null) => void;
  listId: string;
}

export function GraphCanvas(p: Props) {
  const wrap = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const painter = useRef(new GraphPainter()).current;
  const props = useRef(p);
  props.current = p;
  useEffect(() => {
    painter.canvas = canvas.current;
    painter.wrap = wrap.current;
    return () => painter.dispose();
  }, []);
  useEffect(() => painter.layout(p.model), [p.model]);
  useEffect(() => painter.select(p.selected), [p.selected, p.model]);
  // A theme switch changes every colour.
  const th = theme.value;
  useEffect(painter.redraw, [th]);
  useSize(wrap, canvas, painter);
  usePointer(canvas, painter, (i) => props.current.onSelect(i));

  const onKey = (e: KeyboardEvent) => {
    const a = keyAction(e, painter.view, painter.w, painter.h);
    if (!a || !painter.pos) return;
    e.preventDefault();
    const { order, selected, onSelect } = props.current;
    if (a.kind === 'view') painter.setView(a.view);
    else if (a.kind === 'reset') painter.resetView();
    else if (a.kind === 'clear') onSelect(null);
    else if (a.kind === 'select-centre') onSelect(painter.nearest(painter.w / 2, painter.h / 2));
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

function useSize(
  wrap: { current: HTMLDivElement | null },
  canvas: { current: HTMLCanvasElement | null },
  painter: GraphPainter,
) {
  useEffect(() => {
    const el = wrap.current;
    const c = canvas.current;
    if (!el || !c) return;
    const ro = new ResizeObserver(() => {
      const r = el.getBoundingClientRect();
      const dpr = Math.min(2, window.devicePixelRatio || 1);
      painter.w = Math.round(r.width);
      painter.h = Math.round(r.height);
      c.width = Math.round(painter.w * dpr);
      c.height = Math.round(painter.h * dpr);
      c.style.width = `${painter.w}px`;
      c.style.height = `${painter.h}px`;
      painter.redraw();
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
}

function usePointer(
  canvas: { current: HTMLCanvasElement | null },
  painter: GraphPainter,
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
      painter.setView(panBy(painter.view, dx, dy));
    };
    const up = (e: PointerEvent) => {
      const { model, pos, view } = painter;
      if (drag && drag.moved < 4 && pos && model)
        select(hitTest({ model, pos, view, selected: null }, e.offsetX, e.offsetY));
      drag = null;
    };
    const wheel = (e: WheelEvent) => {
      e.preventDefault();
      painter.setView(zoomAt(painter.view, Math.exp(-e.deltaY * 0.0015), e.offsetX, e.offsetY));
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
