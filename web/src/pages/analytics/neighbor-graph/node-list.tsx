// The graph as text (for screen readers, and for anyone who prefers reading): every node with
// its neighbours, each with its score, sightings, direction and SNR; the first 60 nodes, then a
// button for the rest. A node's button selects it (the canvas highlights it and the panel
// lists its neighbours).
import { useState } from 'preact/hooks';
import { ROLE_LABEL } from '../../../app/mesh';
import { RoleIcon } from '../../../components/bits';
import { neighboursOf, type GEdge, type GNode, type GraphModel } from './model';

const FIRST = 50;

export const scoreText = (s: number) => s.toFixed(3);

export function edgeText(e: GEdge): string {
  const parts = [`score ${scoreText(e.score)}`, `${e.weight} sightings`];
  parts.push(e.bidirectional ? 'heard both ways' : 'one way');
  if (e.snr !== null) parts.push(`SNR ${e.snr.toFixed(1)} dB`);
  if (e.ambiguous) parts.push('ambiguous prefix');
  return parts.join(', ');
}

export function NodeName({ node }: { node: GNode }) {
  return node.prefix ? (
    <span class="ng-prefix">{node.name} (ambiguous hop)</span>
  ) : (
    <>
      <RoleIcon role={node.role} /> {node.name}
    </>
  );
}

interface Props {
  id: string;
  model: GraphModel;
  order: number[];
  selected: number | null;
  onSelect: (i: number) => void;
}

export function NodeList({ id, model, order, selected, onSelect }: Props) {
  const [all, setAll] = useState(false);
  // Open entries (by id); a closed entry's neighbours are not rendered (a big graph stays light).
  const [open, setOpen] = useState<Set<string> | 'all'>(new Set());
  const shown = all ? order : order.slice(0, FIRST);
  const isOpen = (id: string, i: number) => open === 'all' || open.has(id) || selected === i;
  const toggle = (id: string, on: boolean) =>
    setOpen((o) => {
      if (o === 'all' && on) return o;
      const next = new Set(o === 'all' ? shown.map((j) => model.nodes[j].id) : o);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  return (
    <section class="ng-list" id={id} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Nodes and their neighbours</h3>
      <p class="muted">
        {order.length} entries, most neighbours first
        {shown.length < order.length ? ` (showing ${shown.length})` : ''}. Open an entry for its neighbours; ◎
        selects it on the graph.{' '}
        <button type="button" class="ng-open-all" onClick={() => setOpen(open === 'all' ? new Set() : 'all')}>
          {open === 'all' ? 'Close all' : 'Open all'}
        </button>
      </p>
      <ol class="ng-nodes" data-shown={String(shown.length)}>
        {shown.map((i) => {
          const n = model.nodes[i];
          const nbs = neighboursOf(model, i);
          return (
            <li key={n.id} data-node={n.id}>
              <button
                type="button"
                class="ng-node-btn"
                aria-pressed={selected === i ? 'true' : 'false'}
                aria-label={`Select ${n.name} on the graph`}
                title="Select on the graph"
                onClick={() => onSelect(i)}
              >
                <span aria-hidden="true">◎</span>
              </button>
              <details
                open={isOpen(n.id, i)}
                onToggle={(e) => {
                  const on = (e.currentTarget as HTMLDetailsElement).open;
                  if (on !== isOpen(n.id, i)) toggle(n.id, on);
                }}
              >
                <summary>
                  <NodeName node={n} />{' '}
                  <span class="muted">
                    ({n.prefix ? 'prefix' : ROLE_LABEL[n.role]}, {nbs.length} neighbour
                    {nbs.length === 1 ? '' : 's'})
                  </span>
                </summary>
                {isOpen(n.id, i) ? (
                  <ul class="ng-neigh">
                    {nbs.map((nb) => (
                      <li key={nb.node.id} data-neighbor={nb.node.id} data-score={String(nb.edge.score)}>
                        <span class="ng-nb-name">{nb.node.name}</span>: {edgeText(nb.edge)}
                      </li>
                    ))}
                  </ul>
                ) : null}
              </details>
            </li>
          );
        })}
      </ol>
      {shown.length < order.length ? (
        <button type="button" class="ng-more" onClick={() => setAll(true)}>
          Show all {order.length}
        </button>
      ) : null}
    </section>
  );
}
