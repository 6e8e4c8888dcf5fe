// #/observers: online / stale / offline counts, the MQTT sources panel, and a sortable table of
// every observer (sort in the URL as `sort=col[:asc]`; the global region filter applies).
import type { ObserverClockSkewItem, ObserverItem, ObserversResponse } from '../../../../src/api/contract';
import { count, NO_DATA, parseTime, unit } from '../../app/format';
import { href, param, setParams } from '../../app/router';
import { clientConfig } from '../../app/server-state';
import { useApi } from '../../app/use-api';
import { StatusBadge, Time } from '../../components/bits';
import { useRegion } from '../../components/controls';
import { DataState, Page } from '../../components/page';
import { MqttPanel } from './mqtt-panel';
import {
  batteryText,
  observerStatus,
  offsetText,
  radioText,
  STATUS_ORDER,
  type ObserverStatus,
} from './observer-status';

interface Row {
  o: ObserverItem;
  status: ObserverStatus;
  reason: string;
  skew: ObserverClockSkewItem | null;
}

type SortValue = string | number | null;
interface Column {
  key: string;
  label: string;
  num?: boolean;
  value: (r: Row) => SortValue;
}

const COLUMNS: Column[] = [
  { key: 'status', label: 'Status', value: (r) => STATUS_ORDER[r.status] },
  { key: 'name', label: 'Name', value: (r) => (r.o.name ?? r.o.id).toLowerCase() },
  { key: 'region', label: 'Region', value: (r) => r.o.iata },
  { key: 'heard', label: 'Last heard', value: (r) => -(parseTime(r.o.last_seen) ?? -Infinity) },
  { key: 'last', label: 'Last packet', value: (r) => -(parseTime(r.o.last_packet_at) ?? -Infinity) },
  { key: 'rate', label: 'Pkts / h', num: true, value: (r) => r.o.packetsLastHour },
  { key: 'total', label: 'Total', num: true, value: (r) => r.o.packet_count },
  { key: 'radio', label: 'Radio', value: (r) => r.o.radio },
  { key: 'battery', label: 'Battery', num: true, value: (r) => r.o.battery_mv },
  { key: 'noise', label: 'Noise floor', num: true, value: (r) => r.o.noise_floor },
  { key: 'clock', label: 'Clock offset', num: true, value: (r) => clockSec(r) },
  { key: 'model', label: 'Model / firmware', value: (r) => r.o.model },
];

/** The best clock offset we know: the calibrated estimate, else the naive-clock skew. */
function clockSec(r: Row): number | null {
  if (r.skew?.method === 'uploader-clock') return r.skew.offsetSec;
  return r.o.clock_skew_seconds;
}

/** Nulls always last, whatever the direction. */
function compare(a: SortValue, b: SortValue, asc: boolean): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  const c = a < b ? -1 : 1;
  return asc ? c : -c;
}

export function parseSort(raw: string | null): { key: string; asc: boolean } {
  const [key, dir] = (raw ?? 'status:asc').split(':');
  return { key: COLUMNS.some((c) => c.key === key) ? key : 'status', asc: dir === 'asc' };
}

export function ObserversList() {
  const regions = useRegion();
  const obs = useApi<ObserversResponse>('/observers', { refreshMs: 30_000 });
  const skew = useApi<ObserverClockSkewItem[]>('/observers/clock-skew', { refreshMs: 60_000 });
  const thresholds = clientConfig.value?.healthThresholds;
  const sort = parseSort(param('sort'));
  const now = Date.now();
  const skewById = new Map((skew.data ?? []).map((s) => [s.observerID, s]));
  const rows: Row[] = (obs.data?.observers ?? [])
    .filter((o) => regions.length === 0 || (o.iata !== null && regions.includes(o.iata)))
    .map((o) => ({ o, ...observerStatus(o, thresholds, now), skew: skewById.get(o.id) ?? null }));
  const col = COLUMNS.find((c) => c.key === sort.key)!;
  rows.sort(
    (a, b) =>
      compare(col.value(a), col.value(b), sort.asc) ||
      compare(STATUS_ORDER[a.status], STATUS_ORDER[b.status], true) ||
      b.o.packetsLastHour - a.o.packetsLastHour,
  );
  const n = { online: 0, stale: 0, offline: 0 };
  for (const r of rows) n[r.status]++;
  return (
    <Page name="observers" title="Observers" loaded={!!obs.data}>
      <div class="stats obs-counts" aria-label="Observer status counts">
        {(['online', 'stale', 'offline'] as const).map((s) => (
          <div class="stat" data-count={s}>
            <div class="stat-value num">{obs.data ? count(n[s]) : NO_DATA}</div>
            <div class="stat-label">
              <StatusBadge status={s} />
            </div>
          </div>
        ))}
      </div>
      <MqttPanel />
      <DataState loading={obs.loading && !obs.data} error={obs.data ? null : obs.error} />
      {obs.data && rows.length === 0 ? (
        <p class="state state-empty">No observers{regions.length ? ` in ${regions.join(', ')}` : ''}.</p>
      ) : null}
      {rows.length > 0 ? <ObserverTable rows={rows} sort={sort} /> : null}
    </Page>
  );
}

function SortHeader({ c, sort }: { c: Column; sort: { key: string; asc: boolean } }) {
  const active = sort.key === c.key;
  const next = active
    ? !sort.asc
    : c.key === 'name' || c.key === 'region' || c.key === 'status' || c.key === 'last' || c.key === 'heard';
  return (
    <th
      class={c.num ? 'num' : undefined}
      aria-sort={active ? (sort.asc ? 'ascending' : 'descending') : undefined}
      scope="col"
    >
      <button
        class="sort"
        type="button"
        onClick={() => setParams({ sort: `${c.key}:${next ? 'asc' : 'desc'}` })}
      >
        {c.label}
        <span aria-hidden="true">{active ? (sort.asc ? ' ▲' : ' ▼') : ''}</span>
      </button>
    </th>
  );
}

function ObserverTable({ rows, sort }: { rows: Row[]; sort: { key: string; asc: boolean } }) {
  return (
    <div class="table-wrap obs-table-wrap" tabIndex={0} role="region" aria-label="Observers table">
      <table class="obs-table">
        <thead>
          <tr>
            {COLUMNS.map((c) => (
              <SortHeader c={c} sort={sort} />
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <ObserverRow r={r} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The last packet's time; "—" when packets were counted but their time was not recorded. */
export function LastPacket({ o }: { o: ObserverItem }) {
  if (o.last_packet_at === null && o.packet_count > 0)
    return (
      <span class="muted" title="not recorded for this observer">
        {NO_DATA}
      </span>
    );
  return <Time t={o.last_packet_at} />;
}

function ObserverRow({ r }: { r: Row }) {
  const o = r.o;
  const clock = clockSec(r);
  return (
    <tr data-observer={o.id}>
      <td>
        <StatusBadge status={r.status} reason={r.reason} />
      </td>
      <td class="obs-name">
        <a href={href(`observers/${encodeURIComponent(o.id)}`)}>{o.name || o.id.slice(0, 8)}</a>
      </td>
      <td>{o.iata ?? NO_DATA}</td>
      <td>
        <Time t={o.last_seen} />
      </td>
      <td>
        <LastPacket o={o} />
      </td>
      <td class="num">{count(o.packetsLastHour)}</td>
      <td class="num">{count(o.packet_count)}</td>
      <td>{radioText(o.radio)}</td>
      <td class="num">{batteryText(o.battery_mv)}</td>
      <td class="num">{unit(o.noise_floor, 'dBm', 0)}</td>
      <td
        class="num"
        title={
          r.skew ? `${r.skew.method}, ${r.skew.samples} samples` : o.clock_naive ? 'naive clock' : undefined
        }
      >
        {offsetText(clock)}
        {o.clock_naive ? <span class="pill obs-naive">naive clock</span> : null}
      </td>
      <td>{[o.model, o.firmware].filter(Boolean).join(' · ') || NO_DATA}</td>
    </tr>
  );
}
