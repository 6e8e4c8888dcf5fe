// Neighbor Graph tab (spec frontend §3 #11): who hears whom, from the relay paths. A force-
// directed drawing on a canvas (layout in a worker, pan/zoom by pointer or keyboard), filters
// in the URL (role and minimum score go to the server; confidence is applied here), a stats
// row, the selected node's neighbours, and the same data as a text list.
import { useMemo } from 'preact/hooks';
import type { NeighborGraphResponse } from '../../../../../src/api/contract';
import { param, setParams } from '../../../app/router';
import { useAnalytic } from '../../../app/use-analytic';
import { AnalyticCard } from '../../../components/analytic-card';
import { NodeLink, Stat } from '../../../components/bits';
import { analyticsPath, type TabProps } from '../context';
import { GraphCanvas } from './graph-canvas';
import { buildModel, CONFIDENCES, listOrder, neighboursOf, type Confidence, type GraphModel } from './model';
import { edgeText, NodeList, NodeName } from './node-list';
import '../../../styles/analytics-i12d.css';

const ROLES = [
  ['', 'All roles'],
  ['repeater', 'Repeater'],
  ['room', 'Room server'],
  ['companion', 'Companion'],
  ['sensor', 'Sensor'],
] as const;
const MIN_SCORES = ['0', '0.05', '0.1', '0.2', '0.3', '0.5'];

export function readFilters() {
  const conf = param('conf');
  return {
    role: param('role') ?? '',
    minScore: MIN_SCORES.includes(param('min_score') ?? '') ? param('min_score')! : '0',
    conf: (CONFIDENCES.some((c) => c.value === conf) ? conf : 'any') as Confidence,
  };
}

function Filters({ role, minScore, conf }: ReturnType<typeof readFilters>) {
  return (
    <div class="controls ng-filters" role="group" aria-label="Graph filters">
      <label class="control">
        <span class="ng-label">Role</span>
        <select value={role} onChange={(e) => setParams({ role: e.currentTarget.value, node: null })}>
          {ROLES.map(([v, l]) => (
            <option value={v}>{l}</option>
          ))}
        </select>
      </label>
      <label class="control">
        <span class="ng-label">Min score</span>
        <select
          value={minScore}
          onChange={(e) =>
            setParams({ min_score: e.currentTarget.value === '0' ? null : e.currentTarget.value })
          }
        >
          {MIN_SCORES.map((s) => (
            <option value={s}>{s === '0' ? 'any (0)' : `≥ ${s}`}</option>
          ))}
        </select>
      </label>
      <label class="control">
        <span class="ng-label">Confidence</span>
        <select
          value={conf}
          onChange={(e) =>
            setParams({ conf: e.currentTarget.value === 'any' ? null : e.currentTarget.value })
          }
        >
          {CONFIDENCES.map((c) => (
            <option value={c.value}>{c.label}</option>
          ))}
        </select>
      </label>
    </div>
  );
}

function StatsRow({ m }: { m: GraphModel }) {
  const s = m.stats;
  return (
    <div class="stat-cards ng-stats" data-stats="graph">
      <Stat label="Nodes" value={<span data-stat="nodes">{s.nodes}</span>} />
      <Stat label="Edges" value={<span data-stat="edges">{s.edges}</span>} />
      <Stat
        label="Ambiguous edges"
        value={<span data-stat="ambiguous">{s.ambiguous}</span>}
        hint="edges to a hop prefix shared by several relays"
      />
      <Stat label="Two-way edges" value={<span data-stat="two-way">{s.twoWay}</span>} />
      <Stat
        label="Components"
        value={<span data-stat="components">{s.components}</span>}
        hint="over resolved edges"
      />
      <Stat label="Largest component" value={<span data-stat="largest">{s.largest}</span>} />
      <Stat
        label="Avg neighbours"
        value={<span data-stat="avg">{s.avgNeighbours.toFixed(2)}</span>}
        hint="2 × edges / nodes"
      />
    </div>
  );
}

function Selected({ m, i, onClear }: { m: GraphModel; i: number | null; onClear: () => void }) {
  if (i === null)
    return (
      <p class="muted ng-selected" aria-live="polite">
        Select a node (click it, press Enter on the drawing, or use the list) to see its neighbours.
      </p>
    );
  const n = m.nodes[i];
  const nbs = neighboursOf(m, i);
  return (
    <div class="ng-selected" aria-live="polite" data-selected-node={n.id}>
      <p>
        <strong>
          <NodeName node={n} />
        </strong>{' '}
        {n.prefix ? null : <NodeLink pk={n.id} name="node page" />} · {nbs.length} neighbour
        {nbs.length === 1 ? '' : 's'}{' '}
        <button type="button" onClick={onClear}>
          Clear
        </button>
      </p>
      <ul class="ng-sel-list">
        {nbs.map((nb) => (
          <li key={nb.node.id} data-neighbor={nb.node.id}>
            <NodeName node={nb.node} />: {edgeText(nb.edge)}
          </li>
        ))}
      </ul>
    </div>
  );
}

function GraphBody({
  d,
  conf,
  nodeId,
}: {
  d: NeighborGraphResponse;
  conf: Confidence;
  nodeId: string | null;
}) {
  const model = useMemo(() => buildModel(d, conf), [d, conf]);
  const order = useMemo(() => listOrder(model), [model]);
  const sel = nodeId !== null ? (model.index.get(nodeId) ?? null) : null;
  const select = (i: number | null) => setParams({ node: i === null ? null : model.nodes[i].id });
  return (
    <>
      <StatsRow m={model} />
      {model.nodes.length === 0 ? (
        <p class="state state-empty">No edge passes these filters.</p>
      ) : (
        <>
          <GraphCanvas model={model} order={order} selected={sel} onSelect={select} listId="ng-list" />
          <p class="muted ng-legend">
            ◆ repeater · ● companion · ■ room · ▲ sensor · ★ observer · ○ ambiguous prefix. Thicker, darker
            lines: higher score; dashed: ambiguous. Drag or use the arrow keys to pan, wheel or + / − to zoom,
            0 to fit.
          </p>
          <Selected m={model} i={sel} onClear={() => select(null)} />
          <NodeList id="ng-list" model={model} order={order} selected={sel} onSelect={select} />
        </>
      )}
    </>
  );
}

export default function NeighborGraphTab(p: TabProps) {
  const f = readFilters();
  const path = analyticsPath('/analytics/neighbor-graph', p, ['region'], {
    min_count: 1,
    min_score: f.minScore,
    role: f.role || null,
  });
  const st = useAnalytic<NeighborGraphResponse>(path, { refreshMs: 60_000 });
  const nodeId = param('node');
  return (
    <>
      <Filters {...f} />
      <div class="agrid">
        <AnalyticCard
          id="neighbor-graph"
          title="Neighbour graph"
          state={st}
          wide
          how={
            <p>
              An edge joins two nodes seen adjacent in a packet's relay path (advertiser and first hop,
              consecutive hops, last hop and the observer on flood and zero-hop routes); its score is min(1,
              sightings/100) halved for every 7 days since last seen. Unlike the reference, which reads a
              table its ingestor keeps, meshlens rebuilds the graph from the paths in memory at each snapshot;
              a hop prefix shared by several relays is an edge to <code>prefix:&lt;hex&gt;</code> (dashed
              here), never a guess; avg_snr comes only from sightings where the edge is the final, measured
              link. Components count resolved edges only. The layout is a Barnes–Hut force simulation run in a
              Web Worker.
            </p>
          }
        >
          {(d) => <GraphBody d={d} conf={f.conf} nodeId={nodeId} />}
        </AnalyticCard>
      </div>
    </>
  );
}
