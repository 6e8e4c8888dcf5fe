// #/observers/<id>?range=<1..30>d: one observer's info grid (model, firmware, radio, battery,
// noise floor, uptime, clock offset with its basis), a "Compare with…" shortcut, and its
// analytics: packets over time, unique nodes heard, packet types, SNR distribution, clock
// calibration, the status metrics (noise floor, airtime, battery with reboots) and recent
// packets. Every analytic sits in an AnalyticCard under one LoadGate (the page's data-loaded
// marker). Unknown ids get a not-found state, not an error.
import { useState } from 'preact/hooks';
import type { ObserverClockSkewItem, ObserverItem } from '../../../../src/api/contract';
import { ApiError } from '../../app/api';
import { count, duration, isoUtc, NO_DATA, unit } from '../../app/format';
import { href, param, setParams } from '../../app/router';
import { clientConfig } from '../../app/server-state';
import { useAnalytic } from '../../app/use-analytic';
import { useApi } from '../../app/use-api';
import { LoadGate } from '../../components/analytic-card';
import { StatusBadge, Time } from '../../components/bits';
import { DataState, Page } from '../../components/page';
import { batteryText, observerStatus, radioText } from './observer-status';
import { LastPacket } from './list';
import { AnalyticsCards, ClockCard, ClockText, RecentPacketsCard } from './detail-cards';
import { MetricsCards } from './metrics-cards';
import { rangeOf } from './range';
import '../../styles/analytics.css';
import '../../styles/analytics-i12g.css';

/** The range buttons; any whole number of days 1–30 in the URL works too. */
const PRESETS = [1, 3, 7, 14, 30];

export function ObserverDetail({ id }: { id: string }) {
  const range = rangeOf(param('range'));
  const enc = encodeURIComponent(id);
  const info = useApi<ObserverItem>(`/observers/${enc}`, { refreshMs: 30_000 });
  const notFound = info.error instanceof ApiError && info.error.status === 404;
  const [gate, setGate] = useState(false);
  const o = info.data;
  const title = o ? o.name || o.id.slice(0, 8) : notFound ? 'Observer not found' : 'Observer';
  return (
    <Page
      name="observer"
      title={title}
      loaded={notFound || (!!o && gate)}
      actions={o ? <RangePicker current={range.days} /> : null}
    >
      <p class="obs-back">
        <a href={href('observers')}>← All observers</a>
        {o ? (
          <>
            {' · '}
            <a href={href('compare', { a: o.id, b: '' })} data-compare-link>
              Compare with…
            </a>
          </>
        ) : null}
      </p>
      {notFound ? (
        <p class="state state-empty" data-not-found="true">
          No observer with id <code class="hex">{id}</code> is known (or it is hidden).
        </p>
      ) : (
        <DataState loading={info.loading && !o} error={o ? null : info.error} />
      )}
      {o ? (
        <LoadGate onLoaded={setGate}>
          <InfoGrid o={o} />
          <div class="agrid obs-agrid">
            <AnalyticsCards id={o.id} range={range} />
            <ClockCard o={o} />
            <MetricsCards id={o.id} range={range} />
            <RecentPacketsCard id={o.id} range={range} />
          </div>
        </LoadGate>
      ) : null}
    </Page>
  );
}

function RangePicker({ current }: { current: number }) {
  return (
    <div class="range-picker" role="group" aria-label="Range">
      {PRESETS.map((d) => (
        <button type="button" aria-pressed={d === current} onClick={() => setParams({ range: `${d}d` })}>
          {d} d
        </button>
      ))}
    </div>
  );
}

function InfoGrid({ o }: { o: ObserverItem }) {
  // The same snapshot the clock card reads (one shared request).
  const skews = useAnalytic<ObserverClockSkewItem[]>('/observers/clock-skew', { refreshMs: 30_000 });
  const skew = skews.data?.find((s) => s.observerID === o.id) ?? null;
  const st = observerStatus(o, clientConfig.value?.healthThresholds);
  const low = clientConfig.value?.batteryThresholds.lowMv;
  const isLow = !!low && o.battery_mv !== null && o.battery_mv < low;
  const items: [string, preact.ComponentChildren][] = [
    ['Status', <StatusBadge status={st.status} reason={st.reason} />],
    ['Region', o.iata ?? NO_DATA],
    ['Last packet', <LastPacket o={o} />],
    ['Last heard', <Time t={o.last_seen} />],
    ['Packets (total)', <span class="num">{count(o.packet_count)}</span>],
    ['Packets last hour', <span class="num">{count(o.packetsLastHour)}</span>],
    ['Model', o.model ?? NO_DATA],
    ['Firmware', o.firmware ?? NO_DATA],
    ['Client', o.client_version ?? NO_DATA],
    ['Radio', radioText(o.radio)],
    [
      'Battery',
      <span class={isLow ? 'obs-low' : undefined}>
        {batteryText(o.battery_mv)}
        {isLow ? ' (low)' : ''}
      </span>,
    ],
    ['Noise floor', unit(o.noise_floor, 'dBm', 0)],
    ['Uptime', o.uptime_secs === null ? NO_DATA : duration(o.uptime_secs * 1000)],
    ['Clock offset', <ClockText o={o} skew={skew} />],
    ['First seen', isoUtc(o.first_seen)],
    ['Relays', o.can_relay === null ? NO_DATA : o.can_relay ? 'yes' : 'no'],
    ['ID', <code class="hex obs-id">{o.id}</code>],
  ];
  return (
    <section class="card obs-info" aria-label="Observer details">
      <dl class="obs-grid">
        {items.map(([k, v]) => (
          <div class="obs-item" data-field={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
