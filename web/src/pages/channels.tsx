// #/channels[/<name>]: the channel list beside the selected channel's chat. On a phone one of
// the two is shown at a time (the selection decides). The list refreshes itself; live GRP_TXT
// of other channels raise their unread counts and refresh the list soon after.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ChannelsResponse } from '../../../src/api/contract';
import { apiPath } from '../app/api';
import { subscribeLive } from '../app/live-feed';
import { param, setParams } from '../app/router';
import type { PageProps } from '../app/routes';
import { useApi } from '../app/use-api';
import { useRegion } from '../components/controls';
import { DataState, Page } from '../components/page';
import '../styles/channels.css';
import { Chat } from './channels/chat';
import { liveChannel } from './channels/live-messages';
import { ChannelList } from './channels/list';

/** A burst of live messages refreshes the list at most this often. */
const LIST_REFRESH_MS = 10_000;

export default function ChannelsPage({ args }: PageProps) {
  const selected = args.length > 0 ? args.join('/') : null;
  const regions = useRegion();
  const showEncrypted = param('encrypted') === '1';
  const list = useApi<ChannelsResponse>(
    apiPath('/channels', { region: regions.join(','), includeEncrypted: showEncrypted ? 'true' : undefined }),
    { refreshMs: 60_000 },
  );
  const [unread, setUnread] = useState<Record<string, number>>({});
  const [chatReady, setChatReady] = useState(false);
  const [, setTick] = useState(0);
  const refreshTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => setUnread((u) => (selected && u[selected] ? { ...u, [selected]: 0 } : u)), [selected]);
  useEffect(() => setChatReady(false), [selected]);
  // Relative times in the list stay current.
  useEffect(() => {
    const t = setInterval(() => setTick((n) => n + 1), 15_000);
    return () => clearInterval(t);
  }, []);
  useEffect(() => {
    const stop = subscribeLive(
      (p) => {
        const live = liveChannel(p);
        if (!live || p.observation_count > 1) return;
        if (live.channel !== selected)
          setUnread((u) => ({ ...u, [live.channel]: (u[live.channel] ?? 0) + 1 }));
        refreshTimer.current ??= setTimeout(() => {
          refreshTimer.current = null;
          list.reload();
        }, LIST_REFRESH_MS);
      },
      { types: [5], regions },
    );
    return () => {
      stop();
      if (refreshTimer.current) clearTimeout(refreshTimer.current);
      refreshTimer.current = null;
    };
  }, [selected, regions.join(',')]);

  const channels = list.data?.channels ?? [];
  const loaded = !!list.data && (selected === null || chatReady);
  return (
    <Page
      name="channels"
      title="Channels"
      loaded={loaded}
      class={selected ? 'chan-has-selection' : 'chan-no-selection'}
      actions={
        <label class="control chan-enc">
          <input
            type="checkbox"
            checked={showEncrypted}
            onChange={(e) =>
              setParams({ encrypted: (e.currentTarget as HTMLInputElement).checked ? '1' : null })
            }
          />{' '}
          Show encrypted
        </label>
      }
    >
      <div class="chan-layout">
        <nav class="chan-side" aria-label="Channel list">
          <DataState
            loading={list.loading && !list.data}
            error={list.data ? null : list.error}
            empty={!!list.data && channels.length === 0}
            emptyText="No channels with messages."
          />
          <ChannelList channels={channels} selected={selected} unread={unread} />
        </nav>
        <section class="chan-main" aria-label={selected ? `Channel ${selected}` : 'Channel messages'}>
          {selected ? (
            <Chat channel={selected} regions={regions} onLoaded={setChatReady} />
          ) : (
            <p class="state chan-pick">Pick a channel to read its messages.</p>
          )}
        </section>
      </div>
    </Page>
  );
}
