// Packet trace (spec §2.9): who heard one transmission, when, and over which path. Stat cards,
// a propagation timeline (offset from first heard, Δt, SNR, RSSI, path per observation) and the
// unique hop paths, a path that is a prefix of a longer one merged into it.
import { useState } from 'preact/hooks';
import type { PacketsPage, TraceResponse, TraceSighting } from '../../../src/api/contract';
import type { PageProps } from '../app/routes';
import { apiPath } from '../app/api';
import { count, NO_DATA, parseTime, rssi, safeJson, snr } from '../app/format';
import { href, navigate } from '../app/router';
import { useApi } from '../app/use-api';
import { Card, Hex, Stat, Time, TypeBadge } from '../components/bits';
import { DataState, Page } from '../components/page';
import { summary } from './packets-rows';
import '../styles/trace.css';

const HASH = /^[0-9a-f]{16}$/i;

/** UTC time of day with milliseconds: sightings of one packet are often within a second. */
function clock(t: string | null): string {
  const ms = parseTime(t);
  return ms === null ? NO_DATA : `${new Date(ms).toISOString().slice(11, 23)} UTC`;
}

/** "0 ms", "850 ms", "2.40 s", "75.0 s". */
export function offsetText(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export interface TimelineRow extends TraceSighting {
  path: string[];
  offsetMs: number | null;
  deltaMs: number | null;
}

/** Sightings in time order with their offset from the first and the gap to the previous one. */
export function timeline(traces: TraceSighting[]): TimelineRow[] {
  const rows = traces
    .map((t, i) => ({ t, i, ms: parseTime(t.time) }))
    .sort((a, b) => (a.ms ?? Infinity) - (b.ms ?? Infinity) || a.i - b.i);
  const first = rows.find((r) => r.ms !== null)?.ms ?? null;
  let prev: number | null = null;
  return rows.map(({ t, ms }) => {
    const row = {
      ...t,
      path: safeJson<string[]>(t.path_json, []),
      offsetMs: ms !== null && first !== null ? ms - first : null,
      deltaMs: ms !== null && prev !== null ? ms - prev : null,
    };
    if (ms !== null) prev = ms;
    return row;
  });
}

/** The distinct hop paths, each with how many sightings it covers; prefixes merge into longer paths. */
export function uniquePaths(
  rows: TimelineRow[],
): { path: string[]; sightings: number; observers: string[] }[] {
  const key = (p: string[]) => p.join('>').toUpperCase();
  const distinct = [...new Map(rows.map((r) => [key(r.path), r.path])).values()].sort(
    (a, b) => b.length - a.length,
  );
  const kept: string[][] = [];
  for (const p of distinct)
    if (!kept.some((k) => key(k.slice(0, p.length)) === key(p) && k.length > p.length)) kept.push(p);
  return kept.map((p) => {
    const covered = rows.filter((r) => key(p.slice(0, r.path.length)) === key(r.path));
    return {
      path: p,
      sightings: covered.length,
      observers: [...new Set(covered.map((r) => r.observer_name ?? r.observer.slice(0, 8)))],
    };
  });
}

export default function TracePage({ args }: PageProps) {
  const hash = args[0] && HASH.test(args[0]) ? args[0].toLowerCase() : null;
  if (!hash) return <HashForm given={args[0] ?? ''} />;
  return <Trace hash={hash} />;
}

function HashForm({ given }: { given: string }) {
  const [text, setText] = useState(given);
  const valid = HASH.test(text.trim());
  return (
    <Page name="trace" title="Packet trace" loaded={true}>
      <form
        class="tr-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (valid) navigate(`tools/trace/${text.trim().toLowerCase()}`);
        }}
      >
        <label class="control">
          <span class="control-label">Packet hash</span>
          <input
            type="text"
            class="mono"
            value={text}
            placeholder="16 hex digits"
            aria-invalid={text !== '' && !valid ? 'true' : 'false'}
            onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)}
          />
        </label>
        <button type="submit" disabled={!valid}>
          Trace
        </button>
      </form>
      {given !== '' ? <p class="state state-error">“{given}” is not a packet hash (16 hex digits).</p> : null}
      <p class="muted">Shows every observer that heard one transmission, when, and over which path.</p>
    </Page>
  );
}

function Trace({ hash }: { hash: string }) {
  const trace = useApi<TraceResponse>(`/traces/${hash}`);
  const pkt = useApi<PacketsPage>(apiPath('/packets', { hash, limit: 1 }));
  const p = pkt.data?.packets[0];
  const rows = trace.data ? timeline(trace.data.traces) : [];
  const times = rows.map((r) => parseTime(r.time)).filter((t): t is number => t !== null);
  const spread = times.length > 1 ? Math.max(...times) - Math.min(...times) : times.length === 1 ? 0 : null;
  const paths = uniquePaths(rows);
  return (
    <Page
      name="trace"
      title={
        <>
          Trace <Hex value={hash} />
        </>
      }
      loaded={!!trace.data || !!trace.error}
      actions={<a href={href(`packets/${hash}`)}>Show in packets</a>}
    >
      <DataState loading={trace.loading && !trace.data} error={trace.error} />
      {trace.data ? (
        <div class="grid">
          <Card title="Transmission" wide>
            <div class="stats">
              <Stat
                label="Observers"
                value={<span data-stat="observers">{count(new Set(rows.map((r) => r.observer)).size)}</span>}
              />
              <Stat label="Observations" value={<span data-stat="observations">{count(rows.length)}</span>} />
              <Stat
                label="Time spread"
                value={<span data-stat="spread">{spread === null ? '—' : offsetText(spread)}</span>}
                hint="From the first to the last observer hearing it"
              />
              {p ? (
                <div class="tr-what">
                  <TypeBadge type={p.payload_type} /> <span>{summary(p)}</span>
                  <div class="muted">
                    first heard <Time t={p.first_seen} />
                  </div>
                </div>
              ) : null}
            </div>
          </Card>
          <Card title="Propagation timeline" wide>
            <TimelineTable rows={rows} />
          </Card>
          <Card title={`Unique paths (${paths.length})`} wide>
            <PathList paths={paths} />
          </Card>
        </div>
      ) : null}
    </Page>
  );
}

function TimelineTable({ rows }: { rows: TimelineRow[] }) {
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label="Propagation timeline">
      <table class="tr-timeline">
        <thead>
          <tr>
            <th>Observer</th>
            <th class="num">Offset</th>
            <th class="num">Δt</th>
            <th class="num">SNR</th>
            <th class="num">RSSI</th>
            <th>Path</th>
            <th class="num">Heard at</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr data-observer={r.observer}>
              <td>
                <a href={href(`observers/${r.observer}`)}>{r.observer_name ?? r.observer.slice(0, 8)}</a>
                {r.observer_iata ? <span class="pill tr-iata">{r.observer_iata}</span> : null}
              </td>
              <td class="num" data-offset-ms={r.offsetMs ?? ''}>
                {r.offsetMs === null ? '—' : `+${offsetText(r.offsetMs)}`}
              </td>
              <td class="num">{r.deltaMs === null ? '—' : `+${offsetText(r.deltaMs)}`}</td>
              <td class="num">{snr(r.snr)}</td>
              <td class="num">{rssi(r.rssi)}</td>
              <td class="mono tr-path">{r.path.length ? r.path.join(' → ') : 'direct'}</td>
              <td class="num">{clock(r.time)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function PathList({ paths }: { paths: ReturnType<typeof uniquePaths> }) {
  return (
    <ol class="tr-paths">
      {paths.map((u) => (
        <li data-path={u.path.join('>')}>
          <span class="tr-hops">
            {u.path.length === 0 ? (
              <span class="muted">direct (no relays)</span>
            ) : (
              u.path.map((h, i) => (
                <>
                  {i > 0 ? <span aria-hidden="true"> → </span> : null}
                  <code class="hex tr-hop">{h.toUpperCase()}</code>
                </>
              ))
            )}
          </span>
          <span class="muted">
            {' '}
            · {u.path.length} {u.path.length === 1 ? 'hop' : 'hops'} · {count(u.sightings)}{' '}
            {u.sightings === 1 ? 'sighting' : 'sightings'} · {u.observers.join(', ')}
          </span>
        </li>
      ))}
    </ol>
  );
}
