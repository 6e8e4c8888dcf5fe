// A Leaflet map that never depends on tiles (spec frontend §4 "For meshlens"): a plain themed
// background (var(--map-bg)) with a graticule; tiles only when `map.tileUrl` is configured, and an
// on-map note that says why there are none (not configured, or unreachable).
import type { Map as LMap } from 'leaflet';
import { addCanvasOverlay, type CanvasOverlay } from './canvas-overlay';
import { cssVar, type LeafletNS } from './leaflet';
import './map.css';

export interface BaseMapOptions {
  center: [number, number];
  zoom: number;
  /** XYZ template (`/api/config/map` tileUrl); null/undefined = no tiles. */
  tileUrl?: string | null;
  attribution?: string | null;
  /** Accessible name of the focusable map container. */
  label?: string;
}

export interface BaseMap {
  L: LeafletNS;
  map: LMap;
  graticule: CanvasOverlay;
  /** The on-map note element (role=status); its text is '' when there is nothing to say. */
  note: HTMLElement;
  setNote(text: string | null): void;
  /** Redraws the canvas layers with the current theme's colours. */
  restyle(): void;
  destroy(): void;
}

/** The tile server's host for the note ("tiles.example:8080"), or the template itself. */
export function tileHost(tileUrl: string): string {
  const m = /^[a-z]+:\/\/([^/]+)/i.exec(tileUrl);
  return m ? m[1]! : tileUrl;
}

/** Builds the map in `el` (which should have a height). Keyboard: the container is focusable, +/- zoom, arrows pan. */
export function createBaseMap(L: LeafletNS, el: HTMLElement, opts: BaseMapOptions): BaseMap {
  el.classList.add('ml-map');
  const map = L.map(el, {
    center: opts.center,
    zoom: opts.zoom,
    // Without a tile layer Leaflet's max zoom is Infinity, and fitting one position goes there.
    maxZoom: 18,
    zoomControl: true,
    keyboard: true,
    worldCopyJump: true,
  });
  map.attributionControl.setPrefix(false);
  const container = map.getContainer();
  container.setAttribute('aria-label', opts.label ?? 'Map');
  container.setAttribute('role', 'application');
  const graticule = addCanvasOverlay(L, map, 'ml-grid', 250, (ctx, w, h) => drawGraticule(map, ctx, w, h));
  const note = L.DomUtil.create('div', 'ml-map-note', container);
  note.setAttribute('role', 'status');
  L.DomEvent.disableClickPropagation(note);
  const setNote = (text: string | null) => {
    note.textContent = text ?? '';
    note.hidden = !text;
  };
  if (opts.tileUrl) {
    const layer = L.tileLayer(opts.tileUrl, { attribution: opts.attribution ?? undefined, maxZoom: 19 });
    let failed = false;
    layer.on('tileerror', () => {
      if (failed) return;
      failed = true;
      setNote(`Map tiles unreachable (${tileHost(opts.tileUrl!)}): showing nodes on a plain background`);
      container.dataset.tiles = 'unreachable';
    });
    layer.on('tileload', () => {
      if (!failed) container.dataset.tiles = 'ok';
    });
    layer.addTo(map);
    container.dataset.tiles = 'loading';
    setNote(null);
  } else {
    container.dataset.tiles = 'none';
    setNote('No tile server configured (map.tileUrl): plain background');
  }
  return {
    L,
    map,
    graticule,
    note,
    setNote,
    restyle: () => graticule.redraw(),
    destroy: () => map.remove(),
  };
}

const STEPS = [30, 10, 5, 2, 1, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001];

/** Latitude/longitude lines at a step that keeps them ≥ ~90 px apart, labelled in degrees. */
function drawGraticule(map: LMap, ctx: CanvasRenderingContext2D, w: number, h: number) {
  const b = map.getBounds();
  const pxPerDeg = w / Math.max(1e-9, b.getEast() - b.getWest());
  const step = [...STEPS].reverse().find((s) => s * pxPerDeg >= 90) ?? STEPS[0]!;
  ctx.strokeStyle = cssVar('--map-grid', '#ccc');
  ctx.fillStyle = cssVar('--muted', '#666');
  ctx.lineWidth = 1;
  ctx.font = '10px system-ui, sans-serif';
  const digits = step >= 1 ? 0 : Math.min(3, Math.ceil(-Math.log10(step)));
  ctx.beginPath();
  for (let lon = Math.ceil(b.getWest() / step) * step; lon <= b.getEast(); lon += step) {
    const x = Math.round(map.latLngToContainerPoint([b.getCenter().lat, lon]).x) + 0.5;
    ctx.moveTo(x, 0);
    ctx.lineTo(x, h);
    ctx.fillText(`${lon.toFixed(digits)}°`, x + 3, h - 4);
  }
  for (
    let lat = Math.ceil(Math.max(-85, b.getSouth()) / step) * step;
    lat <= Math.min(85, b.getNorth());
    lat += step
  ) {
    const y = Math.round(map.latLngToContainerPoint([lat, b.getCenter().lng]).y) + 0.5;
    ctx.moveTo(0, y);
    ctx.lineTo(w, y);
    // On the right: the zoom buttons sit on the left edge.
    const label = `${lat.toFixed(digits)}°`;
    ctx.fillText(label, w - ctx.measureText(label).width - 4, y - 3);
  }
  ctx.stroke();
}
