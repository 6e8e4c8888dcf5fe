// The observer's status metrics (/observers/<id>/metrics?since=<N>d): noise floor, TX/RX
// airtime and battery, with the reboots the server detected drawn as markers. One shared
// request for the three cards; 5-minute samples up to 7 days, hourly beyond.
import type { ObserverMetricsResponse } from '../../../../src/api/contract';
import { count } from '../../app/format';
import { clientConfig } from '../../app/server-state';
import { useAnalytic, type AnalyticState } from '../../app/use-analytic';
import { AnalyticCard } from '../../components/analytic-card';
import { Chart, type ChartSeries } from '../../components/chart';
import type { ObserverRange } from './range';

type M = ObserverMetricsResponse;
type Point = M['metrics'][number];

const secs = (iso: string) => Date.parse(iso) / 1000;
const has = (m: M, pick: (p: Point) => number | null) => m.metrics.some((p) => pick(p) !== null);
const EMPTY = 'No status messages with this value in the range (the observer may not send them).';

function rebootMarkers(m: M) {
  return m.reboots.map((r) => ({ x: secs(r), label: 'reboot', color: '--bad' }));
}

function rebootText(m: M): string {
  return m.reboots.length === 0
    ? 'No reboot in the range.'
    : `${m.reboots.length} reboot${m.reboots.length === 1 ? '' : 's'}: ${m.reboots.join(', ')}.`;
}

/** min / max / latest of one value, for the chart's text alternative. */
function spread(m: M, pick: (p: Point) => number | null): { min: number; max: number; last: number } | null {
  const vals = m.metrics.map(pick).filter((v): v is number => v !== null);
  if (vals.length === 0) return null;
  return { min: Math.min(...vals), max: Math.max(...vals), last: vals[vals.length - 1] };
}

/** The battery axis: the readings and both thresholds in view, with a margin. */
function batteryRange(
  s: { min: number; max: number } | null,
  th: { lowMv: number; criticalMv: number } | undefined,
): [number, number] {
  const vals = [...(s ? [s.min, s.max] : []), ...(th ? [th.lowMv, th.criticalMv] : [])];
  if (vals.length === 0) return [3000, 4300];
  return [Math.min(...vals) - 100, Math.max(...vals) + 100];
}

export function MetricsCards({ id, range }: { id: string; range: ObserverRange }) {
  const resolution = range.days <= 7 ? '5m' : '1h';
  const st = useAnalytic<M>(
    `/observers/${encodeURIComponent(id)}/metrics?since=${range.days}d&resolution=${resolution}`,
    { refreshMs: 30_000 },
  );
  return (
    <>
      <NoiseCard st={st} />
      <AirtimeCard st={st} />
      <BatteryCard st={st} />
    </>
  );
}

const SAMPLES_HOW = (
  <p>
    From the observer's status messages, stored as one sample per 5 minutes (hourly means beyond 7 days). A
    reboot is the uptime going backwards between two samples; no counter delta is computed across it, so a
    reboot never shows as a spike.
  </p>
);

function NoiseCard({ st }: { st: AnalyticState<M> }) {
  const pick = (p: Point) => p.noise_floor;
  return (
    <AnalyticCard
      id="obs-noise"
      title="Noise floor (dBm)"
      state={st}
      empty={(m) => !has(m, pick)}
      emptyText={EMPTY}
      how={SAMPLES_HOW}
    >
      {(m) => {
        const s = spread(m, pick)!;
        return (
          <Chart
            time
            x={m.metrics.map((p) => secs(p.timestamp))}
            series={[
              {
                label: 'Noise floor',
                values: m.metrics.map(pick),
                color: '--chart-4',
                format: (v) => `${v} dBm`,
              },
            ]}
            yLabel="dBm"
            markers={rebootMarkers(m)}
            summary={`Noise floor over ${m.metrics.length} samples: latest ${s.last} dBm, lowest ${s.min}, highest ${s.max}. ${rebootText(m)}`}
          />
        );
      }}
    </AnalyticCard>
  );
}

function AirtimeCard({ st }: { st: AnalyticState<M> }) {
  const tx = (p: Point) => p.tx_airtime_pct;
  const rx = (p: Point) => p.rx_airtime_pct;
  return (
    <AnalyticCard
      id="obs-airtime"
      title="Airtime (% of wall time)"
      state={st}
      empty={(m) => !has(m, tx) && !has(m, rx)}
      emptyText={EMPTY}
      how={
        <p>
          The radio's cumulative TX and RX airtime counters, differenced between consecutive samples and
          divided by the wall time between them. Samples right after a reboot have no delta (shown as a gap).
        </p>
      }
    >
      {(m) => {
        const t = spread(m, tx);
        const r = spread(m, rx);
        const series: ChartSeries[] = [
          { label: 'TX', values: m.metrics.map(tx), color: '--chart-1', format: (v) => `${v} %` },
          { label: 'RX', values: m.metrics.map(rx), color: '--chart-2', format: (v) => `${v} %` },
        ];
        return (
          <Chart
            time
            x={m.metrics.map((p) => secs(p.timestamp))}
            series={series}
            yLabel="%"
            yRange={[0, null]}
            markers={rebootMarkers(m)}
            summary={`Airtime: TX latest ${t ? `${t.last} %` : 'none'} (max ${t ? `${t.max} %` : 'none'}), RX latest ${r ? `${r.last} %` : 'none'} (max ${r ? `${r.max} %` : 'none'}). ${rebootText(m)}`}
          />
        );
      }}
    </AnalyticCard>
  );
}

function BatteryCard({ st }: { st: AnalyticState<M> }) {
  const pick = (p: Point) => p.battery_mv;
  const th = clientConfig.value?.batteryThresholds;
  return (
    <AnalyticCard
      id="obs-battery"
      title="Battery (mV) and reboots"
      state={st}
      wide
      empty={(m) => !has(m, pick) && m.reboots.length === 0}
      emptyText={EMPTY}
      how={
        <>
          {SAMPLES_HOW}
          <p>
            Dashed red lines are reboots; the horizontal lines are the server's low and critical battery
            levels.
          </p>
        </>
      }
    >
      {(m) => {
        const s = spread(m, pick);
        return (
          <>
            <Chart
              time
              x={m.metrics.map((p) => secs(p.timestamp))}
              series={[
                {
                  label: 'Battery',
                  values: m.metrics.map(pick),
                  color: '--chart-5',
                  format: (v) => `${v} mV`,
                },
              ]}
              yLabel="mV"
              yRange={batteryRange(s, th)}
              markers={rebootMarkers(m)}
              hlines={
                th
                  ? [
                      { y: th.lowMv, label: `low ${th.lowMv} mV`, color: '--warn' },
                      { y: th.criticalMv, label: `critical ${th.criticalMv} mV`, color: '--bad' },
                    ]
                  : []
              }
              summary={`Battery over ${m.metrics.length} samples: ${s ? `latest ${s.last} mV, lowest ${s.min} mV` : 'no battery readings'}. ${rebootText(m)}`}
            />
            <p class="obs-reboots" data-reboots={String(m.reboots.length)}>
              <span class="num">{count(m.reboots.length)}</span> reboot{m.reboots.length === 1 ? '' : 's'} in
              the range
              {m.truncated ? ' (sample list truncated by the server)' : ''}.
            </p>
          </>
        );
      }}
    </AnalyticCard>
  );
}
