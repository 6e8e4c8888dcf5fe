// The Map page's side panels: filters, the selected node, the packet route, and the text list
// of the nodes in view (the map's screen-reader alternative).
import { useState } from 'preact/hooks';
import type { NeighborGraphResponse } from '../../../src/api/contract';
import { count } from '../app/format';
import type { RoleKey } from '../app/mesh';
import { href, setParams } from '../app/router';
import { Hex, NodeLink, RoleIcon, StatusBadge, Time } from '../components/bits';
import type { MapKit } from './map-kit-hook';
import { HEARD_WINDOWS, MAP_ROLES, type PacketRoute, type PlacedNode } from './map-data';

export function MapControls(props: {
  placed: PlacedNode[];
  roles: Set<RoleKey>;
  params: URLSearchParams;
  graphError: Error | null;
}) {
  const { placed, roles, params: p } = props;
  const perRole = new Map<RoleKey, number>();
  for (const n of placed) perRole.set(n.role, (perRole.get(n.role) ?? 0) + 1);
  const listed = MAP_ROLES.filter((r) => r !== 'unknown' || (perRole.get(r) ?? 0) > 0);
  const toggleRole = (r: RoleKey, on: boolean) => {
    const next = new Set(roles);
    if (on) next.add(r);
    else next.delete(r);
    setParams({ roles: next.size === MAP_ROLES.length ? null : [...next].join(',') || 'none' });
  };
  const nb = p.get('nb');
  return (
    <details class="map-controls card" open={!matchMedia('(max-width: 700px)').matches}>
      <summary>Filters and layers</summary>
      <fieldset>
        <legend>Roles</legend>
        {listed.map((r) => (
          <label key={r} class="map-check">
            <input
              type="checkbox"
              checked={roles.has(r)}
              data-role={r}
              onChange={(e) => toggleRole(r, (e.target as HTMLInputElement).checked)}
            />
            <RoleIcon role={r} label />{' '}
            <span class="num muted" data-role-count={r}>
              {count(perRole.get(r) ?? 0)}
            </span>
          </label>
        ))}
      </fieldset>
      <label class="map-field">
        Status
        <select
          value={p.get('status') ?? ''}
          onChange={(e) => setParams({ status: (e.target as HTMLSelectElement).value })}
        >
          <option value="">All</option>
          <option value="active">Active</option>
          <option value="stale">Stale (degraded or silent)</option>
        </select>
      </label>
      <label class="map-field">
        Last heard within
        <select
          value={p.get('heard') ?? ''}
          onChange={(e) => setParams({ heard: (e.target as HTMLSelectElement).value })}
        >
          {HEARD_WINDOWS.map((w) => (
            <option key={w.value} value={w.value}>
              {w.label}
            </option>
          ))}
        </select>
      </label>
      <label class="map-check">
        <input
          type="checkbox"
          checked={p.get('cluster') !== '0'}
          onChange={(e) => setParams({ cluster: (e.target as HTMLInputElement).checked ? null : '0' })}
        />
        Cluster when zoomed out
      </label>
      <label class="map-check">
        <input
          type="checkbox"
          checked={p.get('links') !== '0'}
          onChange={(e) => setParams({ links: (e.target as HTMLInputElement).checked ? null : '0' })}
        />
        Neighbour links
      </label>
      {props.graphError ? (
        <p class="muted small">Neighbour links unavailable: {props.graphError.message}</p>
      ) : null}
      {nb ? (
        <p class="small">
          Showing the neighbours of <Hex value={nb} chars={8} />.{' '}
          <button type="button" class="link-button" onClick={() => setParams({ nb: null })}>
            Show all nodes
          </button>
        </p>
      ) : null}
    </details>
  );
}

export function NodePanel(props: {
  node: PlacedNode;
  graph: NeighborGraphResponse | null;
  neighboursShown: boolean;
}) {
  const { node } = props;
  const degree = props.graph?.edges.filter((e) => e.source === node.id || e.target === node.id).length ?? 0;
  return (
    <section class="map-node card" aria-label="Selected node" data-selected={node.id}>
      <h2>
        <NodeLink pk={node.id} name={node.item.name} />
      </h2>
      <dl class="map-dl">
        <dt>Role</dt>
        <dd>
          <RoleIcon role={node.item.role} label />
        </dd>
        <dt>Last heard</dt>
        <dd>
          <Time t={node.item.last_heard ?? node.item.last_seen} />
        </dd>
        <dt>Status</dt>
        <dd>
          <StatusBadge status={node.status} reason={node.reason} />
        </dd>
        <dt>Position</dt>
        <dd class="num">
          {node.lat.toFixed(4)}, {node.lon.toFixed(4)}
        </dd>
        <dt>Neighbours</dt>
        <dd class="num">{count(degree)}</dd>
      </dl>
      <div class="map-actions">
        <button
          type="button"
          onClick={() => setParams({ nb: props.neighboursShown ? null : node.id })}
          disabled={degree === 0 && !props.neighboursShown}
        >
          {props.neighboursShown ? 'Show all nodes' : 'Show neighbours'}
        </button>
        <button type="button" onClick={() => setParams({ sel: null })}>
          Close
        </button>
      </div>
    </section>
  );
}

/** One packet's route (`hash`), or a path of node keys (`hash` null: `prefixes=`). */
export function RoutePanel(props: { route: PacketRoute | null; error: Error | null; hash: string | null }) {
  const { route } = props;
  return (
    <section class="map-route card" aria-label={props.hash ? 'Packet route' : 'Path'}>
      <h2>
        {props.hash ? (
          <>
            Route of{' '}
            <a href={href(`packets/${props.hash}`)}>
              <Hex value={props.hash} />
            </a>
          </>
        ) : (
          'Path'
        )}
      </h2>
      {props.error ? <p role="alert">Could not load the route: {props.error.message}</p> : null}
      {!route && !props.error ? <p role="status">Resolving the path…</p> : null}
      {route && route.hops.length === 0 ? (
        <p>This packet was received directly (no hops in its path).</p>
      ) : null}
      {route && route.hops.length > 0 ? (
        <ol class="map-hops">
          {route.hops.map((h, i) => (
            <li key={i} data-hop={h.prefix} data-placed={h.point ? 'true' : 'false'}>
              <span class="hex">{h.prefix}</span>{' '}
              {h.pubkey ? <NodeLink pk={h.pubkey} name={h.name} /> : <span class="muted">unknown node</span>}
              {h.ambiguous ? (
                <span class="pill" title={`${h.candidates} candidates`}>
                  {' '}
                  ambiguous ({h.candidates})
                </span>
              ) : null}
              {h.pubkey && !h.point ? <span class="muted"> · no position</span> : null}
            </li>
          ))}
        </ol>
      ) : null}
      {route?.observer ? (
        <p class="muted small">
          Heard by {route.observer}. Origin ■ → destination ▲; dashed = ambiguous hop.
        </p>
      ) : null}
    </section>
  );
}

/** The nodes in view as a table (collapsed by default; rows rendered only when open). */
export function NodeList(props: { kit: MapKit | null; nodes: PlacedNode[]; drawn: number }) {
  const [open, setOpen] = useState(false);
  const visible = (props.kit?.layer.visibleNodes() ?? []) as PlacedNode[];
  const rows = open
    ? [...visible].sort((a, b) => (a.item.name ?? '').localeCompare(b.item.name ?? '')).slice(0, 500)
    : [];
  return (
    <details
      class="map-list"
      onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}
      data-visible={visible.length}
    >
      <summary>Nodes in view as a list ({count(visible.length)})</summary>
      {open ? (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Last heard</th>
                <th scope="col">Status</th>
                <th scope="col">On map</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((n) => (
                <tr key={n.id} data-pk={n.id}>
                  <td>
                    <NodeLink pk={n.id} name={n.item.name} />
                  </td>
                  <td>
                    <RoleIcon role={n.item.role} label />
                  </td>
                  <td>
                    <Time t={n.item.last_heard ?? n.item.last_seen} />
                  </td>
                  <td>
                    <StatusBadge status={n.status} reason={n.reason} />
                  </td>
                  <td>
                    <button type="button" class="link-button" onClick={() => setParams({ sel: n.id })}>
                      Select<span class="sr-only"> {n.item.name ?? n.id}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {visible.length > rows.length ? (
            <p class="muted small">
              The first {count(rows.length)} of {count(visible.length)} by name; zoom in to list the rest.
            </p>
          ) : null}
        </div>
      ) : null}
    </details>
  );
}
