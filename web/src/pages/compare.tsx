// #/compare?a=<observer>&b=<observer>&set=a|both|b&route=<route type>: how two observers' last
// 24 hours overlap. Both packet lists are fetched (up to 10k each) and diffed by hash in the
// browser: a clickable only-A / both / only-B strip (it picks the table shown), a stacked bar,
// "A saw x % of B", the packet types they share, and the chosen set's packets.
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ObserversResponse, PacketItem } from '../../../src/api/contract';
import { isAbort } from '../app/api';
import { count, safeJson } from '../app/format';
import { ROUTE_TYPE, routeTypeName, typeColor } from '../app/mesh';
import { href, setParams } from '../app/router';
import type { PageProps } from '../app/routes';
import { useApi } from '../app/use-api';
import { Time, TypeBadge } from '../components/bits';
import { BarRows } from '../components/data-views';
import { DataState, Page } from '../components/page';
import { VirtualTable } from '../components/virtual-table';
import {
  COMPARE_MAX,
  COMPARE_WINDOW_MS,
  diffByHash,
  fetchObserverPackets,
  pctText,
  typeCounts,
  type CompareDiff,
  type SetKey,
} from './compare-data';
import '../styles/analytics.css';
import '../styles/analytics-i12g.css';

interface Loaded {
  packets: PacketItem[];
  total: number;
}

/** Both observers' packets since 24 h before the moment the pair was chosen. */
function usePair(a: string, b: string) {
  const [state, setState] = useState<{ a: Loaded; b: Loaded } | null>(null);
  const [error, setError] = useState<Error | null>(null);
  useEffect(() => {
    setState(null);
    setError(null);
    if (!a || !b) return;
    const ctl = new AbortController();
    const since = new Date(Date.now() - COMPARE_WINDOW_MS).toISOString();
    Promise.all([fetchObserverPackets(a, since, ctl.signal), fetchObserverPackets(b, since, ctl.signal)])
      .then(([pa, pb]) => setState({ a: pa, b: pb }))
      .catch((e: Error) => !isAbort(e) && setError(e));
    return () => ctl.abort();
  }, [a, b]);
  return { state, error };
}

const ROUTES = Object.entries(ROUTE_TYPE).map(([name, n]) => ({ name, n }));

export default function ComparePage({ route }: PageProps) {
  const p = route.params;
  const a = p.get('a') ?? '';
  const b = p.get('b') ?? '';
  const set = (['a', 'both', 'b'].includes(p.get('set') ?? '') ? p.get('set') : 'both') as SetKey;
  const routeName = p.get('route') ?? '';
  const routeNum = ROUTES.find((r) => r.name === routeName.toUpperCase())?.n ?? null;
  const obs = useApi<ObserversResponse>('/observers', { ttlMs: 30_000 });
  const pair = usePair(a, b && b !== a ? b : '');
  const diff = useMemo(
    () => (pair.state ? diffByHash(pair.state.a.packets, pair.state.b.packets, routeNum) : null),
    [pair.state, routeNum],
  );
  const list = obs.data?.observers ?? [];
  const nameOf = (id: string) => {
    const o = list.find((x) => x.id === id);
    return o?.name || id.slice(0, 8);
  };
  const ready = !!a && !!b && a !== b;
  return (
    <Page
      name="compare"
      title="Compare observers"
      loaded={obs.data !== null && (!ready || diff !== null || pair.error !== null)}
    >
      <p class="muted cmp-intro">
        What two observers heard in the last 24 hours (up to {count(COMPARE_MAX)} packets each), matched by
        packet hash in your browser.
      </p>
      <div class="controls cmp-controls">
        <ObserverSelect label="Observer A" value={a} list={list} onChange={(v) => setParams({ a: v })} />
        <ObserverSelect label="Observer B" value={b} list={list} onChange={(v) => setParams({ b: v })} />
        <label class="control">
          <span class="control-label">Route type</span>
          <select
            value={routeNum === null ? '' : routeName.toLowerCase()}
            onChange={(e) => setParams({ route: (e.currentTarget as HTMLSelectElement).value })}
          >
            <option value="">All routes</option>
            {ROUTES.map((r) => (
              <option value={r.name.toLowerCase()}>{r.name}</option>
            ))}
          </select>
        </label>
      </div>
      <DataState loading={obs.loading && !obs.data} error={obs.error} />
      {!ready ? (
        <p class="state state-empty" data-cmp-prompt>
          {a && a === b ? 'Pick two different observers.' : 'Pick two observers to compare.'}
        </p>
      ) : diff === null ? (
        <DataState loading={!pair.error} error={pair.error} />
      ) : (
        <CompareView diff={diff} set={set} nameA={nameOf(a)} nameB={nameOf(b)} totals={pair.state!} />
      )}
    </Page>
  );
}

function ObserverSelect(p: {
  label: string;
  value: string;
  list: ObserversResponse['observers'];
  onChange: (v: string) => void;
}) {
  const sorted = [...p.list].sort((x, y) => (x.name ?? x.id).localeCompare(y.name ?? y.id));
  return (
    <label class="control">
      <span class="control-label">{p.label}</span>
      <select value={p.value} onChange={(e) => p.onChange((e.currentTarget as HTMLSelectElement).value)}>
        <option value="">Choose…</option>
        {sorted.map((o) => (
          <option value={o.id}>
            {o.name || o.id.slice(0, 8)}
            {o.iata ? ` (${o.iata})` : ''}
          </option>
        ))}
      </select>
    </label>
  );
}

function CompareView(p: {
  diff: CompareDiff;
  set: SetKey;
  nameA: string;
  nameB: string;
  totals: { a: Loaded; b: Loaded };
}) {
  const { diff, nameA, nameB } = p;
  const nA = diff.a.length + diff.both.length;
  const nB = diff.b.length + diff.both.length;
  const all = diff.a.length + diff.both.length + diff.b.length;
  const labels: Record<SetKey, string> = { a: `Only ${nameA}`, both: 'Both', b: `Only ${nameB}` };
  const capped = (['a', 'b'] as const).filter((k) => p.totals[k].total > p.totals[k].packets.length);
  return (
    <>
      <div class="cmp-strip" role="group" aria-label="Packet sets">
        {(['a', 'both', 'b'] as const).map((k) => (
          <button
            type="button"
            class={`cmp-set cmp-set-${k}`}
            data-set={k}
            aria-pressed={p.set === k}
            onClick={() => setParams({ set: k === 'both' ? null : k })}
          >
            <span class="cmp-set-count num">{count(diff[k].length)}</span>
            <span class="cmp-set-label">{labels[k]}</span>
          </button>
        ))}
      </div>
      {capped.length > 0 ? (
        <p class="state cmp-capped" role="note">
          {capped.map((k) => (k === 'a' ? nameA : nameB)).join(' and ')} heard more than {count(COMPARE_MAX)}{' '}
          packets: only the newest {count(COMPARE_MAX)} are compared.
        </p>
      ) : null}
      <div class="agrid cmp-grid">
        <section class="card" aria-labelledby="cmp-overlap-title">
          <h2 id="cmp-overlap-title" class="acard-title">
            Overlap
          </h2>
          <StackedBar diff={diff} all={all} labels={labels} />
          <p class="cmp-saw" data-saw="a-of-b">
            {nameA} saw <strong class="num">{pctText(diff.both.length, nB)}</strong> of {nameB}'s {count(nB)}{' '}
            packets.
          </p>
          <p class="cmp-saw" data-saw="b-of-a">
            {nameB} saw <strong class="num">{pctText(diff.both.length, nA)}</strong> of {nameA}'s {count(nA)}{' '}
            packets.
          </p>
        </section>
        <section class="card" aria-labelledby="cmp-types-title">
          <h2 id="cmp-types-title" class="acard-title">
            Shared packet types
          </h2>
          {diff.both.length === 0 ? (
            <p class="state state-empty">No packet heard by both.</p>
          ) : (
            <BarRows
              label="Packet types heard by both"
              rows={typeCounts(diff.both).map(([t, c]) => ({
                key: String(t),
                label: <TypeBadge type={t} />,
                value: c,
                text: count(c),
                color: typeColor(t).replace(/^var\((.*)\)$/, '$1'),
              }))}
            />
          )}
        </section>
      </div>
      <SetTable rows={diff[p.set]} title={labels[p.set]} set={p.set} />
    </>
  );
}

function StackedBar({
  diff,
  all,
  labels,
}: {
  diff: CompareDiff;
  all: number;
  labels: Record<SetKey, string>;
}) {
  if (all === 0) return <p class="state state-empty">Neither observer heard a packet in this window.</p>;
  return (
    <>
      <div class="cmp-bar" aria-hidden="true">
        {(['a', 'both', 'b'] as const).map((k) =>
          diff[k].length > 0 ? (
            <span class={`cmp-seg cmp-seg-${k}`} style={{ width: `${(diff[k].length / all) * 100}%` }} />
          ) : null,
        )}
      </div>
      <ul class="cmp-legend">
        {(['a', 'both', 'b'] as const).map((k) => (
          <li>
            <span class={`cmp-swatch cmp-seg-${k}`} aria-hidden="true" /> {labels[k]}:{' '}
            <span class="num">{count(diff[k].length)}</span> ({pctText(diff[k].length, all)})
          </li>
        ))}
      </ul>
    </>
  );
}

const ROW_H = 36;

function SetTable({ rows, title, set }: { rows: PacketItem[]; title: string; set: SetKey }) {
  const head = (
    <tr>
      <th scope="col">Time</th>
      <th scope="col">Hash</th>
      <th scope="col">Type</th>
      <th scope="col">Route</th>
      <th scope="col" class="num">
        Hops
      </th>
      <th scope="col" class="num">
        Observations
      </th>
    </tr>
  );
  const row = (x: PacketItem) => (
    <tr data-hash={x.hash} style={{ height: `${ROW_H}px` }}>
      <td>
        <Time t={x.first_seen ?? x.timestamp} />
      </td>
      <td>
        <a class="hex" href={href(`packets/${x.hash}`)}>
          {x.hash.toUpperCase()}
        </a>
      </td>
      <td>
        <TypeBadge type={x.payload_type} />
      </td>
      <td>{routeTypeName(x.route_type)}</td>
      <td class="num">{safeJson<string[]>(x.path_json, []).length}</td>
      <td class="num">{count(x.observation_count)}</td>
    </tr>
  );
  return (
    <section class="card cmp-table" aria-labelledby="cmp-table-title" data-table={set}>
      <h2 id="cmp-table-title" class="acard-title">
        {title}: <span class="num">{count(rows.length)}</span> packets
      </h2>
      {rows.length === 0 ? (
        <p class="state state-empty">No packets in this set.</p>
      ) : (
        <VirtualTable<PacketItem>
          rows={rows}
          rowHeight={ROW_H}
          columns={6}
          label={`${title} packets`}
          maxHeight="28rem"
          head={head}
          renderRow={row}
        />
      )}
    </section>
  );
}
