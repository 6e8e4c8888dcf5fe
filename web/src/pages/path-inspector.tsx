// #/tools/path-inspector?prefixes=aa,bb,cc: hop prefixes in (as a packet's path shows them),
// the full-key paths that best explain them out (POST /api/paths/inspect), ranked by score,
// with the evidence per hop: the node chosen, how many candidates the prefix had, the
// neighbour-graph link and distance behind the step, and the runners-up. The URL holds the
// query, so a deep link runs it at once. Input is checked here first, with a clear message.
import { useEffect, useState } from 'preact/hooks';
import type { ApiErrorBody, PathInspectCandidate, PathInspectResponse } from '../../../src/api/contract';
import { ApiError, isAbort } from '../app/api';
import { count, km } from '../app/format';
import { href, setParams } from '../app/router';
import type { PageProps } from '../app/routes';
import { NodeLink } from '../components/bits';
import { DataState, Page } from '../components/page';
import '../styles/analytics.css';
import '../styles/analytics-i12g.css';

const HEX_PREFIX = /^(?:[0-9a-f]{2}){1,3}$/i;
const MAX_HOPS = 64;

/** The prefixes typed (comma or space separated), or the reason they cannot be sent. */
export function parsePrefixes(text: string): { prefixes: string[] } | { error: string } {
  const parts = text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (parts.length === 0) return { error: 'Enter at least one hop prefix, e.g. "a3, 7f, 12".' };
  if (parts.length > MAX_HOPS) return { error: `At most ${MAX_HOPS} hops (got ${parts.length}).` };
  const bad = parts.find((p) => !HEX_PREFIX.test(p));
  if (bad !== undefined)
    return {
      error: `"${bad}" is not a hop prefix: each must be 1 to 3 bytes of hex (2, 4 or 6 hex digits, 0-9 and a-f).`,
    };
  if (parts.some((p) => p.length !== parts[0].length))
    return {
      error: `All prefixes must have the same length (one hash size per path): "${parts[0]}" has ${parts[0].length / 2} byte(s), "${parts.find((p) => p.length !== parts[0].length)}" does not.`,
    };
  return { prefixes: parts.map((p) => p.toLowerCase()) };
}

/** POST /api/paths/inspect, retried while the analytics warm up (503 + Retry-After). */
async function inspect(prefixes: string[], signal: AbortSignal): Promise<PathInspectResponse> {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch('/api/paths/inspect', {
      method: 'POST',
      signal,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ prefixes, limit: 10 }),
    });
    if (res.ok) return (await res.json()) as PathInspectResponse;
    if (res.status === 503 && attempt < 30) {
      const s = Number(res.headers.get('retry-after') ?? '1');
      await new Promise((r) => setTimeout(r, Math.min(5000, Math.max(500, s * 1000))));
      continue;
    }
    let body: ApiErrorBody | null = null;
    try {
      body = (await res.json()) as ApiErrorBody;
    } catch {
      /* not JSON */
    }
    throw new ApiError(res.status, body?.code ?? `HTTP_${res.status}`, body?.error ?? res.statusText, body);
  }
}

function useInspect(prefixes: string[] | null) {
  const [data, setData] = useState<PathInspectResponse | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const key = prefixes?.join(',') ?? '';
  useEffect(() => {
    setData(null);
    setError(null);
    if (!prefixes) return;
    const ctl = new AbortController();
    inspect(prefixes, ctl.signal)
      .then(setData)
      .catch((e: Error) => !isAbort(e) && setError(e));
    return () => ctl.abort();
  }, [key]);
  return { data, error, loading: !!prefixes && !data && !error };
}

export default function PathInspectorPage({ route }: PageProps) {
  const q = route.params.get('prefixes') ?? '';
  const parsed = q ? parsePrefixes(q) : null;
  const prefixes = parsed && 'prefixes' in parsed ? parsed.prefixes : null;
  const res = useInspect(prefixes);
  const [text, setText] = useState(q.replace(/,/g, ', '));
  const [formError, setFormError] = useState<string | null>(null);
  useEffect(() => {
    setText(q.replace(/,/g, ', '));
    setFormError(null);
  }, [q]);
  const error = formError ?? (parsed && 'error' in parsed ? parsed.error : null);
  const submit = (e: Event) => {
    e.preventDefault();
    const p = parsePrefixes(text);
    if ('error' in p) return setFormError(p.error);
    setFormError(null);
    setParams({ prefixes: p.prefixes.join(',') });
  };
  return (
    <Page
      name="path-inspector"
      title="Path inspector"
      loaded={!q || error !== null || res.data !== null || res.error !== null}
    >
      <p class="muted pi-intro">
        A packet's path lists each relay by a short prefix of its public key. Enter those prefixes, in order,
        to see which full-key paths best explain them.
      </p>
      <form class="pi-form" onSubmit={submit} noValidate>
        <label class="control pi-input">
          <span class="control-label">Hop prefixes (comma or space separated)</span>
          <input
            type="text"
            value={text}
            spellcheck={false}
            autocomplete="off"
            placeholder="e.g. a3, 7f, 12"
            aria-invalid={error !== null}
            aria-describedby={error ? 'pi-error' : undefined}
            onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)}
          />
        </label>
        <button type="submit" class="btn">
          Inspect
        </button>
      </form>
      {error ? (
        <p id="pi-error" class="state state-error" role="alert" data-pi-error>
          {error}
        </p>
      ) : null}
      {prefixes && !error ? <Results {...res} /> : null}
    </Page>
  );
}

function Results({ data, error, loading }: ReturnType<typeof useInspect>) {
  if (!data) return <DataState loading={loading} error={error} />;
  const { stats, input } = data;
  return (
    <>
      <p class="pi-stats muted" data-pi-stats>
        {count(input.hops)} hops · candidates per hop: {stats.candidatesPerHop.join(' · ')} ·{' '}
        {count(stats.graphEdges)} neighbour-graph edges searched
      </p>
      {stats.unmatchedHops.length > 0 ? (
        <p class="state state-empty" data-pi-unmatched>
          No relay-capable node has the prefix{stats.unmatchedHops.length > 1 ? 'es' : ''}{' '}
          {stats.unmatchedHops.map((i) => `${input.prefixes[i]} (hop ${i + 1})`).join(', ')}, so no full path
          explains this list.
        </p>
      ) : data.candidates.length === 0 ? (
        <p class="state state-empty">No candidate path.</p>
      ) : null}
      <ol class="pi-candidates">
        {data.candidates.map((c, i) => (
          <Candidate c={c} rank={i + 1} />
        ))}
      </ol>
      <details class="how">
        <summary>How this is computed</summary>
        <div class="how-body">
          <p>
            Each hop's candidates are the relay-capable nodes whose key starts with its prefix. A beam search
            (width {stats.beamWidth}) scores each step as 0.5·link + 0.2·geography + 0.3·selectivity: link is
            the neighbour-graph edge between the two nodes (none: 0), geography favours hops within 50 km,
            selectivity is 1 / the number of candidates of the prefix. A path's score is the geometric mean of
            its steps; a path is speculative when some step has no graph edge behind it. A node appears once
            per path.
          </p>
        </div>
      </details>
    </>
  );
}

function Candidate({ c, rank }: { c: PathInspectCandidate; rank: number }) {
  return (
    <li class="card pi-candidate" data-rank={rank} data-path={c.path.join(',')}>
      <header class="pi-head">
        <h2 class="acard-title">
          #{rank} <span class="pi-score num">score {c.score.toFixed(3)}</span>
          {c.speculative ? <span class="pill pi-spec">speculative</span> : null}
        </h2>
        <a class="pi-map" href={href('map', { prefixes: c.path.join(',') })}>
          Show on map
        </a>
      </header>
      <p class="pi-path">
        {c.path.map((pk, i) => (
          <>
            {i > 0 ? (
              <span class="pi-arrow" aria-label="then">
                →
              </span>
            ) : null}
            <NodeLink pk={pk} name={c.names[i]} />
          </>
        ))}
      </p>
      <HopTable c={c} />
    </li>
  );
}

function linkText(h: PathInspectCandidate['evidence']['perHop'][number]): string {
  if (h.edgeWeight === null) return 'first hop (no previous node)';
  if (h.edgeWeight === 0) return 'no graph edge from the previous hop';
  return `edge ${h.edgeWeight.toFixed(3)} (${count(h.edgeCount)} sightings)`;
}

function HopTable({ c }: { c: PathInspectCandidate }) {
  const obs = c.evidence.observer;
  return (
    <div class="table-scroll">
      <table class="pi-hops">
        <caption class="sr-only">Evidence per hop</caption>
        <thead>
          <tr>
            <th scope="col">Hop</th>
            <th scope="col">Prefix</th>
            <th scope="col">Chosen node</th>
            <th scope="col" class="num">
              Candidates
            </th>
            <th scope="col">Why</th>
            <th scope="col" class="num">
              Score
            </th>
            <th scope="col">Other candidates</th>
          </tr>
        </thead>
        <tbody>
          {c.evidence.perHop.map((h, i) => (
            <tr data-hop={i}>
              <td class="num">{i + 1}</td>
              <td>
                <code class="hex">{h.prefix.toUpperCase()}</code>
              </td>
              <td>
                <NodeLink pk={h.chosen} name={h.name} />
              </td>
              <td class="num">{count(h.candidatesConsidered)}</td>
              <td>
                {linkText(h)}
                {h.distanceKm !== null ? `, ${km(h.distanceKm)}` : ''}
              </td>
              <td class="num">{h.hopScore.toFixed(3)}</td>
              <td>
                {h.alternatives.length === 0
                  ? 'none'
                  : h.alternatives.map((a, j) => (
                      <>
                        {j > 0 ? ', ' : ''}
                        <NodeLink pk={a.publicKey} name={a.name} />{' '}
                        <span class="muted num">{a.score.toFixed(3)}</span>
                      </>
                    ))}
              </td>
            </tr>
          ))}
          {obs ? (
            <tr data-hop="observer">
              <td>obs.</td>
              <td>—</td>
              <td>
                <NodeLink pk={obs.publicKey} />
              </td>
              <td class="num">1</td>
              <td>
                edge {obs.edgeWeight.toFixed(3)} ({count(obs.edgeCount)} sightings)
                {obs.distanceKm !== null ? `, ${km(obs.distanceKm)}` : ''}
              </td>
              <td class="num">{obs.hopScore.toFixed(3)}</td>
              <td>—</td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}
