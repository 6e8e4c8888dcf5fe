// Global search (Ctrl/Cmd+K): node names and key prefixes, packet hashes, channels. An ARIA
// combobox: arrows move, Enter opens, Escape closes.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { NodeItem } from '../../../src/api/contract';
import { api, isAbort } from '../app/api';
import { navigate } from '../app/router';
import { RoleIcon } from './bits';

interface Hit {
  kind: 'node' | 'packet' | 'channel';
  label: string;
  detail: string;
  path: string;
  role?: string | null;
}

interface ChannelRow {
  hash: string;
  name: string;
  messageCount: number;
}

const HEX = /^[0-9a-f]+$/i;

async function findHits(q: string, signal: AbortSignal): Promise<Hit[]> {
  const hits: Hit[] = [];
  const needle = q.trim();
  if (needle === '') return hits;
  if (HEX.test(needle) && needle.length === 16)
    hits.push({
      kind: 'packet',
      label: needle.toLowerCase(),
      detail: 'packet hash',
      path: `packets/${needle.toLowerCase()}`,
    });
  const [nodes, channels] = await Promise.all([
    api<{ nodes: NodeItem[] }>(`/nodes/search?q=${encodeURIComponent(needle)}&limit=8`, { signal }).catch(
      () => ({ nodes: [] }),
    ),
    api<{ channels: ChannelRow[] }>('/channels', { ttlMs: 30_000 }).catch(() => ({ channels: [] })),
  ]);
  for (const n of nodes.nodes)
    hits.push({
      kind: 'node',
      label: n.name ?? n.public_key.slice(0, 8).toUpperCase(),
      detail: n.public_key.slice(0, 8).toUpperCase(),
      path: `nodes/${n.public_key}`,
      role: n.role,
    });
  const lc = needle.toLowerCase();
  for (const c of channels.channels.filter((c) => c.name.toLowerCase().includes(lc)).slice(0, 5))
    hits.push({
      kind: 'channel',
      label: c.name,
      detail: `${c.messageCount} messages`,
      path: `channels/${encodeURIComponent(c.hash)}`,
    });
  return hits;
}

export function GlobalSearch() {
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<Hit[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        input.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    const ctl = new AbortController();
    const t = setTimeout(() => {
      findHits(q, ctl.signal)
        .then((h) => {
          setHits(h);
          setActive(0);
        })
        .catch((e) => {
          if (!isAbort(e)) setHits([]);
        });
    }, 150);
    return () => {
      clearTimeout(t);
      ctl.abort();
    };
  }, [q]);

  const go = (h: Hit | undefined) => {
    if (!h) return;
    setOpen(false);
    setQ('');
    navigate(h.path);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setOpen(true);
      setActive((a) => Math.min(hits.length - 1, a + 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(0, a - 1));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      go(hits[active]);
    } else if (e.key === 'Escape') setOpen(false);
  };
  const show = open && q.trim() !== '';
  return (
    <div class="search" role="search">
      <label for="global-search" class="sr-only">
        Search nodes, packet hashes and channels
      </label>
      <input
        id="global-search"
        ref={input}
        type="search"
        placeholder="Search  (Ctrl K)"
        autocomplete="off"
        role="combobox"
        list={undefined}
        aria-expanded={show}
        aria-controls="global-search-list"
        aria-activedescendant={show && hits[active] ? `search-hit-${active}` : undefined}
        value={q}
        onInput={(e) => {
          setQ((e.currentTarget as HTMLInputElement).value);
          setOpen(true);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
      />
      {show ? (
        <ul id="global-search-list" role="listbox" class="search-list" aria-label="Search results">
          {hits.length === 0 ? <li class="muted search-empty">No match</li> : null}
          {hits.map((h, i) => (
            <li
              id={`search-hit-${i}`}
              role="option"
              aria-selected={i === active}
              class={i === active ? 'active' : ''}
              onMouseDown={(e) => {
                e.preventDefault();
                go(h);
              }}
            >
              <span class="search-kind">{h.kind}</span>
              {h.kind === 'node' ? <RoleIcon role={h.role} /> : null} <span>{h.label}</span>{' '}
              <span class="muted">{h.detail}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
