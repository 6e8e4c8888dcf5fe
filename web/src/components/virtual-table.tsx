// A table that renders only the rows in view (plus a margin), so 100k rows scroll without long
// main-thread tasks. Rows have one fixed height (expanded detail rows are rows of their own).
// The scroll container is keyboard-focusable; pages make rows actionable with Enter/Space.
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';

export interface VirtualTableProps<T> {
  /** The rows: an array, or any indexable view (e.g. a flattened tree built only where read). */
  rows: { readonly length: number; at(i: number): T | undefined };
  rowHeight: number;
  /** The header row(s): <tr><th>…</th></tr>. */
  head: ComponentChildren;
  renderRow: (row: T, index: number) => JSX.Element;
  columns: number;
  /** Total rows that exist (for aria-rowcount), when more than `rows` are loaded lazily. */
  totalRows?: number;
  /** Called when the view comes within a screen of the end of `rows` (load the next page). */
  onNearEnd?: () => void;
  label: string;
  /** Max height of the scroll area (CSS length); default fills the page. */
  maxHeight?: string;
  class?: string;
}

/** Rows rendered beyond each edge of the view: enough for one frame of fast scrolling. */
const OVERSCAN = 6;

export function VirtualTable<T>(p: VirtualTableProps<T>) {
  const box = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewH, setViewH] = useState(600);

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setViewH(el.clientHeight || 600));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const first = Math.max(0, Math.floor(scrollTop / p.rowHeight) - OVERSCAN);
  const last = Math.min(p.rows.length, Math.ceil((scrollTop + viewH) / p.rowHeight) + OVERSCAN);

  useEffect(() => {
    if (p.onNearEnd && last >= p.rows.length - Math.ceil(viewH / p.rowHeight)) p.onNearEnd();
  }, [last, p.rows.length]);

  const onScroll = (e: Event) => {
    const top = (e.currentTarget as HTMLDivElement).scrollTop;
    // One state update per frame at most: scroll events can fire faster than frames.
    requestAnimationFrame(() => setScrollTop(top));
  };

  const rows: JSX.Element[] = [];
  for (let i = first; i < last; i++) rows.push(p.renderRow(p.rows.at(i)!, i));
  return (
    <div
      class={`vtable ${p.class ?? ''}`}
      ref={box}
      onScroll={onScroll}
      style={{ maxHeight: p.maxHeight ?? 'calc(100vh - 14rem)' }}
      tabIndex={0}
      role="region"
      aria-label={p.label}
    >
      <table aria-rowcount={(p.totalRows ?? p.rows.length) + 1}>
        <thead>{p.head}</thead>
        <tbody>
          {first > 0 ? (
            <tr aria-hidden="true" class="vspacer" style={{ height: `${first * p.rowHeight}px` }}>
              <td colSpan={p.columns} />
            </tr>
          ) : null}
          {rows}
          {last < p.rows.length ? (
            <tr
              aria-hidden="true"
              class="vspacer"
              style={{ height: `${(p.rows.length - last) * p.rowHeight}px` }}
            >
              <td colSpan={p.columns} />
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}
