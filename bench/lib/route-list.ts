// The core-routes section's route list: every GET route of the reference (spec ingest-store-api
// §4.2, test/fixtures/reference-routes.json, the same list the acceptance test walks) that the
// server under test lists in its /api/spec, each with representative concrete URLs. Parameters
// come from the dataset itself (sampleValues: nodes, observers, packet hashes, channels), so
// the same table works at every scale; a route with many URLs is cycled through them.
import {
  fillPath,
  openApiRouteShapes,
  pathShape,
  readReferenceRoutes,
  routeKey,
  type ReferenceRoute,
} from '../../test/support/reference-routes.js';

/** Query strings for routes that need parameters (spec §4.2); placeholders from Samples. */
export const ROUTE_QUERIES: Record<string, string> = {
  'GET /packets/timestamps': 'since={since}',
  'GET /scope-stats': 'window=24h',
  'GET /nodes/search': 'q={word}',
  'GET /nodes/{pubkey}/analytics': 'days=7',
  'GET /nodes/{pubkey}/battery': 'days=7',
  'GET /nodes/{pubkey}/reach': 'days=7',
  'GET /nodes/bulk-health': 'limit=50',
  'GET /nodes/resolve': 'prefix={prefix}',
  'GET /resolve-hops': 'hops={hops}',
  'GET /observers/{id}/analytics': 'days=7',
  'GET /observers/{id}/metrics': 'resolution=1h',
  'GET /analytics/subpaths-bulk': 'groups=2-2:50,3-3:30',
  'GET /analytics/subpath-detail': 'hops={hops}',
};

/** Which sample list fills a route's path parameter (default: {pubkey}/{pk} -> pubkeys). */
const PATH_VALUES: Record<string, keyof Omit<Samples, 'since'>> = {
  '/packets/{id}': 'hashes',
  '/traces/{hash}': 'hashes',
  '/channels/{hash}/messages': 'channels',
  '/observers/{id}': 'observers',
  '/observers/{id}/analytics': 'observers',
  '/observers/{id}/metrics': 'observers',
};

/** GET routes left out of the load, and why. */
export const ROUTES_NOT_LOADED: Record<string, string> = {
  'GET /backup': 'streams a copy of the whole database per request',
  'GET /admin/prune-geo-filter/status': 'needs the id of a running prune job',
};

/** Values from the dataset; each list has at least one entry when the dataset has data. */
export interface Samples {
  pubkeys: string[];
  observers: string[];
  hashes: string[];
  channels: string[];
  /** ISO time 24 h before the newest packet. */
  since: string;
}

export interface RoutePlan {
  /** Row name: `GET /nodes/{pubkey}` (+ the query when there is one). */
  name: string;
  route: ReferenceRoute;
  core: boolean;
  apiKey: boolean;
  paths: string[];
}

export interface Plan {
  planned: RoutePlan[];
  /** Reference routes the server does not list in /api/spec (GETs and others). */
  notServed: string[];
  /** Served routes not loaded, with the reason (writes, ROUTES_NOT_LOADED, no sample value). */
  skipped: { route: string; why: string }[];
}

type Get = <T>(path: string) => Promise<{ status: number; body: T }>;

/** Up to `n` values of each kind from the running server's own answers. */
export async function sampleValues(get: Get, n = 20): Promise<Samples> {
  const nodes = await get<{ nodes?: { public_key: string }[] }>(`/api/nodes?limit=${n}&sortBy=packetCount`);
  const observers = await get<{ observers?: { id: string }[] }>('/api/observers');
  const packets = await get<{ packets?: { hash: string; first_seen?: string }[] }>('/api/packets?limit=50');
  const channels = await get<{ channels?: { hash: string }[] }>('/api/channels');
  const newest = Date.parse(packets.body.packets?.[0]?.first_seen ?? '') || Date.now();
  return {
    pubkeys: (nodes.body.nodes ?? []).map((x) => x.public_key),
    observers: (observers.body.observers ?? []).slice(0, n).map((x) => x.id),
    hashes: (packets.body.packets ?? []).map((x) => x.hash),
    channels: (channels.body.channels ?? []).slice(0, n).map((x) => x.hash),
    since: new Date(newest - 86_400_000).toISOString(),
  };
}

function fillQuery(query: string, s: Samples, i: number): string {
  const pk = s.pubkeys.length ? s.pubkeys[i % s.pubkeys.length] : '00';
  const pk2 = s.pubkeys.length ? s.pubkeys[(i + 1) % s.pubkeys.length] : '00';
  const values: Record<string, string> = {
    since: s.since,
    word: pk.slice(0, 6),
    prefix: pk.slice(0, 4),
    hops: `${pk.slice(0, 2)},${pk2.slice(0, 2)}`,
  };
  return query.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(values[k] ?? ''));
}

/** The loadable GET routes of the reference list, given the server's /api/spec document. */
export function planRoutes(spec: { paths?: Record<string, object> }, samples: Samples): Plan {
  const served = openApiRouteShapes(spec);
  const plan: Plan = { planned: [], notServed: [], skipped: [] };
  for (const route of readReferenceRoutes().routes) {
    const key = routeKey(route);
    if (!served.has(`${route.method} ${pathShape(route.path)}`)) {
      plan.notServed.push(key);
      continue;
    }
    if (route.method !== 'GET') {
      plan.skipped.push({ route: key, why: 'not a GET (the load is GETs only)' });
      continue;
    }
    if (ROUTES_NOT_LOADED[key]) {
      plan.skipped.push({ route: key, why: ROUTES_NOT_LOADED[key] });
      continue;
    }
    const param = /\{(\w+)\}/.exec(route.path)?.[1];
    const source = PATH_VALUES[route.path] ?? (param === 'pubkey' || param === 'pk' ? 'pubkeys' : null);
    const values = param === undefined ? [''] : source ? samples[source] : [];
    if (values.length === 0) {
      plan.skipped.push({ route: key, why: `no sample value for {${param}} in the dataset` });
      continue;
    }
    const query = ROUTE_QUERIES[key];
    const paths = values.map((v, i) => {
      const path = param === undefined ? route.path : fillPath(route.path, { [param]: v });
      return `/api${path}${query ? `?${fillQuery(query, samples, i)}` : ''}`;
    });
    plan.planned.push({
      name: query ? `${key}?${query}` : key,
      route,
      core: route.core,
      apiKey: route.apiKey,
      paths,
    });
  }
  return plan;
}
