// The one door to the API. Identical GETs in flight are shared; answers may be kept for a short
// TTL; a 503 with Retry-After (server warming up or an analytic computing) is retried with
// backoff for up to a minute while `warming` tells the shell to show progress, never an error.
import { signal } from '@preact/signals';
import type { ApiErrorBody } from '../../../src/api/contract';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: ApiErrorBody | null,
  ) {
    super(message);
  }
}

/** Paths currently waiting on a 503 (the shell shows a progress banner while non-empty). */
export const warming = signal<ReadonlySet<string>>(new Set());

interface Cached {
  at: number;
  value: unknown;
}
const cache = new Map<string, Cached>();
const inFlight = new Map<string, Promise<unknown>>();

/** Calls per path and their durations, for the perf hooks of tests and the console. */
export const apiTimings: { path: string; ms: number; status: number }[] = [];

export interface ApiOptions {
  /** Serve a cached answer younger than this (ms). Default 0: always ask. */
  ttlMs?: number;
  signal?: AbortSignal;
  /** Retry 503s (default true, for up to `maxWaitMs`). */
  waitWhileWarming?: boolean;
  maxWaitMs?: number;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      reject(new DOMException('aborted', 'AbortError'));
    });
  });

function setWarming(path: string, on: boolean): void {
  const next = new Set(warming.value);
  if (on) next.add(path);
  else next.delete(path);
  warming.value = next;
}

async function errorOf(res: Response): Promise<ApiError> {
  let body: ApiErrorBody | null = null;
  try {
    body = (await res.json()) as ApiErrorBody;
  } catch {
    /* not JSON: keep the status text */
  }
  const message = body?.error ?? `${res.status} ${res.statusText}`;
  return new ApiError(res.status, body?.code ?? `HTTP_${res.status}`, message, body);
}

async function fetchJson(path: string, opts: ApiOptions): Promise<unknown> {
  const deadline = performance.now() + (opts.maxWaitMs ?? 60_000);
  for (let attempt = 0; ; attempt++) {
    const t0 = performance.now();
    const res = await fetch(`/api${path}`, { signal: opts.signal, headers: { accept: 'application/json' } });
    apiTimings.push({ path, ms: performance.now() - t0, status: res.status });
    if (apiTimings.length > 500) apiTimings.splice(0, 250);
    if (res.ok) {
      setWarming(path, false);
      return res.json();
    }
    const retryAfter = Number(res.headers.get('retry-after') ?? '1');
    if (res.status === 503 && opts.waitWhileWarming !== false && performance.now() < deadline) {
      setWarming(path, true);
      const backoff = Math.min(8000, Math.max(500, retryAfter * 1000) * 1.5 ** Math.min(attempt, 4));
      await sleep(backoff, opts.signal);
      continue;
    }
    setWarming(path, false);
    throw await errorOf(res);
  }
}

/** GET /api<path> as JSON. Throws ApiError with the server's message on a 4xx/5xx. */
export async function api<T>(path: string, opts: ApiOptions = {}): Promise<T> {
  const ttl = opts.ttlMs ?? 0;
  const hit = cache.get(path);
  if (ttl > 0 && hit && performance.now() - hit.at < ttl) return hit.value as T;
  // Sharing a request across callers only when none can abort it for the others.
  const shared = opts.signal === undefined ? inFlight.get(path) : undefined;
  if (shared) return shared as Promise<T>;
  const p = fetchJson(path, opts).then((value) => {
    cache.set(path, { at: performance.now(), value });
    return value;
  });
  if (opts.signal === undefined) {
    inFlight.set(path, p);
    p.finally(() => inFlight.delete(path)).catch(() => undefined);
  }
  return p as Promise<T>;
}

/** `/path?a=1&b=2`, dropping empty values. */
export function apiPath(
  path: string,
  params: Record<string, string | number | boolean | null | undefined>,
): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s === '' ? path : `${path}?${s}`;
}

export const isAbort = (e: unknown) => e instanceof DOMException && e.name === 'AbortError';
