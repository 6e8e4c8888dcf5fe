// Nodes: `#/nodes` is the directory (search, role tabs with the API's counts, sortable columns,
// favourites, all in the URL); `#/nodes/<pk or 8-digit prefix>` is one node's page
// (node-detail.tsx). The whole list is fetched once (paged 500 at a time) and filtered and
// sorted in the browser: a few thousand rows, drawn by the VirtualTable.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { NodeItem } from '../../../src/api/contract';
import { isAbort } from '../app/api';
import { count } from '../app/format';
import { subscribeLive } from '../app/live-feed';
import { PAYLOAD_TYPE } from '../app/mesh';
import { favourites } from '../app/prefs';
import { setParams } from '../app/router';
import type { PageProps } from '../app/routes';
import { useRegion } from '../components/controls';
import { DataState, Page } from '../components/page';
import { VirtualTable } from '../components/virtual-table';
import NodeDetail from './node-detail';
import { NodeRow, NodesHead } from './node-row';
import {
  duplicateNames,
  fetchAllNodes,
  formatSort,
  inTab,
  matchesSearch,
  parseSort,
  sortNodes,
  TABS,
  type AllNodes,
  type Sort,
  type SortKey,
  type Tab,
} from './node-data';
import '../styles/nodes.css';

const REFRESH_MS = 120_000;
const ADVERT_RELOAD_MS = 20_000;

export default function NodesPage({ route, args }: PageProps) {
  if (args.length > 0) return <NodeDetail keyOrPrefix={args[0]} route={route} />;
  return <NodesList route={route} />;
}

function useAllNodes(region: string[]) {
  const [data, setData] = useState<AllNodes | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [tick, setTick] = useState(0);
  const key = region.join(',');
  /** The region whose full list is shown: its refreshes replace the list only when complete. */
  const shown = useRef<string | null>(null);
  useEffect(() => {
    const ctl = new AbortController();
    fetchAllNodes(region, ctl.signal, shown.current === key ? undefined : setData)
      .then((d) => {
        shown.current = key;
        setData(d);
        setError(null);
      })
      .catch((e: unknown) => {
        if (!isAbort(e)) setError(e instanceof Error ? e : new Error(String(e)));
      });
    return () => ctl.abort();
  }, [key, tick]);
  useEffect(() => {
    // A new advert can add a node or move its last-heard: reload, at most once per ADVERT_RELOAD_MS.
    let pending: ReturnType<typeof setTimeout> | null = null;
    const unsubscribe = subscribeLive(
      () => {
        pending ??= setTimeout(() => {
          pending = null;
          setTick((x) => x + 1);
        }, ADVERT_RELOAD_MS);
      },
      { types: [PAYLOAD_TYPE.ADVERT] },
    );
    const t = setInterval(() => setTick((x) => x + 1), REFRESH_MS);
    return () => {
      unsubscribe();
      clearInterval(t);
      if (pending) clearTimeout(pending);
    };
  }, []);
  return { data, error };
}

function NodesList({ route }: Pick<PageProps, 'route'>) {
  const region = useRegion();
  const { data, error } = useAllNodes(region);
  const tab = (TABS.find((t) => t.id === route.params.get('tab'))?.id ?? 'all') as Tab;
  const search = route.params.get('search') ?? '';
  const sort = parseSort(route.params.get('sort'));
  const favs = new Set(favourites.value);

  const all = data?.nodes ?? [];
  const dups = useMemo(() => duplicateNames(all), [all]);
  const rows = useMemo(
    () =>
      sortNodes(
        all.filter((n) => inTab(n, tab, favs) && matchesSearch(n, search)),
        sort,
      ),
    [all, tab, search, formatSort(sort), favourites.value],
  );
  const complete = data !== null && data.nodes.length >= data.total;

  return (
    <Page name="nodes" title="Nodes" loaded={complete}>
      <div class="nodes-controls">
        <SearchBox value={search} />
        <p class="muted nodes-summary" aria-live="polite">
          {data ? `${count(rows.length)} of ${count(data.total)} nodes` : ''}
        </p>
      </div>
      <RoleTabs tab={tab} data={data} favCount={favourites.value.length} />
      <div role="tabpanel" id="nodes-panel" aria-labelledby={`nodes-tab-${tab}`}>
        {data === null || error ? (
          <DataState loading={data === null && !error} error={error} />
        ) : rows.length === 0 ? (
          <EmptyList tab={tab} search={search} />
        ) : (
          <VirtualTable<NodeItem>
            rows={rows}
            rowHeight={37}
            columns={8}
            label="Nodes"
            class="nodes-table"
            head={<NodesHead sort={sort} onSort={(k) => setParams({ sort: nextSort(sort, k) })} />}
            renderRow={(n) => <NodeRow n={n} dup={dups.has((n.name ?? '').trim().toLowerCase())} />}
          />
        )}
      </div>
    </Page>
  );
}

function nextSort(cur: Sort, key: SortKey): string | null {
  const next = cur.key === key ? { key, asc: !cur.asc } : parseSort(key);
  return formatSort(next);
}

function SearchBox({ value }: { value: string }) {
  const [text, setText] = useState(value);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => setText(value), [value]);
  return (
    <label class="control nodes-search">
      <span class="control-label">Search nodes</span>
      <input
        type="search"
        placeholder="Name or key prefix"
        value={text}
        onInput={(e) => {
          const v = (e.currentTarget as HTMLInputElement).value;
          setText(v);
          if (timer.current) clearTimeout(timer.current);
          timer.current = setTimeout(() => setParams({ search: v.trim() }), 150);
        }}
      />
    </label>
  );
}

/** ARIA tabs with roving focus: arrows move between tabs, the URL keeps the choice. */
function RoleTabs({ tab, data, favCount }: { tab: Tab; data: AllNodes | null; favCount: number }) {
  const onKey = (e: KeyboardEvent) => {
    const i = TABS.findIndex((t) => t.id === tab);
    const d = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (d === 0) return;
    e.preventDefault();
    const next = TABS[(i + d + TABS.length) % TABS.length].id;
    setParams({ tab: next === 'all' ? null : next });
    requestAnimationFrame(() => document.getElementById(`nodes-tab-${next}`)?.focus());
  };
  return (
    <div class="tabs" role="tablist" aria-label="Node roles" onKeyDown={onKey}>
      {TABS.map((t) => (
        <button
          type="button"
          role="tab"
          id={`nodes-tab-${t.id}`}
          aria-selected={t.id === tab}
          aria-controls="nodes-panel"
          tabIndex={t.id === tab ? 0 : -1}
          class="tab"
          onClick={() => setParams({ tab: t.id === 'all' ? null : t.id })}
        >
          {t.label}{' '}
          <span class="pill num" data-count={t.id}>
            {data ? count(t.count(data.counts, data.total, favCount)) : '…'}
          </span>
        </button>
      ))}
    </div>
  );
}

function EmptyList({ tab, search }: { tab: Tab; search: string }) {
  if (tab === 'favourites' && search === '')
    return (
      <p class="state state-empty">
        No favourites yet: press the ☆ star of a node to keep it here and on Home.
      </p>
    );
  return <p class="state state-empty">No node matches{search ? ` “${search}”` : ''} in this tab.</p>;
}
