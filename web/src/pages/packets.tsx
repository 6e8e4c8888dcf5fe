// The Packets page (spec §2.3): every transmission, newest first, in a virtualized table that
// pages by offset as it scrolls, expands into observations, takes live packets (with a pause
// buffer), and is filtered by URL parameters and a filter expression the server evaluates over
// the whole store. Selecting a row opens the detail beside the table (`#/packets/<hash>?obs=`).
import { useRef, useState } from 'preact/hooks';
import type { PageProps } from '../app/routes';
import { count } from '../app/format';
import { PAYLOAD_LABEL, PAYLOAD_TYPE } from '../app/mesh';
import { route, setParams } from '../app/router';
import { useApi } from '../app/use-api';
import { DataState, Page } from '../components/page';
import { PacketDetailSlot } from '../components/packet-detail-slot';
import { VirtualTable } from '../components/virtual-table';
import { usePacketFeed, type Feed, type FeedQuery } from './packets-feed';
import { FilterInput, filterErrorOf, useDebounced } from './packets-filter';
import { COLUMNS, lines, renderLine, ROW_HEIGHT, TableHead } from './packets-rows';
import '../styles/packets.css';

/** `#/packets[/<hash>]?…` with the page's current parameters, `obs` replaced. */
function packetsUrl(hash: string | null, obs: number | null): string {
  const params = new URLSearchParams(route.value.params);
  if (obs === null) params.delete('obs');
  else params.set('obs', String(obs));
  const q = params.toString();
  return `#/packets${hash ? `/${hash}` : ''}${q ? `?${q}` : ''}`;
}

function useQuery(): FeedQuery {
  const p = route.value.params;
  const g = (k: string) => p.get(k) ?? '';
  return {
    type: g('type'),
    observer: g('observer'),
    region: g('region'),
    window: p.get('window') ?? 'all',
    node: g('node'),
    channel: g('channel'),
    filter: g('filter'),
  };
}

export default function PacketsPage({ args }: PageProps) {
  const q = useQuery();
  const feed = usePacketFeed(q);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const tableBox = useRef<HTMLDivElement>(null);
  const selected = args[0] && /^[0-9a-f]{16}$/i.test(args[0]) ? args[0].toLowerCase() : null;
  const selectedObs = route.value.params.get('obs');

  const toggle = (hash: string) => {
    const next = new Set(expanded);
    if (next.has(hash)) next.delete(hash);
    else {
      next.add(hash);
      feed.loadObservations(hash);
    }
    setExpanded(next);
  };
  // A selection is a history entry: Back closes the detail again.
  const select = (hash: string, obs?: number) => {
    location.hash = packetsUrl(hash, obs ?? null);
  };
  const close = () => {
    location.hash = packetsUrl(null, null);
  };
  const jumpToLive = () => {
    feed.setPaused(false);
    const box = tableBox.current?.querySelector('.vtable');
    if (box) box.scrollTop = 0;
  };

  const filterError = filterErrorOf(feed.error);
  const all = lines(feed.rows, expanded, feed.observations);
  return (
    <Page
      name="packets"
      title="Packets"
      loaded={feed.loaded}
      class={selected ? 'pk-has-detail' : ''}
      actions={<LiveControls feed={feed} onJump={jumpToLive} />}
    >
      <Filters q={q} />
      <FilterInput
        value={q.filter}
        onCommit={(filter) => setParams({ filter })}
        error={filterError}
        matches={feed.loaded && !feed.error ? feed.total : null}
      />
      <p class="pk-count-line" data-total={feed.total} data-rows={feed.rows.length}>
        {feed.loaded && !feed.error
          ? `${count(feed.rows.length)} of ${count(feed.total)} transmissions`
          : '\u00a0'}
        {feed.loading && feed.loaded ? <span class="muted"> · loading more…</span> : null}
      </p>
      <p class="sr-only" aria-live="polite">
        {feed.announce}
      </p>
      <div class="pk-layout">
        <div class="pk-table" ref={tableBox}>
          {filterError ? null : (
            <DataState
              loading={!feed.loaded}
              error={feed.error}
              empty={feed.loaded && feed.rows.length === 0}
              emptyText="No packets match these filters in this window."
            />
          )}
          {feed.rows.length > 0 ? (
            <VirtualTable
              rows={all}
              rowHeight={ROW_HEIGHT}
              columns={COLUMNS}
              head={<TableHead />}
              totalRows={all.length + (feed.total - feed.rows.length)}
              renderRow={(line, i) => renderLine(line, i, { selected, selectedObs, toggle, select })}
              onNearEnd={feed.loadMore}
              label="Packets, newest first"
              maxHeight="calc(100vh - 17rem)"
              class="pk-vtable"
            />
          ) : null}
        </div>
        {selected ? <PacketDetailSlot hash={selected} obs={selectedObs} onClose={close} /> : null}
      </div>
    </Page>
  );
}

function LiveControls({ feed, onJump }: { feed: Feed; onJump: () => void }) {
  return (
    <>
      <button
        type="button"
        aria-pressed={feed.paused ? 'true' : 'false'}
        onClick={() => feed.setPaused(!feed.paused)}
      >
        {feed.paused ? 'Resume' : 'Pause'}
      </button>
      {feed.paused && feed.buffered > 0 ? (
        <button type="button" class="pk-buffered" data-buffered={feed.buffered} onClick={feed.showBuffered}>
          {count(feed.buffered)} new — show
        </button>
      ) : null}
      <button type="button" onClick={onJump}>
        Jump to live
      </button>
      <button type="button" onClick={feed.reload}>
        Refresh
      </button>
    </>
  );
}

interface ObserverOption {
  id: string;
  name: string | null;
  iata: string | null;
}

function Filters({ q }: { q: FeedQuery }) {
  const { data } = useApi<{ observers: ObserverOption[] }>('/observers', { ttlMs: 60_000 });
  const observers = [...(data?.observers ?? [])].sort((a, b) =>
    (a.name ?? a.id).localeCompare(b.name ?? b.id),
  );
  const node = useDebounced(q.node, (v) => setParams({ node: v }));
  const channel = useDebounced(q.channel, (v) => setParams({ channel: v }));
  return (
    <div class="pk-filters" role="group" aria-label="Packet filters">
      <label class="control">
        <span class="control-label">Type</span>
        <select
          value={q.type}
          onChange={(e) => setParams({ type: (e.currentTarget as HTMLSelectElement).value })}
        >
          <option value="">All types</option>
          {Object.keys(PAYLOAD_TYPE).map((name) => (
            <option value={name}>{PAYLOAD_LABEL[name] ?? name}</option>
          ))}
        </select>
      </label>
      <label class="control">
        <span class="control-label">Observer</span>
        <select
          value={q.observer}
          onChange={(e) => setParams({ observer: (e.currentTarget as HTMLSelectElement).value })}
        >
          <option value="">All observers</option>
          {observers.map((o) => (
            <option value={o.id}>
              {o.name ?? o.id.slice(0, 8)}
              {o.iata ? ` (${o.iata})` : ''}
            </option>
          ))}
          {q.observer && !observers.some((o) => o.id === q.observer) ? (
            <option value={q.observer}>{q.observer.slice(0, 8)}</option>
          ) : null}
        </select>
      </label>
      <label class="control">
        <span class="control-label">Node</span>
        <input
          type="search"
          value={node.text}
          placeholder="name or key"
          onInput={(e) => node.onInput((e.currentTarget as HTMLInputElement).value)}
          onKeyDown={(e) => e.key === 'Enter' && node.flush()}
        />
      </label>
      <label class="control">
        <span class="control-label">Channel</span>
        <input
          type="search"
          value={channel.text}
          placeholder="#test"
          onInput={(e) => channel.onInput((e.currentTarget as HTMLInputElement).value)}
          onKeyDown={(e) => e.key === 'Enter' && channel.flush()}
        />
      </label>
    </div>
  );
}
