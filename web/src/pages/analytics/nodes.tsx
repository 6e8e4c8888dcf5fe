// Nodes tab (spec frontend §3 #8): how many nodes are active / degraded / silent (network-status,
// the whole mesh), nodes per role, the user's claimed (favourite) nodes, and four leaderboards of
// the 50 most recently seen nodes (bulk-health, which takes region and area): most active, best
// SNR, most observed, recently active.
import type { BulkHealthItem, NetworkStatusResponse, NodeHealthResponse } from '../../../../src/api/contract';
import { count, shortKey, snr } from '../../app/format';
import { ROLE_LABEL, roleKey } from '../../app/mesh';
import { favourites } from '../../app/prefs';
import { useAnalytic } from '../../app/use-analytic';
import { useApi } from '../../app/use-api';
import { AnalyticCard } from '../../components/analytic-card';
import { NodeLink, RoleIcon, StatusBadge, Time } from '../../components/bits';
import { BarRows } from '../../components/data-views';
import { NodeStatusText } from '../node-row';
import '../../styles/analytics-i12e.css';
import { analyticsPath, type TabProps } from './context';

const TOP = 10;

function StatusCard({ st }: { st: ReturnType<typeof useAnalytic<NetworkStatusResponse>> }) {
  return (
    <AnalyticCard
      id="node-status"
      title="Node status"
      state={st}
      wide
      empty={(d) => d.total === 0}
      how={
        <p>
          Every known node by the age of the last packet heard from it (its own or one it relayed): repeaters
          and rooms are degraded and silent after the infrastructure thresholds, companions and sensors after
          the node thresholds of the server's config. Unlike the reference, age is measured from traffic (
          <code>last_heard</code>), not only from adverts, so a repeater that relays but rarely adverts is not
          called silent. This card covers the whole mesh (no region or area).
        </p>
      }
    >
      {(d) => (
        <>
          <div class="stat-cards node-status-cards">
            {(['active', 'degraded', 'silent'] as const).map((k) => (
              <div class="stat" data-stat={k}>
                <div class="stat-value">{count(d[k])}</div>
                <div class="stat-label">
                  <StatusBadge status={k} />
                </div>
              </div>
            ))}
            <div class="stat" data-stat="total">
              <div class="stat-value">{count(d.total)}</div>
              <div class="stat-label">total</div>
            </div>
          </div>
          <ul class="role-badges" aria-label="Nodes per role">
            {Object.entries(d.roleCounts)
              .sort((a, b) => b[1] - a[1])
              .map(([role, n]) => (
                <li class="role-badge" data-role={role}>
                  <RoleIcon role={role} /> {ROLE_LABEL[roleKey(role)] ?? role}{' '}
                  <span class="num role-count">{count(n)}</span>
                </li>
              ))}
          </ul>
        </>
      )}
    </AnalyticCard>
  );
}

function ClaimedRow({ pk, row }: { pk: string; row: BulkHealthItem | undefined }) {
  // Claimed nodes outside the 50 most recent are read one by one (plain node reads).
  const r = useApi<NodeHealthResponse>(row ? null : `/nodes/${pk}/health`, { refreshMs: 60_000 });
  const node = row ?? r.data?.node;
  const stats = row?.stats ?? r.data?.stats;
  const obs = row?.observers ?? r.data?.observers;
  if (!node || !stats || !obs)
    return (
      <tr data-pk={pk}>
        <td>
          <code class="hex">{shortKey(pk)}</code>
        </td>
        <td colSpan={5} class="muted">
          {r.error ? 'not in this database' : 'loading…'}
        </td>
      </tr>
    );
  return (
    <tr data-pk={pk}>
      <td>
        <RoleIcon role={node.role} /> <NodeLink pk={node.public_key} name={node.name} />
      </td>
      <td>
        <NodeStatusText n={node} />
      </td>
      <td>
        <Time t={stats.lastHeard ?? node.last_heard} />
      </td>
      <td class="num">{count(stats.totalTransmissions)}</td>
      <td class="num">{snr(stats.avgSnr)}</td>
      <td class="num">{count(obs.length)}</td>
    </tr>
  );
}

function ClaimedCard({ st }: { st: ReturnType<typeof useAnalytic<BulkHealthItem[]>> }) {
  const favs = favourites.value;
  return (
    <AnalyticCard
      id="claimed-nodes"
      title="Claimed nodes"
      state={st}
      wide
      empty={() => favs.length === 0}
      emptyText="No claimed nodes: star a node (☆) on the Nodes page or claim it on Home to follow it here."
      how={
        <p>
          The nodes you starred (kept in this browser only). Adverts: all the store holds; average SNR and
          observers: over the node's newest 100 adverts. Status uses the same thresholds as the status card.
        </p>
      }
    >
      {(d) => {
        const byKey = new Map(d.map((n) => [n.public_key.toLowerCase(), n]));
        return (
          <div class="table-scroll">
            <table class="claimed-table">
              <caption class="sr-only">Claimed nodes</caption>
              <thead>
                <tr>
                  <th scope="col">Node</th>
                  <th scope="col">Status</th>
                  <th scope="col">Last heard</th>
                  <th scope="col" class="num">
                    Adverts
                  </th>
                  <th scope="col" class="num">
                    Avg SNR
                  </th>
                  <th scope="col" class="num">
                    Observers
                  </th>
                </tr>
              </thead>
              <tbody>
                {favs.map((pk) => (
                  <ClaimedRow key={pk} pk={pk} row={byKey.get(pk.toLowerCase())} />
                ))}
              </tbody>
            </table>
          </div>
        );
      }}
    </AnalyticCard>
  );
}

const nodeLabel = (n: BulkHealthItem) => (
  <>
    <RoleIcon role={n.role} /> <NodeLink pk={n.public_key} name={n.name} />
  </>
);

interface Board {
  id: string;
  title: string;
  how: string;
  emptyText?: string;
  rows: (d: BulkHealthItem[]) => { n: BulkHealthItem; value: number; text: string }[];
}

const BOARDS: Board[] = [
  {
    id: 'most-active',
    title: 'Most active',
    how: 'Adverts the node sent that the store holds (every one, not only the newest 100).',
    rows: (d) =>
      d.map((n) => ({ n, value: n.stats.totalTransmissions, text: count(n.stats.totalTransmissions) })),
  },
  {
    id: 'best-snr',
    title: 'Best SNR',
    emptyText: 'None of these nodes was heard with an SNR (the uploaders sent none).',
    how: 'Average SNR over every observation of the node’s newest 100 adverts; nodes never heard with an SNR are left out.',
    rows: (d) =>
      d
        .filter((n) => n.stats.avgSnr !== null)
        .map((n) => ({ n, value: n.stats.avgSnr as number, text: snr(n.stats.avgSnr) })),
  },
  {
    id: 'most-observed',
    title: 'Most observed',
    how: 'Observations (every copy any observer uploaded) of the node’s newest 100 adverts, and how many distinct observers made them.',
    rows: (d) =>
      d.map((n) => ({
        n,
        value: n.stats.totalObservations,
        text: `${count(n.stats.totalObservations)} · ${n.observers.length} obs.`,
      })),
  },
];

function Leaderboard({ b, st }: { b: Board; st: ReturnType<typeof useAnalytic<BulkHealthItem[]>> }) {
  return (
    <AnalyticCard
      id={b.id}
      title={b.title}
      state={st}
      empty={(d) => b.rows(d).length === 0}
      emptyText={b.emptyText}
      how={
        <p>
          {b.how} Ranked among the 50 most recently heard nodes (region and area apply). Unlike the reference,
          observer counts include every observation, not only the best one per transmission, and a node's
          window is its own newest 100 adverts.
        </p>
      }
    >
      {(d) => {
        const rows = b
          .rows(d)
          .sort((x, y) => y.value - x.value || (x.n.name ?? '').localeCompare(y.n.name ?? ''))
          .slice(0, TOP);
        // SNR can be negative: bars start at the lowest shown value minus a margin.
        const floor = b.id === 'best-snr' ? Math.min(0, ...rows.map((r) => r.value)) - 1 : 0;
        return (
          <BarRows
            label={b.title}
            max={Math.max(1e-9, ...rows.map((r) => r.value - floor))}
            rows={rows.map((r) => ({
              key: r.n.public_key,
              label: nodeLabel(r.n),
              value: r.value - floor,
              text: r.text,
            }))}
          />
        );
      }}
    </AnalyticCard>
  );
}

function RecentCard({ st }: { st: ReturnType<typeof useAnalytic<BulkHealthItem[]>> }) {
  return (
    <AnalyticCard
      id="recently-active"
      title="Recently active"
      state={st}
      empty={(d) => d.length === 0}
      how={
        <p>
          The nodes heard most recently (any packet of theirs or relayed by them), newest first; region and
          area apply.
        </p>
      }
    >
      {(d) => (
        <ol class="recent-list">
          {[...d]
            .sort((a, b) => Date.parse(b.stats.lastHeard ?? '') - Date.parse(a.stats.lastHeard ?? '') || 0)
            .slice(0, TOP)
            .map((n) => (
              <li data-pk={n.public_key}>
                <span class="recent-name">{nodeLabel(n)}</span> <Time t={n.stats.lastHeard} />
              </li>
            ))}
        </ol>
      )}
    </AnalyticCard>
  );
}

export default function NodesTab(p: TabProps) {
  const status = useAnalytic<NetworkStatusResponse>('/nodes/network-status', { refreshMs: 15_000 });
  const health = useAnalytic<BulkHealthItem[]>(
    analyticsPath('/nodes/bulk-health', p, ['region', 'area'], { limit: 50 }),
    { refreshMs: 15_000 },
  );
  return (
    <div class="agrid">
      <StatusCard st={status} />
      <ClaimedCard st={health} />
      {BOARDS.map((b) => (
        <Leaderboard b={b} st={health} />
      ))}
      <RecentCard st={health} />
    </div>
  );
}
