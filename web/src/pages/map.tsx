// Map (spec frontend §2.5): every positioned node drawn with its role's shape on a canvas,
// clustered when zoomed out, filtered by role / status / last heard; neighbour links; a node's
// details beside the map; one packet's route (`?packet=&obs=`); a text list of the visible
// nodes for screen readers. Works without any tile server (plain background + graticule).
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { MapConfigResponse, NeighborGraphResponse, NodeItem } from '../../../src/api/contract';
import { isAbort } from '../app/api';
import { count } from '../app/format';
import type { RoleKey } from '../app/mesh';
import { theme } from '../app/prefs';
import { setParams } from '../app/router';
import type { PageProps } from '../app/routes';
import { clientConfig } from '../app/server-state';
import { useApi } from '../app/use-api';
import { useRegion } from '../components/controls';
import { DataState, Page } from '../components/page';
import { drawRoute, safeFitBounds, type NodeHit } from '../map';
import type { MapKit } from './map-kit-hook';
import { urlView, useMapKit } from './map-kit-hook';
import {
  coreBounds,
  fetchAllNodes,
  fetchRoute,
  filterNodes,
  graphLinks,
  HEARD_WINDOWS,
  MAP_ROLES,
  neighbourKeys,
  placeNodes,
  routeFromKeys,
  type PacketRoute,
} from './map-data';
import { MapControls, NodeList, NodePanel, RoutePanel } from './map-panels';
import '../styles/map.css';

function useNodes(region: string[]) {
  const [items, setItems] = useState<NodeItem[] | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const key = region.join(',');
  useEffect(() => {
    const ctl = new AbortController();
    setItems(null);
    fetchAllNodes(region, ctl.signal)
      .then(setItems)
      .catch((e: Error) => !isAbort(e) && setError(e));
    return () => ctl.abort();
  }, [key]);
  return { items, error };
}

function useRoute(packet: string | null, obs: string | null) {
  const [route, setRoute] = useState<PacketRoute | null>(null);
  const [error, setError] = useState<Error | null>(null);
  useEffect(() => {
    setRoute(null);
    setError(null);
    if (!packet) return;
    const ctl = new AbortController();
    fetchRoute(packet, obs, ctl.signal)
      .then(setRoute)
      .catch((e: Error) => !isAbort(e) && setError(e));
    return () => ctl.abort();
  }, [packet, obs]);
  return { route, error };
}

/** Cluster click: zoom to its nodes; node click: select it (details beside the map). */
function onHit(hit: NodeHit | null, kit: MapKit) {
  if (!hit) return;
  if (hit.kind === 'node') return setParams({ sel: hit.node.id });
  const { L, map } = kit.base;
  const b = L.latLngBounds(hit.nodes.map((n) => [n.lat, n.lon] as [number, number]));
  if (b.getNorthEast().equals(b.getSouthWest())) map.setView(b.getCenter(), map.getZoom() + 2);
  else safeFitBounds(L, map, b, { padding: [40, 40] });
}

export default function MapPage({ route }: PageProps) {
  const p = route.params;
  const region = useRegion();
  const cfg = useApi<MapConfigResponse>('/config/map', { ttlMs: 60_000 });
  const graph = useApi<NeighborGraphResponse>('/analytics/neighbor-graph', { ttlMs: 60_000 });
  const nodes = useNodes(region);
  const packet = useRoute(p.get('packet'), p.get('obs'));
  // `prefixes=k1,k2,…`: a path of node keys (the path inspector's "Show on map").
  const prefixes = p.get('prefixes');
  const keyRoute = useMemo(
    () => (prefixes && nodes.items ? routeFromKeys(prefixes.split(',').filter(Boolean), nodes.items) : null),
    [prefixes, nodes.items],
  );
  const shownRoute = prefixes ? keyRoute : packet.route;
  const el = useRef<HTMLDivElement>(null);
  const initialView = useRef(urlView(p)).current;
  const { kit, drawn, error: mapError } = useMapKit(el, cfg.data, initialView, onHit);

  const th = clientConfig.value?.healthThresholds ?? null;
  const placed = useMemo(() => (nodes.items ? placeNodes(nodes.items, th) : []), [nodes.items, th]);
  const byKey = useMemo(() => new Map(placed.map((n) => [n.id, n])), [placed]);
  const rolesParam = p.get('roles');
  const roles = useMemo(
    () => new Set<RoleKey>(rolesParam === null ? MAP_ROLES : (rolesParam.split(',') as RoleKey[])),
    [rolesParam],
  );
  const nb = p.get('nb');
  const sel = p.get('sel');
  const heard = p.get('heard') ?? '';
  const filters = {
    roles,
    status: p.get('status') ?? '',
    heardMs: HEARD_WINDOWS.find((w) => w.value === heard)?.ms ?? null,
    neighboursOf: nb,
  };
  const nbSet = useMemo(() => (nb ? neighbourKeys(graph.data, nb) : null), [nb, graph.data]);
  const shown = useMemo(
    () => filterNodes(placed, filters, nbSet),
    [placed, roles, filters.status, filters.heardMs, nbSet],
  );
  const showLinks = p.get('links') !== '0';
  const cluster = p.get('cluster') !== '0';

  // Fit the map to the nodes once, unless the URL says where to look.
  const fitted = useRef(initialView !== null);
  useEffect(() => {
    if (!kit) return;
    kit.layer.setNodes(shown);
    if (!fitted.current && placed.length > 0 && !p.get('packet') && !prefixes) {
      fitted.current = true;
      const box = coreBounds(placed);
      if (box) safeFitBounds(kit.base.L, kit.base.map, box, { padding: [24, 24] });
    }
  }, [kit, shown, placed]);
  useEffect(() => kit?.layer.setCluster(cluster), [kit, cluster]);
  useEffect(() => kit?.layer.setSelected(sel), [kit, sel]);
  useEffect(() => {
    kit?.layer.setLinks(showLinks ? graphLinks(graph.data, byKey, nb) : []);
  }, [kit, showLinks, graph.data, byKey, nb]);
  useEffect(() => {
    theme.value; // redraw the canvases with the other theme's colours
    requestAnimationFrame(() => {
      kit?.layer.redraw();
      kit?.base.restyle();
    });
  }, [kit, theme.value]);
  const routePoints = useRoutePoints(kit, shownRoute, !fitted.current);

  const loaded =
    kit !== null && nodes.items !== null && (!p.get('packet') || packet.route !== null || !!packet.error);
  const selNode = sel ? (byKey.get(sel) ?? null) : null;
  return (
    <Page name="map" title="Map" loaded={loaded} class="page-map">
      <div class="map-layout">
        <aside class="map-side">
          <MapControls placed={placed} roles={roles} params={p} graphError={graph.error} />
          {selNode ? (
            <NodePanel node={selNode} graph={graph.data} neighboursShown={nb === selNode.id} />
          ) : null}
          {prefixes ? (
            <RoutePanel route={keyRoute} error={null} hash={null} />
          ) : p.get('packet') ? (
            <RoutePanel route={packet.route} error={packet.error} hash={p.get('packet')!} />
          ) : null}
        </aside>
        <div class="map-main">
          <DataState error={cfg.error ?? nodes.error ?? mapError} loading={!nodes.items && !nodes.error} />
          <div
            ref={el}
            class="map-canvas"
            data-nodes={shown.length}
            data-drawn={drawn}
            data-route-points={routePoints}
            data-positioned={placed.length}
          />
          <p class="map-summary muted" aria-live="polite">
            {count(shown.length)} of {count(placed.length)} positioned nodes match the filters; {count(drawn)}{' '}
            in view
            {nodes.items ? ` (${count(nodes.items.length - placed.length)} nodes have no position)` : ''}.
          </p>
          <NodeList kit={kit} nodes={shown} drawn={drawn} />
        </div>
      </div>
    </Page>
  );
}

/** Draws the packet's route when both the map and the resolved path are there; returns its point count. */
function useRoutePoints(kit: MapKit | null, route: PacketRoute | null, fit: boolean): number {
  const points = useMemo(() => route?.hops.flatMap((h) => (h.point ? [h.point] : [])) ?? [], [route]);
  useEffect(() => {
    if (!kit || points.length === 0) return;
    const { L, map } = kit.base;
    const group = drawRoute(L, map, points);
    if (fit)
      safeFitBounds(L, map, L.latLngBounds(points.map((q) => [q.lat, q.lon] as [number, number])), {
        padding: [48, 48],
        maxZoom: 12,
      });
    return () => group.remove();
  }, [kit, points]);
  return points.length;
}
