// Hash routing (`#/packets/<hash>?filter=…`) so every view is a URL someone can paste into a
// chat, and the server needs no route table for the UI. `route` is a signal: pages read it and
// re-render on navigation. Region and time window are global: they stay in the URL across pages.
import { signal } from '@preact/signals';

export interface Route {
  /** Path without the leading `#/`, e.g. `nodes/ab12…`. */
  path: string;
  segments: string[];
  params: URLSearchParams;
}

/** Query parameters every page keeps when linking elsewhere (Grafana-style page controls). */
export const GLOBAL_PARAMS = ['region', 'window'] as const;

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#\/?/, '');
  const q = raw.indexOf('?');
  const path = decodeURIComponent(q < 0 ? raw : raw.slice(0, q)).replace(/\/+$/, '');
  const params = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
  return { path, segments: path === '' ? [] : path.split('/'), params };
}

export const route = signal<Route>(parseHash(location.hash));

window.addEventListener('hashchange', () => {
  route.value = parseHash(location.hash);
});

type ParamValue = string | number | boolean | null | undefined;

function query(params: URLSearchParams): string {
  const s = params.toString();
  return s === '' ? '' : `?${s}`;
}

/** A link to `path`, carrying the global params unless `params` sets them. */
export function href(path: string, params: Record<string, ParamValue> = {}): string {
  const out = new URLSearchParams();
  for (const g of GLOBAL_PARAMS) {
    const v = route.value.params.get(g);
    if (v !== null) out.set(g, v);
  }
  for (const [k, v] of Object.entries(params)) {
    if (v === null || v === undefined || v === '' || v === false) out.delete(k);
    else out.set(k, String(v));
  }
  return `#/${path.replace(/^\/+/, '')}${query(out)}`;
}

/** Goes to another view (a history entry: back returns here). */
export function navigate(path: string, params: Record<string, ParamValue> = {}): void {
  location.hash = href(path, params);
}

/**
 * Updates the current view's query parameters in place (no history entry: a filter being typed
 * should not fill the back button). null/undefined/'' removes a parameter.
 */
export function setParams(patch: Record<string, ParamValue>): void {
  const cur = route.value;
  const params = new URLSearchParams(cur.params);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || v === undefined || v === '' || v === false) params.delete(k);
    else params.set(k, String(v));
  }
  const next = `#/${cur.path}${query(params)}`;
  if (next === location.hash) return;
  history.replaceState(history.state, '', next);
  route.value = { ...cur, params };
}

/** The current value of one query parameter. */
export function param(name: string): string | null {
  return route.value.params.get(name);
}
