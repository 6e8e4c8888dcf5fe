// One packet's path on the map: segments coloured along a gradient (origin → destination), an
// arrow head at each segment's middle showing direction, the origin as a square and the
// destination as a triangle; hops whose prefix matched several nodes are dashed and ringed.
import type { LayerGroup, Map as LMap } from 'leaflet';
import { cssVar, type LeafletNS } from './leaflet';
import { roleShapeSvg } from './shapes';

export interface RoutePoint {
  lat: number;
  lon: number;
  /** Hop label (name or prefix) for the tooltip. */
  label: string;
  /** The position is one candidate of several (prefix collision): drawn dashed / ringed. */
  ambiguous?: boolean;
}

/** Interpolates hue from teal (origin) to orange-red (destination); t in 0..1. */
export function routeColor(t: number): string {
  const hue = 190 - 170 * Math.max(0, Math.min(1, t));
  return `hsl(${hue.toFixed(0)} 85% 45%)`;
}

/**
 * Draws the path in a layer group on its own pane (z-index 460: above the node canvas) and
 * returns it; `group.remove()` clears it. Fewer than one point draws nothing.
 */
export function drawRoute(L: LeafletNS, map: LMap, points: RoutePoint[]): LayerGroup {
  const paneName = 'ml-route';
  if (!map.getPane(paneName)) map.createPane(paneName).style.zIndex = '460';
  const renderer = L.svg({ pane: paneName });
  const group = L.layerGroup().addTo(map);
  const n = points.length;
  const outline = cssVar('--surface', '#fff');
  for (let i = 0; i + 1 < n; i++) {
    const a = points[i]!;
    const b = points[i + 1]!;
    const color = routeColor(n <= 2 ? 0.5 : i / (n - 2));
    const dashed = a.ambiguous || b.ambiguous;
    const opts = { pane: paneName, renderer, interactive: false };
    L.polyline(
      [
        [a.lat, a.lon],
        [b.lat, b.lon],
      ],
      { ...opts, color: outline, weight: 7, opacity: 0.8 },
    ).addTo(group);
    L.polyline(
      [
        [a.lat, a.lon],
        [b.lat, b.lon],
      ],
      { ...opts, color, weight: 4, dashArray: dashed ? '8 6' : undefined },
    ).addTo(group);
    // Mercator is conformal: the on-screen angle is the same at every zoom.
    const pa = map.latLngToLayerPoint([a.lat, a.lon]);
    const pb = map.latLngToLayerPoint([b.lat, b.lon]);
    const angle = (Math.atan2(pb.y - pa.y, pb.x - pa.x) * 180) / Math.PI;
    const arrow = L.divIcon({
      className: 'ml-route-arrow',
      html: `<svg width="14" height="14" viewBox="0 0 14 14" style="transform:rotate(${angle}deg)" aria-hidden="true"><path d="M2 2L12 7L2 12Z" fill="${color}" stroke="${outline}"/></svg>`,
      iconSize: [14, 14],
      iconAnchor: [7, 7],
    });
    L.marker([(a.lat + b.lat) / 2, (a.lon + b.lon) / 2], {
      icon: arrow,
      pane: paneName,
      interactive: false,
      keyboard: false,
    }).addTo(group);
  }
  points.forEach((p, i) => {
    const end = i === 0 ? 'room' : i === n - 1 ? 'sensor' : null;
    const color = routeColor(n <= 1 ? 0 : i / (n - 1));
    const html = end
      ? roleShapeSvg(end, color, 20, outline)
      : `<span class="ml-route-hop${p.ambiguous ? ' ambiguous' : ''}" style="border-color:${color}">${i}</span>`;
    const icon = L.divIcon({ className: 'ml-route-point', html, iconSize: [20, 20], iconAnchor: [10, 10] });
    const title = `${i === 0 ? 'origin' : i === n - 1 ? 'destination' : `hop ${i}`}: ${p.label}${p.ambiguous ? ' (ambiguous)' : ''}`;
    L.marker([p.lat, p.lon], { icon, pane: paneName, title, alt: title, keyboard: false })
      .bindTooltip(title)
      .addTo(group);
  });
  return group;
}
