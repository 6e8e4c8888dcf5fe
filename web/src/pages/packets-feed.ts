// The Packets page's data: pages of transmissions from GET /api/packets (offset paging, 200 per
// request), the live feed merged in (a new hash is prepended, a new observation of a known hash
// bumps its row), a pause buffer, and the observations of expanded rows. Live messages are applied
// once per animation frame so a burst costs one render, not one per packet.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { LivePacketData, ObservationItem, PacketItem, PacketsPage } from '../../../src/api/contract';
import { api, apiPath, ApiError, isAbort } from '../app/api';
import { subscribeLive } from '../app/live-feed';
import { PAYLOAD_TYPE } from '../app/mesh';
import { safeJson } from '../app/format';

export const PAGE_SIZE = 200;
/** The pause buffer holds at most this many live messages (the oldest are dropped). */
export const BUFFER_MAX = 2000;

/** The page's filters, as they are in the URL. */
export interface FeedQuery {
  type: string;
  observer: string;
  region: string;
  window: string;
  node: string;
  channel: string;
  filter: string;
}

export function pagePath(q: FeedQuery, offset: number): string {
  return apiPath('/packets', {
    limit: PAGE_SIZE,
    offset,
    type: q.type,
    observer: q.observer,
    region: q.region,
    since: q.window === 'all' ? '' : q.window,
    node: q.node,
    channel: q.channel,
    filter: q.filter,
  });
}

/** Payload type numbers of the `type` param (names or numbers, comma-separated). */
export function typeNumbers(type: string): number[] {
  const out: number[] = [];
  for (const t of type.split(',').filter(Boolean)) {
    const n = /^\d+$/.test(t) ? Number(t) : PAYLOAD_TYPE[t.toUpperCase() as keyof typeof PAYLOAD_TYPE];
    if (n !== undefined) out.push(n);
  }
  return out;
}

/** Whether a live packet belongs in the view. Node, channel and expression filters are the
 * server's to evaluate, so with one of them set only rows already shown are updated. */
function acceptsNew(q: FeedQuery, p: LivePacketData): boolean {
  if (q.node || q.channel || q.filter) return false;
  const types = typeNumbers(q.type);
  if (types.length > 0 && !types.includes(p.payload_type)) return false;
  const observers = q.observer.split(',').filter(Boolean);
  if (observers.length > 0 && !observers.some((o) => o.toLowerCase() === p.observer_id.toLowerCase()))
    return false;
  const regions = q.region.split(',').filter(Boolean);
  if (regions.length > 0 && !(p.region !== null && regions.includes(p.region))) return false;
  return true;
}

export function liveToItem(p: LivePacketData): PacketItem {
  return {
    id: p.id,
    raw_hex: p.raw_hex,
    hash: p.hash,
    first_seen: p.first_seen ?? p.rx_timestamp,
    timestamp: p.timestamp ?? p.rx_timestamp,
    last_seen: p.rx_timestamp,
    route_type: p.route_type,
    payload_type: p.payload_type,
    payload_version: 0,
    decoded_json: p.decoded_json,
    channel_hash: null,
    from_pubkey: null,
    scope_name: null,
    observation_count: Math.max(1, p.observation_count),
    observer_id: p.observer_id,
    observer_name: p.observer_name,
    observer_iata: p.region,
    snr: p.snr,
    rssi: p.rssi,
    path_json: p.path_json,
    direction: p.direction,
    _parsedPath: safeJson<string[]>(p.path_json, []),
  };
}

function liveToObservation(p: LivePacketData): ObservationItem {
  return {
    id: p.observation_id,
    transmission_id: p.id,
    hash: p.hash,
    observer_id: p.observer_id,
    observer_name: p.observer_name,
    observer_iata: p.region,
    direction: p.direction,
    snr: p.snr,
    rssi: p.rssi,
    score: null,
    path_json: p.path_json,
    timestamp: p.rx_timestamp,
    uploader_timestamp: p.uploader_timestamp,
  };
}

export type ObsState = ObservationItem[] | 'loading' | Error;

export interface Feed {
  rows: PacketItem[];
  total: number;
  loading: boolean;
  loaded: boolean;
  error: ApiError | Error | null;
  loadMore: () => void;
  reload: () => void;
  paused: boolean;
  setPaused: (p: boolean) => void;
  buffered: number;
  /** Applies the pause buffer (and resumes). */
  showBuffered: () => void;
  /** Transmissions prepended live since the last announcement (for the polite live region). */
  announce: string;
  observations: Map<string, ObsState>;
  loadObservations: (hash: string) => void;
}

interface Store {
  rows: PacketItem[];
  /** Every row by hash (rows are updated in place when live observations arrive). */
  byHash: Map<string, PacketItem>;
  total: number;
  /** Rows delivered by server pages, plus rows prepended live: the next page's offset. */
  offset: number;
  loading: boolean;
  loaded: boolean;
  error: ApiError | Error | null;
  key: string;
}

const empty = (key: string): Store => ({
  rows: [],
  byHash: new Map(),
  total: 0,
  offset: 0,
  loading: false,
  loaded: false,
  error: null,
  key,
});

export function usePacketFeed(q: FeedQuery): Feed {
  const key = JSON.stringify(q);
  const store = useRef<Store>(empty(key));
  const obs = useRef(new Map<string, ObsState>());
  const [, setTick] = useState(0);
  const render = () => setTick((t) => t + 1);
  const [reloads, setReloads] = useState(0);

  const fetchPage = (ctl?: AbortController) => {
    const s = store.current;
    if (s.loading || (s.loaded && s.offset >= s.total) || s.error) return;
    s.loading = true;
    const forKey = s.key;
    api<PacketsPage>(pagePath(q, s.offset), { signal: ctl?.signal })
      .then((page) => {
        if (store.current.key !== forKey) return;
        // Appended in place, with the hash index kept alongside: a page costs O(page), not
        // O(rows loaded) (a 100k-row filter result is paged through while scrolling).
        for (const p of page.packets) {
          if (s.byHash.has(p.hash)) continue;
          s.byHash.set(p.hash, p);
          s.rows.push(p);
        }
        s.offset += page.packets.length;
        // A short page means the end, whatever `total` said when the first page came.
        s.total = page.packets.length < PAGE_SIZE ? s.rows.length : Math.max(page.total, s.rows.length);
        s.loaded = true;
      })
      .catch((e: unknown) => {
        if (isAbort(e) || store.current.key !== forKey) return;
        s.error = e instanceof Error ? e : new Error(String(e));
        s.loaded = true;
      })
      .finally(() => {
        s.loading = false;
        if (store.current.key === forKey) render();
      });
  };

  useEffect(() => {
    store.current = empty(key);
    obs.current = new Map();
    const ctl = new AbortController();
    fetchPage(ctl);
    render();
    return () => ctl.abort();
  }, [key, reloads]);

  const live = useLiveMerge(q, store, obs, render);

  const loadObservations = (hash: string) => {
    const cur = obs.current.get(hash);
    if (cur !== undefined && !(cur instanceof Error)) return;
    obs.current.set(hash, 'loading');
    render();
    api<PacketsPage>(apiPath('/packets', { hash, expand: 'observations', limit: 1 }))
      .then((page) => obs.current.set(hash, page.packets[0]?.observations ?? []))
      .catch((e: unknown) => obs.current.set(hash, e instanceof Error ? e : new Error(String(e))))
      .finally(render);
  };

  const s = store.current;
  return {
    rows: s.rows,
    total: s.total,
    loading: s.loading,
    loaded: s.loaded,
    error: s.error,
    loadMore: () => fetchPage(),
    reload: () => setReloads((r) => r + 1),
    observations: obs.current,
    loadObservations,
    ...live,
  };
}

type LivePart = Pick<Feed, 'paused' | 'setPaused' | 'buffered' | 'showBuffered' | 'announce'>;

/** Subscribes to the live feed for the page's type/region and merges what arrives. */
function useLiveMerge(
  q: FeedQuery,
  store: { current: Store },
  obs: { current: Map<string, ObsState> },
  render: () => void,
): LivePart {
  const [paused, setPausedState] = useState(false);
  const pausedRef = useRef(false);
  const buffer = useRef<LivePacketData[]>([]);
  const pending = useRef<LivePacketData[]>([]);
  const frame = useRef<number | null>(null);
  const unannounced = useRef(0);
  const [announce, setAnnounce] = useState('');
  const announceTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const apply = (list: LivePacketData[]) => {
    const added = mergeLive(store.current, obs.current, q, list);
    if (added > 0) {
      unannounced.current += added;
      // One polite announcement every few seconds at most, not one per packet.
      announceTimer.current ??= setTimeout(() => {
        announceTimer.current = null;
        const n = unannounced.current;
        unannounced.current = 0;
        setAnnounce(`${n} new ${n === 1 ? 'packet' : 'packets'}`);
      }, 3000);
    }
    render();
  };

  useEffect(() => {
    const types = typeNumbers(q.type);
    const regions = q.region.split(',').filter(Boolean);
    const unsub = subscribeLive(
      (p) => {
        if (pausedRef.current) {
          buffer.current.push(p);
          if (buffer.current.length > BUFFER_MAX)
            buffer.current.splice(0, buffer.current.length - BUFFER_MAX);
          render();
          return;
        }
        pending.current.push(p);
        frame.current ??= requestAnimationFrame(() => {
          frame.current = null;
          const list = pending.current;
          pending.current = [];
          apply(list);
        });
      },
      { types, regions },
    );
    return () => {
      unsub();
      if (frame.current !== null) cancelAnimationFrame(frame.current);
      frame.current = null;
      pending.current = [];
    };
  }, [q.type, q.region, store.current.key]);

  useEffect(
    () => () => {
      if (announceTimer.current) clearTimeout(announceTimer.current);
    },
    [],
  );

  const setPaused = (p: boolean) => {
    pausedRef.current = p;
    setPausedState(p);
    if (!p && buffer.current.length > 0) {
      const list = buffer.current;
      buffer.current = [];
      apply(list);
    }
  };
  return {
    paused,
    setPaused,
    buffered: buffer.current.length,
    showBuffered: () => setPaused(false),
    announce,
  };
}

/** Applies live messages (oldest first) to the store; returns how many new rows were added. */
function mergeLive(s: Store, obs: Map<string, ObsState>, q: FeedQuery, list: LivePacketData[]): number {
  if (!s.loaded || s.error) return 0;
  let changed = 0;
  const fresh: PacketItem[] = [];
  for (const p of list) {
    const cur = s.byHash.get(p.hash);
    const o = obs.get(p.hash);
    if (Array.isArray(o) && !o.some((x) => x.id === p.observation_id))
      obs.set(p.hash, [...o, liveToObservation(p)]);
    if (cur) {
      // In place: the row object is the store's own, and the page re-renders after a merge.
      cur.observation_count = Math.max(cur.observation_count + 1, p.observation_count);
      cur.last_seen = p.rx_timestamp ?? cur.last_seen;
      changed++;
    } else if (acceptsNew(q, p)) {
      const item = liveToItem(p);
      fresh.push(item);
      s.byHash.set(p.hash, item);
      changed++;
    }
  }
  if (changed === 0) return 0;
  s.rows = fresh.reverse().concat(s.rows);
  s.offset += fresh.length;
  s.total += fresh.length;
  return fresh.length;
}
