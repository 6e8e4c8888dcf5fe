// RF Health's own time range (spec frontend §3 #12): 1 h … 30 d, or a custom from/to. All of it
// lives in the URL (`range`, `from`, `to`), and it maps to the two routes' parameters: the fleet
// summary takes a fixed `window`, the per-observer metrics take `since`/`until`.
import { useState } from 'preact/hooks';
import { route, setParams } from '../../../app/router';

export const PRESETS = ['1h', '6h', '24h', '7d', '30d'] as const;
const SPAN_MS: Record<string, number> = {
  '1h': 3_600_000,
  '3h': 3 * 3_600_000,
  '6h': 6 * 3_600_000,
  '12h': 12 * 3_600_000,
  '24h': 86_400_000,
  '3d': 3 * 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
};
/** The summary route's windows, shortest first. */
const SUMMARY_WINDOWS = Object.keys(SPAN_MS);

export interface RfRange {
  /** A preset key or 'custom'. */
  key: string;
  /** `window=` of /observers/metrics/summary. */
  window: string;
  /** `since`/`until` of /observers/:id/metrics (until null = now). */
  since: string;
  until: string | null;
  /** `resolution` of the metrics: stored 5-minute samples up to 3 days, hourly beyond. */
  resolution: '5m' | '1h';
  spanMs: number;
}

const validIso = (s: string | null): s is string => s !== null && Number.isFinite(Date.parse(s));

/** The range the URL names (default 24 h; a custom range without a valid `from` falls back to it). */
export function useRfRange(): RfRange {
  const p = route.value.params;
  const key = p.get('range') ?? '24h';
  const from = p.get('from');
  const to = p.get('to');
  if (key === 'custom' && validIso(from)) {
    const untilMs = validIso(to) ? Date.parse(to) : Date.now();
    const spanMs = Math.max(60_000, untilMs - Date.parse(from));
    // The summary only takes a window ending now: the shortest that reaches back to `from`.
    const back = Date.now() - Date.parse(from);
    const window = SUMMARY_WINDOWS.find((w) => SPAN_MS[w] >= back) ?? '30d';
    return {
      key,
      window,
      since: new Date(Date.parse(from)).toISOString(),
      until: validIso(to) ? new Date(untilMs).toISOString() : null,
      resolution: spanMs <= 3 * 86_400_000 ? '5m' : '1h',
      spanMs,
    };
  }
  const k = (PRESETS as readonly string[]).includes(key) ? key : '24h';
  const spanMs = SPAN_MS[k];
  return {
    key: k,
    window: k,
    since: k,
    until: null,
    resolution: spanMs <= 3 * 86_400_000 ? '5m' : '1h',
    spanMs,
  };
}

/** ISO -> the value of a datetime-local input (local time, minutes). */
function toLocalInput(iso: string | null): string {
  if (!validIso(iso)) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function CustomForm({ from0, to0 }: { from0: string | null; to0: string | null }) {
  const [from, setFrom] = useState(toLocalInput(from0));
  const [to, setTo] = useState(toLocalInput(to0));
  const apply = (e: Event) => {
    e.preventDefault();
    if (!from) return;
    setParams({
      range: 'custom',
      from: new Date(from).toISOString(),
      to: to ? new Date(to).toISOString() : null,
    });
  };
  return (
    <form class="rf-custom" onSubmit={apply}>
      <label>
        From{' '}
        <input type="datetime-local" value={from} onInput={(e) => setFrom(e.currentTarget.value)} required />
      </label>
      <label>
        To <input type="datetime-local" value={to} onInput={(e) => setTo(e.currentTarget.value)} />
      </label>
      <button type="submit" class="chip">
        Apply
      </button>
    </form>
  );
}

export function RangeControl({ range }: { range: RfRange }) {
  const p = route.value.params;
  const custom = p.get('range') === 'custom';
  return (
    <div class="rf-range">
      <div class="control" role="group" aria-label="Time range">
        <span class="control-label">Range</span>
        {PRESETS.map((k) => (
          <button
            type="button"
            class="chip"
            data-range={k}
            aria-pressed={!custom && range.key === k}
            onClick={() => setParams({ range: k === '24h' ? null : k, from: null, to: null })}
          >
            {k}
          </button>
        ))}
        <button
          type="button"
          class="chip"
          data-range="custom"
          aria-pressed={custom}
          onClick={() =>
            setParams({
              range: 'custom',
              from: p.get('from') ?? new Date(Date.now() - 86_400_000).toISOString(),
            })
          }
        >
          Custom
        </button>
      </div>
      {custom ? (
        <CustomForm key={`${p.get('from')}|${p.get('to')}`} from0={p.get('from')} to0={p.get('to')} />
      ) : null}
    </div>
  );
}
