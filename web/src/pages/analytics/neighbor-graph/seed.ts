// Start positions for a (re)layout: nodes that were already placed keep their place (a refresh
// or a filter change refines the picture instead of scrambling it); a new node starts next to
// an already-placed neighbour, else on the spiral.
import { spiral } from './layout';
import type { GraphModel } from './model';

export function seedPositions(
  model: GraphModel,
  prev: { model: GraphModel; pos: Float32Array } | null,
): { init: Float32Array; alpha: number; links: Int32Array } {
  const n = model.nodes.length;
  const init = spiral(n);
  const placed = new Uint8Array(n);
  let known = 0;
  if (prev && prev.pos.length === 2 * prev.model.nodes.length) {
    model.nodes.forEach((node, i) => {
      const j = prev.model.index.get(node.id);
      if (j === undefined) return;
      init[2 * i] = prev.pos[2 * j];
      init[2 * i + 1] = prev.pos[2 * j + 1];
      placed[i] = 1;
      known++;
    });
    if (known > 0)
      for (let i = 0; i < n; i++) {
        if (placed[i]) continue;
        const e = model.incident[i].map((ei) => model.edges[ei]).find((e) => placed[e.s === i ? e.t : e.s]);
        if (!e) continue;
        const o = e.s === i ? e.t : e.s;
        init[2 * i] = init[2 * o] + 10 * Math.cos(i);
        init[2 * i + 1] = init[2 * o + 1] + 10 * Math.sin(i);
      }
  }
  const links = new Int32Array(2 * model.edges.length);
  model.edges.forEach((e, k) => {
    links[2 * k] = e.s;
    links[2 * k + 1] = e.t;
  });
  return { init, alpha: known > n / 2 ? 0.3 : 1, links };
}
