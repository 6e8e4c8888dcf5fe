// SNR by payload type: a sortable table whose last column draws each type's min–max span with
// its mean marked, on one scale shared by all rows (so rows compare at a glance).
import type { RfAnalyticsResponse } from '../../../../src/api/contract';
import { count, unit } from '../../app/format';
import { SortTable } from '../../components/data-views';
import { typeNameLabel, typeToken } from './rf-series';
import { PAYLOAD_TYPE } from '../../app/mesh';

type Row = RfAnalyticsResponse['snrByType'][number];

const token = (name: string) => typeToken(name in PAYLOAD_TYPE ? name : 'UNKNOWN');

export function SnrByType({ rows }: { rows: Row[] }) {
  const lo = Math.min(...rows.map((r) => r.min));
  const hi = Math.max(...rows.map((r) => r.max));
  const pos = (v: number) => (hi > lo ? ((v - lo) / (hi - lo)) * 100 : 50);
  const dB = (v: number) => unit(v, 'dB', 2);
  return (
    <SortTable
      caption="SNR by payload type"
      rows={rows}
      rowKey={(r) => r.name}
      initial={{ key: 'count', desc: true }}
      columns={[
        {
          key: 'name',
          label: 'Type',
          sort: (r) => typeNameLabel(r.name),
          render: (r) => (
            <span title={r.name}>
              <span class="type-swatch" aria-hidden="true" style={{ background: `var(${token(r.name)})` }} />
              {typeNameLabel(r.name)}
            </span>
          ),
        },
        { key: 'count', label: 'Observations', num: true, render: (r) => count(r.count) },
        { key: 'avg', label: 'Avg SNR', num: true, render: (r) => dB(r.avg) },
        { key: 'min', label: 'Min', num: true, render: (r) => dB(r.min) },
        { key: 'max', label: 'Max', num: true, render: (r) => dB(r.max) },
        {
          key: 'range',
          label: 'Range',
          sort: (r) => r.max - r.min,
          render: (r) => (
            <span class="snr-range" aria-hidden="true" title={`${dB(r.min)} … ${dB(r.max)}`}>
              <span
                class="snr-range-span"
                style={{
                  left: `${pos(r.min)}%`,
                  width: `${Math.max(1, pos(r.max) - pos(r.min))}%`,
                  background: `var(${token(r.name)})`,
                }}
              />
              <span class="snr-range-avg" style={{ left: `${pos(r.avg)}%` }} />
            </span>
          ),
        },
      ]}
    />
  );
}
