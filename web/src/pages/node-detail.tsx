// One node's page (`#/nodes/<pk or 8+ digit prefix>`): identity, status in plain words, who
// hears it and how well, neighbours on an offline mini-map, recent packets, paths through it,
// clock skew and battery. Each panel loads on its own (a slow one never blanks the page); the
// page counts as loaded when the node and its hearing (health) are shown.
import { useState } from 'preact/hooks';
import type {
  NodeDetailResponse,
  NodeHealthResponse,
  NodeItem,
  NodeNeighborsResponse,
  NodeResolveResponse,
  PacketsPage,
} from '../../../src/api/contract';
import { ApiError, apiPath } from '../app/api';
import { count, isoUtc, shortKey } from '../app/format';
import { ROLE_LABEL, roleKey } from '../app/mesh';
import { href, type Route } from '../app/router';
import { useApi } from '../app/use-api';
import { Card, Hex, RoleIcon, Time, TypeBadge } from '../components/bits';
import { DataState, Page } from '../components/page';
import { BatteryCard, ClockSkewCard, PathsCard, WideCard } from './node-cards';
import { HeardByTable } from './node-heard-by';
import { NodeMiniMap } from './node-minimap';
import { FavouriteButton, NodeStatusText } from './node-row';
import '../styles/nodes.css';

export default function NodeDetail({ keyOrPrefix }: { keyOrPrefix: string; route: Route }) {
  const key = keyOrPrefix.toLowerCase();
  const valid = /^[0-9a-f]{8,64}$/.test(key);
  const detail = useApi<NodeDetailResponse>(valid ? `/nodes/${key}` : null, { ttlMs: 10_000 });
  const pk = detail.data?.node.public_key ?? null;
  const health = useApi<NodeHealthResponse>(pk ? `/nodes/${pk}/health` : null, { ttlMs: 10_000 });
  const gone =
    !valid ||
    (detail.error instanceof ApiError && (detail.error.status === 404 || detail.error.status === 400));
  if (gone) return <NotFound keyOrPrefix={keyOrPrefix} />;
  const n = detail.data?.node;
  if (!n)
    return (
      <Page name="node" title="Node" loaded={false}>
        <DataState loading={detail.loading} error={detail.error} />
      </Page>
    );
  return (
    <Page
      name="node"
      title={
        <>
          <RoleIcon role={n.role} /> {n.name || shortKey(n.public_key)}
        </>
      }
      loaded={health.data !== null || health.error !== null}
      actions={
        <>
          <FavouriteButton pk={n.public_key} name={n.name} />
          <CopyButton text={`${location.origin}${location.pathname}#/nodes/${n.public_key.slice(0, 8)}`}>
            Copy short link
          </CopyButton>
          <a href={href(`nodes/${n.public_key}/analytics`)} data-link="node-analytics">
            Analytics
          </a>
          <a href={href(`nodes/${n.public_key}/reach`)} data-link="node-reach">
            Reach
          </a>
          <a href={href('nodes')}>All nodes</a>
        </>
      }
    >
      <div class="grid node-grid">
        <StatusCard n={n} health={health.data} />
        <WideCard title="Heard by">
          {health.data ? (
            <HeardByTable observers={health.data.observers} />
          ) : (
            <DataState loading={health.loading} error={health.error} />
          )}
        </WideCard>
        <IdentityCard n={n} />
        <NeighboursAndMap n={n} />
        <RecentPackets pk={n.public_key} />
        <PathsCard pk={n.public_key} />
        <ClockSkewCard pk={n.public_key} />
        <BatteryCard pk={n.public_key} />
      </div>
    </Page>
  );
}

function NotFound({ keyOrPrefix }: { keyOrPrefix: string }) {
  const hex = /^[0-9a-f]{1,63}$/i.test(keyOrPrefix);
  // A prefix several nodes share is not "not found": list them.
  const r = useApi<NodeResolveResponse>(hex ? apiPath('/nodes/resolve', { prefix: keyOrPrefix }) : null);
  const many = r.data && r.data.total > 1 ? r.data : null;
  return (
    <Page
      name="node"
      title={many ? 'Several nodes match' : 'Node not found'}
      loaded={!hex || r.data !== null || r.error !== null}
    >
      <div class="card not-found" role="status">
        {many ? (
          <>
            <p>
              {count(many.total)} nodes have keys starting with <code class="hex">{keyOrPrefix}</code>:
            </p>
            <ul class="find-hits">
              {many.candidates.map((n) => (
                <li>
                  <RoleIcon role={n.role} />{' '}
                  <a href={href(`nodes/${n.public_key}`)}>{n.name || shortKey(n.public_key)}</a>{' '}
                  <Hex value={n.public_key} chars={16} />
                </li>
              ))}
            </ul>
          </>
        ) : (
          <p>
            No node has the key or key prefix <code class="hex">{keyOrPrefix}</code>. It may never have sent
            an advert that an observer heard, or the link has a typo (a short link needs at least 8 hex
            digits).
          </p>
        )}
        <p>
          <a href={href('nodes', { search: keyOrPrefix.slice(0, 64) })}>Search the node list</a> ·{' '}
          <a href={href('nodes')}>Back to all nodes</a>
        </p>
      </div>
    </Page>
  );
}

export function CopyButton({ text, children }: { text: string; children: string }) {
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      class="copy"
      onClick={() => {
        void navigator.clipboard
          ?.writeText(text)
          .then(() => {
            setDone(true);
            setTimeout(() => setDone(false), 1500);
          })
          .catch(() => undefined);
      }}
    >
      {done ? 'Copied' : children}
    </button>
  );
}

function IdentityCard({ n }: { n: NodeItem }) {
  const prefix = n.public_key.slice(0, n.hash_size * 2).toUpperCase();
  return (
    <Card title="Identity">
      <dl class="kv">
        <dt>Public key</dt>
        <dd class="node-key">
          <code class="hex full-key">{n.public_key.toUpperCase()}</code>{' '}
          <CopyButton text={n.public_key}>Copy key</CopyButton>
        </dd>
        <dt>Role</dt>
        <dd>
          <RoleIcon role={n.role} label />
        </dd>
        <dt>Hash prefix</dt>
        <dd>
          {n.hash_size > 0 ? (
            <>
              <code class="hex">{prefix}</code> ({n.hash_size} byte{n.hash_size === 1 ? '' : 's'})
            </>
          ) : (
            <span class="muted">size not known yet (no relayed advert seen)</span>
          )}
          {n.hash_size_inconsistent ? (
            <span class="warn-text">
              {' '}
              ⚠ inconsistent: sizes {n.hash_sizes_seen.join(', ')} seen in its adverts
            </span>
          ) : null}
        </dd>
        <dt>Adverts</dt>
        <dd class="num" data-field="adverts">
          {count(n.advert_count)}
        </dd>
        <dt>First seen</dt>
        <dd>
          <Time t={n.first_seen} /> <span class="muted">({isoUtc(n.first_seen)})</span>
        </dd>
        <dt>Position</dt>
        <dd class="num">
          {n.lat !== null && n.lon !== null
            ? `${n.lat.toFixed(5)}, ${n.lon.toFixed(5)}`
            : 'no position in its adverts'}
        </dd>
      </dl>
    </Card>
  );
}

function StatusCard({ n, health }: { n: NodeItem; health: NodeHealthResponse | null }) {
  const infra = roleKey(n.role) === 'repeater' || roleKey(n.role) === 'room';
  return (
    <Card title="Status">
      <p class="node-status-line">
        <NodeStatusText n={n} />
      </p>
      <p class="muted small">
        {ROLE_LABEL[roleKey(n.role)]}: {infra ? 'infrastructure' : 'end-node'} thresholds of the server.
      </p>
      <dl class="kv">
        <dt>Last heard</dt>
        <dd>
          <Time t={n.last_heard ?? n.last_seen} />
        </dd>
        <dt>Last relayed</dt>
        <dd>
          {n.last_relayed ? <Time t={n.last_relayed} /> : <span class="muted">not seen relaying</span>}
          {n.relay_count_24h !== undefined ? (
            <span class="muted"> · {count(n.relay_count_24h)} relays in 24 h</span>
          ) : null}
        </dd>
        <dt>Packets today</dt>
        <dd class="num">{health ? count(health.stats.packetsToday) : '…'}</dd>
        <dt>Average hops</dt>
        <dd class="num">{health?.stats.avgHops != null ? health.stats.avgHops.toFixed(1) : '—'}</dd>
      </dl>
    </Card>
  );
}

function NeighboursAndMap({ n }: { n: NodeItem }) {
  const nb = useApi<NodeNeighborsResponse>(`/nodes/${n.public_key}/neighbors`, { ttlMs: 30_000 });
  const list = nb.data?.neighbors ?? [];
  return (
    <>
      <Card title="Position and neighbours">
        <NodeMiniMap node={n} neighbors={list} />
      </Card>
      <WideCard title="Neighbours">
        {nb.data ? (
          list.length === 0 ? (
            <p class="state state-empty">No neighbour seen in the paths of its packets.</p>
          ) : (
            <div class="table-wrap">
              <table class="neighbours">
                <thead>
                  <tr>
                    <th scope="col">Neighbour</th>
                    <th scope="col" class="num">
                      Seen
                    </th>
                    <th scope="col">Link</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((e) => (
                    <tr>
                      <td>
                        <RoleIcon role={e.role} />{' '}
                        {e.ambiguous || !e.pubkey ? (
                          <span title="Several known nodes share this prefix">
                            <code class="hex">{e.prefix.toUpperCase()}</code>{' '}
                            <span class="pill">ambiguous</span>
                          </span>
                        ) : (
                          <a href={href(`nodes/${e.pubkey}`)}>{e.name || shortKey(e.pubkey)}</a>
                        )}
                      </td>
                      <td class="num">{count(e.count)}×</td>
                      <td>
                        <meter min={0} max={1} value={e.score} aria-label="Link strength" />{' '}
                        <span class="num">{Math.round(e.score * 100)}%</span>{' '}
                        <span class="muted">{e.bidirectional ? '⇄ both ways' : '→ one way'}</span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        ) : (
          <DataState loading={nb.loading} error={nb.error} />
        )}
      </WideCard>
    </>
  );
}

function RecentPackets({ pk }: { pk: string }) {
  const r = useApi<PacketsPage>(apiPath('/packets', { node: pk, limit: 15 }), { ttlMs: 10_000 });
  return (
    <WideCard title="Recent packets">
      {r.data && r.data.packets.length > 0 ? (
        <>
          <ul class="recent-packets">
            {r.data.packets.map((p) => (
              <li>
                <Time t={p.timestamp ?? p.first_seen} /> <TypeBadge type={p.payload_type} />{' '}
                <a href={href(`packets/${p.hash}`)}>
                  <Hex value={p.hash} />
                </a>{' '}
                <span class="muted">
                  {count(p.observation_count)} obs · {p.observer_name ?? shortKey(p.observer_id)}
                </span>
              </li>
            ))}
          </ul>
          <p class="muted small">
            {count(r.data.total)} packets in all · <a href={href('packets', { node: pk })}>open in Packets</a>
          </p>
        </>
      ) : (
        <DataState loading={r.loading} error={r.error} empty={r.data !== null} emptyText="No packet yet." />
      )}
    </WideCard>
  );
}
