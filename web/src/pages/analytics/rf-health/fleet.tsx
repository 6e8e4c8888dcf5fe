// RF Health's fleet view: the summary's numbers as stat cards, and a grid with one tile per
// observer (status, current noise floor with a sparkline of the range, airtime, battery). A tile
// selects the observer (URL `observer=`), whose detail charts open below.
import type {
  ObserverMetricsResponse,
  ObserverMetricsSummaryItem,
  ObserverMetricsSummaryResponse,
} from '../../../../../src/api/contract';
import { count, unit } from '../../../app/format';
import { setParams } from '../../../app/router';
import { useAnalytic } from '../../../app/use-analytic';
import { metricsPath } from './paths';
import type { RfRange } from './range';

const STATUS: Record<string, { glyph: string; word: string; cls: string }> = {
  normal: { glyph: '●', word: 'normal', cls: 'status-active' },
  low_battery: { glyph: '◐', word: 'low battery', cls: 'status-degraded' },
  offline: { glyph: '○', word: 'offline', cls: 'status-silent' },
};

export function ObserverStatus({ status }: { status: string }) {
  const s = STATUS[status] ?? { glyph: '?', word: status, cls: 'status-unknown' };
  return (
    <span class={`status ${s.cls}`} data-status={status}>
      <span aria-hidden="true">{s.glyph}</span> {s.word}
    </span>
  );
}

export const pct = (v: number | null | undefined) => unit(v, '%', 1);
export const dbm = (v: number | null | undefined) => unit(v, 'dBm', 1);
export const volts = (mv: number | null | undefined) =>
  mv === null || mv === undefined ? '—' : unit(mv / 1000, 'V', 2);

export function FleetStats({ d }: { d: ObserverMetricsSummaryResponse }) {
  const f = d.fleet;
  const items: [string, string, string][] = [
    ['observers', 'observers reporting', count(f.observers)],
    ['offline', 'offline', count(f.offline)],
    ['noise', 'median noise floor', dbm(f.noise_floor.median_current)],
    ['noise-max', 'highest noise floor', dbm(f.noise_floor.max)],
    ['tx', 'avg TX airtime', pct(f.airtime.avg_tx_pct)],
    ['rx', 'avg RX airtime', pct(f.airtime.avg_rx_pct)],
    ['errors', 'receive error rate', pct(f.errors.recv_error_rate)],
    ['reboots', 'reboots', count(f.errors.reboots)],
    ['battery', 'lowest battery', volts(f.battery.min_mv)],
    ['low', 'low battery', count(f.battery.low)],
  ];
  return (
    <div class="stat-cards rf-stats">
      {items.map(([k, label, v]) => (
        <div class="stat" data-stat={k}>
          <div class="stat-value">{v}</div>
          <div class="stat-label">{label}</div>
        </div>
      ))}
    </div>
  );
}

/** A noise-floor sparkline scaled to its own min..max (dBm are negative: the kit's is for counts). */
function NoiseSpark({ values, label }: { values: number[]; label: string }) {
  const w = 140;
  const h = 30;
  if (values.length < 2)
    return <span class="muted small">{values.length === 1 ? 'one sample' : 'no samples'}</span>;
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const span = Math.max(1, hi - lo);
  const step = w / (values.length - 1);
  const pts = values.map(
    (v, i) => `${(i * step).toFixed(1)},${(h - 3 - ((v - lo) / span) * (h - 6)).toFixed(1)}`,
  );
  return (
    <svg
      class="sparkline nf-spark"
      viewBox={`0 0 ${w} ${h}`}
      preserveAspectRatio="none"
      role="img"
      aria-label={label}
    >
      <polyline points={pts.join(' ')} class="spark-line" fill="none" vector-effect="non-scaling-stroke" />
    </svg>
  );
}

function TileSpark({ o, range }: { o: ObserverMetricsSummaryItem; range: RfRange }) {
  const st = useAnalytic<ObserverMetricsResponse>(metricsPath(o.observer_id, range), { refreshMs: 60_000 });
  const values = (st.data?.metrics ?? []).map((m) => m.noise_floor).filter((v): v is number => v !== null);
  if (st.data === null) return <span class="muted small">{st.error ? 'no series' : 'loading…'}</span>;
  const label =
    values.length === 0
      ? 'no noise-floor samples'
      : `noise floor over the range: ${values.length} samples, ${dbm(Math.min(...values))} to ${dbm(Math.max(...values))}`;
  return <NoiseSpark values={values} label={label} />;
}

export function ObserverGrid({
  d,
  range,
  selected,
}: {
  d: ObserverMetricsSummaryResponse;
  range: RfRange;
  selected: string | null;
}) {
  return (
    <ul class="rf-grid" aria-label="Observers">
      {d.observers.map((o) => {
        const on = selected !== null && selected.toUpperCase() === o.observer_id.toUpperCase();
        return (
          <li class={`rf-tile${on ? ' rf-tile-on' : ''}`} data-observer={o.observer_id}>
            <button
              type="button"
              class="rf-tile-pick"
              aria-pressed={on}
              onClick={() => setParams({ observer: on ? null : o.observer_id })}
            >
              <span class="rf-tile-name">{o.observer_name ?? o.observer_id.slice(0, 8)}</span>
              {o.iata ? <span class="pill">{o.iata}</span> : null}
            </button>
            <ObserverStatus status={o.status} />
            <div class="rf-tile-nf">
              <span class="num rf-nf" data-field="noise">
                {dbm(o.current_noise_floor)}
              </span>
              <TileSpark o={o} range={range} />
            </div>
            <div class="rf-tile-row muted small">
              <span>
                TX{' '}
                <span class="num" data-field="tx">
                  {pct(o.tx_airtime_pct)}
                </span>
              </span>
              <span>
                RX{' '}
                <span class="num" data-field="rx">
                  {pct(o.rx_airtime_pct)}
                </span>
              </span>
              <span>
                <span class="num" data-field="battery">
                  {volts(o.battery_mv)}
                </span>
              </span>
              {o.reboots > 0 ? (
                <span>
                  <span class="num">{o.reboots}</span> reboot{o.reboots === 1 ? '' : 's'}
                </span>
              ) : null}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
