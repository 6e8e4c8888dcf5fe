// Home's favourite-node cards (status by the companion thresholds, as the spec's Home does for
// every node; observers that heard it; best SNR) and the "find your node" search.
import { useEffect, useState } from 'preact/hooks';
import type { NodeHealthResponse, NodeItem } from '../../../src/api/contract';
import { api, ApiError, isAbort } from '../app/api';
import { count, shortKey, snr } from '../app/format';
import { isFavourite, toggleFavourite } from '../app/prefs';
import { href } from '../app/router';
import { useApi } from '../app/use-api';
import { RoleIcon, Time } from '../components/bits';
import { DataState } from '../components/page';
import { FavouriteButton, NodeStatusText } from './node-row';

export function FavouriteCard({ pk }: { pk: string }) {
  const r = useApi<NodeHealthResponse>(`/nodes/${pk}/health`, { refreshMs: 60_000 });
  const n = r.data?.node;
  if (!n)
    return (
      <section class="card fav-card" aria-label={`Node ${shortKey(pk)}`}>
        <h3 class="fav-title">
          <code class="hex">{shortKey(pk)}</code>
        </h3>
        {r.error instanceof ApiError && r.error.status === 404 ? (
          <p class="state">Not in this database (yet).</p>
        ) : (
          <DataState loading={r.loading} error={r.error} />
        )}
        <FavouriteButton pk={pk} name={null} />
      </section>
    );
  const obs = r.data!.observers;
  const snrs = obs.map((o) => o.avgSnr).filter((x): x is number => x !== null);
  const best = snrs.length > 0 ? Math.max(...snrs) : null;
  return (
    <section class="card fav-card" aria-label={n.name ?? shortKey(pk)} data-pk={pk}>
      <h3 class="fav-title">
        <RoleIcon role={n.role} /> <a href={href(`nodes/${n.public_key}`)}>{n.name ?? shortKey(pk)}</a>
        <FavouriteButton pk={n.public_key} name={n.name} />
      </h3>
      <p>
        <NodeStatusText n={n} companion />
      </p>
      <dl class="kv">
        <dt>Last heard</dt>
        <dd>
          <Time t={n.last_heard ?? n.last_seen} />
        </dd>
        <dt>Heard by</dt>
        <dd>
          <span class="num" data-field="observers">
            {count(obs.length)} observer{obs.length === 1 ? '' : 's'}
          </span>
          {obs.length > 0 ? (
            <span class="muted small">
              {' '}
              ·{' '}
              {obs
                .slice(0, 3)
                .map((o) => o.observer_name ?? shortKey(o.observer_id))
                .join(', ')}
              {obs.length > 3 ? ', …' : ''}
            </span>
          ) : null}
        </dd>
        <dt>Best SNR</dt>
        <dd class="num" data-field="best-snr">
          {best === null ? 'no SNR reported' : snr(best)}
        </dd>
        <dt>Packets today</dt>
        <dd class="num">{count(r.data!.stats.packetsToday)}</dd>
      </dl>
    </section>
  );
}

export function FindYourNode() {
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<NodeItem[] | null>(null);
  useEffect(() => {
    const needle = q.trim();
    if (needle === '') return setHits(null);
    const ctl = new AbortController();
    const t = setTimeout(() => {
      api<{ nodes: NodeItem[] }>(`/nodes/search?q=${encodeURIComponent(needle)}&limit=8`, {
        signal: ctl.signal,
      })
        .then((r) => setHits(r.nodes))
        .catch((e) => {
          if (!isAbort(e)) setHits([]);
        });
    }, 150);
    return () => {
      clearTimeout(t);
      ctl.abort();
    };
  }, [q]);
  return (
    <div class="find-node">
      <label class="control">
        <span class="control-label">Find your node</span>
        <input
          type="search"
          placeholder="Name or key prefix"
          value={q}
          onInput={(e) => setQ((e.currentTarget as HTMLInputElement).value)}
        />
      </label>
      {hits === null ? null : hits.length === 0 ? (
        <p class="muted">No node matches “{q.trim()}”.</p>
      ) : (
        <ul class="find-hits" aria-label="Matching nodes">
          {hits.map((n) => (
            <li>
              <RoleIcon role={n.role} />{' '}
              <a href={href(`nodes/${n.public_key}`)}>{n.name ?? shortKey(n.public_key)}</a>{' '}
              <code class="hex muted">{shortKey(n.public_key)}</code>{' '}
              <button type="button" class="claim" onClick={() => toggleFavourite(n.public_key)}>
                {isFavourite(n.public_key) ? '★ In my mesh' : '☆ Add to my mesh'}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
