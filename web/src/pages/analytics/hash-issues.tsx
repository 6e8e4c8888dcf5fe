// Hash Issues tab (spec frontend §3 #6, analytics §4.3): repeaters whose hash size varies, the
// 16×16 prefix usage matrix (1-, 2- or 3-byte view, `bytes=` in the URL, the selected cell as
// `cell=`) and the collision risk table. Hash collisions always cover all data (no window).
import type {
  HashCollision,
  HashCollisionNode,
  HashCollisionsResponse,
  HashSizesResponse,
} from '../../../../src/api/contract';
import { count, km } from '../../app/format';
import { ROLE_LABEL, roleKey } from '../../app/mesh';
import { param, setParams } from '../../app/router';
import { useAnalytic } from '../../app/use-analytic';
import { AnalyticCard } from '../../components/analytic-card';
import { NodeLink, RoleIcon } from '../../components/bits';
import { SortTable } from '../../components/data-views';
import '../../styles/analytics-i12c.css';
import { analyticsPath, type TabProps } from './context';
import { CellDetail, HashMatrix, MatrixLegend } from './hash-issues/matrix';
import { matrixCells, type MatrixMode } from './hash-issues/matrix-data';

function Inconsistent({ rows }: { rows: HashCollisionNode[] }) {
  return (
    <SortTable<HashCollisionNode>
      caption="Repeaters and rooms with inconsistent hash sizes"
      rows={rows}
      rowKey={(n) => n.public_key}
      columns={[
        { key: 'name', label: 'Node', render: (n) => <NodeLink pk={n.public_key} name={n.name} /> },
        {
          key: 'role',
          label: 'Role',
          render: (n) => (
            <>
              <RoleIcon role={n.role} /> {ROLE_LABEL[roleKey(n.role)]}
            </>
          ),
        },
        { key: 'hash_size', label: 'Latest size', num: true, render: (n) => `${n.hash_size} B` },
        {
          key: 'hash_sizes_seen',
          label: 'Sizes seen (7 days)',
          sort: (n) => (n.hash_sizes_seen ?? []).join(','),
          render: (n) => (n.hash_sizes_seen ?? [n.hash_size]).map((s) => `${s} B`).join(', '),
        },
      ]}
    />
  );
}

const MODES: MatrixMode[] = [1, 2, 3];

function ModePicker({ mode }: { mode: MatrixMode }) {
  return (
    <div class="seg" role="group" aria-label="Hash size of the matrix">
      {MODES.map((m) => (
        <button
          type="button"
          class="pill"
          aria-pressed={mode === m}
          data-mode={m}
          onClick={() => setParams({ bytes: m === 1 ? null : m, cell: null })}
        >
          {m}-byte
        </button>
      ))}
    </div>
  );
}

function Matrix({
  d,
  mode,
  hops,
}: {
  d: HashCollisionsResponse;
  mode: MatrixMode;
  hops: Map<string, number>;
}) {
  const cells = matrixCells(d, mode);
  const st = d.by_size[String(mode) as '1' | '2' | '3'].stats;
  const raw = (param('cell') ?? '').toUpperCase();
  const selected = cells.find((c) => c.key === raw) ?? null;
  return (
    <>
      <p class="muted stat-line" data-stats={mode}>
        <strong class="num">{count(st.nodes_for_byte)}</strong> repeaters ·{' '}
        <strong class="num">{count(st.unique_prefixes)}</strong> prefixes in use of {count(st.space_size)} (
        {st.pct_used} %) · <strong class="num">{count(st.collision_count)}</strong> shared
      </p>
      <div class="hm-wrap">
        <HashMatrix
          cells={cells}
          mode={mode}
          selected={selected?.key ?? null}
          onSelect={(k) => setParams({ cell: k })}
        />
        <div class="hm-side">
          <MatrixLegend />
          <div aria-live="polite">
            {selected ? (
              <CellDetail cell={selected} mode={mode} hops={hops} />
            ) : (
              <p class="muted">Select a cell to see its repeaters.</p>
            )}
          </div>
        </div>
      </div>
    </>
  );
}

const ASSESS: Record<HashCollision['classification'], [string, string]> = {
  local: ['▲', 'Local (< 50 km): hops are ambiguous'],
  regional: ['◆', 'Regional (50–200 km): may be confused'],
  distant: ['●', 'Distant (≥ 200 km): unlikely to meet'],
  incomplete: ['○', 'Unknown: fewer than 2 with a position'],
};

function CollisionRisk({ d }: { d: HashCollisionsResponse }) {
  const rows = (['1', '2', '3'] as const).flatMap((s) => d.by_size[s].collisions);
  return (
    <SortTable<HashCollision>
      caption="Collision risk"
      rows={rows}
      rowKey={(c) => `${c.byte_size}-${c.prefix}`}
      columns={[
        { key: 'prefix', label: 'Prefix', render: (c) => <code class="hex">{c.prefix}</code> },
        { key: 'byte_size', label: 'Size', num: true, render: (c) => `${c.byte_size} B` },
        { key: 'appearances', label: 'Repeaters', num: true },
        {
          key: 'max_dist_km',
          label: 'Max distance',
          num: true,
          sort: (c) => (c.with_coords < 2 ? null : c.max_dist_km),
          render: (c) => (c.with_coords < 2 ? '–' : km(c.max_dist_km)),
        },
        {
          key: 'classification',
          label: 'Assessment',
          sort: (c) => Object.keys(ASSESS).indexOf(c.classification),
          render: (c) => (
            <span class={`risk risk-${c.classification}`}>
              <span aria-hidden="true">{ASSESS[c.classification][0]} </span>
              {ASSESS[c.classification][1]}
            </span>
          ),
        },
        {
          key: 'nodes',
          label: 'Nodes',
          sort: (c) => c.nodes.map((n) => n.name ?? '').join(),
          render: (c) => (
            <ul class="inline-list">
              {c.nodes.map((n) => (
                <li key={n.public_key}>
                  <NodeLink pk={n.public_key} name={n.name} />
                </li>
              ))}
            </ul>
          ),
        },
      ]}
    />
  );
}

export default function HashIssuesTab(p: TabProps) {
  const coll = useAnalytic<HashCollisionsResponse>(
    analyticsPath('/analytics/hash-collisions', p, ['region', 'area']),
  );
  // Hop traffic per prefix (top hops of hash sizes) for the matrix detail.
  const sizes = useAnalytic<HashSizesResponse>(analyticsPath('/analytics/hash-sizes', p, ['region', 'area']));
  const hops = new Map((sizes.data?.topHops ?? []).map((h) => [h.hex.toUpperCase(), h.count]));
  const b = Number(param('bytes'));
  const mode: MatrixMode = b === 2 || b === 3 ? b : 1;
  return (
    <div class="agrid">
      <AnalyticCard
        id="inconsistent-sizes"
        title="Inconsistent hash sizes"
        state={coll}
        wide
        empty={(d) => d.inconsistent_nodes.length === 0}
        emptyText="No repeater or room server switched hash sizes back and forth in the last 7 days."
        how={
          <p>
            Repeaters and room servers whose adverts of the last 7 days (zero-hop adverts left out) used more
            than one size, changed at least twice and have not settled: the last three do not agree. A
            firmware bug once caused this; such a node's hops can be misread.
          </p>
        }
      >
        {(d) => <Inconsistent rows={d.inconsistent_nodes} />}
      </AnalyticCard>
      <AnalyticCard
        id="hash-matrix"
        title="Prefix usage matrix"
        state={coll}
        wide
        actions={<ModePicker mode={mode} />}
        how={
          <p>
            Repeaters by the first byte of their key. 1-byte view: every repeater with a known size, since 2-
            and 3-byte repeaters also answer to their first byte (the reference counted them in this matrix
            but not in its collision list; here both agree). 2- and 3-byte views: only repeaters using that
            size, grouped by first byte; "!" marks a shared 2- or 3-byte prefix. Companions and nodes with no
            recent advert are left out. 00 and FF are reserved first bytes.
          </p>
        }
      >
        {(d) => <Matrix d={d} mode={mode} hops={hops} />}
      </AnalyticCard>
      <AnalyticCard
        id="collision-risk"
        title="Collision risk"
        state={coll}
        wide
        empty={(d) => (['1', '2', '3'] as const).every((s) => d.by_size[s].collisions.length === 0)}
        emptyText="No two repeaters share a prefix of the size they use."
        how={
          <p>
            Prefixes shared by two or more repeaters of that size. The assessment is the largest distance
            between those with a position: under 50 km they likely hear each other's neighbours, so their hops
            are ambiguous; under 200 km regional; beyond, distant. Sorted by risk, then by count.
          </p>
        }
      >
        {(d) => <CollisionRisk d={d} />}
      </AnalyticCard>
    </div>
  );
}
