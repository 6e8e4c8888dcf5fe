// Small data views the analytics pages share: CSS bar rows (label, bar, value: shares and
// leaderboards, readable as text) and a sortable table (header buttons with aria-sort).
import type { ComponentChildren } from 'preact';
import { useMemo, useState } from 'preact/hooks';

export interface BarRow {
  label: ComponentChildren;
  value: number;
  /** Text shown for the value (default: the number). */
  text?: string;
  /** A CSS colour token for the bar (default --accent). */
  color?: string;
  key?: string;
}

/** Horizontal bars scaled to `max` (default: the largest value). */
export function BarRows({ rows, max, label }: { rows: BarRow[]; max?: number; label: string }) {
  const top = max ?? Math.max(1e-9, ...rows.map((r) => r.value));
  return (
    <ul class="bar-rows" aria-label={label}>
      {rows.map((r, i) => (
        <li key={r.key ?? i} class="bar-row">
          <span class="bar-label">{r.label}</span>
          <span class="bar-track" aria-hidden="true">
            <span
              class="bar-fill"
              style={{
                width: `${Math.max(0, Math.min(100, (r.value / top) * 100))}%`,
                background: `var(${r.color ?? '--accent'})`,
              }}
            />
          </span>
          <span class="bar-value num">{r.text ?? String(r.value)}</span>
        </li>
      ))}
    </ul>
  );
}

export interface Column<R> {
  key: string;
  label: ComponentChildren;
  /** Value used for sorting (default row[key]). */
  sort?: (r: R) => number | string | null;
  render?: (r: R) => ComponentChildren;
  num?: boolean;
}

/** A table sortable by any column with a `sort` or plain value; `caption` names it. */
export function SortTable<R>(p: {
  caption: string;
  columns: Column<R>[];
  rows: R[];
  initial?: { key: string; desc?: boolean };
  rowKey?: (r: R, i: number) => string;
  /** Show at most this many rows (after sorting). */
  limit?: number;
  class?: string;
}) {
  const [sort, setSort] = useState(p.initial ?? null);
  const sorted = useMemo(() => {
    if (!sort) return p.rows;
    const col = p.columns.find((c) => c.key === sort.key);
    if (!col) return p.rows;
    const get = col.sort ?? ((r: R) => (r as Record<string, unknown>)[col.key] as number | string | null);
    const out = [...p.rows].sort((a, b) => {
      const x = get(a);
      const y = get(b);
      if (x === y) return 0;
      if (x === null || x === undefined) return 1;
      if (y === null || y === undefined) return -1;
      return (x < y ? -1 : 1) * (sort.desc ? -1 : 1);
    });
    return out;
  }, [p.rows, sort]);
  const rows = p.limit ? sorted.slice(0, p.limit) : sorted;
  return (
    <div class={`table-scroll ${p.class ?? ''}`}>
      <table class="sort-table">
        <caption class="sr-only">{p.caption}</caption>
        <thead>
          <tr>
            {p.columns.map((c) => {
              const active = sort?.key === c.key;
              return (
                <th
                  scope="col"
                  class={c.num ? 'num' : undefined}
                  aria-sort={active ? (sort?.desc ? 'descending' : 'ascending') : undefined}
                >
                  <button
                    type="button"
                    class="sort"
                    onClick={() => setSort({ key: c.key, desc: active ? !sort?.desc : true })}
                  >
                    {c.label}
                    <span aria-hidden="true">{active ? (sort?.desc ? ' ▼' : ' ▲') : ''}</span>
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={p.rowKey ? p.rowKey(r, i) : i}>
              {p.columns.map((c) => (
                <td class={c.num ? 'num' : undefined}>
                  {c.render ? c.render(r) : String((r as Record<string, unknown>)[c.key] ?? '–')}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
