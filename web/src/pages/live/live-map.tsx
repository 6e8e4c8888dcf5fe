// The live map: the nodes (role shapes from the map kit's canvas layer) and, on a canvas above
// them, each live packet's path animating hop by hop (animator.ts). Clicking a node opens its
// details beside the map; selecting a feed row draws that packet's paths (the kit's drawRoute).
// Leaflet loads lazily with this module's map kit.
import type { LayerGroup } from 'leaflet';
import { useEffect, useRef } from 'preact/hooks';
import type { LivePacketData, MapConfigResponse } from '../../../../src/api/contract';
import { api } from '../../app/api';
import { safeJson } from '../../app/format';
import { nodeStatus, roleKey } from '../../app/mesh';
import { clientConfig } from '../../app/server-state';
import { theme } from '../../app/prefs';
import {
  addCanvasOverlay,
  addNodeLayer,
  createBaseMap,
  cssVar,
  drawRoute,
  loadLeaflet,
  safeFitBounds,
  type BaseMap,
  type CanvasOverlay,
  type NodeLayer,
} from '../../map';
import { typeColor } from '../../app/mesh';
import { Animator, drawAnims, pathOf } from './animator';
import type { FeedStore } from './feed-store';
import { addNode, resolveHops, type MapNode } from './nodes';
import { hopsOf, summarize } from './summary';

export interface LiveMapHandle {
  /** Animations in progress. */
  active(): number;
  /** Draws the paths heard for this packet (the selected feed row). */
  focusPacket(hash: string | null): void;
}

interface MapState {
  base: BaseMap;
  layer: NodeLayer;
  overlay: CanvasOverlay;
  route: LayerGroup | null;
  fitted: boolean;
}

const FRAME_MS = 30;
/** Width of the details card over the map (live.css .live-detail) plus a margin. */
const DETAIL_PX = 370;
const motionQuery = matchMedia('(prefers-reduced-motion: reduce)');
const reduced = () => motionQuery.matches;

export function LiveMap(props: {
  store: FeedStore;
  nodes: Map<string, MapNode>;
  handleRef: { current: LiveMapHandle | null };
  onNode: (key: string) => void;
}) {
  const wrap = useRef<HTMLDivElement>(null);
  const el = useRef<HTMLDivElement>(null);
  const st = useRef<MapState | null>(null);
  const nodesRef = useRef(props.nodes);
  const onNode = useRef(props.onNode);
  onNode.current = props.onNode;
  const anim = useRef(new Animator(() => clientConfig.value?.propagationBufferMs ?? 5000, reduced)).current;

  // Build the map once; tear it down with the page.
  useEffect(() => {
    let dead = false;
    const publish = () => {
      const w = wrap.current;
      if (!w) return;
      w.dataset.animationsStarted = String(anim.stats.started);
      w.dataset.animationsActive = String(anim.active.length);
      w.dataset.animationsDropped = String(anim.stats.dropped);
      w.dataset.animFrames = String(anim.stats.frames);
      w.dataset.recentPaths = anim.recent.join(' ');
    };
    const runner = runAnimations(
      anim,
      () => st.current?.overlay ?? null,
      publish,
      () => showNodes(),
    );
    const unsub = props.store.onBatch((batch) => {
      const nodes = nodesRef.current;
      const now = performance.now();
      for (const p of batch) {
        if (learnAdvert(p, nodes)) runner.nodesChanged();
        anim.add(p, nodes, p.resolved_path ?? resolveHops(hopsOf(p.path_json), nodes), now);
      }
      runner.kick();
    });
    buildMap(el.current!, anim, (key) => onNode.current(key))
      .then((state) => {
        if (dead) return state.base.destroy();
        st.current = state;
        showNodes();
        if (wrap.current) wrap.current.dataset.mapReady = 'true';
      })
      .catch((e: Error) => {
        console.error('live map failed', e);
        if (wrap.current) wrap.current.dataset.mapError = e.message;
      });
    return () => {
      dead = true;
      unsub();
      runner.stop();
      st.current?.base.destroy();
      st.current = null;
    };
  }, []);

  /** Hands the node list to the kit's layer and frames it the first time. */
  const showNodes = () => {
    const s = st.current;
    if (!s) return;
    const th = clientConfig.value?.healthThresholds;
    const list = [...nodesRef.current.values()];
    s.layer.setNodes(
      list.map((n) => ({
        id: n.key,
        lat: n.lat,
        lon: n.lon,
        role: roleKey(n.role),
        name: n.name ?? undefined,
        stale: th
          ? nodeStatus(n.role, n.lastHeard ? Date.parse(n.lastHeard) : null, th).status !== 'active'
          : false,
      })),
    );
    if (!s.fitted && list.length > 0) {
      s.fitted = true;
      const b = s.base.L.latLngBounds(list.map((n) => [n.lat, n.lon] as [number, number]));
      safeFitBounds(s.base.L, s.base.map, b, { padding: [20, 20], animate: false });
    }
    if (wrap.current) wrap.current.dataset.nodes = String(list.length);
  };

  useEffect(() => {
    nodesRef.current = props.nodes;
    showNodes();
  }, [props.nodes]);

  // Theme switch: the canvases read colour tokens at draw time.
  useEffect(() => {
    typeColors.clear();
    st.current?.base.restyle();
    st.current?.layer.redraw();
    st.current?.overlay.redraw();
  }, [theme.value]);

  props.handleRef.current = {
    active: () => anim.active.length,
    focusPacket: (hash) => {
      const s = st.current;
      if (!s) return;
      s.route?.remove();
      s.route = null;
      if (!hash) return;
      const row = props.store.rows.find((r) => r.hash === hash);
      if (!row) return;
      const nodes = nodesRef.current;
      const { points, dashed } = pathOf(
        row.p,
        nodes,
        row.p.resolved_path ?? resolveHops(hopsOf(row.p.path_json), nodes),
      );
      if (points.length === 0) return;
      s.route = drawRoute(
        s.base.L,
        s.base.map,
        points.map((p, i) => ({
          lat: p.lat,
          lon: p.lon,
          label: nodes.get(p.key)?.name ?? p.key.slice(0, 8).toUpperCase(),
          ambiguous: (i > 0 && dashed[i - 1]) || (i < dashed.length && dashed[i]),
        })),
      );
      s.layer.setSelected(points[points.length - 1].key);
      // Keep the route clear of the details card floating over the map's right side (desktop).
      const overlay = matchMedia('(min-width: 769px)').matches ? DETAIL_PX : 20;
      safeFitBounds(
        s.base.L,
        s.base.map,
        s.base.L.latLngBounds(points.map((p) => [p.lat, p.lon] as [number, number])),
        {
          paddingTopLeft: [20, 20],
          paddingBottomRight: [overlay, 20],
          maxZoom: s.base.map.getZoom(),
          animate: !reduced(),
        },
      );
    },
  };

  return (
    <div class="live-map" ref={wrap} data-animations-started="0" data-anim-frames="0">
      <div class="live-map-canvas" ref={el} />
    </div>
  );
}

/** The type colours as canvas colours (CSS tokens resolved; cleared on a theme switch). */
const typeColors = new Map<number, string>();
function colorOf(t: number): string {
  let c = typeColors.get(t);
  if (!c) typeColors.set(t, (c = cssVar(typeColor(t).slice(4, -1), '#0b6b63')));
  return c;
}

/** The base map, the kit's node layer (clicks open a node) and the animation canvas above it. */
async function buildMap(el: HTMLElement, anim: Animator, onNode: (key: string) => void): Promise<MapState> {
  const [L, cfg] = await Promise.all([
    loadLeaflet(),
    api<MapConfigResponse>('/config/map').catch(() => null),
  ]);
  const base = createBaseMap(L, el, {
    center: cfg?.center ?? [0, 0],
    zoom: cfg?.zoom ?? 2,
    tileUrl: cfg?.tileUrl,
    attribution: cfg?.attribution,
    label: 'Live map: nodes, and packet paths as they are heard',
  });
  const layer = addNodeLayer(L, base.map, {
    cluster: false,
    onClick: (hit) => {
      if (hit?.kind === 'node') onNode(hit.node.id);
      else if (hit?.kind === 'cluster')
        safeFitBounds(L, base.map, L.latLngBounds(hit.nodes.map((n) => [n.lat, n.lon] as [number, number])));
    },
  });
  const overlay = addCanvasOverlay(L, base.map, 'live-anim', 470, (ctx) => {
    const project = (p: { lat: number; lon: number }) => base.map.latLngToContainerPoint([p.lat, p.lon]);
    drawAnims(ctx, anim.active, project, colorOf, performance.now(), reduced());
  });
  return { base, layer, overlay, route: null, fitted: false };
}

/**
 * Drives the animator: a frame loop (~30 drawings a second, enough for dots crossing a map and
 * half the paint work) only while something moves and motion is allowed; a slow timer closes
 * buffered groups, expires static paths and hands nodes learnt from adverts to the map.
 */
function runAnimations(
  anim: Animator,
  overlay: () => CanvasOverlay | null,
  publish: () => void,
  showNodes: () => void,
) {
  let frame = 0;
  let drawnAt = -Infinity;
  let newNodes = false;
  let shownAt = 0;
  const loop = (now: number) => {
    frame = 0;
    if (now - drawnAt >= FRAME_MS) {
      drawnAt = now;
      anim.stats.frames++;
      anim.tick(performance.now());
      overlay()?.redraw();
    }
    if (anim.active.length > 0 && !reduced()) frame = requestAnimationFrame(loop);
  };
  const kick = () => {
    publish();
    if (reduced()) overlay()?.redraw();
    else if (!frame && anim.active.length > 0) frame = requestAnimationFrame(loop);
  };
  const timer = setInterval(() => {
    if (anim.tick(performance.now())) kick();
    publish();
    if (newNodes && Date.now() - shownAt > 3000) {
      newNodes = false;
      shownAt = Date.now();
      showNodes();
    }
  }, 250);
  return {
    kick,
    nodesChanged: () => void (newNodes = true),
    stop: () => {
      clearInterval(timer);
      if (frame) cancelAnimationFrame(frame);
    },
  };
}

/** A live ADVERT with a position places (or moves) its node right away. */
function learnAdvert(p: LivePacketData, nodes: Map<string, MapNode>): boolean {
  if (p.payload_type !== 4) return false;
  const s = summarize(4, p.decoded_json);
  const d = safeJson<{ lat?: unknown; lon?: unknown; name?: unknown }>(p.decoded_json, {});
  if (!s.whoKey || typeof d.lat !== 'number' || typeof d.lon !== 'number') return false;
  const known = nodes.get(s.whoKey.toLowerCase());
  addNode(nodes, {
    public_key: s.whoKey,
    name: typeof d.name === 'string' ? d.name : (known?.name ?? null),
    role: known?.role ?? null,
    lat: d.lat,
    lon: d.lon,
    last_heard: p.rx_timestamp,
  });
  return !known && nodes.has(s.whoKey.toLowerCase());
}
