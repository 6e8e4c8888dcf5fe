// useApi: a component's view of one API answer. Refetches when the path changes, aborts the
// request of a view that went away, keeps the previous data while a refresh is in flight (no
// layout jump), and can refresh itself every `refreshMs`.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, isAbort, type ApiOptions } from './api';

export interface ApiState<T> {
  data: T | null;
  error: ApiError | Error | null;
  loading: boolean;
  reload: () => void;
}

export function useApi<T>(path: string | null, opts: ApiOptions & { refreshMs?: number } = {}): ApiState<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ApiError | Error | null>(null);
  const [loading, setLoading] = useState(path !== null);
  const [tick, setTick] = useState(0);
  const lastPath = useRef<string | null>(null);
  const reload = useCallback(() => setTick((t) => t + 1), []);

  useEffect(() => {
    if (path === null) return;
    if (lastPath.current !== path) setData(null);
    lastPath.current = path;
    const ctl = new AbortController();
    setLoading(true);
    api<T>(path, { ...opts, signal: ctl.signal })
      .then((d) => {
        setData(d);
        setError(null);
      })
      .catch((e: unknown) => {
        if (!isAbort(e)) setError(e instanceof Error ? e : new Error(String(e)));
      })
      .finally(() => {
        if (!ctl.signal.aborted) setLoading(false);
      });
    return () => ctl.abort();
  }, [path, tick]);

  useEffect(() => {
    if (!opts.refreshMs || path === null) return;
    const t = setInterval(reload, opts.refreshMs);
    return () => clearInterval(t);
  }, [path, opts.refreshMs]);

  return { data, error, loading, reload };
}
