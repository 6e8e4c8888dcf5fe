// What opens beside the map when a feed row or a node is clicked: the packet (type, summary,
// every observation heard this session with SNR and its path named hop by hop, a link to the
// packet page) or the node (name, role, status, last heard, a link to the node page).
import { clientConfig } from '../../app/server-state';
import { snr } from '../../app/format';
import { nodeStatus } from '../../app/mesh';
import { href } from '../../app/router';
import { Hex, RoleIcon, StatusBadge, Time, TypeBadge } from '../../components/bits';
import type { FeedStore } from './feed-store';
import type { MapNode } from './nodes';
import { hopsOf } from './summary';

/** Observations listed in the card (newest first); the packet page has them all. */
const OBS_SHOWN = 8;

export type Selection = { kind: 'packet'; hash: string } | { kind: 'node'; key: string };

export function DetailPanel(props: {
  sel: Selection;
  store: FeedStore;
  nodes: Map<string, MapNode>;
  onClose: () => void;
  onNode: (key: string) => void;
}) {
  return (
    <aside
      class="live-detail card"
      aria-label={props.sel.kind === 'packet' ? 'Packet details' : 'Node details'}
    >
      <button type="button" class="live-detail-close" onClick={props.onClose} aria-label="Close details">
        ×
      </button>
      {props.sel.kind === 'packet' ? (
        <PacketDetail hash={props.sel.hash} store={props.store} nodes={props.nodes} onNode={props.onNode} />
      ) : (
        <NodeDetail node={props.nodes.get(props.sel.key) ?? null} k={props.sel.key} store={props.store} />
      )}
    </aside>
  );
}

function PacketDetail(props: {
  hash: string;
  store: FeedStore;
  nodes: Map<string, MapNode>;
  onNode: (key: string) => void;
}) {
  props.store.version.value; // new observations of this hash show up as they arrive
  const obs = props.store.rows.filter((r) => r.hash === props.hash);
  const first = obs[obs.length - 1];
  const shown = obs.slice(0, OBS_SHOWN);
  if (!first)
    return (
      <p>
        Packet <Hex value={props.hash} /> is no longer in the feed.{' '}
        <a href={href(`packets/${props.hash}`)}>Open the packet page</a>
      </p>
    );
  const name = (k: string | null, prefix: string) => {
    const n = k ? props.nodes.get(k) : undefined;
    if (!k)
      return (
        <span class="hop-ambiguous" title="several or no known nodes have this prefix">
          {prefix.toUpperCase()}?
        </span>
      );
    return (
      <button type="button" class="linklike" onClick={() => props.onNode(k)}>
        {n?.name ?? k.slice(0, 8).toUpperCase()}
      </button>
    );
  };
  return (
    <>
      <h2 class="card-title">
        <TypeBadge type={first.type} /> {first.who ?? 'Packet'}
      </h2>
      <p class="live-detail-text">{first.text}</p>
      <p>
        <a href={href(`packets/${props.hash}`)}>
          Packet <Hex value={props.hash} /> details
        </a>
      </p>
      <h3 class="live-detail-sub">
        Heard {obs.length} {obs.length === 1 ? 'time' : 'times'} this session
      </h3>
      <ul class="live-obs">
        {shown.map((r) => {
          const hops = hopsOf(r.p.path_json);
          const resolved = r.p.resolved_path ?? [];
          return (
            <li key={r.key}>
              <span>
                {r.observerId ? (
                  <button
                    type="button"
                    class="linklike"
                    onClick={() => props.onNode(r.observerId.toLowerCase())}
                  >
                    {r.p.observer_name || props.nodes.get(r.observerId.toLowerCase())?.name || r.observer}
                  </button>
                ) : (
                  r.observer
                )}
                {r.region ? ` (${r.region})` : ''}
              </span>{' '}
              <span class="num">{snr(r.snr)}</span>{' '}
              <span class="live-path">
                <span class="sr-only">path: </span>
                {hops.length === 0 ? (
                  <span class="muted">direct</span>
                ) : (
                  hops.map((h, i) => (
                    <>
                      {i > 0 ? ' → ' : ''}
                      {name(resolved[i] ?? null, h)}
                    </>
                  ))
                )}
              </span>
            </li>
          );
        })}
      </ul>
      {obs.length > shown.length ? (
        <p class="muted">
          and {obs.length - shown.length} earlier:{' '}
          <a href={href(`packets/${props.hash}`)}>all observations</a>
        </p>
      ) : null}
    </>
  );
}

function NodeDetail({ node, k, store }: { node: MapNode | null; k: string; store: FeedStore }) {
  store.version.value;
  const th = clientConfig.value?.healthThresholds;
  const lastMs = node?.lastHeard ? Date.parse(node.lastHeard) : null;
  const st = th ? nodeStatus(node?.role, lastMs, th) : null;
  const recent = store.rows.filter(
    (r) => r.whoKey?.toLowerCase() === k || r.observerId.toLowerCase() === k,
  ).length;
  return (
    <>
      <h2 class="card-title">
        <RoleIcon role={node?.role} /> {node?.name ?? k.slice(0, 8).toUpperCase()}
      </h2>
      <dl class="live-node-facts">
        <dt>Role</dt>
        <dd>
          <RoleIcon role={node?.role} label />
        </dd>
        <dt>Status</dt>
        <dd>{st ? <StatusBadge status={st.status} reason={st.reason} /> : '—'}</dd>
        <dt>Last heard</dt>
        <dd>
          <Time t={node?.lastHeard} />
        </dd>
        <dt>Key</dt>
        <dd>
          <Hex value={k} chars={16} />
        </dd>
        <dt>In the feed</dt>
        <dd class="num">{recent} packets</dd>
      </dl>
      <p>
        <a href={href(`nodes/${k}`)}>Open the node page</a>
      </p>
    </>
  );
}
