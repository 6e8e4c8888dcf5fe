// RF Health tab (spec frontend §3 #12): the observers' radio health from their status messages,
// over the tab's own range (1 h … 30 d or custom; URL `range`, `from`, `to`). A fleet card (the
// summary's numbers and a grid of observers with noise-floor sparklines) and, for the observer
// chosen in the grid (URL `observer`), its noise floor, airtime, error rate and battery over time.
import type { ObserverMetricsResponse, ObserverMetricsSummaryResponse } from '../../../../src/api/contract';
import { route } from '../../app/router';
import { useAnalytic } from '../../app/use-analytic';
import { AnalyticCard } from '../../components/analytic-card';
import '../../styles/analytics-i12e.css';
import type { TabProps } from './context';
import { ObserverDetail } from './rf-health/detail';
import { FleetStats, ObserverGrid } from './rf-health/fleet';
import { metricsPath, summaryPath } from './rf-health/paths';
import { RangeControl, useRfRange } from './rf-health/range';

export default function RfHealthTab(_p: TabProps) {
  const range = useRfRange();
  const selected = route.value.params.get('observer');
  const summary = useAnalytic<ObserverMetricsSummaryResponse>(summaryPath(range), { refreshMs: 30_000 });
  const detail = useAnalytic<ObserverMetricsResponse>(selected ? metricsPath(selected, range) : null, {
    refreshMs: 60_000,
  });
  return (
    <>
      <RangeControl range={range} />
      <div class="agrid">
        <AnalyticCard
          id="rf-fleet"
          title={
            <>
              Observers' radio health (
              {range.key === 'custom' ? `custom, summary over ${range.window}` : range.key})
            </>
          }
          state={summary}
          wide
          empty={(d) => d.observers.length === 0}
          emptyText="No observer sent a status message with radio stats in this range."
          how={
            <>
              <p>
                From the observers' status messages (noise floor, airtime and error counters, battery,
                uptime), stored one sample per interval. Per observer: the current and average noise floor,
                airtime as the counters' growth over the range as a share of the time, receive errors /
                (errors + packets received), reboots (uptime going backwards). An observer is offline when its
                newest sample is over 15 min old, low on battery under the configured threshold.
              </p>
              <p>
                The reference names every field "_24h" whatever the window and has no reboot detection. A
                custom range's summary covers the shortest window reaching back to its start (the summary ends
                now); the sparklines and the detail use the exact range.
              </p>
            </>
          }
        >
          {(d) => (
            <>
              <FleetStats d={d} />
              <ObserverGrid d={d} range={range} selected={selected} />
              {d.capped ? (
                <p class="muted small">Only the newest samples were read (the range holds more).</p>
              ) : null}
            </>
          )}
        </AnalyticCard>
        {selected ? <ObserverDetail st={detail} id={selected} /> : null}
      </div>
    </>
  );
}
