// The feed as a log: newest first, only the rows in view are in the DOM (fixed row height), so
// a busy mesh costs the same per frame as a quiet one. A reader who scrolled down keeps their
// place while new rows arrive above; "Jump to live" brings them back to the top.
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { snr } from '../../app/format';
import { href } from '../../app/router';
import { TypeBadge } from '../../components/bits';
import type { FeedRow, FeedStore } from './feed-store';

export const ROW_H = 52;
const OVERSCAN = 6;

export function FeedList(props: {
  store: FeedStore;
  selected: string | null;
  onSelect: (row: FeedRow) => void;
  onScrolledChange: (scrolled: boolean) => void;
  listRef?: { current: HTMLDivElement | null };
}) {
  const { store } = props;
  const version = store.version.value; // subscribes to the once-per-frame updates
  const box = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewH, setViewH] = useState(480);

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    if (props.listRef) props.listRef.current = el;
    const ro = new ResizeObserver(() => setViewH(el.clientHeight || 480));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Keep a scrolled reader's rows still: the rows added above push the scroll position down.
  // The position comes from the scroll events: reading scrollTop here would force a layout
  // every frame.
  const top = useRef(0);
  useLayoutEffect(() => {
    const el = box.current;
    if (el && top.current > 0 && store.lastAdded > 0) {
      top.current += store.lastAdded * ROW_H;
      el.scrollTop = top.current;
      store.lastAdded = 0;
    }
  }, [version]);

  const onScroll = (e: Event) => {
    const t = (top.current = (e.currentTarget as HTMLDivElement).scrollTop);
    requestAnimationFrame(() => {
      setScrollTop(t);
      props.onScrolledChange(t > ROW_H / 2);
    });
  };

  const rows = store.rows;
  const first = Math.max(0, Math.floor(scrollTop / ROW_H) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + viewH) / ROW_H) + OVERSCAN);
  const items = [];
  for (let i = first; i < last; i++)
    items.push(
      <Row
        key={rows[i].key}
        row={rows[i]}
        top={i * ROW_H}
        selected={rows[i].hash === props.selected}
        onSelect={props.onSelect}
      />,
    );
  return (
    <div
      class="feed-list"
      ref={box}
      onScroll={onScroll}
      role="log"
      aria-live="polite"
      aria-relevant="additions"
      aria-label="Live packets, newest first"
      tabIndex={0}
      data-feed-count={rows.length}
    >
      <div class="feed-spacer" style={{ height: `${rows.length * ROW_H}px` }}>
        {items}
      </div>
    </div>
  );
}

function Row({
  row,
  top,
  selected,
  onSelect,
}: {
  row: FeedRow;
  top: number;
  selected: boolean;
  onSelect: (row: FeedRow) => void;
}) {
  return (
    <div
      class={`feed-row${selected ? ' feed-row-selected' : ''}`}
      style={{ transform: `translateY(${top}px)` }}
      data-hash={row.hash}
      data-type={row.type}
    >
      <button
        type="button"
        class="feed-main"
        onClick={() => onSelect(row)}
        aria-current={selected ? 'true' : undefined}
      >
        <span class="feed-line1">
          <TypeBadge type={row.type} />
          {row.who ? <strong class="feed-who">{row.who}</strong> : null}
          <span class="feed-text">{row.text}</span>
        </span>
        <span class="feed-line2">
          <span class="feed-obs">
            heard by {row.observer}
            {row.region ? ` (${row.region})` : ''}
          </span>
          <span class="num">{snr(row.snr)}</span>
          <span class="num">
            {row.hops} {row.hops === 1 ? 'hop' : 'hops'}
          </span>
          <time class="num" dateTime={new Date(row.rxMs).toISOString()}>
            {row.clock}
          </time>
        </span>
      </button>
      <a class="feed-link hex" href={href(`packets/${row.hash}`)} title={`Packet ${row.hash}`}>
        {row.hash.slice(0, 8).toUpperCase()}
      </a>
    </div>
  );
}
