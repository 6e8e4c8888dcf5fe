// One channel's messages as a chat: oldest at the top, newest at the bottom. Follows new
// messages while the reader is at the bottom; when they scrolled up, a "↓ New messages" button
// says how many arrived instead of yanking the view. Live GRP_TXT the server decrypted for this
// channel are appended (or raise the "N× heard" of a message already shown).
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ChannelMessageItem, ChannelMessagesResponse } from '../../../../src/api/contract';
import { apiPath } from '../../app/api';
import { count, snr } from '../../app/format';
import { subscribeLive } from '../../app/live-feed';
import { href } from '../../app/router';
import { useApi } from '../../app/use-api';
import { Time } from '../../components/bits';
import { DataState } from '../../components/page';
import { bodyText, liveChannel, mergeLive, withPage } from './live-messages';

const LIMIT = 200;
/** Within this many px of the bottom counts as "at the bottom". */
const NEAR_BOTTOM_PX = 48;

/**
 * Follows a growing list while the reader is at its bottom; otherwise counts what arrived for
 * the "↓ New messages" button. `length` is the item count, `resetKey` starts over (a new channel).
 */
function useFollowBottom(length: number, resetKey: string) {
  const list = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const lastCount = useRef(0);
  const [unseen, setUnseen] = useState(0);
  useEffect(() => {
    setUnseen(0);
    atBottom.current = true;
    lastCount.current = 0;
  }, [resetKey]);
  // After each render with more items: follow them, or count them for the button.
  useLayoutEffect(() => {
    const el = list.current;
    const added = length - lastCount.current;
    lastCount.current = length;
    if (!el || added <= 0) return;
    if (atBottom.current) el.scrollTop = el.scrollHeight;
    else setUnseen((n) => n + added);
  }, [length]);
  const onScroll = () => {
    const el = list.current;
    if (!el) return;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX;
    if (atBottom.current) setUnseen(0);
  };
  const jump = () => {
    const el = list.current;
    if (el) el.scrollTop = el.scrollHeight;
    atBottom.current = true;
    setUnseen(0);
  };
  return { list, unseen, onScroll, jump };
}

export function Chat(props: { channel: string; regions: string[]; onLoaded: (ok: boolean) => void }) {
  const { channel, regions } = props;
  const path = apiPath(`/channels/${encodeURIComponent(channel)}/messages`, {
    limit: LIMIT,
    region: regions.length ? regions.join(',') : undefined,
  });
  const res = useApi<ChannelMessagesResponse>(path, { refreshMs: 120_000 });
  const [msgs, setMsgs] = useState<ChannelMessageItem[]>([]);
  const { list, unseen, onScroll, jump } = useFollowBottom(msgs.length, channel);

  useEffect(() => {
    const page = res.data?.messages;
    if (page) setMsgs((cur) => withPage(page, cur));
    props.onLoaded(!!res.data || !!res.error);
  }, [res.data, res.error]);
  useEffect(() => setMsgs([]), [channel]);
  useEffect(
    () =>
      subscribeLive(
        (p) => {
          const live = liveChannel(p);
          if (live && live.channel === channel) setMsgs((cur) => mergeLive(cur, p, live.decoded));
        },
        { types: [5], regions },
      ),
    [channel, regions.join(',')],
  );

  return (
    <div class="chat">
      <div class="chat-head">
        <a class="chat-back" href={href('channels')}>
          ← Channels
        </a>
        <h2 class="chat-title">{channel}</h2>
        {res.data ? (
          <span class="muted chat-total">
            {count(res.data.total)} messages
            {res.data.total > msgs.length ? `, newest ${count(msgs.length)} shown` : ''}
          </span>
        ) : null}
      </div>
      <DataState
        loading={res.loading && !res.data}
        error={res.data ? null : res.error}
        empty={!!res.data && msgs.length === 0}
        emptyText="No messages in this channel."
      />
      <div
        class="chat-list"
        ref={list}
        onScroll={onScroll}
        role="log"
        aria-live="polite"
        aria-label={`Messages in ${channel}`}
        tabIndex={0}
      >
        <ol class="chat-msgs">
          {msgs.map((m) => (
            <Message m={m} />
          ))}
        </ol>
      </div>
      {unseen > 0 ? (
        <button type="button" class="chat-new" onClick={jump}>
          ↓ New messages ({unseen})
        </button>
      ) : null}
    </div>
  );
}

function Message({ m }: { m: ChannelMessageItem }) {
  return (
    <li class="msg" data-hash={m.packetHash}>
      <div class="msg-head">
        <strong class="msg-sender">{m.sender ?? 'unknown sender'}</strong>
        <span class="msg-time muted">
          <Time t={m.timestamp} />
        </span>
      </div>
      <p class="msg-text">{bodyText(m)}</p>
      <div class="msg-meta muted">
        <span class="msg-heard" title={m.observers.join(', ')}>
          {count(m.repeats)}× heard
        </span>
        {' · '}
        <span class="msg-hops">
          {m.hops === null ? 'hops unknown' : `${m.hops} ${m.hops === 1 ? 'hop' : 'hops'}`}
        </span>
        {m.snr !== null ? (
          <>
            {' · '}
            <span class="msg-snr">SNR {snr(m.snr)}</span>
          </>
        ) : null}
        {' · '}
        <a href={href(`packets/${m.packetHash}`)} aria-label={`View packet ${m.packetHash}`}>
          View packet
        </a>
      </div>
    </li>
  );
}
