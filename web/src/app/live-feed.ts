// The one WebSocket of the whole app. Pages subscribe with an optional filter (regions, payload
// types); the server is asked for the union of what the subscribers want (its subscription
// filter), so a phone on the Channels page is not sent every ADVERT. Reconnects with backoff and
// says so through `feedStatus`.
import { signal } from '@preact/signals';
import type { LiveMessage, LivePacketData } from '../../../src/api/contract';

export type FeedStatus = 'connecting' | 'open' | 'closed';
export const feedStatus = signal<FeedStatus>('connecting');
/** Packets received since the page loaded (the header's activity pulse reads it). */
export const feedCount = signal(0);

export interface FeedFilter {
  regions?: readonly string[] | null;
  types?: readonly number[] | null;
}

interface Subscriber {
  fn: (p: LivePacketData) => void;
  filter: FeedFilter;
  /** Keeps the socket open without widening the server filter (the shell's indicator). */
  passive?: boolean;
}

const subscribers = new Set<Subscriber>();
let socket: WebSocket | null = null;
let retryMs = 1000;
let reconnectTimer: ReturnType<typeof setTimeout> | null = null;

/** Null = everything; else the union over subscribers (any unfiltered subscriber -> null). */
function union(key: 'regions' | 'types'): (string | number)[] | null {
  const out = new Set<string | number>();
  for (const s of subscribers) {
    if (s.passive) continue;
    const v = s.filter[key];
    if (!v || v.length === 0) return null;
    for (const x of v) out.add(x);
  }
  return [...out];
}

function sendSubscription(): void {
  if (socket?.readyState !== WebSocket.OPEN) return;
  // null = no filter: the server reads an empty list as "nothing" (websocket.ts parseSubscription).
  socket.send(JSON.stringify({ type: 'subscribe', regions: union('regions'), types: union('types') }));
}

function matches(f: FeedFilter, p: LivePacketData): boolean {
  if (f.types && f.types.length > 0 && !f.types.includes(p.payload_type)) return false;
  if (f.regions && f.regions.length > 0 && !(p.region !== null && f.regions.includes(p.region))) return false;
  return true;
}

function connect(): void {
  if (socket || subscribers.size === 0) return;
  feedStatus.value = 'connecting';
  const proto = location.protocol === 'https:' ? 'wss' : 'ws';
  const ws = new WebSocket(`${proto}://${location.host}/ws`);
  socket = ws;
  ws.onopen = () => {
    feedStatus.value = 'open';
    retryMs = 1000;
    sendSubscription();
  };
  ws.onmessage = (ev) => {
    let msg: LiveMessage;
    try {
      msg = JSON.parse(String(ev.data)) as LiveMessage;
    } catch {
      return;
    }
    if (msg.type !== 'packet') return;
    feedCount.value++;
    for (const s of subscribers) if (matches(s.filter, msg.data)) s.fn(msg.data);
  };
  ws.onclose = () => {
    socket = null;
    feedStatus.value = 'closed';
    if (subscribers.size === 0) return;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      connect();
    }, retryMs);
    retryMs = Math.min(15_000, retryMs * 2);
  };
}

/** Receives every live packet matching `filter`; returns the unsubscribe function. */
export function subscribeLive(
  fn: (p: LivePacketData) => void,
  filter: FeedFilter = {},
  passive = false,
): () => void {
  const sub: Subscriber = { fn, filter, passive };
  subscribers.add(sub);
  if (socket) sendSubscription();
  else if (!reconnectTimer) connect();
  return () => {
    subscribers.delete(sub);
    sendSubscription();
  };
}

/** Opens the socket for the connection indicator even before a page subscribes. */
export function startLiveFeed(): () => void {
  return subscribeLive(() => undefined, {}, true);
}
