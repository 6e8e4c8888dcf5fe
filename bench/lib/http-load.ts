// HTTP load with autocannon (programmatic): N concurrent clients cycling through a list of
// paths for a fixed time; latency percentiles as autocannon measures them (client side).
import { createRequire } from 'node:module';

interface AutocannonResult {
  latency: { p50: number; p99: number; average: number; max: number };
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  '2xx': number;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

export interface LoadResult {
  connections: number;
  durationS: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  maxMs: number;
  rps: number;
  requests: number;
  non2xx: number;
  errors: number;
}

/** A request other than a plain GET of a path: e.g. a POST with a JSON body. */
export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  /** JSON text (sent as application/json). */
  body?: string;
}

export async function runLoad(
  baseUrl: string,
  paths: Array<string | LoadRequest>,
  connections: number,
  durationS: number,
  headers: Record<string, string> = {},
): Promise<LoadResult> {
  let i = 0;
  const r = await autocannon({
    url: baseUrl,
    connections,
    duration: durationS,
    headers: { 'accept-encoding': 'gzip', ...headers },
    requests: [
      {
        method: 'GET',
        setupRequest: (req: Record<string, unknown>) => {
          const next = paths[i++ % paths.length];
          if (typeof next === 'string') return { ...req, path: next };
          return {
            ...req,
            method: next.method,
            path: next.path,
            ...(next.body === undefined
              ? {}
              : {
                  body: next.body,
                  headers: { ...(req.headers as object), 'content-type': 'application/json' },
                }),
          };
        },
      },
    ],
  });
  return {
    connections,
    durationS,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    meanMs: r.latency.average,
    maxMs: r.latency.max,
    rps: r.requests.average,
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  };
}
