// The route table: which page a `#/path` opens. Pages are loaded on first visit (each is its own
// chunk), so the initial JavaScript stays small. To add a page: add its file under pages/, a line
// here, and (if it belongs in the navigation) an entry in NAV.
import type { FunctionComponent } from 'preact';
import type { Route } from './router';

export interface PageProps {
  route: Route;
  /** The path segments after the page's own prefix, e.g. the hash of `packets/<hash>`. */
  args: string[];
}

type Loader = () => Promise<{ default: FunctionComponent<PageProps> }>;

interface RouteDef {
  /** Matched against the path's leading segments; '*' matches any one segment. */
  prefix: string[];
  id: string;
  load: Loader;
}

const ROUTES: RouteDef[] = [
  { prefix: ['home'], id: 'home', load: () => import('../pages/home') },
  { prefix: ['live'], id: 'live', load: () => import('../pages/live') },
  { prefix: ['packets'], id: 'packets', load: () => import('../pages/packets') },
  { prefix: ['packet'], id: 'packet', load: () => import('../pages/packet') },
  {
    prefix: ['nodes', '*', 'analytics'],
    id: 'node-analytics',
    load: () => import('../pages/node-analytics'),
  },
  { prefix: ['nodes', '*', 'reach'], id: 'node-reach', load: () => import('../pages/node-reach') },
  { prefix: ['nodes'], id: 'nodes', load: () => import('../pages/nodes') },
  { prefix: ['map'], id: 'map', load: () => import('../pages/map') },
  { prefix: ['observers'], id: 'observers', load: () => import('../pages/observers') },
  { prefix: ['channels'], id: 'channels', load: () => import('../pages/channels') },
  { prefix: ['compare'], id: 'compare', load: () => import('../pages/compare') },
  { prefix: ['analytics'], id: 'analytics', load: () => import('../pages/analytics') },
  { prefix: ['tools', 'trace'], id: 'trace', load: () => import('../pages/trace') },
  {
    prefix: ['tools', 'path-inspector'],
    id: 'path-inspector',
    load: () => import('../pages/path-inspector'),
  },
  { prefix: ['tools', 'prefix'], id: 'prefix-tool', load: () => import('../pages/prefix-tool') },
  { prefix: ['tools'], id: 'tools', load: () => import('../pages/tools') },
];

/** Old paths that moved (the reference's links keep working). */
const REDIRECTS: [RegExp, (m: RegExpMatchArray) => string][] = [
  [/^$/, () => 'home'],
  [/^traces\/(.+)$/, (m) => `tools/trace/${m[1]}`],
  // The reference's old per-tab routes open the dashboard's tab.
  [/^(roles|scopes|clock-health)$/, (m) => `analytics?tab=${m[1]}`],
];

export interface Resolved {
  id: string;
  load: Loader | null;
  args: string[];
  redirect?: string;
}

/** `#/<to>` with the current query merged in (the redirect's own parameters win). */
export function redirectTarget(to: string, params: URLSearchParams): string {
  const q = to.indexOf('?');
  const merged = new URLSearchParams(params);
  if (q >= 0) for (const [k, v] of new URLSearchParams(to.slice(q + 1))) merged.set(k, v);
  const path = q < 0 ? to : to.slice(0, q);
  const s = merged.toString();
  return `#/${path}${s ? `?${s}` : ''}`;
}

export function resolve(route: Route): Resolved {
  for (const [re, to] of REDIRECTS) {
    const m = route.path.match(re);
    if (m) return { id: 'redirect', load: null, args: [], redirect: to(m) };
  }
  for (const r of ROUTES) {
    if (
      r.prefix.length <= route.segments.length &&
      r.prefix.every((s, i) => s === '*' || route.segments[i] === s)
    )
      // args: the segments '*' matched, then those after the prefix.
      return {
        id: r.id,
        load: r.load,
        args: [
          ...r.prefix.flatMap((s, i) => (s === '*' ? [route.segments[i]] : [])),
          ...route.segments.slice(r.prefix.length),
        ],
      };
  }
  return { id: 'not-found', load: null, args: route.segments };
}

export interface NavEntry {
  path: string;
  label: string;
  /** Route ids that light this entry up. */
  ids: string[];
  /** In the phone's bottom bar (the rest go under "More"). */
  primary?: boolean;
}

export const NAV: NavEntry[] = [
  { path: 'home', label: 'Home', ids: ['home'], primary: true },
  { path: 'live', label: 'Live', ids: ['live'], primary: true },
  { path: 'packets', label: 'Packets', ids: ['packets', 'packet', 'trace'], primary: true },
  { path: 'nodes', label: 'Nodes', ids: ['nodes'] },
  { path: 'map', label: 'Map', ids: ['map'], primary: true },
  { path: 'observers', label: 'Observers', ids: ['observers'] },
  { path: 'channels', label: 'Channels', ids: ['channels'] },
  { path: 'analytics', label: 'Analytics', ids: ['analytics'] },
  { path: 'tools', label: 'Tools', ids: ['tools', 'path-inspector', 'prefix-tool', 'compare'] },
];
