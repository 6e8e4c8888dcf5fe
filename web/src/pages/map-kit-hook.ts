// The Map page's Leaflet instance: built once the map config is known, torn down on unmount.
// Keeps the viewport in the URL (lat, lon, zoom) and reports how many nodes are drawn.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { MapConfigResponse } from '../../../src/api/contract';
import { setParams } from '../app/router';
import { addNodeLayer, createBaseMap, loadLeaflet, type BaseMap, type NodeHit, type NodeLayer } from '../map';

export interface MapKit {
  base: BaseMap;
  layer: NodeLayer;
}

export interface UrlView {
  lat: number;
  lon: number;
  zoom: number;
}

/** lat/lon/zoom from the URL when all three are valid numbers. */
export function urlView(params: URLSearchParams): UrlView | null {
  const lat = Number(params.get('lat'));
  const lon = Number(params.get('lon'));
  const zoom = Number(params.get('zoom'));
  if (!params.get('lat') || !params.get('lon') || !params.get('zoom')) return null;
  if (![lat, lon, zoom].every(Number.isFinite) || Math.abs(lat) > 90) return null;
  return { lat, lon, zoom };
}

export function useMapKit(
  el: { current: HTMLDivElement | null },
  cfg: MapConfigResponse | null,
  initial: UrlView | null,
  onHit: (hit: NodeHit | null, kit: MapKit) => void,
): { kit: MapKit | null; drawn: number; moved: number; error: Error | null } {
  const [kit, setKit] = useState<MapKit | null>(null);
  const [drawn, setDrawn] = useState(0);
  const [moved, setMoved] = useState(0);
  const [error, setError] = useState<Error | null>(null);
  const hitRef = useRef(onHit);
  hitRef.current = onHit;
  useEffect(() => {
    if (!cfg || !el.current) return;
    let cancelled = false;
    let built: MapKit | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    loadLeaflet()
      .then((L) => {
        if (cancelled || !el.current) return;
        const base = createBaseMap(L, el.current, {
          center: initial ? [initial.lat, initial.lon] : cfg.center,
          zoom: initial ? initial.zoom : cfg.zoom,
          tileUrl: cfg.tileUrl ?? null,
          attribution: cfg.attribution ?? null,
          label: 'Map of the nodes. Arrow keys pan, plus and minus zoom.',
        });
        const k: MapKit = { base, layer: null as unknown as NodeLayer };
        k.layer = addNodeLayer(L, base.map, {
          onClick: (hit) => hitRef.current(hit, k),
          onDraw: (n) => {
            // Debounced: a pan draws every frame, the count and list need not follow each one.
            clearTimeout(timer);
            timer = setTimeout(() => setDrawn(n), 120);
          },
        });
        base.map.on('moveend', () => {
          const c = base.map.getCenter();
          setParams({ lat: c.lat.toFixed(4), lon: c.lng.toFixed(4), zoom: base.map.getZoom() });
          setMoved((m) => m + 1);
        });
        built = k;
        setKit(k);
      })
      .catch((e: Error) => setError(e));
    return () => {
      cancelled = true;
      clearTimeout(timer);
      built?.layer.remove();
      built?.base.destroy();
    };
    // The map is built once per config; the URL view only seeds it.
  }, [cfg]);
  return { kit, drawn, moved, error };
}
