// The Live page's controls: the type filter (in the URL as `types=ADVERT,GRP_TXT`), pause /
// resume with the count of packets waiting, jump to live, and the running counters.
import { useEffect, useState } from 'preact/hooks';
import { count } from '../../app/format';
import { PAYLOAD_TYPE, typeLabel } from '../../app/mesh';
import { setParams } from '../../app/router';
import type { FeedStore } from './feed-store';

/** The types offered in the filter, most common first. */
const FILTER_TYPES = [
  'ADVERT',
  'GRP_TXT',
  'TXT_MSG',
  'ACK',
  'REQ',
  'RESPONSE',
  'PATH',
  'TRACE',
  'ANON_REQ',
  'GRP_DATA',
  'MULTIPART',
  'CONTROL',
] as const;

/** `types=ADVERT,5` -> [4, 5]; unknown names are ignored. */
export function parseTypes(v: string | null): number[] {
  if (!v) return [];
  const out = new Set<number>();
  for (const s of v.split(',')) {
    const t = s.trim().toUpperCase();
    const n = /^\d+$/.test(t) ? Number(t) : (PAYLOAD_TYPE as Record<string, number>)[t];
    if (n !== undefined && n >= 0 && n < 16) out.add(n);
  }
  return [...out].sort((a, b) => a - b);
}

const nameOf = (t: number) => Object.entries(PAYLOAD_TYPE).find(([, v]) => v === t)?.[0] ?? String(t);

export function TypeFilter({ types }: { types: number[] }) {
  const toggle = (t: number, on: boolean) => {
    const next = on ? [...types, t] : types.filter((x) => x !== t);
    setParams({ types: next.length ? next.map(nameOf).join(',') : null });
  };
  return (
    <details class="live-types">
      <summary>Types: {types.length === 0 ? 'all' : types.map(typeLabel).join(', ')}</summary>
      <fieldset>
        <legend class="sr-only">Show only these packet types</legend>
        {FILTER_TYPES.map((n) => {
          const t = PAYLOAD_TYPE[n];
          return (
            <label class="live-type-option">
              <input
                type="checkbox"
                checked={types.includes(t)}
                onChange={(e) => toggle(t, (e.currentTarget as HTMLInputElement).checked)}
              />
              {typeLabel(t)}
            </label>
          );
        })}
        {types.length ? (
          <button type="button" onClick={() => setParams({ types: null })}>
            Show all types
          </button>
        ) : null}
      </fieldset>
    </details>
  );
}

/** Pause / resume, the waiting count, and jump-to-live (re-renders once per frame at most). */
export function FeedBar({
  store,
  scrolled,
  onJump,
}: {
  store: FeedStore;
  scrolled: boolean;
  onJump: () => void;
}) {
  store.version.value;
  const paused = store.paused.value;
  return (
    <div class="live-bar">
      <button
        type="button"
        aria-pressed={paused}
        onClick={() => (paused ? store.resume() : store.pause())}
        class="live-pause"
      >
        {paused ? '▶ Resume' : '❚❚ Pause'}
      </button>
      {paused ? (
        <button
          type="button"
          class="live-pending"
          onClick={() => store.resume()}
          data-pending={store.pendingTotal}
        >
          {count(store.pendingTotal)} new {store.pendingTotal === 1 ? 'packet' : 'packets'} — resume
        </button>
      ) : null}
      {paused || scrolled ? (
        <button type="button" class="live-jump" onClick={onJump}>
          Jump to live
        </button>
      ) : null}
    </div>
  );
}

/** Packets per minute, nodes heard, packets this session, animations: refreshed every second. */
export function Counters({ store, animations }: { store: FeedStore; animations: () => number }) {
  const [, setTick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setTick((n) => n + 1), 1000);
    return () => clearInterval(t);
  }, []);
  const perMin = store.perMinute();
  return (
    <dl class="live-counters" aria-label="Live counters">
      <div>
        <dt>packets/min</dt>
        <dd class="num" data-per-minute={perMin}>
          {count(perMin)}
        </dd>
      </div>
      <div>
        <dt>nodes heard</dt>
        <dd class="num" data-nodes-heard={store.nodesHeard}>
          {count(store.nodesHeard)}
        </dd>
      </div>
      <div>
        <dt>received</dt>
        <dd class="num" data-received={store.received}>
          {count(store.received)}
        </dd>
      </div>
      <div>
        <dt>animating</dt>
        <dd class="num">{count(animations())}</dd>
      </div>
    </dl>
  );
}
