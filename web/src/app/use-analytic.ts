// useAnalytic: a chart's view of one analytics snapshot. The server computes analytics in the
// background and answers with the ready snapshot, its ETag and its age (X-Snapshot-Age-Ms), so
// the UI can say how fresh a chart is and refresh it cheaply: every view polls with
// If-None-Match and a 304 costs no body. One source per path, shared by every component that
// shows it (one request per path per poll, however many cards read it), released when the last
// one goes. A 503 while the analytic warms up is a state with its retry time, never an error.
import { signal, type Signal } from '@preact/signals';
import { useEffect, useMemo } from 'preact/hooks';
import { ApiError } from './api';
import type { ApiErrorBody } from '../../../src/api/contract';

export interface AnalyticState<T> {
  data: T | null;
  /** Local epoch ms at which the shown snapshot was computed (receipt − X-Snapshot-Age-Ms);
   *  null for routes that send no age (plain API reads). */
  computedAt: number | null;
  /** Local epoch ms of the last answer (200 or 304). */
  checkedAt: number | null;
  /** The analytic is warming up (503): when it started and the server's suggested retry. */
  warming: { sinceMs: number; retryAfterS: number } | null;
  error: ApiError | Error | null;
  loading: boolean;
  /** Increments each time a new snapshot (a 200 with a new ETag) replaced the data. */
  version: number;
}

export interface AnalyticOptions {
  /** Poll interval with If-None-Match (default 5 s; a 304 is a few hundred bytes). */
  refreshMs?: number;
}

interface Source {
  path: string;
  state: Signal<AnalyticState<unknown>>;
  etag: string | null;
  refs: number;
  refreshMs: number;
  timer: ReturnType<typeof setTimeout> | null;
  ctl: AbortController | null;
  /** When the last user left: the source is kept a while so going back to a tab is instant. */
  releasedAt: number | null;
}

const INITIAL: AnalyticState<unknown> = {
  data: null,
  computedAt: null,
  checkedAt: null,
  warming: null,
  error: null,
  loading: true,
  version: 0,
};

const sources = new Map<string, Source>();
/** Sources no view uses are kept this long (their data serves the next visit at once). */
const KEEP_MS = 120_000;

function patch(src: Source, p: Partial<AnalyticState<unknown>>): void {
  src.state.value = { ...src.state.value, ...p };
}

function schedule(src: Source, ms: number): void {
  if (src.timer !== null) clearTimeout(src.timer);
  src.timer = setTimeout(() => void poll(src), ms);
}

async function errorOf(res: Response): Promise<ApiError> {
  let body: ApiErrorBody | null = null;
  try {
    body = (await res.json()) as ApiErrorBody;
  } catch {
    /* not JSON */
  }
  return new ApiError(res.status, body?.code ?? `HTTP_${res.status}`, body?.error ?? res.statusText, body);
}

async function poll(src: Source): Promise<void> {
  src.timer = null;
  if (src.refs === 0) return;
  // A hidden tab does not poll; it catches up when shown (visibilitychange below).
  if (document.visibilityState === 'hidden' && src.state.value.data !== null) {
    schedule(src, src.refreshMs);
    return;
  }
  const ctl = new AbortController();
  src.ctl = ctl;
  try {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (src.etag && src.state.value.data !== null) headers['if-none-match'] = src.etag;
    const res = await fetch(`/api${src.path}`, { signal: ctl.signal, headers });
    const now = Date.now();
    const ageHeader = res.headers.get('x-snapshot-age-ms');
    const computedAt = ageHeader === null ? null : now - Number(ageHeader);
    if (res.status === 304) {
      patch(src, { computedAt: computedAt ?? src.state.value.computedAt, checkedAt: now, loading: false });
    } else if (res.ok) {
      const data: unknown = await res.json();
      src.etag = res.headers.get('etag');
      patch(src, {
        data,
        computedAt: computedAt ?? now,
        checkedAt: now,
        warming: null,
        error: null,
        loading: false,
        version: src.state.value.version + 1,
      });
    } else if (res.status === 503) {
      const retry = Number(res.headers.get('retry-after') ?? '2');
      const retryAfterS = Number.isFinite(retry) && retry > 0 ? retry : 2;
      patch(src, {
        warming: { sinceMs: src.state.value.warming?.sinceMs ?? now, retryAfterS },
        loading: false,
        checkedAt: now,
      });
      // Ask again soon: warming is short and the chart should appear by itself.
      schedule(src, Math.min(5000, Math.max(1000, retryAfterS * 1000)));
      return;
    } else {
      patch(src, { error: await errorOf(res), loading: false, warming: null, checkedAt: now });
    }
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') return;
    patch(src, { error: e instanceof Error ? e : new Error(String(e)), loading: false });
  } finally {
    if (src.ctl === ctl) src.ctl = null;
  }
  if (src.refs > 0) schedule(src, src.refreshMs);
}

function acquire(src: Source, refreshMs: number): Source {
  if (!sources.has(src.path)) sources.set(src.path, src);
  src.refs++;
  src.releasedAt = null;
  src.refreshMs = Math.min(src.refs === 1 ? refreshMs : src.refreshMs, refreshMs);
  if (src.refs === 1) {
    // Kept data is shown at once; a conditional request checks it is still the newest.
    if (src.state.value.data === null) patch(src, { loading: true });
    if (src.ctl === null) schedule(src, 0);
  }
  return src;
}

function release(src: Source): void {
  src.refs--;
  if (src.refs > 0) return;
  if (src.timer !== null) clearTimeout(src.timer);
  src.timer = null;
  src.ctl?.abort();
  src.ctl = null;
  src.releasedAt = Date.now();
  // Forget long-unused sources (their data may be large).
  for (const [k, s] of sources)
    if (s.refs === 0 && s.releasedAt !== null && Date.now() - s.releasedAt > KEEP_MS) sources.delete(k);
}

if (typeof document !== 'undefined')
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState !== 'visible') return;
    for (const s of sources.values()) if (s.refs > 0 && s.ctl === null) schedule(s, 0);
  });

/**
 * The snapshot at `/api<path>` (null: nothing to fetch yet), refreshed every `refreshMs` with a
 * conditional request. Reading the returned state subscribes the component to it.
 */
export function useAnalytic<T>(path: string | null, opts: AnalyticOptions = {}): AnalyticState<T> {
  const refreshMs = opts.refreshMs ?? 5000;
  const src = useMemo(() => (path === null ? null : acquireLazy(path)), [path]);
  useEffect(() => {
    if (src === null) return;
    const s = acquire(src, refreshMs);
    return () => release(s);
  }, [src, refreshMs]);
  if (src === null) return { ...(INITIAL as AnalyticState<T>), loading: false };
  return src.state.value as AnalyticState<T>;
}

/** The source for `path` without taking a reference (the effect takes it), so the first render
 *  already shows kept data. */
function acquireLazy(path: string): Source {
  let src = sources.get(path);
  if (!src) {
    src = {
      path,
      state: signal({ ...INITIAL }),
      etag: null,
      refs: 0,
      refreshMs: 5000,
      timer: null,
      ctl: null,
      releasedAt: null,
    };
    sources.set(path, src);
  }
  return src;
}

/** Polls every source in use now (tests and the "refresh" button). */
export function refreshAllAnalytics(): void {
  for (const s of sources.values()) if (s.refs > 0 && s.ctl === null) schedule(s, 0);
}
