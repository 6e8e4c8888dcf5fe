// The Prefix Tool, shared by the dashboard tab (#/analytics?tab=prefix-tool) and the page
// (#/tools/prefix): prefix usage by size (observed among the known repeaters vs random keys),
// "check a prefix" and "generate a free prefix". Deep links: `prefix=3A` checks it, `generate=2`
// generates a 2-byte prefix as soon as the data is in. Counts of repeaters per configured size
// come from the same hash-sizes analytic as the Hash Stats tab, so both tabs agree.
import { useEffect, useState } from 'preact/hooks';
import type { HashSizesResponse, NodeItem } from '../../../../src/api/contract';
import { isAbort } from '../../app/api';
import { count } from '../../app/format';
import { ROLE_LABEL, roleKey } from '../../app/mesh';
import { param, setParams } from '../../app/router';
import { useAnalytic, type AnalyticState } from '../../app/use-analytic';
import { AnalyticCard } from '../../components/analytic-card';
import { NodeLink, RoleIcon, Time } from '../../components/bits';
import '../../styles/analytics-i12c.css';
import { fetchAllNodes } from '../node-data';
import {
  generateFreePrefix,
  isReservedFirstByte,
  nodesWithPrefix,
  normalizePrefix,
  usageBySize,
  SIZES,
  type Size,
} from './prefix-core';

interface ToolData {
  hs: HashSizesResponse;
  nodes: NodeItem[];
}

/** Every known node, paged from /api/nodes (the server caps each page at its own maximum). */
function useAllNodes(): { nodes: NodeItem[] | null; error: Error | null } {
  const [nodes, setNodes] = useState<NodeItem[] | null>(null);
  const [error, setError] = useState<Error | null>(null);
  useEffect(() => {
    const ctl = new AbortController();
    fetchAllNodes([], ctl.signal)
      .then((r) => setNodes(r.nodes))
      .catch((e: unknown) => {
        if (!isAbort(e)) setError(e instanceof Error ? e : new Error(String(e)));
      });
    return () => ctl.abort();
  }, []);
  return { nodes, error };
}

/** The analytic's state with the node list joined in: data only when both are in. */
function useToolState(): AnalyticState<ToolData> {
  const hs = useAnalytic<HashSizesResponse>('/analytics/hash-sizes');
  const { nodes, error } = useAllNodes();
  return {
    ...hs,
    data: hs.data && nodes ? { hs: hs.data, nodes } : null,
    error: hs.error ?? error,
    loading: hs.loading || (nodes === null && error === null),
  };
}

const pct = (v: number) => (v >= 0.995 ? '> 99 %' : `${(100 * v).toFixed(v < 0.1 ? 1 : 0)} %`);

function UsageTable({ d }: { d: ToolData }) {
  const rows = usageBySize(d.nodes);
  return (
    // Focusable: on a phone the table scrolls sideways, and a keyboard must reach that too.
    <div class="table-scroll" tabIndex={0} role="region" aria-label="Prefix usage by size (scrolls)">
      <table class="usage-table">
        <caption class="sr-only">Prefix usage and collisions by hash size</caption>
        <thead>
          <tr>
            <th scope="col">Size</th>
            <th scope="col" class="num">
              Repeaters on this size
            </th>
            <th scope="col" class="num">
              Distinct prefixes, all repeaters
            </th>
            <th scope="col" class="num">
              Shared, observed
            </th>
            <th scope="col" class="num">
              Shared, random keys
            </th>
            <th scope="col" class="num">
              Chance of any, random keys
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.size} data-size={r.size}>
              <th scope="row">
                {r.size}-byte <span class="muted sub">{count(r.space)} prefixes</span>
              </th>
              <td class="num" data-col="configured">
                {count(d.hs.distributionByRepeaters[String(r.size) as '1' | '2' | '3'])}
              </td>
              <td class="num">
                {count(r.used)} of {count(r.repeaters)}
              </td>
              <td class="num" data-col="shared">
                {count(r.shared)}
                {r.shared > 0 ? <span class="muted"> ({r.sharedNodes} repeaters)</span> : null}
              </td>
              <td class="num">{r.expectedShared < 0.05 ? '≈ 0' : r.expectedShared.toFixed(1)}</td>
              <td class="num">{pct(r.pAny)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function NodeList({ nodes }: { nodes: NodeItem[] }) {
  return (
    <ul class="prefix-nodes">
      {nodes.map((n) => (
        <li key={n.public_key}>
          <NodeLink pk={n.public_key} name={n.name} />{' '}
          <code class="hex">{n.public_key.slice(0, 8).toUpperCase()}</code>{' '}
          <span class="muted">
            <RoleIcon role={n.role} /> {ROLE_LABEL[roleKey(n.role)]} ·{' '}
            {n.hash_size > 0 ? `${n.hash_size}-byte` : 'size unknown'} · heard{' '}
            <Time t={n.last_heard ?? n.last_seen} />
          </span>
        </li>
      ))}
    </ul>
  );
}

function CheckResult({ d, prefix }: { d: ToolData; prefix: string }) {
  const users = nodesWithPrefix(d.nodes, prefix);
  const relays = users.filter((n) => (n.role ?? '').toLowerCase() === 'repeater');
  const hop = d.hs.topHops.find((h) => h.hex.toUpperCase() === prefix);
  let verdict: string;
  if (users.length === 0) verdict = `${prefix} is free: no known node uses it.`;
  else if (relays.length > 1) verdict = `${prefix} is a collision: ${relays.length} repeaters share it.`;
  else verdict = `${prefix} is used by ${users.length} node${users.length === 1 ? '' : 's'}.`;
  return (
    <div
      class="check-result"
      data-result={users.length === 0 ? 'free' : relays.length > 1 ? 'collision' : 'used'}
    >
      <p class={users.length === 0 ? 'verdict verdict-free' : 'verdict verdict-used'}>
        <span aria-hidden="true">{users.length === 0 ? '✔ ' : relays.length > 1 ? '✖ ' : '● '}</span>
        {verdict}
      </p>
      {isReservedFirstByte(prefix) ? (
        <p class="muted">Its first byte is reserved (00 and FF): do not use it.</p>
      ) : null}
      {hop ? <p class="muted">Seen as a hop in {count(hop.count)} packets.</p> : null}
      {users.length > 0 ? <NodeList nodes={users} /> : null}
    </div>
  );
}

function CheckForm({ d }: { d: ToolData }) {
  const prefix = normalizePrefix(param('prefix'));
  const [text, setText] = useState(param('prefix') ?? '');
  const [bad, setBad] = useState(false);
  useEffect(() => setText(param('prefix') ?? ''), [param('prefix')]);
  const submit = (e: Event) => {
    e.preventDefault();
    const p = normalizePrefix(text);
    setBad(p === null);
    if (p) setParams({ prefix: p });
  };
  return (
    <>
      <form class="prefix-form" onSubmit={submit}>
        <label for="prefix-input">Prefix (2, 4 or 6 hex digits)</label>
        <input
          id="prefix-input"
          value={text}
          spellcheck={false}
          autocomplete="off"
          aria-invalid={bad}
          aria-describedby={bad ? 'prefix-error' : undefined}
          onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)}
        />
        <button type="submit">Check</button>
      </form>
      {bad ? (
        <p id="prefix-error" class="state state-error" role="alert">
          Enter 2, 4 or 6 hex digits, e.g. 3A or 3AF1.
        </p>
      ) : null}
      <div aria-live="polite">{prefix ? <CheckResult d={d} prefix={prefix} /> : null}</div>
    </>
  );
}

function Generator({ d }: { d: ToolData }) {
  const g = Number(param('generate'));
  const size: Size | null = g === 1 || g === 2 || g === 3 ? g : null;
  const [pick, setPick] = useState<Size>(size ?? 2);
  const [result, setResult] = useState<{ size: Size; prefix: string | null; n: number } | null>(null);
  // A deep link (or the button, which sets the URL) generates once per request.
  const [nonce, setNonce] = useState(0);
  useEffect(() => {
    if (size !== null) setResult({ size, prefix: generateFreePrefix(d.nodes, size), n: nonce });
  }, [size, nonce, d.nodes.length]);
  return (
    <>
      <div class="seg" role="radiogroup" aria-label="Prefix size">
        {SIZES.map((s) => (
          <label class="radio">
            <input type="radio" name="gen-size" checked={pick === s} onChange={() => setPick(s)} /> {s} byte
            {s > 1 ? 's' : ''}
          </label>
        ))}
        <button
          type="button"
          onClick={() => {
            setParams({ generate: pick });
            setNonce((n) => n + 1);
          }}
        >
          Generate
        </button>
      </div>
      <div aria-live="polite">
        {result ? (
          result.prefix ? (
            <div class="gen-result" data-generated={result.prefix}>
              <p>
                Free {result.size}-byte prefix: <code class="hex gen-prefix">{result.prefix}</code>
              </p>
              <p class="muted">
                No known node's key starts with it (checked against {count(d.nodes.length)} nodes); its first
                byte is not the reserved 00 or FF. Generate keys until one starts with it.{' '}
                <button type="button" class="linkish" onClick={() => setParams({ prefix: result.prefix })}>
                  Check it
                </button>
              </p>
            </div>
          ) : (
            <p class="state state-error">No free {result.size}-byte prefix is left.</p>
          )
        ) : null}
      </div>
    </>
  );
}

export function PrefixTool() {
  const st = useToolState();
  return (
    <div class="agrid">
      <AnalyticCard
        id="prefix-usage"
        title="Prefix usage by size"
        state={st}
        wide
        how={
          <>
            <p>
              Repeaters using it: repeaters whose latest advert (that travelled a hop) used that size, from
              the hash-sizes analytic, the same numbers as Hash Stats "by repeaters". The other columns take
              every known repeater as if all used that size: distinct prefixes, prefixes held by two or more
              (observed), and what random keys would give (expected shared prefixes and the chance of at least
              one, birthday arithmetic over the 254 usable first bytes).
            </p>
            <p>Hash Issues lists the collisions actually in use (repeaters of that size only).</p>
          </>
        }
      >
        {(d) => <UsageTable d={d} />}
      </AnalyticCard>
      <AnalyticCard
        id="prefix-check"
        title="Check a prefix"
        state={st}
        how={
          <p>
            Every known node (any role) whose public key starts with the prefix; it is a collision when two or
            more repeaters share it, since only repeaters appear as path hops. The node list is the one of the
            Nodes page.
          </p>
        }
      >
        {(d) => <CheckForm d={d} />}
      </AnalyticCard>
      <AnalyticCard
        id="prefix-generate"
        title="Generate a free prefix"
        state={st}
        how={
          <p>
            A random prefix no known node starts with, never starting with the reserved 00 or FF; when
            possible its shorter prefixes are free too, so the node stays unambiguous for repeaters still on
            smaller hashes. The choice is made in your browser.
          </p>
        }
      >
        {(d) => <Generator d={d} />}
      </AnalyticCard>
    </div>
  );
}
