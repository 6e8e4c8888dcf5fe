// #/observers/<id>?range=1d|7d|30d: one observer's info grid (model, firmware, radio, battery,
// noise floor, uptime, clock offset with its basis), packets over time, packet types, SNR
// distribution and recent packets. Unknown ids get a not-found state, not an error.
import type {
  ObserverAnalyticsResponse,
  ObserverClockSkewItem,
  ObserverItem,
} from '../../../../src/api/contract';
import { ApiError } from '../../app/api';
import { count, duration, isoUtc, NO_DATA, safeJson, snr, unit } from '../../app/format';
import { typeColor, typeLabel } from '../../app/mesh';
import { href, param, setParams } from '../../app/router';
import { clientConfig } from '../../app/server-state';
import { useApi } from '../../app/use-api';
import { Card, StatusBadge, Time, TypeBadge } from '../../components/bits';
import { DataState, Page } from '../../components/page';
import { batteryText, observerStatus, offsetText, radioText } from './observer-status';
import { LastPacket } from './list';
import { TimelineChart } from './timeline-chart';

const RANGES = [
  { value: '1d', days: 1, label: '1 d', bucket: '1 h' },
  { value: '7d', days: 7, label: '7 d', bucket: '4 h' },
  { value: '30d', days: 30, label: '30 d', bucket: '1 d' },
];

function useRange() {
  return RANGES.find((r) => r.value === param('range')) ?? RANGES[1];
}

export function ObserverDetail({ id }: { id: string }) {
  const range = useRange();
  const enc = encodeURIComponent(id);
  const info = useApi<ObserverItem>(`/observers/${enc}`, { refreshMs: 30_000 });
  const notFound = info.error instanceof ApiError && info.error.status === 404;
  const stats = useApi<ObserverAnalyticsResponse>(
    notFound ? null : `/observers/${enc}/analytics?days=${range.days}`,
  );
  const skew = useApi<ObserverClockSkewItem[]>(notFound ? null : '/observers/clock-skew');
  const o = info.data;
  const title = o ? o.name || o.id.slice(0, 8) : notFound ? 'Observer not found' : 'Observer';
  return (
    <Page
      name="observer"
      title={title}
      loaded={notFound || (!!o && !!stats.data)}
      actions={o ? <RangePicker current={range.value} /> : null}
    >
      <p class="obs-back">
        <a href={href('observers')}>← All observers</a>
      </p>
      {notFound ? (
        <p class="state state-empty" data-not-found="true">
          No observer with id <code class="hex">{id}</code> is known (or it is hidden).
        </p>
      ) : (
        <DataState loading={info.loading && !o} error={o ? null : info.error} />
      )}
      {o ? <InfoGrid o={o} skew={skew.data?.find((s) => s.observerID === o.id) ?? null} /> : null}
      {o ? <StatsSection a={stats.data} error={stats.error} loading={stats.loading} range={range} /> : null}
    </Page>
  );
}

function RangePicker({ current }: { current: string }) {
  return (
    <div class="range-picker" role="group" aria-label="Range">
      {RANGES.map((r) => (
        <button
          type="button"
          aria-pressed={r.value === current}
          onClick={() => setParams({ range: r.value })}
        >
          {r.label}
        </button>
      ))}
    </div>
  );
}

function ClockText({ o, skew }: { o: ObserverItem; skew: ObserverClockSkewItem | null }) {
  if (skew)
    return (
      <>
        <span class="num">{offsetText(skew.offsetSec)}</span>{' '}
        <span class="muted">
          {skew.method === 'uploader-clock'
            ? `from ${count(skew.samples)} uploader timestamps`
            : `ingest latency vs other observers, ${count(skew.samples)} samples (no own clock)`}
        </span>
      </>
    );
  if (o.clock_naive)
    return (
      <>
        <span class="num">{offsetText(o.clock_skew_seconds)}</span>{' '}
        <span class="muted">naive clock, {count(o.clock_skew_count_24h)} readings in 24 h</span>
      </>
    );
  return <span class="muted">not calibrated yet</span>;
}

function InfoGrid({ o, skew }: { o: ObserverItem; skew: ObserverClockSkewItem | null }) {
  const st = observerStatus(o, clientConfig.value?.healthThresholds);
  const low = clientConfig.value?.batteryThresholds.lowMv;
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
      <span class={low && o.battery_mv !== null && o.battery_mv < low ? 'obs-low' : undefined}>
        {batteryText(o.battery_mv)}
        {low && o.battery_mv !== null && o.battery_mv < low ? ' (low)' : ''}
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

function StatsSection(props: {
  a: ObserverAnalyticsResponse | null;
  error: Error | null;
  loading: boolean;
  range: (typeof RANGES)[number];
}) {
  const { a, range } = props;
  if (!a) return <DataState loading={props.loading} error={props.error} />;
  const points = a.timeline.map((t, i) => ({
    label: t.label,
    packets: t.count,
    nodes: a.nodesTimeline[i]?.count ?? 0,
  }));
  const peakNodes = a.nodesTimeline.reduce((m, t) => Math.max(m, t.count), 0);
  const total = a.timeline.reduce((s, t) => s + t.count, 0);
  return (
    <>
      <div class="stats obs-range-stats">
        <div class="stat" data-stat="observations">
          <div class="stat-value num">{count(total)}</div>
          <div class="stat-label">observations in {range.label}</div>
        </div>
        <div class="stat" data-stat="nodes">
          <div class="stat-value num">{count(peakNodes)}</div>
          <div class="stat-label">nodes heard (busiest {range.bucket})</div>
        </div>
      </div>
      <div class="grid obs-charts">
        <Card title={`Packets over time (per ${range.bucket}, UTC)`} wide>
          {points.length === 0 ? (
            <DataState empty />
          ) : (
            <TimelineChart points={points} bucketLabel={range.bucket} />
          )}
        </Card>
        <Card title="Packet types">
          <Bars
            rows={Object.entries(a.packetTypes)
              .map(([t, c]) => ({
                key: t,
                label: <TypeBadge type={Number(t)} />,
                count: c,
                color: typeColor(Number(t)),
                name: typeLabel(Number(t)),
              }))
              .sort((x, y) => y.count - x.count)}
          />
        </Card>
        <Card title="SNR distribution (dB)">
          <Bars
            rows={a.snrDistribution.map((b) => ({
              key: b.range,
              label: b.range.replace('-', '−'),
              count: b.count,
              name: `${b.range} dB`,
            }))}
          />
        </Card>
      </div>
      <RecentPackets rows={a.recentPackets} />
    </>
  );
}

interface BarRow {
  key: string;
  label: preact.ComponentChildren;
  name: string;
  count: number;
  color?: string;
}

/** Horizontal bars as a definition list: readable, accessible, no chart library. */
function Bars({ rows }: { rows: BarRow[] }) {
  if (rows.length === 0) return <DataState empty />;
  const max = Math.max(1, ...rows.map((r) => r.count));
  return (
    <ul class="hbars">
      {rows.map((r) => (
        <li class="hbar" data-key={r.key}>
          <span class="hbar-label">{r.label}</span>
          <span class="hbar-track" aria-hidden="true">
            <span
              class="hbar-fill"
              style={{ width: `${(r.count / max) * 100}%`, background: r.color ?? 'var(--accent)' }}
            />
          </span>
          <span class="hbar-count num" aria-label={`${r.name}: ${r.count}`}>
            {count(r.count)}
          </span>
        </li>
      ))}
    </ul>
  );
}

function RecentPackets({ rows }: { rows: ObserverAnalyticsResponse['recentPackets'] }) {
  return (
    <Card title="Recent packets" wide>
      {rows.length === 0 ? (
        <DataState empty />
      ) : (
        <div class="table-wrap" tabIndex={0} role="region" aria-label="Recent packets table">
          <table class="obs-recent">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Hash</th>
                <th scope="col">Type</th>
                <th scope="col" class="num">
                  Hops
                </th>
                <th scope="col" class="num">
                  SNR
                </th>
                <th scope="col" class="num">
                  RSSI
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((p) => (
                <tr data-hash={p.hash}>
                  <td>
                    <Time t={p.timestamp} />
                  </td>
                  <td>
                    <a class="hex" href={href(`packets/${p.hash}`)}>
                      {p.hash.toUpperCase()}
                    </a>
                  </td>
                  <td>
                    <TypeBadge type={p.payload_type} />
                  </td>
                  <td class="num">{safeJson<string[]>(p.path_json, []).length}</td>
                  <td class="num">{snr(p.snr)}</td>
                  <td class="num">{unit(p.rssi, 'dBm', 0)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
