// Parts both per-node analytics pages share (node analytics, reach): resolving the URL's key
// (a full key or an 8+ digit prefix, as the node page accepts) to the node, the not-found
// state, the day-range pills (URL `days=`), and turning an expected "no data" 404 into an
// empty card instead of an error banner.
import type { NodeDetailResponse } from '../../../../src/api/contract';
import { ApiError } from '../../app/api';
import { shortKey } from '../../app/format';
import { href, setParams } from '../../app/router';
import { useApi } from '../../app/use-api';
import type { AnalyticState } from '../../app/use-analytic';
import { RoleIcon } from '../../components/bits';
import { LoadGate } from '../../components/analytic-card';
import { DataState, Page } from '../../components/page';
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

export interface Resolved {
  /** The node's full key once /nodes/<key> answered. */
  node: NodeDetailResponse['node'] | null;
  notFound: boolean;
  error: Error | null;
  loading: boolean;
}

/** The node named by the URL's key or 8+ digit prefix (the server resolves a unique prefix). */
export function useResolvedNode(keyOrPrefix: string | undefined): Resolved {
  const key = (keyOrPrefix ?? '').toLowerCase();
  const valid = /^[0-9a-f]{8,64}$/.test(key);
  const r = useApi<NodeDetailResponse>(valid ? `/nodes/${key}` : null, { ttlMs: 30_000 });
  const gone = !valid || (r.error instanceof ApiError && (r.error.status === 404 || r.error.status === 400));
  return {
    node: gone ? null : (r.data?.node ?? null),
    notFound: gone,
    error: gone ? null : r.error,
    loading: r.loading,
  };
}

/** The page's not-found body: what was asked for and where to go. */
export function NodeNotFound({ keyOrPrefix }: { keyOrPrefix: string }) {
  return (
    <div class="card not-found" role="status" data-state="not-found">
      <p>
        No node has the key or key prefix <code class="hex">{keyOrPrefix || '(none)'}</code>, or several nodes
        share that prefix. A short link needs at least 8 hex digits.
      </p>
      <p>
        <a href={href(`nodes/${keyOrPrefix}`)}>Open the node page</a> (it lists the nodes a shared prefix
        matches) · <a href={href('nodes')}>All nodes</a>
      </p>
    </div>
  );
}

/** The page title: role icon, name, and what the page is. */
export function NodeTitle({ node, what }: { node: Resolved['node']; what: string }) {
  if (!node) return <>{what}</>;
  return (
    <>
      <RoleIcon role={node.role} /> {node.name || shortKey(node.public_key)} · {what}
    </>
  );
}

export interface RangeOption {
  days: number;
  label: string;
}

/** `days=` from the URL if it is one of the options, else the default. */
export function daysParam(raw: string | null, options: RangeOption[], fallback: number): number {
  const n = Number(raw);
  return options.some((o) => o.days === n) ? n : fallback;
}

/** The range pills (aria-pressed), writing `days=` into the URL. */
export function RangePills({ options, current }: { options: RangeOption[]; current: number }) {
  return (
    <div class="control range-pills" role="group" aria-label="Time range">
      <span class="control-label">Range</span>
      {options.map((o) => (
        <button
          type="button"
          class="pill"
          aria-pressed={o.days === current}
          data-days={o.days}
          onClick={() => setParams({ days: String(o.days) })}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}

/** Data of a route that answers 404 when the node simply has none (clock skew). */
export type Maybe<T> = { absent: true } | { absent: false; value: T };

/** A 404 becomes `{absent: true}` data (an empty card), not an error. */
export function absentOn404<T>(s: AnalyticState<T>): AnalyticState<Maybe<T>> {
  if (s.data === null && s.error instanceof ApiError && s.error.status === 404)
    return { ...s, data: { absent: true }, error: null, loading: false };
  return { ...s, data: s.data === null ? null : { absent: false, value: s.data } };
}

/**
 * The frame both per-node pages share: resolve the key (or 8+ hex prefix), a not-found state,
 * the title, links to the node page and the sibling page, the range pills, and a LoadGate
 * around the cards once the full key is known.
 */
export function NodeSubPage(p: {
  name: string;
  what: string;
  arg: string;
  daysRaw: string | null;
  ranges: RangeOption[];
  sibling: { path: string; label: string };
  children: (pk: string, days: number) => ComponentChildren;
}) {
  const r = useResolvedNode(p.arg);
  const days = daysParam(p.daysRaw, p.ranges, 7);
  const [loaded, setLoaded] = useState(false);
  const pk = r.node?.public_key ?? null;
  if (r.notFound)
    return (
      <Page name={p.name} title="Node not found" loaded>
        <NodeNotFound keyOrPrefix={p.arg} />
      </Page>
    );
  return (
    <Page
      name={p.name}
      title={<NodeTitle node={r.node} what={p.what} />}
      loaded={pk !== null && loaded}
      actions={
        pk ? (
          <>
            <a href={href(`nodes/${pk}`)}>Node page</a>
            <a href={href(`nodes/${pk}/${p.sibling.path}`)}>{p.sibling.label}</a>
          </>
        ) : null
      }
    >
      <div class="controls node-range">
        <RangePills options={p.ranges} current={days} />
      </div>
      {pk ? (
        <LoadGate onLoaded={setLoaded}>{p.children(pk, days)}</LoadGate>
      ) : (
        <DataState loading={r.loading} error={r.error} />
      )}
    </Page>
  );
}
