// A canvas that covers the map's viewport inside its own pane and is redrawn on every move and
// zoom (a few thousand shapes draw in ~1 ms, so redrawing beats Leaflet's per-marker DOM). The
// draw callback gets container pixel coordinates via map.latLngToContainerPoint.
import type { Map as LMap } from 'leaflet';
import type { LeafletNS } from './leaflet';

export interface CanvasOverlay {
  canvas: HTMLCanvasElement;
  /** Draws again now (after data or style changes). */
  redraw(): void;
  remove(): void;
}

/**
 * Adds a canvas in a new pane `paneName` (z-index `zIndex`: tiles are 200, vectors 400, popups
 * 700). `draw(ctx, width, height)` is called with the context scaled for the device pixel ratio.
 */
export function addCanvasOverlay(
  L: LeafletNS,
  map: LMap,
  paneName: string,
  zIndex: number,
  draw: (ctx: CanvasRenderingContext2D, width: number, height: number) => void,
): CanvasOverlay {
  const pane = map.getPane(paneName) ?? map.createPane(paneName);
  pane.style.zIndex = String(zIndex);
  pane.style.pointerEvents = 'none';
  const canvas = L.DomUtil.create('canvas', 'ml-canvas', pane);
  canvas.setAttribute('aria-hidden', 'true');
  let frame = 0;
  const paint = () => {
    frame = 0;
    const size = map.getSize();
    const dpr = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(size.x * dpr) || canvas.height !== Math.round(size.y * dpr)) {
      canvas.width = Math.round(size.x * dpr);
      canvas.height = Math.round(size.y * dpr);
      canvas.style.width = `${size.x}px`;
      canvas.style.height = `${size.y}px`;
    }
    // Keep the canvas on the viewport while the map pane is translated by panning.
    L.DomUtil.setPosition(canvas, map.containerPointToLayerPoint([0, 0]));
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, size.x, size.y);
    draw(ctx, size.x, size.y);
  };
  const redraw = () => {
    canvas.style.visibility = '';
    paint();
  };
  const onMove = () => {
    if (!frame) frame = requestAnimationFrame(paint);
  };
  // During the zoom animation the old drawing would be at the wrong scale: hide it meanwhile.
  const onZoomAnim = () => (canvas.style.visibility = 'hidden');
  map.on('move resize', onMove);
  map.on('zoomanim', onZoomAnim);
  map.on('zoomend viewreset', redraw);
  paint();
  return {
    canvas,
    redraw,
    remove() {
      if (frame) cancelAnimationFrame(frame);
      map.off('move resize', onMove);
      map.off('zoomanim', onZoomAnim);
      map.off('zoomend viewreset', redraw);
      canvas.remove();
    },
  };
}
