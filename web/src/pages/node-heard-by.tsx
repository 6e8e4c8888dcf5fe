// The observers that heard a node (from /api/nodes/:pk/health): sortable by any column.
import { useState } from 'preact/hooks';
import type { NodeHearing } from '../../../src/api/contract';
import { count, parseTime, rssi, shortKey, snr } from '../app/format';
import { href } from '../app/router';
import { Time } from '../components/bits';

type Col = 'name' | 'iata' | 'count' | 'snr' | 'rssi' | 'last';
const COLS: { key: Col; label: string; num?: boolean }[] = [
  { key: 'name', label: 'Observer' },
  { key: 'iata', label: 'Region' },
  { key: 'count', label: 'Packets', num: true },
  { key: 'snr', label: 'Avg SNR', num: true },
  { key: 'rssi', label: 'Avg RSSI', num: true },
  { key: 'last', label: 'Last heard' },
];
const GET: Record<Col, (o: NodeHearing) => string | number | null> = {
  name: (o) => (o.observer_name ?? o.observer_id).toLowerCase(),
  iata: (o) => o.iata,
  count: (o) => o.count,
  snr: (o) => o.avgSnr,
  rssi: (o) => o.avgRssi,
  last: (o) => parseTime(o.lastSeen),
};

function sorted(list: NodeHearing[], key: Col, asc: boolean): NodeHearing[] {
  const get = GET[key];
  return [...list].sort((a, b) => {
    const x = get(a);
    const y = get(b);
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    const c = typeof x === 'number' ? x - (y as number) : String(x).localeCompare(String(y));
    return asc ? c : -c;
  });
}

export function HeardByTable({ observers }: { observers: NodeHearing[] }) {
  const [sort, setSort] = useState<{ key: Col; asc: boolean }>({ key: 'count', asc: false });
  if (observers.length === 0)
    return <p class="state state-empty">No observer has heard its adverts in the window.</p>;
  const rows = sorted(observers, sort.key, sort.asc);
  return (
    <div class="table-wrap">
      <table class="heard-by">
        <caption class="sr-only">Observers that heard this node</caption>
        <thead>
          <tr>
            {COLS.map((c) => (
              <th
                scope="col"
                class={c.num ? 'num' : ''}
                aria-sort={sort.key === c.key ? (sort.asc ? 'ascending' : 'descending') : undefined}
              >
                <button
                  type="button"
                  class="sort"
                  onClick={() =>
                    setSort((s) => ({ key: c.key, asc: s.key === c.key ? !s.asc : c.key === 'name' }))
                  }
                >
                  {c.label}
                  <span aria-hidden="true">{sort.key === c.key ? (sort.asc ? ' ▲' : ' ▼') : ''}</span>
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((o) => (
            <tr data-observer={o.observer_id}>
              <td>
                <a href={href(`observers/${encodeURIComponent(o.observer_id)}`)}>
                  {o.observer_name ?? shortKey(o.observer_id)}
                </a>
              </td>
              <td>{o.iata ?? '—'}</td>
              <td class="num">{count(o.count)}</td>
              <td class="num" data-field="snr">
                {snr(o.avgSnr)}
              </td>
              <td class="num">{rssi(o.avgRssi)}</td>
              <td>
                <Time t={o.lastSeen} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
