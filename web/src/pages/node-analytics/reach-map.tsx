// The reach map: the node, its linked neighbours with a known position (role shapes), one line
// per link in its tier's colour, width and dash pattern, and the optional RX coverage cells.
// Drawn with the map kit, so it works without tiles (plain themed background and graticule).
import type { LayerGroup } from 'leaflet';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { MapConfigResponse, NodeReachResponse, RxCoverageResponse } from '../../../../src/api/contract';
import { roleKey } from '../../app/mesh';
import { theme } from '../../app/prefs';
import { useApi } from '../../app/use-api';
import { useLoadReport } from '../../components/analytic-card';
import { createBaseMap, cssVar, loadLeaflet, roleShapeSvg, safeFitBounds, type BaseMap } from '../../map';
import { tierOf } from './reach-tiers';

const placed = (lat: number | null, lon: number | null) =>
  lat !== null && lon !== null && !(lat === 0 && lon === 0);

function drawLinks(base: BaseMap, group: LayerGroup, d: NodeReachResponse, cov: RxCoverageResponse | null) {
  const { L, map } = base;
  group.clearLayers();
  const self = d.node;
  if (!placed(self.lat, self.lon)) return 0;
  const pts: [number, number][] = [[self.lat!, self.lon!]];
  const outline = cssVar('--surface', '#fff');
  for (const f of cov?.features ?? []) {
    const best = f.properties.bestSnr;
    const color = cssVar(best === null ? '--chart-2' : best >= 5 ? '--ok' : best >= -5 ? '--warn' : '--bad');
    L.polygon(
      f.geometry.coordinates[0].map(([lon, lat]) => [lat, lon] as [number, number]),
      { color, weight: 1, fillOpacity: 0.25, className: 'reach-cov', interactive: false },
    ).addTo(group);
  }
  let lines = 0;
  for (const l of d.links) {
    if (!placed(l.lat, l.lon)) continue;
    const t = tierOf(l);
    const ends: [number, number][] = [
      [self.lat!, self.lon!],
      [l.lat!, l.lon!],
    ];
    L.polyline(ends, { color: outline, weight: t.weight + 3, opacity: 0.7, interactive: false }).addTo(group);
    L.polyline(ends, {
      color: cssVar(t.color),
      weight: t.weight,
      dashArray: t.dash,
      className: `reach-link reach-${t.id}`,
    })
      .bindTooltip(
        `${l.name || l.pubkey.slice(0, 8)}: ${t.label}, we hear ${l.we_hear}, they hear ${l.they_hear}`,
      )
      .addTo(group);
    const title = `${l.name || l.pubkey.slice(0, 8)} (${t.label})`;
    const icon = L.divIcon({
      className: 'reach-marker',
      html: roleShapeSvg(roleKey(l.role), cssVar(`--role-${roleKey(l.role)}`), 16, outline),
      iconSize: [16, 16],
      iconAnchor: [8, 8],
    });
    L.marker([l.lat!, l.lon!], { icon, title, alt: title, keyboard: false }).addTo(group);
    pts.push([l.lat!, l.lon!]);
    lines++;
  }
  const me = L.divIcon({
    className: 'reach-marker reach-self',
    html: roleShapeSvg(
      roleKey(self.role),
      cssVar(`--role-${roleKey(self.role)}`),
      26,
      cssVar('--text', '#000'),
    ),
    iconSize: [26, 26],
    iconAnchor: [13, 13],
  });
  L.marker([self.lat!, self.lon!], {
    icon: me,
    title: self.name,
    alt: self.name,
    keyboard: false,
    zIndexOffset: 1000,
  }).addTo(group);
  safeFitBounds(L, map, pts, { padding: [30, 30] });
  return lines;
}

/** The map; reports itself loaded (LoadGate) once the links are drawn. */
export function ReachMap({ d, coverage }: { d: NodeReachResponse; coverage: RxCoverageResponse | null }) {
  const el = useRef<HTMLDivElement>(null);
  const cfg = useApi<MapConfigResponse>('/config/map', { ttlMs: 300_000 });
  const [kit, setKit] = useState<{ base: BaseMap; group: LayerGroup } | null>(null);
  const [drawn, setDrawn] = useState<number | null>(null);
  const hasPos = placed(d.node.lat, d.node.lon);
  useLoadReport('reach-map-drawn', !hasPos || drawn !== null || cfg.error !== null);
  useEffect(() => {
    if (!el.current || !hasPos || (!cfg.data && !cfg.error)) return;
    let cancelled = false;
    let built: BaseMap | null = null;
    void loadLeaflet().then((L) => {
      if (cancelled || !el.current) return;
      built = createBaseMap(L, el.current, {
        center: [d.node.lat!, d.node.lon!],
        zoom: 9,
        tileUrl: cfg.data?.tileUrl ?? null,
        attribution: cfg.data?.attribution ?? null,
        label: `Map of the links of ${d.node.name || 'the node'}. Arrow keys pan, plus and minus zoom.`,
      });
      setKit({ base: built, group: L.layerGroup().addTo(built.map) });
    });
    return () => {
      cancelled = true;
      built?.destroy();
      setKit(null);
    };
  }, [hasPos, cfg.data, cfg.error]);
  useEffect(() => {
    if (!kit) return;
    theme.value; // redraw with the other theme's colours
    kit.base.restyle();
    const n = drawLinks(kit.base, kit.group, d, coverage);
    el.current!.dataset.lines = String(n);
    setDrawn(n);
  }, [kit, d, coverage, theme.value]);
  if (!hasPos)
    return (
      <p class="state state-empty">
        No position: this node's adverts carry no location, so its links cannot be drawn.
      </p>
    );
  return <div ref={el} class="reach-map" data-field="reach-map" />;
}
