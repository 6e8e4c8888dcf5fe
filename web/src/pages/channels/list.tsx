// The channel list: name, hash, message count, last activity (relative, re-rendered by the
// page's clock), the last message, an encrypted marker, and live unread counts.
import type { ChannelItem } from '../../../../src/api/contract';
import { count } from '../../app/format';
import { href } from '../../app/router';
import { Time } from '../../components/bits';

export function ChannelList(props: {
  channels: ChannelItem[];
  selected: string | null;
  unread: Record<string, number>;
}) {
  return (
    <ul class="chan-list" aria-label="Channels">
      {props.channels.map((c) => {
        const current = c.hash === props.selected;
        const unread = props.unread[c.hash] ?? 0;
        return (
          <li class="chan" data-channel={c.hash}>
            <a
              href={href(`channels/${encodeURIComponent(c.hash)}`)}
              aria-current={current ? 'page' : undefined}
              class="chan-link"
            >
              <span class="chan-row">
                <span class="chan-name">
                  {c.encrypted ? (
                    <span class="chan-lock" title="encrypted: no key on the server">
                      <span aria-hidden="true">🔒</span>
                      <span class="sr-only">encrypted</span>
                    </span>
                  ) : null}
                  {c.name}
                </span>
                <span class="chan-time muted">
                  <Time t={c.lastActivity} />
                </span>
              </span>
              <span class="chan-row">
                <span class="chan-last muted">
                  {c.lastMessage ?? (c.encrypted ? 'encrypted messages' : 'no messages')}
                </span>
                <span class="chan-count num" title="messages">
                  {count(c.messageCount)}
                  <span class="sr-only"> messages</span>
                </span>
                {unread > 0 ? (
                  <span class="chan-unread" title="new since you opened the page">
                    +{count(unread)}
                    <span class="sr-only"> new</span>
                  </span>
                ) : null}
              </span>
              {c.hash !== c.name ? <code class="hex chan-hash">{c.hash}</code> : null}
            </a>
          </li>
        );
      })}
    </ul>
  );
}
