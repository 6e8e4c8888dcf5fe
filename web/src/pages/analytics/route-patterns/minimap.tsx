// The sub-path on a small Leaflet map (the map kit): no tiles needed (a themed background
// with a graticule when none are configured), the hops drawn with drawRoute in path order.
// It reports readiness to the tab's LoadGate once the route is drawn (or there is nothing to
// draw), and marks its container with data-route-points for tests.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { MapConfigResponse, SubpathDetailResponse } from '../../../../../src/api/contract';
import { api } from '../../../app/api';
import { theme } from '../../../app/prefs';
import { useLoadReport } from '../../../components/analytic-card';
import { createBaseMap, drawRoute, loadLeaflet, safeFitBounds, type RoutePoint } from '../../../map';
import { located } from './geo';

export function SubpathMiniMap({ nodes }: { nodes: SubpathDetailResponse['nodes'] }) {
  const el = useRef<HTMLDivElement>(null);
  const points: RoutePoint[] = nodes
    .filter(located)
    .map((n) => ({ lat: n.lat, lon: n.lon, label: n.name ?? n.hop.toUpperCase() }));
  const sig = points.map((q) => `${q.lat},${q.lon}`).join(';');
  const [drawn, setDrawn] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  const dark = theme.value === 'dark';
  useLoadReport('subpath-map', drawn || failed !== null || points.length < 2);
  useEffect(() => {
    const box = el.current;
    if (!box || points.length < 2) return;
    let stopped = false;
    let destroy: (() => void) | null = null;
    setDrawn(false);
    void Promise.all([
      loadLeaflet(),
      api<MapConfigResponse>('/config/map', { ttlMs: 300_000 }).catch(() => null),
    ])
      .then(([L, cfg]) => {
        if (stopped) return;
        const base = createBaseMap(L, box, {
          center: [points[0].lat, points[0].lon],
          zoom: cfg?.zoom ?? 9,
          tileUrl: cfg?.tileUrl,
          attribution: cfg?.attribution,
          label: `Map of the sub-path: ${points.map((q) => q.label).join(' to ')}. Arrow keys pan, plus and minus zoom.`,
        });
        safeFitBounds(L, base.map, L.latLngBounds(points.map((q) => [q.lat, q.lon] as [number, number])), {
          padding: [24, 24],
          animate: false,
        });
        drawRoute(L, base.map, points);
        box.dataset.routePoints = String(points.length);
        destroy = () => base.destroy();
        setDrawn(true);
      })
      .catch((e: Error) => setFailed(e.message));
    return () => {
      stopped = true;
      destroy?.();
      delete box.dataset.routePoints;
    };
  }, [sig, dark]);
  if (points.length < 2)
    return (
      <p class="state state-empty" data-map="none">
        Fewer than two of these hops resolve to a node with a known position: nothing to draw.
      </p>
    );
  return (
    <>
      <div ref={el} class="rp-map" data-map="subpath" />
      {failed ? <p class="state state-error">The map could not be drawn: {failed}</p> : null}
      {points.length < nodes.length ? (
        <p class="muted small">
          {nodes.length - points.length} of {nodes.length} hops have no known position and are not drawn.
        </p>
      ) : null}
    </>
  );
}
