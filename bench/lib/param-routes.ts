// The analytics section's parameterised routes (issue 10): routes computed per request in the
// analytics worker pool (or from the neighbour index) behind the TTL cache, so a URL's first
// request does the work and its repeats within the TTL are a cache hit. Each route gets a set
// of distinct URLs (or POST bodies) built from the dataset the server holds: the 50 nodes with
// the most packets, the observers, real 2-hop subpaths from /api/analytics/subpaths, real paths
// of recent packets for /api/paths/inspect. Measured per route: every distinct request once,
// one after another from a single client (the uncached latency: what a request costs), then
// the same set cycled by 8 clients for the load-step duration (cached repeats); the server's
// event-loop delay is read for each of the two windows (loop-probe.mjs).
import { runLoad, type LoadRequest, type LoadResult } from './http-load.js';
import type { BenchServer, LoopWindow } from './server.js';
import { percentile } from './stats.js';

export interface ParamRoute {
  /** Row name, e.g. `GET /nodes/{pubkey}/analytics?days=7`. */
  name: string;
  /** The issue-10 p99 limit for this route, ms (null: no target). */
  limitMs: number | null;
  requests: LoadRequest[];
}

export interface ParamResult {
  name: string;
  limitMs: number | null;
  distinct: number;
  /** Each distinct request once, sequentially, one client: the uncached latency. */
  first: {
    samples: number;
    p50Ms: number | null;
    p99Ms: number | null;
    maxMs: number | null;
    non2xx: number;
  };
  firstLoop: LoopWindow | null;
  /** The same requests cycled by 8 clients for the load-step duration: cache hits. */
  repeat: LoadResult;
  repeatLoop: LoopWindow | null;
}

type Get = BenchServer['get'];

/** Targets of issue 10: per-node / per-observer requests p99 <= 50 ms, paths/inspect <= 100 ms. */
const PER_ENTITY_MS = 50;
const INSPECT_MS = 100;

/** Group sets for subpaths-bulk: distinct cache keys around the reference's `2-2:50,3-3:30`. */
const BULK_GROUPS = [
  '2-2:50,3-3:30',
  '2-2:20',
  '3-3:30',
  '4-4:20',
  '2-4:50',
  '5-8:20',
  '2-2:50,3-3:30,4-4:20',
];

function hexPath(pathJson: unknown): string[] | null {
  if (typeof pathJson !== 'string') return null;
  try {
    const hops = JSON.parse(pathJson) as unknown;
    if (!Array.isArray(hops) || hops.length < 2 || hops.length > 64) return null;
    if (!hops.every((h) => typeof h === 'string' && /^(?:[0-9a-fA-F]{2}){1,3}$/.test(h))) return null;
    const list = hops as string[];
    return list.every((h) => h.length === list[0].length) ? list.map((h) => h.toLowerCase()) : null;
  } catch {
    return null;
  }
}

/** The parameterised routes with their distinct requests (up to `n` each), from the server's data. */
export async function planParamRoutes(get: Get, n = 50): Promise<{ routes: ParamRoute[]; notes: string[] }> {
  const notes: string[] = [];
  const nodes = await get<{ nodes?: { public_key: string; packetCount?: number; count?: number }[] }>(
    `/api/nodes?limit=${n}&sortBy=packetCount`,
  );
  const keys = (nodes.body.nodes ?? [])
    .filter((x) => (x.packetCount ?? x.count ?? 1) > 0)
    .map((x) => x.public_key.toLowerCase());
  const observers = await get<{ observers?: { id: string }[] }>('/api/observers');
  const ids = (observers.body.observers ?? []).slice(0, n).map((x) => x.id);
  const sub = await get<{ subpaths?: { rawHops: string[] }[] }>(
    `/api/analytics/subpaths?minLen=2&maxLen=2&limit=${n}`,
  );
  const hopSets = [
    ...new Set(
      (sub.body.subpaths ?? [])
        .map((s) => s.rawHops)
        .filter((h) => Array.isArray(h) && h.length === 2)
        .map((h) => h.join(',').toLowerCase()),
    ),
  ];
  if (sub.status !== 200) notes.push(`/api/analytics/subpaths answered ${sub.status}`);
  // Real paths: recent packets' path_json (>= 2 hops of one width), distinct.
  const packets = await get<{ packets?: { path_json?: unknown }[] }>('/api/packets?limit=1000');
  const paths = new Map<string, string[]>();
  for (const p of packets.body.packets ?? []) {
    const hops = hexPath(p.path_json);
    if (hops && paths.size < n) paths.set(hops.join(','), hops);
  }
  if (paths.size < n) {
    // Not enough in the newest packets (small datasets): real subpaths of 3..5 hops fill up.
    const longer = await get<{ subpaths?: { rawHops: string[] }[] }>(
      `/api/analytics/subpaths?minLen=3&maxLen=5&limit=${n}`,
    );
    for (const s of longer.body.subpaths ?? []) {
      const hops = hexPath(JSON.stringify(s.rawHops));
      if (hops && paths.size < n) paths.set(hops.join(','), hops);
    }
  }
  const get1 = (path: string): LoadRequest => ({ method: 'GET', path });
  const routes: ParamRoute[] = [
    {
      name: 'GET /nodes/{pubkey}/analytics?days=7',
      limitMs: PER_ENTITY_MS,
      requests: keys.map((k) => get1(`/api/nodes/${k}/analytics?days=7`)),
    },
    {
      name: 'GET /nodes/{pubkey}/paths',
      limitMs: PER_ENTITY_MS,
      requests: keys.map((k) => get1(`/api/nodes/${k}/paths`)),
    },
    {
      name: 'GET /nodes/{pubkey}/reach?days=7',
      limitMs: PER_ENTITY_MS,
      requests: keys.filter((k) => /^[0-9a-f]{64}$/.test(k)).map((k) => get1(`/api/nodes/${k}/reach?days=7`)),
    },
    {
      name: 'GET /nodes/{pubkey}/neighbors',
      limitMs: PER_ENTITY_MS,
      requests: keys.map((k) => get1(`/api/nodes/${k}/neighbors`)),
    },
    {
      name: 'GET /observers/{id}/analytics?days=7',
      limitMs: PER_ENTITY_MS,
      requests: ids.map((id) => get1(`/api/observers/${encodeURIComponent(id)}/analytics?days=7`)),
    },
    {
      name: 'GET /analytics/subpath-detail?hops=a,b',
      limitMs: null,
      requests: hopSets.map((h) => get1(`/api/analytics/subpath-detail?hops=${h}`)),
    },
    {
      name: 'GET /analytics/subpaths-bulk?groups=…',
      limitMs: null,
      requests: BULK_GROUPS.map((g) => get1(`/api/analytics/subpaths-bulk?groups=${g}`)),
    },
    {
      name: 'POST /paths/inspect',
      limitMs: INSPECT_MS,
      requests: [...paths.values()].map((prefixes) => ({
        method: 'POST' as const,
        path: '/api/paths/inspect',
        body: JSON.stringify({ prefixes, limit: 10 }),
      })),
    },
  ];
  for (const r of routes)
    if (r.requests.length === 0) notes.push(`${r.name}: no sample values in the dataset`);
  return { routes: routes.filter((r) => r.requests.length > 0), notes };
}

async function timeOne(baseUrl: string, r: LoadRequest): Promise<{ ms: number; status: number }> {
  const t0 = performance.now();
  const res = await fetch(baseUrl + r.path, {
    method: r.method,
    headers: {
      'accept-encoding': 'gzip',
      ...(r.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: r.body,
  });
  await res.arrayBuffer();
  return { ms: performance.now() - t0, status: res.status };
}

/** One route: first (uncached) requests sequentially, then cached repeats under `connections` clients. */
export async function measureParamRoute(
  server: BenchServer,
  route: ParamRoute,
  durationS: number,
  connections = 8,
): Promise<ParamResult> {
  await server.loopWindow(true);
  const times: number[] = [];
  let non2xx = 0;
  for (const r of route.requests) {
    const t = await timeOne(server.url, r);
    times.push(t.ms);
    if (t.status < 200 || t.status > 299) non2xx++;
  }
  const firstLoop = await server.loopWindow(true);
  const repeat = await runLoad(server.url, route.requests, connections, durationS);
  const repeatLoop = await server.loopWindow(true);
  return {
    name: route.name,
    limitMs: route.limitMs,
    distinct: route.requests.length,
    first: {
      samples: times.length,
      p50Ms: percentile(times, 50),
      p99Ms: percentile(times, 99),
      maxMs: times.length ? Math.max(...times) : null,
      non2xx,
    },
    firstLoop,
    repeat,
    repeatLoop,
  };
}
