// Live: what is happening on the mesh right now. A map where each packet's path animates hop by
// hop as its observations arrive, a feed of the newest packets beside it (pause, jump to live,
// type and region filters in the URL), and the details of whatever was clicked next to the map.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { PacketsPage } from '../../../src/api/contract';
import { api, apiPath, isAbort } from '../app/api';
import { subscribeLive } from '../app/live-feed';
import type { PageProps } from '../app/routes';
import { clientConfig } from '../app/server-state';
import { useRegion } from '../components/controls';
import { Page } from '../components/page';
import { Counters, FeedBar, parseTypes, TypeFilter } from './live/controls';
import { DetailPanel, type Selection } from './live/detail';
import { FeedList } from './live/feed-list';
import { FeedStore, type FeedRow } from './live/feed-store';
import { LiveMap, type LiveMapHandle } from './live/live-map';
import { loadNodes, type MapNode } from './live/nodes';
import { fromPacketItem } from './live/summary';
import '../styles/live.css';

const REPLAY = 8;

export default function LivePage({ route }: PageProps) {
  const regions = useRegion();
  const types = parseTypes(route.params.get('types'));
  const typesKey = types.join(',');
  const regionsKey = regions.join(',');
  const [store] = useState(() => new FeedStore());
  const [replayed, setReplayed] = useState(false);
  const [sel, setSel] = useState<Selection | null>(null);
  const [scrolled, setScrolled] = useState(false);
  const [nodes, setNodes] = useState<Map<string, MapNode>>(() => new Map());
  const listRef = useRef<HTMLDivElement | null>(null);
  const mapRef = useRef<LiveMapHandle | null>(null);

  useEffect(() => () => store.dispose(), []);

  // The server filters by this subscription; rows the new filter excludes leave the feed.
  useEffect(() => {
    store.setFilter(
      (p) =>
        (types.length === 0 || types.includes(p.payload_type)) &&
        (regions.length === 0 || (p.region !== null && regions.includes(p.region))),
    );
    return subscribeLive(store.push, { types, regions });
  }, [typesKey, regionsKey]);

  // Replay the last few packets so the page is never blank, then show it as loaded.
  useEffect(() => {
    const ctl = new AbortController();
    const path = apiPath('/packets', { limit: REPLAY, type: typesKey, region: regionsKey });
    api<PacketsPage>(path, { signal: ctl.signal })
      .then((p) => store.seed(p.packets.map(fromPacketItem)))
      .catch((e) => {
        if (!isAbort(e)) console.warn('live replay failed', e);
      })
      .finally(() => !ctl.signal.aborted && setReplayed(true));
    return () => ctl.abort();
  }, [typesKey, regionsKey]);

  const maxNodes = clientConfig.value?.liveMapMaxNodes ?? 2000;
  useEffect(() => {
    const ctl = new AbortController();
    loadNodes(maxNodes, ctl.signal)
      .then(setNodes)
      .catch((e) => {
        if (!isAbort(e)) console.warn('live nodes failed', e);
      });
    return () => ctl.abort();
  }, [maxNodes]);

  const select = (row: FeedRow) => {
    setSel({ kind: 'packet', hash: row.hash });
    mapRef.current?.focusPacket(row.hash);
  };
  const jump = () => {
    store.resume();
    if (listRef.current) listRef.current.scrollTop = 0;
    setScrolled(false);
  };

  return (
    <Page
      name="live"
      title="Live"
      loaded={replayed}
      class="live-page"
      actions={<Counters store={store} animations={() => mapRef.current?.active() ?? 0} />}
    >
      <div class="live-layout">
        <div class="live-map-col">
          <LiveMap
            store={store}
            nodes={nodes}
            handleRef={mapRef}
            onNode={(key) => setSel({ kind: 'node', key })}
          />
          {sel ? (
            <DetailPanel
              sel={sel}
              store={store}
              nodes={nodes}
              onClose={() => setSel(null)}
              onNode={(key) => setSel({ kind: 'node', key })}
            />
          ) : null}
        </div>
        <section class="live-feed card" aria-label="Packet feed">
          <div class="live-feed-head">
            <TypeFilter types={types} />
            <FeedBar store={store} scrolled={scrolled} onJump={jump} />
          </div>
          <EmptyHint store={store} />
          <FeedList
            store={store}
            selected={sel?.kind === 'packet' ? sel.hash : null}
            onSelect={select}
            onScrolledChange={setScrolled}
            listRef={listRef}
          />
        </section>
      </div>
    </Page>
  );
}

function EmptyHint({ store }: { store: FeedStore }) {
  store.version.value;
  if (store.rows.length > 0) return null;
  return (
    <p class="state state-empty" role="status">
      {store.paused.value ? 'Paused.' : 'Waiting for packets…'}
    </p>
  );
}
