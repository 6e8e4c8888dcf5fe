// One observation's path resolved to node names (GET /api/resolve-hops, with the observer and
// the sender as context), and the table of a packet's observations. Hop prefixes are 1–3 bytes
// of a public key, so a prefix can match several relays: those are shown as AMBIGUOUS with every
// candidate and how the server chose (its tier), never as a silent pick.
import type { PacketObservationDetail, ResolveHopsResponse } from '../../../src/api/contract';
import { apiPath } from '../app/api';
import { rssi, safeJson, snr } from '../app/format';
import { href } from '../app/router';
import { useApi } from '../app/use-api';
import { NodeLink, Time } from './bits';

const TIER_LABEL: Record<string, string> = {
  unique_prefix: 'unique prefix',
  neighbor_affinity: 'neighbour graph',
  gps_centroid: 'nearest to path',
  advert_count_gps: 'most adverts (located)',
  advert_count: 'most adverts',
  unresolved: 'unresolved',
};

export const obsPath = (o: { path_json: string | null }) => safeJson<string[]>(o.path_json, []);

/** Hop prefixes the resolve-hops route accepts (2–8 hex digits, at most 64). */
const resolvable = (hops: string[]) =>
  hops.length > 0 && hops.length <= 64 && hops.every((h) => /^[0-9a-fA-F]{2,8}$/.test(h));

export function ResolvedPath(props: { hops: string[]; observer: string | null; from: string | null }) {
  const { hops, observer, from } = props;
  const path = resolvable(hops)
    ? apiPath('/resolve-hops', { hops: hops.join(','), observer, from_node: from })
    : null;
  const { data, error } = useApi<ResolveHopsResponse>(path, { ttlMs: 60_000 });
  if (hops.length === 0) return <p class="muted pd-path-empty">Direct: heard with no relay hops.</p>;
  if (error) return <p class="state state-error">Could not resolve hops: {error.message}</p>;
  return (
    <ol
      class="pd-path"
      aria-label={`Path, ${hops.length} hop${hops.length === 1 ? '' : 's'}`}
      data-resolved={data ? 'true' : 'false'}
    >
      {hops.map((h, i) => (
        <Hop key={`${i}-${h}`} n={i + 1} hop={h} r={data?.resolved[h] ?? data?.resolved[h.toUpperCase()]} />
      ))}
    </ol>
  );
}

function Hop({
  n,
  hop,
  r,
}: {
  n: number;
  hop: string;
  r: ResolveHopsResponse['resolved'][string] | undefined;
}) {
  const prefix = <code class="hex pd-hop-prefix">{hop.toUpperCase()}</code>;
  if (!r) return <li class="pd-hop">{prefix}</li>;
  if (r.ambiguous) {
    return (
      <li class="pd-hop pd-hop-ambiguous" data-hop={hop}>
        <span class="pd-hop-n">{n}</span>
        {prefix} <strong class="pd-flag">AMBIGUOUS</strong>
        <span class="muted">
          {' '}
          {r.candidates.length} candidates; picked by {TIER_LABEL[r.tier] ?? r.tier}:
        </span>
        <ul class="pd-candidates">
          {r.candidates.map((c) => (
            <li key={c.pubkey} class={c.pubkey === r.pubkey ? 'picked' : ''}>
              <NodeLink pk={c.pubkey} name={c.name} />
              {c.pubkey === r.pubkey ? <span class="pd-picked"> (picked)</span> : null}
            </li>
          ))}
        </ul>
      </li>
    );
  }
  if (!r.pubkey) {
    return (
      <li class="pd-hop pd-hop-unknown" data-hop={hop}>
        <span class="pd-hop-n">{n}</span>
        {prefix} <span class="pd-flag-unknown">unknown</span>
      </li>
    );
  }
  return (
    <li class="pd-hop" data-hop={hop}>
      <span class="pd-hop-n">{n}</span>
      {prefix} <NodeLink pk={r.pubkey} name={r.name} />
    </li>
  );
}

export function ObservationsTable(props: {
  observations: PacketObservationDetail[];
  selected: number | null;
  onSelect: (id: number) => void;
}) {
  const { observations, selected, onSelect } = props;
  return (
    <div class="table-wrap">
      <table class="pd-obs">
        <caption class="sr-only">Observations: select a row to show its path</caption>
        <thead>
          <tr>
            <th scope="col">Observer</th>
            <th scope="col">IATA</th>
            <th scope="col" class="num">
              SNR
            </th>
            <th scope="col" class="num">
              RSSI
            </th>
            <th scope="col" class="num">
              Hops
            </th>
            <th scope="col">Path</th>
            <th scope="col">Time</th>
          </tr>
        </thead>
        <tbody>
          {observations.map((o) => {
            const hops = obsPath(o);
            return (
              <tr
                key={o.id}
                data-obs={o.id}
                tabIndex={0}
                aria-selected={o.id === selected ? 'true' : 'false'}
                onClick={() => onSelect(o.id)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' || e.key === ' ') {
                    e.preventDefault();
                    onSelect(o.id);
                  }
                }}
              >
                <td class="pd-observer">
                  <a href={href(`observers/${o.observer_id}`)} onClick={(e) => e.stopPropagation()}>
                    {o.observer_name || o.observer_id.slice(0, 8)}
                  </a>
                </td>
                <td>{o.observer_iata ?? '—'}</td>
                <td class="num pd-snr">{snr(o.snr)}</td>
                <td class="num pd-rssi">{rssi(o.rssi)}</td>
                <td class="num">{hops.length}</td>
                <td class="hex pd-obs-path">{hops.length ? hops.join(' ') : '—'}</td>
                <td>
                  <Time t={o.timestamp} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
