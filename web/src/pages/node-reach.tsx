// A node's reach (`#/nodes/<pk or 8+ digit prefix>/reach?days=`, spec frontend §2.7): its RF
// links built only from hops that identify a node for certain, on a map (tiered by the
// bottleneck of the two directions, each tier with its own colour, glyph and line pattern) and
// in a table (we hear / they hear / bottleneck / distance), plus the optional RX coverage layer.
import { useMemo } from 'preact/hooks';
import type { NodeReachLink, NodeReachResponse, RxCoverageResponse } from '../../../src/api/contract';
import { count, km, shortKey } from '../app/format';
import type { PageProps } from '../app/routes';
import { href } from '../app/router';
import { clientConfig } from '../app/server-state';
import { useAnalytic } from '../app/use-analytic';
import { AnalyticCard } from '../components/analytic-card';
import { RoleIcon, Stat } from '../components/bits';
import { SortTable } from '../components/data-views';
import { absentOn404, type Maybe, NodeSubPage, type RangeOption } from './node-analytics/common';
import { HOW } from './node-analytics/how';
import { ReachMap } from './node-analytics/reach-map';
import { TierBadge, TierLegend, TIERS, tierOf, type TierId } from './node-analytics/reach-tiers';
import '../styles/analytics.css';
import '../styles/analytics-i12f.css';

export const REACH_RANGES: RangeOption[] = [
  { days: 1, label: '24 h' },
  { days: 7, label: '7 d' },
  { days: 14, label: '14 d' },
  { days: 30, label: '30 d' },
];

export default function NodeReachPage({ route, args }: PageProps) {
  return (
    <NodeSubPage
      name="node-reach"
      what="Reach"
      arg={args[0] ?? ''}
      daysRaw={route.params.get('days')}
      ranges={REACH_RANGES}
      sibling={{ path: 'analytics', label: 'Analytics' }}
    >
      {(pk, days) => <ReachCards pk={pk} days={days} />}
    </NodeSubPage>
  );
}

function ReachCards({ pk, days }: { pk: string; days: number }) {
  // A 404 (a node the snapshot does not know yet) is an empty card, not an error.
  const st = absentOn404(
    useAnalytic<NodeReachResponse>(`/nodes/${pk}/reach?days=${days}`, { refreshMs: 30_000 }),
  );
  // Not in ClientConfigResponse (another block of the contract): read as optional.
  const covOn = clientConfig.value?.clientRxCoverage === true;
  const cov = useAnalytic<RxCoverageResponse>(covOn ? `/nodes/${pk}/rx-coverage?days=${days}` : null, {
    refreshMs: 60_000,
  });
  const coverage = cov.data && cov.data.features.length > 0 ? cov.data : null;
  const noLinks = (m: Maybe<NodeReachResponse>) =>
    m.absent || m.value.reliable_tokens.length === 0 || m.value.links.length === 0;
  const text = emptyText(st.data, days);
  return (
    <div class="agrid">
      <AnalyticCard
        id="reach-stats"
        title="Network position"
        state={st}
        wide
        how={HOW.reachStats}
        empty={(m) => m.absent}
        emptyText={text}
      >
        {(m) => (m.absent ? null : <ReachStats d={m.value} />)}
      </AnalyticCard>
      <AnalyticCard
        id="reach-map"
        title="Links on the map"
        state={st}
        wide
        how={
          <>
            {HOW.reachLinks}
            {covOn ? HOW.coverage : null}
          </>
        }
        empty={noLinks}
        emptyText={text}
      >
        {(m) => (m.absent ? null : <LinksMap d={m.value} coverage={coverage} />)}
      </AnalyticCard>
      <AnalyticCard
        id="reach-links"
        title="Links"
        state={st}
        wide
        how={HOW.reachLinks}
        empty={noLinks}
        emptyText={text}
      >
        {(m) => (m.absent ? null : <LinkTable links={m.value.links} />)}
      </AnalyticCard>
    </div>
  );
}

function emptyText(m: Maybe<NodeReachResponse> | null, days: number): string {
  if (m?.absent) return 'No reach for this node yet: the last snapshot does not include it.';
  if (m && m.value.reliable_tokens.length === 0)
    return 'No link can be shown: every 1–3 byte prefix of this node is shared with another relay, so its hops cannot be told apart.';
  return `No link seen in the last ${days === 1 ? '24 hours' : `${days} days`}: no path with this node next to an identifiable neighbour. Try a longer range.`;
}

function ReachStats({ d }: { d: NodeReachResponse }) {
  const imp = d.importance;
  return (
    <>
      <div class="stat-cards" data-field="reach-stats">
        <Stat
          label="Neighbours (all time)"
          value={<span data-stat="degree">{count(imp.neighbor_degree)}</span>}
        />
        <Stat
          label="Rank by neighbours"
          value={
            <span data-stat="rank">
              {imp.degree_rank > 0 ? `#${imp.degree_rank} of ${imp.nodes_with_edges}` : '—'}
            </span>
          }
        />
        <Stat
          label={`Links (${d.window.days} d)`}
          value={<span data-stat="links">{count(d.links.length)}</span>}
        />
        <Stat label="Two-way" value={<span data-stat="bidir">{count(imp.bidirectional_links)}</span>} />
        <Stat
          label="Relay observations"
          value={<span data-stat="relay-obs">{count(imp.relay_observations)}</span>}
        />
        <Stat
          label="Heard directly by"
          value={<span data-stat="direct">{count(imp.direct_observers)}</span>}
        />
      </div>
      <p class="muted small">
        Identified by the prefix{d.reliable_tokens.length === 1 ? '' : 'es'}{' '}
        {d.reliable_tokens.length > 0
          ? d.reliable_tokens.map((t) => <code class="hex">{t} </code>)
          : 'none (all shared)'}
        {d.window.capped ? ' · the scan stopped at 200,000 observations (newest kept)' : ''}
      </p>
    </>
  );
}

function LinksMap({ d, coverage }: { d: NodeReachResponse; coverage: RxCoverageResponse | null }) {
  const counts = useMemo(() => {
    const c = Object.fromEntries(TIERS.map((t) => [t.id, 0])) as Record<TierId, number>;
    for (const l of d.links) c[tierOf(l).id]++;
    return c;
  }, [d]);
  const unplaced = d.links.filter((l) => l.lat === null || l.lon === null).length;
  return (
    <>
      <TierLegend counts={counts} />
      <ReachMap d={d} coverage={coverage} />
      <p class="muted small">
        Drawn without map tiles unless the server configures them.
        {unplaced > 0
          ? ` ${unplaced} link${unplaced === 1 ? ' has' : 's have'} no position and ${unplaced === 1 ? 'is' : 'are'} only in the table.`
          : ''}
        {coverage ? ` Shaded cells: RX coverage (${count(coverage.receptions)} receptions).` : ''}
      </p>
    </>
  );
}

function LinkTable({ links }: { links: NodeReachLink[] }) {
  return (
    <SortTable<NodeReachLink>
      caption="Links of this node"
      class="reach-table"
      rows={links}
      rowKey={(l) => l.pubkey}
      initial={{ key: 'bottleneck', desc: true }}
      columns={[
        {
          key: 'name',
          label: 'Neighbour',
          sort: (l) => (l.name || l.pubkey).toLowerCase(),
          render: (l) => (
            <>
              <RoleIcon role={l.role} />{' '}
              <a href={href(`nodes/${l.pubkey}`)}>{l.name || shortKey(l.pubkey)}</a>
            </>
          ),
        },
        {
          key: 'tier',
          label: 'Tier',
          sort: (l) => (l.bidir ? l.bottleneck : -1),
          render: (l) => (
            <>
              <TierBadge t={tierOf(l)} />
              {l.bidir ? null : (
                <span class="muted link-dir"> {l.we_hear > 0 ? '(we hear them)' : '(they hear us)'}</span>
              )}
            </>
          ),
        },
        { key: 'we_hear', label: 'We hear', num: true },
        { key: 'they_hear', label: 'They hear', num: true },
        { key: 'bottleneck', label: 'Bottleneck', num: true },
        { key: 'distance_km', label: 'Distance', num: true, render: (l) => km(l.distance_km) },
      ]}
    />
  );
}
