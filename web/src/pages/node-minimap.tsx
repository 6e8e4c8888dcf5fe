// An offline-safe mini-map of a node and its neighbours: inline SVG, no tiles. Positions are
// projected equirectangularly around the node (fine at a few tens of km), scaled to fit, with a
// km scale bar. Neighbour positions come from /api/nodes/search by full key (node items only).
import { useEffect, useState } from 'preact/hooks';
import type { NodeItem, NodeNeighbor } from '../../../src/api/contract';
import { api } from '../app/api';
import { ROLE_GLYPH, roleColor, roleKey } from '../app/mesh';

const W = 320;
const H = 200;
const PAD = 22;
/** Room for neighbour labels left and right. */
const PADX = 56;
const KM_PER_DEG = 111.32;
/** Neighbours placed at most (the strongest links). */
const MAX_NEIGHBOURS = 20;

interface Placed {
  pk: string;
  name: string;
  role: string | null;
  lat: number;
  lon: number;
  score: number;
  both: boolean;
}

function useNeighbourPositions(list: NodeNeighbor[]): Placed[] {
  const [placed, setPlaced] = useState<Placed[]>([]);
  const keys = list
    .filter((e) => !e.ambiguous && e.pubkey)
    .sort((a, b) => b.score - a.score)
    .slice(0, MAX_NEIGHBOURS);
  const sig = keys.map((e) => e.pubkey).join(',');
  useEffect(() => {
    const ctl = new AbortController();
    Promise.all(
      keys.map((e) =>
        api<{ nodes: NodeItem[] }>(`/nodes/search?q=${e.pubkey}&limit=1`, {
          signal: ctl.signal,
          ttlMs: 60_000,
        })
          .then((r) => ({ e, n: r.nodes[0] }))
          .catch(() => ({ e, n: undefined })),
      ),
    ).then((found) => {
      if (ctl.signal.aborted) return;
      const out: Placed[] = [];
      for (const { e, n } of found)
        if (n && n.lat !== null && n.lon !== null && !(n.lat === 0 && n.lon === 0))
          out.push({
            pk: n.public_key,
            name: n.name ?? n.public_key.slice(0, 8),
            role: n.role,
            lat: n.lat,
            lon: n.lon,
            score: e.score,
            both: e.bidirectional,
          });
      setPlaced(out);
    });
    return () => ctl.abort();
  }, [sig]);
  return placed;
}

/** A round scale-bar length (1, 2, 5 × 10^k km) near a quarter of the map's width. */
function niceKm(kmAcross: number): number {
  const target = kmAcross / 4;
  const p = 10 ** Math.floor(Math.log10(target));
  return [1, 2, 5, 10]
    .map((m) => m * p)
    .reduce((a, b) => (Math.abs(b - target) < Math.abs(a - target) ? b : a));
}

export function NodeMiniMap({ node, neighbors }: { node: NodeItem; neighbors: NodeNeighbor[] }) {
  const placed = useNeighbourPositions(neighbors);
  if (node.lat === null || node.lon === null || (node.lat === 0 && node.lon === 0))
    return <p class="state state-empty">No position: this node's adverts carry no location.</p>;
  const lat0 = node.lat;
  const lon0 = node.lon;
  const cos = Math.cos((lat0 * Math.PI) / 180);
  // km east / north of the node.
  const xy = (lat: number, lon: number) => [(lon - lon0) * KM_PER_DEG * cos, (lat - lat0) * KM_PER_DEG];
  const pts = placed.map((p) => ({ p, k: xy(p.lat, p.lon) }));
  const spanX = Math.max(2, ...pts.map(({ k }) => Math.abs(k[0]) * 2));
  const spanY = Math.max(2, ...pts.map(({ k }) => Math.abs(k[1]) * 2));
  const pxPerKm = Math.min((W - 2 * PADX) / spanX, (H - 2 * PAD) / spanY);
  const toPx = (k: number[]) => [W / 2 + k[0] * pxPerKm, H / 2 - k[1] * pxPerKm];
  const bar = niceKm((W - 2 * PAD) / pxPerKm);
  const label = `Map of ${node.name ?? 'the node'} and ${placed.length} neighbour${placed.length === 1 ? '' : 's'} with a known position`;
  return (
    <figure class="minimap">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label}>
        <title>{label}</title>
        <rect width={W} height={H} class="minimap-bg" />
        {pts.map(({ p, k }) => {
          const [x, y] = toPx(k);
          return (
            <line
              x1={W / 2}
              y1={H / 2}
              x2={x}
              y2={y}
              class="minimap-link"
              stroke-width={1 + p.score * 3}
              stroke-dasharray={p.both ? undefined : '4 3'}
            />
          );
        })}
        {pts.map(({ p, k }) => {
          const [x, y] = toPx(k);
          return (
            <g>
              <text
                x={x}
                y={y}
                class="minimap-glyph"
                fill={roleColor(p.role)}
                text-anchor="middle"
                dy="0.35em"
              >
                {ROLE_GLYPH[roleKey(p.role)]}
              </text>
              <text x={x} y={y - 9} class="minimap-label" text-anchor="middle">
                {p.name.slice(0, 16)}
              </text>
            </g>
          );
        })}
        <text
          x={W / 2}
          y={H / 2}
          class="minimap-glyph minimap-self"
          fill={roleColor(node.role)}
          text-anchor="middle"
          dy="0.35em"
        >
          {ROLE_GLYPH[roleKey(node.role)]}
        </text>
        <g class="minimap-scale" transform={`translate(${PAD}, ${H - 10})`}>
          <line x1={0} y1={0} x2={bar * pxPerKm} y2={0} />
          <text x={bar * pxPerKm + 5} y={4}>
            {bar} km
          </text>
        </g>
      </svg>
      <figcaption class="muted small">
        Drawn without map tiles. Solid: heard both ways; dashed: one way; thicker: stronger link.
      </figcaption>
    </figure>
  );
}
