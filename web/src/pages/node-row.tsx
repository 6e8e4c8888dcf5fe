// One row of the node directory and its sortable header. Status is glyph + word + colour with
// the reason written out ("not heard for over 24 h"), never colour alone.
import type { NodeItem } from '../../../src/api/contract';
import { count } from '../app/format';
import { isFavourite, toggleFavourite } from '../app/prefs';
import { href } from '../app/router';
import { Hex, RoleIcon, StatusBadge, Time } from '../components/bits';
import { ROLE_LABEL, roleKey } from '../app/mesh';
import { lastHeardMs, statusOf, type Sort, type SortKey } from './node-data';

const COLUMNS: { key: SortKey | null; label: string; cls: string }[] = [
  { key: null, label: 'Favourite', cls: 'col-fav' },
  { key: 'name', label: 'Name', cls: 'col-name' },
  { key: 'key', label: 'Key', cls: 'col-key' },
  { key: 'role', label: 'Role', cls: 'col-role' },
  { key: null, label: 'Status', cls: 'col-status' },
  { key: 'heard', label: 'Last heard', cls: 'col-heard' },
  { key: 'first', label: 'First seen', cls: 'col-first' },
  { key: 'adverts', label: 'Adverts', cls: 'col-adverts num' },
];

export function NodesHead({ sort, onSort }: { sort: Sort; onSort: (k: SortKey) => void }) {
  return (
    <tr>
      {COLUMNS.map((c) => {
        const active = c.key !== null && c.key === sort.key;
        return (
          <th
            scope="col"
            class={c.cls}
            aria-sort={active ? (sort.asc ? 'ascending' : 'descending') : undefined}
          >
            {c.key === null ? (
              c.cls === 'col-fav' ? (
                <span class="sr-only">{c.label}</span>
              ) : (
                c.label
              )
            ) : (
              <button type="button" class="sort" onClick={() => onSort(c.key as SortKey)}>
                {c.label}
                <span aria-hidden="true">{active ? (sort.asc ? ' ▲' : ' ▼') : ''}</span>
              </button>
            )}
          </th>
        );
      })}
    </tr>
  );
}

export function FavouriteButton({ pk, name }: { pk: string; name: string | null }) {
  const on = isFavourite(pk);
  return (
    <button
      type="button"
      class={`fav${on ? ' fav-on' : ''}`}
      aria-pressed={on}
      aria-label={`Favourite ${name ?? pk.slice(0, 8)}`}
      title={on ? 'Remove from favourites' : 'Add to favourites (shown on Home)'}
      onClick={(e) => {
        e.stopPropagation();
        toggleFavourite(pk);
      }}
    >
      <span aria-hidden="true">{on ? '★' : '☆'}</span>
    </button>
  );
}

/** Status badge with its reason written out. */
export function NodeStatusText({ n, companion }: { n: NodeItem; companion?: boolean }) {
  const s = statusOf(n, { companionThresholds: companion });
  return (
    <span class="node-status">
      <StatusBadge status={s.status} reason={s.reason} />{' '}
      <span class="status-reason" aria-hidden="true">
        {s.reason}
      </span>
    </span>
  );
}

export function NodeRow({ n, dup }: { n: NodeItem; dup: boolean }) {
  return (
    <tr data-pk={n.public_key}>
      <td class="col-fav">
        <FavouriteButton pk={n.public_key} name={n.name} />
      </td>
      <td class="col-name">
        <RoleIcon role={n.role} />{' '}
        <a href={href(`nodes/${n.public_key}`)} class="node-name">
          {n.name || <code class="hex">{n.public_key.slice(0, 8).toUpperCase()}</code>}
        </a>
        {dup ? (
          <span class="pill dup-badge" title="Another node has the same name: check the key">
            same name
          </span>
        ) : null}
      </td>
      <td class="col-key">
        <Hex value={n.public_key} chars={8} />
      </td>
      <td class="col-role">{ROLE_LABEL[roleKey(n.role)]}</td>
      <td class="col-status">
        <NodeStatusText n={n} />
      </td>
      <td class="col-heard">
        <Time t={lastHeardMs(n)} />
      </td>
      <td class="col-first">
        <Time t={n.first_seen} />
      </td>
      <td class="col-adverts num">{count(n.advert_count)}</td>
    </tr>
  );
}
