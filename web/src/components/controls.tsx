// The page controls every page shares, kept in the URL: region (observer IATA codes) and time
// window. Pages read them with `useRegion()` / `useWindow()`.
import { useApi } from '../app/use-api';
import { param, route, setParams } from '../app/router';

export const WINDOWS: { value: string; label: string; ms: number | null }[] = [
  { value: '1h', label: 'Last hour', ms: 3_600_000 },
  { value: '6h', label: 'Last 6 h', ms: 6 * 3_600_000 },
  { value: '24h', label: 'Last 24 h', ms: 86_400_000 },
  { value: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
  { value: '30d', label: 'Last 30 days', ms: 30 * 86_400_000 },
  { value: 'all', label: 'All time', ms: null },
];

/** The selected regions (empty = all). Reading it subscribes the component to the route. */
export function useRegion(): string[] {
  const r = route.value.params.get('region');
  return r ? r.split(',').filter(Boolean) : [];
}

/** The selected window in ms (null = all time); `fallback` when the URL has none. */
export function useWindow(fallback = 'all'): { value: string; ms: number | null; sinceIso: string | null } {
  const v = route.value.params.get('window') ?? fallback;
  const w = WINDOWS.find((x) => x.value === v) ?? WINDOWS[WINDOWS.length - 1];
  return {
    value: w.value,
    ms: w.ms,
    sinceIso: w.ms === null ? null : new Date(Date.now() - w.ms).toISOString(),
  };
}

export function RegionPicker() {
  const { data } = useApi<Record<string, string>>('/config/regions', { ttlMs: 300_000 });
  const current = param('region') ?? '';
  const codes = Object.keys(data ?? {}).sort();
  return (
    <label class="control">
      <span class="control-label">Region</span>
      <select
        value={current}
        onChange={(e) => setParams({ region: (e.currentTarget as HTMLSelectElement).value })}
      >
        <option value="">All regions</option>
        {codes.map((c) => (
          <option value={c}>{c}</option>
        ))}
        {current && !codes.includes(current) ? <option value={current}>{current}</option> : null}
      </select>
    </label>
  );
}

export function WindowPicker() {
  const current = param('window') ?? 'all';
  return (
    <label class="control">
      <span class="control-label">Window</span>
      <select
        value={current}
        onChange={(e) =>
          setParams({
            window:
              (e.currentTarget as HTMLSelectElement).value === 'all'
                ? null
                : (e.currentTarget as HTMLSelectElement).value,
          })
        }
      >
        {WINDOWS.map((w) => (
          <option value={w.value}>{w.label}</option>
        ))}
      </select>
    </label>
  );
}
