// Channels tab (spec frontend §3 #4, analytics §3.4): group-channel activity from GRP_TXT
// messages: a sortable table (optionally grouped into decrypted / encrypted channels, kept in
// the URL as `group=status`), messages per hour for the busiest channels, the top senders and
// the message length histogram.
import type { ChannelAnalyticsResponse } from '../../../../src/api/contract';
import { param, setParams } from '../../app/router';
import { count } from '../../app/format';
import { useAnalytic } from '../../app/use-analytic';
import { AnalyticCard } from '../../components/analytic-card';
import { Time } from '../../components/bits';
import { Chart } from '../../components/chart';
import { BarRows, SortTable, type Column } from '../../components/data-views';
import '../../styles/analytics-i12c.css';
import { analyticsPath, type TabProps } from './context';
import { lengthHistogram, timelineSeries } from './channels-data';

type Channel = ChannelAnalyticsResponse['channels'][number];

/** The channel hash byte in decimal (as the API sends it) and hex. */
export function hashText(hash: string): string {
  const n = Number(hash);
  return Number.isInteger(n) ? `${hash} · 0x${n.toString(16).toUpperCase().padStart(2, '0')}` : hash;
}

const COLUMNS: Column<Channel>[] = [
  { key: 'name', label: 'Channel', render: (c) => <span class="ch-name">{c.name}</span> },
  { key: 'hash', label: 'Hash', sort: (c) => Number(c.hash), render: (c) => <code>{hashText(c.hash)}</code> },
  { key: 'messages', label: 'Messages', num: true },
  { key: 'senders', label: 'Senders', num: true },
  { key: 'lastActivity', label: 'Last activity', render: (c) => <Time t={c.lastActivity} /> },
  {
    key: 'encrypted',
    label: 'Encrypted',
    sort: (c) => (c.encrypted ? 1 : 0),
    render: (c) =>
      c.encrypted ? <span class="enc enc-yes">yes</span> : <span class="enc enc-no">no (decrypted)</span>,
  },
];

function ActivityTable({ d, grouped }: { d: ChannelAnalyticsResponse; grouped: boolean }) {
  const table = (rows: Channel[], caption: string) => (
    <SortTable
      caption={caption}
      columns={COLUMNS}
      rows={rows}
      initial={{ key: 'messages', desc: true }}
      rowKey={(c) => c.hash}
    />
  );
  const summary = (
    <p class="muted stat-line">
      <strong class="num">{d.activeChannels}</strong> active channels,{' '}
      <strong class="num">{d.decryptable}</strong> decryptable
    </p>
  );
  if (!grouped)
    return (
      <>
        {summary}
        {table(d.channels, 'Channel activity')}
      </>
    );
  const groups: [string, Channel[]][] = [
    ['Decrypted channels', d.channels.filter((c) => !c.encrypted)],
    ['Encrypted channels', d.channels.filter((c) => c.encrypted)],
  ];
  return (
    <>
      {summary}
      {groups.map(([title, rows]) => (
        <div class="table-group" key={title}>
          <h3 class="subhead">
            {title} ({rows.length})
          </h3>
          {rows.length > 0 ? table(rows, title) : <p class="muted">None.</p>}
        </div>
      ))}
    </>
  );
}

function GroupToggle({ grouped }: { grouped: boolean }) {
  return (
    <div class="seg" role="group" aria-label="Group channels">
      <button type="button" class="pill" aria-pressed={!grouped} onClick={() => setParams({ group: null })}>
        One list
      </button>
      <button
        type="button"
        class="pill"
        aria-pressed={grouped}
        onClick={() => setParams({ group: 'status' })}
      >
        By decryption
      </button>
    </div>
  );
}

function TimelineChart({ d }: { d: ChannelAnalyticsResponse }) {
  const t = timelineSeries(d);
  const summary =
    `Messages per hour for the ${t.series.length} busiest channels over ${t.x.length} hours: ` +
    t.peaks.map((p) => `${p.label} ${p.total} messages, peak ${p.peak} in one hour`).join('; ') +
    '.';
  return (
    <Chart
      x={t.x}
      time
      series={t.series.map((s) => ({ label: s.label, values: s.values, kind: 'line' as const }))}
      yLabel="messages / h"
      summary={summary}
    />
  );
}

function LengthChart({ d }: { d: ChannelAnalyticsResponse }) {
  const h = lengthHistogram(d.msgLengths);
  return (
    <>
      <p class="muted stat-line">
        <strong class="num">{count(d.msgLengths.length)}</strong> decrypted messages · median{' '}
        <strong class="num">{h.median} B</strong> · longest <strong class="num">{h.max} B</strong>
      </p>
      <Chart
        x={h.x}
        series={[{ label: 'Messages', values: h.counts, kind: 'bars', color: '--chart-2' }]}
        xLabel={`length in bytes (bins of ${h.width} B)`}
        yLabel="messages"
        summary={`Message length histogram in ${h.width}-byte bins: ${h.x
          .map((x, i) => `${x}–${x + h.width - 1} B: ${h.counts[i]}`)
          .join(', ')}.`}
      />
    </>
  );
}

const AREA_NOTE = 'Channel messages carry no sender key or position, so an area selects none of them.';

export default function ChannelsTab(p: TabProps) {
  const st = useAnalytic<ChannelAnalyticsResponse>(
    analyticsPath('/analytics/channels', p, ['region', 'window', 'area']),
  );
  const grouped = param('group') === 'status';
  const emptyText = p.area ? AREA_NOTE : 'No channel messages in this window.';
  const none = (d: ChannelAnalyticsResponse) => d.channels.length === 0;
  return (
    <div class="agrid">
      <AnalyticCard
        id="channel-activity"
        title="Channel activity"
        state={st}
        wide
        empty={none}
        emptyText={emptyText}
        actions={<GroupToggle grouped={grouped} />}
        how={
          <p>
            Every group text message (GRP_TXT) of the window, grouped by its one-byte channel hash. A channel
            name is shown only when it matches the hash (SHA-256 of the key), so a wrong name from a lookup
            table never labels another channel; otherwise the channel shows as <code>ch&lt;hash&gt;</code> and
            counts as encrypted. Last activity is the newest message (the reference shows the last one it
            happened to read).
          </p>
        }
      >
        {(d) => <ActivityTable d={d} grouped={grouped} />}
      </AnalyticCard>
      <AnalyticCard
        id="channel-timeline"
        title="Messages per hour by channel"
        state={st}
        wide
        empty={(d) => d.channelTimeline.length === 0}
        emptyText={emptyText}
        how={
          <p>
            Messages per UTC hour (by first sighting) for the five busiest channels and the rest together.
            Hours are ordered, then channels by name (the reference orders by hour only, so its lines could
            change order between refreshes).
          </p>
        }
      >
        {(d) => <TimelineChart d={d} />}
      </AnalyticCard>
      <AnalyticCard
        id="top-senders"
        title="Top senders"
        state={st}
        empty={(d) => d.topSenders.length === 0}
        emptyText={p.area ? AREA_NOTE : 'No decrypted messages with a sender in this window.'}
        how={
          <p>
            The 15 senders with the most decrypted channel messages; the sender is the name the message text
            carries ("Name: text"), which is not authenticated.
          </p>
        }
      >
        {(d) => (
          <BarRows
            label="Messages per sender"
            rows={d.topSenders.map((s) => ({
              key: s.name,
              label: s.name,
              value: s.count,
              text: count(s.count),
            }))}
          />
        )}
      </AnalyticCard>
      <AnalyticCard
        id="message-lengths"
        title="Message length"
        state={st}
        empty={(d) => d.msgLengths.length === 0}
        emptyText={p.area ? AREA_NOTE : 'No decrypted messages in this window.'}
        how={
          <p>
            UTF-8 byte length of each decrypted message text, including the "Sender: " prefix the firmware
            puts in front (that is what goes on air), binned here in the browser.
          </p>
        }
      >
        {(d) => <LengthChart d={d} />}
      </AnalyticCard>
    </div>
  );
}
