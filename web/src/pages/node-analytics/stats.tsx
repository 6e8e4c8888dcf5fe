// The headline numbers of a node's analytics (stat cards) and the rest of `computedStats`.
import type { NodeAnalyticsResponse } from '../../../../src/api/contract';
import { count, duration, isoUtc } from '../../app/format';
import { Stat } from '../../components/bits';

type Stats = NodeAnalyticsResponse['computedStats'];

/** What a grade means (spec analytics §7.2's bands over the mean and deviation of the SNR). */
const GRADE_HINT: Record<string, string> = {
  A: 'mean SNR above 15 dB, steady (deviation under 2 dB)',
  'A-': 'mean SNR above 15 dB',
  'B+': 'mean SNR above 12 dB, deviation under 3 dB',
  B: 'mean SNR above 8 dB',
  C: 'mean SNR above 3 dB',
  D: 'mean SNR 3 dB or less, or no SNR reading',
};

export function StatCards({ s, hasSnr }: { s: Stats; hasSnr: boolean }) {
  return (
    <div class="stat-cards" data-field="stat-cards">
      <Stat label="Availability" value={`${s.availabilityPct.toFixed(1)} %`} hint="hours with a packet" />
      <Stat
        label={hasSnr ? 'Signal grade' : 'Signal grade (no SNR)'}
        value={<span data-stat="grade">{s.signalGrade}</span>}
        hint={GRADE_HINT[s.signalGrade]}
      />
      <Stat
        label="Packets per day"
        value={<span data-stat="per-day">{s.avgPacketsPerDay.toFixed(1)}</span>}
      />
      <Stat label="Observers" value={<span data-stat="observers">{count(s.uniqueObservers)}</span>} />
      <Stat
        label="Relayed (multi-hop)"
        value={<span data-stat="relay">{`${s.relayPct.toFixed(1)} %`}</span>}
      />
      <Stat
        label="Longest silence"
        value={<span data-stat="silence">{s.totalPackets < 2 ? '—' : duration(s.longestSilenceMs)}</span>}
      />
    </div>
  );
}

export function ComputedStats({ d }: { d: NodeAnalyticsResponse }) {
  const s = d.computedStats;
  return (
    <dl class="na-kv" data-field="computed-stats">
      <dt>Packets</dt>
      <dd class="num" data-stat="total">
        {count(s.totalPackets)}
      </dd>
      <dt>Window</dt>
      <dd>
        {isoUtc(d.timeRange.from)} → {isoUtc(d.timeRange.to)} ({d.timeRange.days} d)
      </dd>
      <dt>Mean SNR</dt>
      <dd class="num">
        {d.snrTrend.length > 0 ? `${s.snrMean.toFixed(1)} dB ± ${s.snrStdDev.toFixed(1)}` : '—'}
      </dd>
      <dt>Distinct peers</dt>
      <dd class="num" data-stat="peers">
        {count(s.uniquePeers)}
      </dd>
      <dt>Longest silence from</dt>
      <dd>{s.longestSilenceStart ? isoUtc(s.longestSilenceStart) : '—'}</dd>
      <dt>First seen</dt>
      <dd>{isoUtc(d.node.first_seen)}</dd>
      <dt>Adverts (all time)</dt>
      <dd class="num">{count(d.node.advert_count)}</dd>
    </dl>
  );
}
