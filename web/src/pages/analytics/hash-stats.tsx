// Hash Stats tab (spec frontend §3 #5, analytics §4.1): which hop-hash size (1, 2 or 3 bytes of
// the relay's key) the mesh uses: shares by packets and by repeaters, the hourly trend, the
// busiest hop prefixes and the multi-byte adopters (filter `adopters=` in the URL). Hash sizes
// always cover all data: the window is never sent.
import { useState } from 'preact/hooks';
import type { HashSizesResponse } from '../../../../src/api/contract';
import { count } from '../../app/format';
import { param, setParams } from '../../app/router';
import { useAnalytic } from '../../app/use-analytic';
import { AnalyticCard } from '../../components/analytic-card';
import { NodeLink, RoleIcon, Time } from '../../components/bits';
import { Chart } from '../../components/chart';
import { BarRows, SortTable } from '../../components/data-views';
import { ROLE_LABEL, roleKey } from '../../app/mesh';
import '../../styles/analytics-i12c.css';
import { analyticsPath, type TabProps } from './context';
import { hourSeconds } from './channels-data';

export const SIZES = ['1', '2', '3'] as const;
export const SIZE_COLOR = { '1': '--chart-1', '2': '--chart-2', '3': '--chart-3' } as const;

/** "339 (92.9 %)": the count and its share of `total`. */
export function shareText(n: number, total: number): string {
  return `${count(n)} (${total > 0 ? ((100 * n) / total).toFixed(1) : '0.0'} %)`;
}

function ShareBars({ d }: { d: HashSizesResponse }) {
  const reps = SIZES.reduce((a, s) => a + d.distributionByRepeaters[s], 0);
  const rows = (counts: HashSizesResponse['distribution'], total: number) =>
    SIZES.map((s) => ({
      key: s,
      label: `${s}-byte`,
      value: counts[s],
      text: shareText(counts[s], total),
      color: SIZE_COLOR[s],
    }));
  return (
    <div class="share-blocks">
      <div data-share="packets">
        <h3 class="subhead">By packets ({count(d.total)} with at least one hop)</h3>
        <BarRows
          label="Share of packets by hash size"
          max={Math.max(1, d.total)}
          rows={rows(d.distribution, d.total)}
        />
      </div>
      <div data-share="repeaters">
        <h3 class="subhead">By repeaters ({count(reps)} with a known size)</h3>
        <BarRows
          label="Share of repeaters by hash size"
          max={Math.max(1, reps)}
          rows={rows(d.distributionByRepeaters, reps)}
        />
      </div>
    </div>
  );
}

function OverTime({ d }: { d: HashSizesResponse }) {
  const totals = SIZES.map((s) => d.hourly.reduce((a, h) => a + h[s], 0));
  return (
    <Chart
      x={d.hourly.map((h) => hourSeconds(h.hour))}
      time
      series={SIZES.map((s) => ({
        label: `${s}-byte`,
        values: d.hourly.map((h) => h[s]),
        color: SIZE_COLOR[s],
        kind: 'line' as const,
        dash: s === '2' ? [6, 3] : s === '3' ? [2, 3] : undefined,
      }))}
      yLabel="packets / h"
      summary={`Packets per hour by hash size over ${d.hourly.length} hours: ${SIZES.map(
        (s, i) => `${s}-byte ${totals[i]}`,
      ).join(', ')}.`}
    />
  );
}

type Hop = HashSizesResponse['topHops'][number];

function TopHops({ d }: { d: HashSizesResponse }) {
  return (
    <SortTable<Hop>
      caption="Top path hops"
      rows={d.topHops}
      initial={{ key: 'count', desc: true }}
      rowKey={(h) => h.hex}
      limit={20}
      columns={[
        { key: 'hex', label: 'Hop', render: (h) => <code class="hex">{h.hex}</code> },
        { key: 'size', label: 'Size', num: true, render: (h) => `${h.size} B` },
        { key: 'count', label: 'Packets', num: true, render: (h) => count(h.count) },
        {
          key: 'name',
          label: 'First repeater with this prefix',
          render: (h) =>
            h.pubkey ? <NodeLink pk={h.pubkey} name={h.name} /> : <span class="muted">none known</span>,
        },
      ]}
    />
  );
}

type Cap = HashSizesResponse['multiByteCapability'][number];
const STATUSES = ['confirmed', 'suspected', 'unknown'] as const;
const STATUS_GLYPH = { confirmed: '✔', suspected: '?', unknown: '–' };
const EVIDENCE = { advert: 'its adverts', path: 'hops in multi-byte paths' };

function Adopters({ d }: { d: HashSizesResponse }) {
  const raw = param('adopters');
  const filter = (STATUSES as readonly string[]).includes(raw ?? '') ? (raw as Cap['status']) : null;
  const [all, setAll] = useState(false);
  const rows = filter ? d.multiByteCapability.filter((c) => c.status === filter) : d.multiByteCapability;
  const n = (s: Cap['status']) => d.multiByteCapability.filter((c) => c.status === s).length;
  return (
    <>
      <div class="seg" role="group" aria-label="Filter adopters by status">
        <button
          type="button"
          class="pill"
          aria-pressed={filter === null}
          onClick={() => setParams({ adopters: null })}
        >
          All ({d.multiByteCapability.length})
        </button>
        {STATUSES.map((s) => (
          <button
            type="button"
            class="pill"
            data-status={s}
            aria-pressed={filter === s}
            onClick={() => setParams({ adopters: s })}
          >
            {s[0].toUpperCase() + s.slice(1)} ({n(s)})
          </button>
        ))}
      </div>
      <SortTable<Cap>
        caption="Multi-byte adopters"
        rows={rows}
        rowKey={(c) => c.pubkey}
        limit={all ? undefined : 50}
        columns={[
          { key: 'name', label: 'Node', render: (c) => <NodeLink pk={c.pubkey} name={c.name} /> },
          {
            key: 'role',
            label: 'Role',
            render: (c) => (
              <>
                <RoleIcon role={c.role} /> {ROLE_LABEL[roleKey(c.role)] ?? c.role ?? '–'}
              </>
            ),
          },
          {
            key: 'status',
            label: 'Status',
            sort: (c) => STATUSES.indexOf(c.status),
            render: (c) => (
              <span class={`cap cap-${c.status}`}>
                <span aria-hidden="true">{STATUS_GLYPH[c.status]} </span>
                {c.status}
              </span>
            ),
          },
          { key: 'evidence', label: 'Evidence', render: (c) => (c.evidence ? EVIDENCE[c.evidence] : '–') },
          { key: 'maxHashSize', label: 'Largest size', num: true, render: (c) => `${c.maxHashSize} B` },
          { key: 'lastSeen', label: 'Last seen', render: (c) => <Time t={c.lastSeen} /> },
        ]}
      />
      {rows.length > 50 ? (
        <button type="button" class="linkish" onClick={() => setAll(!all)}>
          {all ? 'Show the first 50' : `Show all ${rows.length}`}
        </button>
      ) : null}
    </>
  );
}

export default function HashStatsTab(p: TabProps) {
  const st = useAnalytic<HashSizesResponse>(analyticsPath('/analytics/hash-sizes', p, ['region', 'area']));
  return (
    <div class="agrid">
      <AnalyticCard
        id="hash-share"
        title="Hash size share"
        state={st}
        wide
        empty={(d) => d.total === 0 && d.multiByteCapability.length === 0}
        emptyText="No packet with a path in this selection."
        how={
          <>
            <p>
              The size comes from the path-length byte (top two bits + 1). By packets: every packet with at
              least one hop, over all data. By repeaters: each repeater's latest advert that travelled at
              least one hop (a zero-hop advert's size bits are set locally and mean nothing).
            </p>
            <p>
              With a region, packets heard there and adverts of nodes whose home region it is count
              (attribution: <span data-attribution>{st.data?.attributionMethod ?? '…'}</span>). An unknown
              region matches nothing (the reference shows global data); there is never a "0-byte" bucket.
            </p>
          </>
        }
      >
        {(d) => <ShareBars d={d} />}
      </AnalyticCard>
      <AnalyticCard
        id="hash-over-time"
        title="Hash size over time"
        state={st}
        wide
        empty={(d) => d.hourly.length === 0}
        how={<p>Packets with at least one hop per UTC hour (by first sighting), one line per hash size.</p>}
      >
        {(d) => <OverTime d={d} />}
      </AnalyticCard>
      <AnalyticCard
        id="top-hops"
        title="Top path hops"
        state={st}
        empty={(d) => d.topHops.length === 0}
        how={
          <p>
            Each distinct hop prefix in the paths (from the first observation of each packet), counted per
            packet; the 50 busiest are kept, 20 shown. The node is the first repeater or room whose key starts
            with the prefix, without disambiguation, so a shared prefix can name the wrong one: see Hash
            Issues.
          </p>
        }
      >
        {(d) => <TopHops d={d} />}
      </AnalyticCard>
      <AnalyticCard
        id="multibyte-adopters"
        title="Multi-byte adopters"
        state={st}
        wide
        empty={(d) => d.multiByteCapability.length === 0}
        how={
          <p>
            Every known node. Confirmed: one of its adverts of the last 7 days (or its latest) used 2 or 3
            bytes. Suspected: its 1-, 2- or 3-byte prefix appears as a hop in a multi-byte path. Unknown:
            neither. Always computed from all data. TRACE packets are left out of the path evidence (the
            reference leaves out PATH packets instead, a type-number mix-up).
          </p>
        }
      >
        {(d) => <Adopters d={d} />}
      </AnalyticCard>
    </div>
  );
}
