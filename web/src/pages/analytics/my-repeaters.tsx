// My Repeaters tab (spec frontend §3 #9): a watch-list of the starred repeaters and rooms
// (favourites in this browser): status (glyph + word + colour, per-role thresholds), clock
// (the fleet clock-skew analytic), traffic (relays in 24 h), bridge score, and the links
// between them from the neighbour graph (affinity score, sightings, SNR).
import { useEffect, useMemo, useState } from 'preact/hooks';
import type {
  NeighborGraphResponse,
  NodesClockSkewItem,
  NodeItemWithAxes,
} from '../../../../src/api/contract';
import { isAbort } from '../../app/api';
import { count } from '../../app/format';
import { roleKey } from '../../app/mesh';
import { favourites } from '../../app/prefs';
import { href } from '../../app/router';
import { useAnalytic, type AnalyticState } from '../../app/use-analytic';
import { AnalyticCard, useLoadReport } from '../../components/analytic-card';
import { NodeLink, RoleIcon, StatusBadge, Time } from '../../components/bits';
import { SortTable, type Column } from '../../components/data-views';
import { fetchAllNodes, statusOf } from '../node-data';
import type { TabProps } from './context';
import '../../styles/analytics-i12d.css';

/** The graph the Neighbor Graph tab reads by default: every edge, so both share one poll. */
const GRAPH = '/analytics/neighbor-graph?min_count=1&min_score=0';

export function skewText(sec: number | null): string {
  if (sec === null) return '–';
  const a = Math.abs(sec);
  const sign = sec > 0 ? '+' : sec < 0 ? '−' : '';
  const v =
    a < 60
      ? `${Math.round(a)} s`
      : a < 3600
        ? `${Math.round(a / 60)} min`
        : a < 172_800
          ? `${Math.round(a / 3600)} h`
          : `${Math.round(a / 86_400)} d`;
  return `${sign}${v}`;
}

export function clockText(s: NodesClockSkewItem | undefined): string {
  if (!s) return 'no clock data';
  if (s.severity === 'no_clock') return 'no clock (not set)';
  return `${skewText(s.recentMedianSkewSec ?? s.medianSkewSec)} (${s.severity})`;
}

const isInfra = (role: string | null) => roleKey(role) === 'repeater' || roleKey(role) === 'room';

/** Every node, paged from /api/nodes (not an analytic: plain fetch, refreshed each minute). */
function useNodes(): { nodes: NodeItemWithAxes[] | null; error: Error | null } {
  const [st, setSt] = useState<{ nodes: NodeItemWithAxes[] | null; error: Error | null }>({
    nodes: null,
    error: null,
  });
  useEffect(() => {
    const ac = new AbortController();
    const load = () =>
      fetchAllNodes([], ac.signal).then(
        (r) => setSt({ nodes: r.nodes as NodeItemWithAxes[], error: null }),
        (e: unknown) => {
          if (!isAbort(e)) setSt((s) => ({ ...s, error: e as Error }));
        },
      );
    void load();
    const t = setInterval(load, 60_000);
    return () => {
      ac.abort();
      clearInterval(t);
    };
  }, []);
  return st;
}

function EmptyState() {
  useLoadReport('my-repeaters-empty', true);
  return (
    <section class="card acard card-wide" data-card="my-repeaters-empty" aria-labelledby="mr-empty-title">
      <h2 id="mr-empty-title" class="acard-title">
        No starred repeaters yet
      </h2>
      <p>
        Star the repeaters you look after and this tab watches them for you: their status, clock, traffic and
        bridge score, and the radio links between them.
      </p>
      <p>
        To star one, open the <a href={href('nodes', { tab: 'repeater' })}>Nodes</a> page and press the ☆ next
        to its name (or on its node page). Stars are kept in this browser only.
      </p>
    </section>
  );
}

export default function MyRepeatersTab(_p: TabProps) {
  const favs = favourites.value;
  if (favs.length === 0) return <EmptyState />;
  return <WatchList favs={favs} />;
}

function WatchList({ favs }: { favs: string[] }) {
  const { nodes, error } = useNodes();
  const skew = useAnalytic<NodesClockSkewItem[]>('/nodes/clock-skew', { refreshMs: 60_000 });
  const graph = useAnalytic<NeighborGraphResponse>(GRAPH, { refreshMs: 60_000 });
  useLoadReport('my-repeaters-nodes', nodes !== null || error !== null);
  const byKey = useMemo(() => new Map((nodes ?? []).map((n) => [n.public_key.toLowerCase(), n])), [nodes]);
  const starred = favs.map((pk) => ({ pk, node: byKey.get(pk) ?? null }));
  const watched = starred.filter((s) => s.node === null || isInfra(s.node.role));
  const others = starred.length - watched.length;
  const watchedKeys = new Set(watched.map((w) => w.pk));
  return (
    <div class="agrid">
      <AnalyticCard
        id="my-repeaters"
        title="Starred repeaters"
        state={skew}
        wide
        how={
          <p>
            Status is the time since the node was last heard against the server's per-role thresholds
            (repeaters and rooms: the infrastructure ones). Clock is the node's recent median advert-clock
            skew from the fleet clock-skew analytic (spec analytics §6); a node that sends no clock says so
            instead of counting as skewed. Traffic is the number of FLOOD transmissions it relayed in 24 h,
            each counted once over all its observations (meshlens leaves out DIRECT paths, which list hops
            still to go, and never credits an ambiguous prefix by a GPS guess); bridge is its betweenness
            (Brandes) over the neighbour graph, normalised to the top repeater = 1.
          </p>
        }
      >
        {(sk) => {
          if (nodes === null)
            return <p class="state">{error ? `Node list failed: ${error.message}` : 'Loading nodes…'}</p>;
          const bySkew = new Map(sk.map((s) => [s.pubkey.toLowerCase(), s]));
          return (
            <>
              <SortTable
                caption="Starred repeaters and rooms"
                rowKey={(r) => r.pk}
                rows={watched.map(({ pk, node }) => ({ pk, node, skew: bySkew.get(pk) }))}
                columns={watchColumns(graph.data)}
              />
              {others > 0 ? (
                <p class="muted">
                  {others} other starred node
                  {others === 1 ? ' is a companion or sensor' : 's are companions or sensors'}: see them on{' '}
                  <a href={href('')}>Home</a>.
                </p>
              ) : null}
            </>
          );
        }}
      </AnalyticCard>
      <LinksCard graph={graph} keys={watchedKeys} byKey={byKey} />
    </div>
  );
}

interface WatchRow {
  pk: string;
  node: NodeItemWithAxes | null;
  skew: NodesClockSkewItem | undefined;
}

const neighbourCount = (d: NeighborGraphResponse | null, pk: string) =>
  d?.nodes.find((n) => n.pubkey === pk)?.neighbor_count ?? 0;

/** The watch-list's columns: node, status, last heard, clock, traffic, bridge, neighbours. */
function watchColumns(graph: NeighborGraphResponse | null): Column<WatchRow>[] {
  return [
    {
      key: 'name',
      label: 'Node',
      sort: (r) => r.node?.name ?? r.pk,
      render: (r) =>
        r.node ? (
          <span data-pk={r.pk}>
            <RoleIcon role={r.node.role} /> <NodeLink pk={r.pk} name={r.node.name} />
          </span>
        ) : (
          <span data-pk={r.pk}>
            <code class="hex">{r.pk.slice(0, 8).toUpperCase()}</code> (not in this database)
          </span>
        ),
    },
    {
      key: 'status',
      label: 'Status',
      sort: (r) => (r.node ? statusOf(r.node).status : 'unknown'),
      render: (r) => {
        if (!r.node) return '–';
        const s = statusOf(r.node);
        return (
          <span data-field="status">
            <StatusBadge status={s.status} /> <span class="muted">{s.reason}</span>
          </span>
        );
      },
    },
    {
      key: 'heard',
      label: 'Last heard',
      sort: (r) => r.node?.last_heard ?? r.node?.last_seen ?? '',
      render: (r) => <Time t={r.node?.last_heard ?? r.node?.last_seen ?? null} />,
    },
    {
      key: 'clock',
      label: 'Clock',
      sort: (r) => Math.abs(r.skew?.recentMedianSkewSec ?? r.skew?.medianSkewSec ?? 0),
      render: (r) => <span data-field="clock">{clockText(r.skew)}</span>,
    },
    {
      key: 'traffic',
      label: 'Relayed 24 h',
      num: true,
      sort: (r) => r.node?.relay_count_24h ?? -1,
      render: (r) => (
        <span data-field="traffic">
          {r.node?.relay_count_24h == null ? '–' : count(r.node.relay_count_24h)}
        </span>
      ),
    },
    {
      key: 'bridge',
      label: 'Bridge',
      num: true,
      sort: (r) => r.node?.bridge_score ?? -1,
      render: (r) => (
        <span data-field="bridge">{r.node?.bridge_score == null ? '–' : r.node.bridge_score.toFixed(2)}</span>
      ),
    },
    {
      key: 'nb',
      label: 'Neighbours',
      num: true,
      sort: (r) => neighbourCount(graph, r.pk),
      render: (r) => <span data-field="neighbours">{neighbourCount(graph, r.pk)}</span>,
    },
  ];
}

function LinksCard({
  graph,
  keys,
  byKey,
}: {
  graph: AnalyticState<NeighborGraphResponse>;
  keys: Set<string>;
  byKey: Map<string, NodeItemWithAxes>;
}) {
  const name = (d: NeighborGraphResponse, pk: string) =>
    byKey.get(pk)?.name ?? d.nodes.find((n) => n.pubkey === pk)?.name ?? pk.slice(0, 8).toUpperCase();
  const linksOf = (d: NeighborGraphResponse) =>
    d.edges.filter((e) => !e.ambiguous && keys.has(e.source) && keys.has(e.target));
  return (
    <AnalyticCard
      id="my-repeaters-links"
      title="Links between them"
      state={graph}
      wide
      empty={(d) => linksOf(d).length === 0}
      emptyText={
        keys.size < 2
          ? 'Star at least two repeaters to see the links between them.'
          : 'No link between your starred repeaters in the neighbour graph.'
      }
      how={
        <p>
          Edges of the neighbour graph (every edge: min_count 1, min_score 0) with both ends starred. Affinity
          is the edge score, min(1, sightings/100) halved for every 7 days since last seen; sightings count
          the packets in which the two were adjacent on a relay path; SNR is the mean over sightings where the
          link was the final, measured one (else –). Links to an ambiguous hop prefix are left out: they may
          be another relay with the same prefix. meshlens rebuilds the graph from the paths at each snapshot
          (the reference reads a table kept by its ingestor).
        </p>
      }
    >
      {(d) => (
        <SortTable
          caption="Links between starred repeaters"
          initial={{ key: 'score', desc: true }}
          rowKey={(e) => `${e.source}|${e.target}`}
          rows={linksOf(d)}
          columns={[
            {
              key: 'source',
              label: 'Between',
              sort: (e) => name(d, e.source),
              render: (e) => (
                <span data-link={`${e.source}|${e.target}`}>
                  <NodeLink pk={e.source} name={name(d, e.source)} /> ↔{' '}
                  <NodeLink pk={e.target} name={name(d, e.target)} />
                </span>
              ),
            },
            { key: 'score', label: 'Affinity', num: true, render: (e) => e.score.toFixed(3) },
            { key: 'weight', label: 'Sightings', num: true, render: (e) => count(e.weight) },
            {
              key: 'avg_snr',
              label: 'SNR',
              num: true,
              render: (e) => (e.avg_snr === null ? '–' : `${e.avg_snr.toFixed(1)} dB`),
            },
            {
              key: 'bidirectional',
              label: 'Direction',
              sort: (e) => (e.bidirectional ? 1 : 0),
              render: (e) => (e.bidirectional ? 'both ways' : 'one way'),
            },
          ]}
        />
      )}
    </AnalyticCard>
  );
}
