// RF / Signal tab (spec frontend §3 #2): SNR and RSSI histograms with their statistics, the SNR
// vs RSSI scatter over quality zones, SNR by payload type, signal over time and the packet-size
// histogram, all from one /analytics/rf snapshot (region, window, area).
import type { ComponentChildren } from 'preact';
import type { HistogramBins, RfAnalyticsResponse, SignalSummary } from '../../../../src/api/contract';
import { count, rssi, unit } from '../../app/format';
import { useAnalytic } from '../../app/use-analytic';
import { AnalyticCard } from '../../components/analytic-card';
import { Chart } from '../../components/chart';
import '../../styles/analytics-i12a.css';
import { analyticsPath, type TabProps } from './context';
import { bins, fillHours, histogramSummary } from './rf-series';
import { SnrByType } from './snr-by-type';

/** SNR quality zones (dB): margin above LoRa's demodulation floor (about −10 dB at SF8). */
export const SNR_ZONES = [
  { from: -12, to: -7.5, color: '--chart-zone-bad', name: 'poor (< −7.5 dB)' },
  { from: -7.5, to: 0, color: '--chart-zone-fair', name: 'fair (−7.5…0 dB)' },
  { from: 0, to: 15, color: '--chart-zone-good', name: 'good (≥ 0 dB)' },
] as const;

function SignalStats({ s, u, digits }: { s: SignalSummary; u: string; digits: number }) {
  // SNR at its 0.25 dB resolution; RSSI in whole dBm (format.ts rssi), the mean with one decimal.
  const f = (v: number) => (u === 'dBm' ? rssi(v) : unit(v, u, digits));
  return (
    <ul class="sig-stats num" aria-label="Statistics">
      <li>
        min <b>{f(s.min)}</b>
      </li>
      <li>
        mean <b>{unit(s.avg, u, digits)}</b>
      </li>
      <li>
        median <b>{f(s.median)}</b>
      </li>
      <li>
        max <b>{f(s.max)}</b>
      </li>
      <li>
        σ <b>{unit(s.stddev, u, 2)}</b>
      </li>
    </ul>
  );
}

function Histogram(p: {
  h: HistogramBins;
  s: SignalSummary;
  u: string;
  name: string;
  color: string;
  n: number;
}) {
  const { x, y } = bins(p.h);
  const f = (v: number) => unit(v, p.u, 2);
  return (
    <>
      <SignalStats s={p.s} u={p.u} digits={p.u === 'dB' ? 2 : 1} />
      <Chart
        x={x}
        series={[{ label: 'Observations', values: y, kind: 'bars', color: p.color }]}
        xLabel={`${p.name} (${p.u}, bin start)`}
        yLabel="observations"
        summary={
          `${p.name} of ${count(p.n)} observations: min ${f(p.s.min)}, mean ${f(p.s.avg)}, median ` +
          `${f(p.s.median)}, max ${f(p.s.max)}, σ ${f(p.s.stddev)}. ${histogramSummary(p.h, p.u)}`
        }
      />
    </>
  );
}

function Scatter({ d }: { d: RfAnalyticsResponse }) {
  // uPlot wants ascending x: points sorted by SNR.
  const pts = [...d.scatterData].sort((a, b) => a.snr - b.snr || a.rssi - b.rssi);
  const zoneCount = SNR_ZONES.map(
    (z) => pts.filter((q) => q.snr >= z.from && (q.snr < z.to || z.to === 15)).length,
  );
  return (
    <Chart
      x={pts.map((q) => q.snr)}
      series={[{ label: 'Observation', values: pts.map((q) => q.rssi), kind: 'points', color: '--chart-2' }]}
      xRange={[-12, 15]}
      yRange={[-130, -5]}
      xLabel="SNR (dB)"
      yLabel="RSSI (dBm)"
      bands={SNR_ZONES.map((z) => ({ from: z.from, to: z.to, color: z.color, axis: 'x' as const }))}
      height={260}
      summary={
        `${count(pts.length)} observations with SNR and RSSI; ` +
        SNR_ZONES.map((z, i) => `${count(zoneCount[i])} ${z.name}`).join(', ') +
        '.'
      }
    />
  );
}

function SignalOverTime({ d }: { d: RfAnalyticsResponse }) {
  const rows = d.signalOverTime;
  const snr = fillHours(rows, (r) => r.avgSnr, null);
  const n = fillHours(rows, (r) => r.count);
  const lo = rows.reduce((a, r) => (r.avgSnr < a.avgSnr ? r : a), rows[0]);
  const hi = rows.reduce((a, r) => (r.avgSnr > a.avgSnr ? r : a), rows[0]);
  // A line needs two hours: with fewer, bars and a point (still on a one-hour-padded axis).
  const few = snr.x.length < 2;
  const dB = (v: number) => unit(v, 'dB', 2);
  return (
    <Chart
      x={snr.x}
      time
      xRange={[snr.x[0] - 1800, snr.x[snr.x.length - 1] + 1800]}
      series={[
        {
          label: 'Observations with SNR',
          values: n.y,
          kind: few ? 'bars' : 'area',
          color: '--chart-1',
          scale: 'y2',
        },
        {
          label: 'Average SNR (dB)',
          values: snr.y,
          kind: few ? 'points' : 'line',
          color: '--chart-3',
          format: dB,
        },
      ]}
      yLabel="avg SNR (dB)"
      yRange={[Math.floor(lo.avgSnr) - 2, Math.ceil(hi.avgSnr) + 2]}
      y2Label="observations"
      y2Range={[0, null]}
      summary={
        `Average SNR per hour over ${rows.length} hours: lowest ${dB(lo.avgSnr)} at ${lo.hour}:00 UTC, ` +
        `highest ${dB(hi.avgSnr)} at ${hi.hour}:00 UTC.`
      }
    />
  );
}

function PacketSizes({ d }: { d: RfAnalyticsResponse }) {
  const { x, y } = bins(d.packetSizes);
  return (
    <Chart
      x={x}
      series={[{ label: 'Transmissions', values: y, kind: 'bars', color: '--chart-5' }]}
      xLabel="frame size (bytes, bin start)"
      yLabel="transmissions"
      summary={
        `Packet sizes of ${count(d.totalTransmissions)} transmissions: min ${d.minPacketSize} B, average ` +
        `${d.avgPacketSize} B, max ${d.maxPacketSize} B. ${histogramSummary(d.packetSizes, 'B')}`
      }
    />
  );
}

/** The "how this is computed" note of each card. */
const HOW: Record<string, () => ComponentChildren> = {
  'snr-histogram': () => (
    <p>
      Every observation that reported an SNR (at the radio's 0.25 dB resolution), in 20 equal bins from the
      lowest to the highest value. Median is the upper median, σ the population standard deviation, as in the
      reference. With no SNR at all meshlens says so instead of drawing zeros.
    </p>
  ),
  'rssi-histogram': () => (
    <p>
      Every observation that reported an RSSI, in 20 equal bins (dBm). RSSI includes the noise, so a strong
      RSSI with a poor SNR points at local interference rather than distance.
    </p>
  ),
  'snr-rssi-scatter': () => (
    <p>
      One point per observation with both values; above 500 points every n-th is kept (500–999 points), as in
      the reference. Zones shade the SNR margin above LoRa's demodulation floor (about −10 dB at SF8): poor
      below −7.5 dB, fair to 0 dB, good above. RSSI is not zoned: the noise floor differs per observer.
    </p>
  ),
  'snr-by-type': () => (
    <p>
      Observations with an SNR grouped by the payload type of their transmission: count, mean, min and max.
      The bar spans min to max on a scale shared by all rows, the tick marks the mean.
    </p>
  ),
  'signal-over-time': () => (
    <p>
      Per UTC hour: the mean SNR of the observations received in it (line, left axis) over how many there were
      (area, right axis). An hour with no SNR is a gap in the line, not a zero.
    </p>
  ),
  'packet-sizes': () => (
    <p>
      The frame length in bytes (header, path and payload) of each distinct transmission once, in 25 equal
      bins from the smallest to the largest. The average is rounded down to whole bytes, as in the reference.
    </p>
  ),
};

export default function RfTab(p: TabProps) {
  const st = useAnalytic<RfAnalyticsResponse>(
    analyticsPath('/analytics/rf', p, ['region', 'window', 'area']),
  );
  const noSnr = (d: RfAnalyticsResponse) => d.totalPackets === 0;
  const noSnrText = 'No observation in this selection reported an SNR.';
  return (
    <div class="agrid">
      <AnalyticCard
        id="snr-histogram"
        title="SNR distribution"
        state={st}
        empty={noSnr}
        emptyText={noSnrText}
        how={HOW['snr-histogram']()}
      >
        {(d) => (
          <Histogram h={d.snrValues} s={d.snr} u="dB" name="SNR" color="--chart-1" n={d.totalPackets} />
        )}
      </AnalyticCard>
      <AnalyticCard
        id="rssi-histogram"
        title="RSSI distribution"
        state={st}
        empty={(d) => d.rssiValues.bins.length === 0}
        emptyText="No observation in this selection reported an RSSI."
        how={HOW['rssi-histogram']()}
      >
        {(d) => (
          <Histogram
            h={d.rssiValues}
            s={d.rssi}
            u="dBm"
            name="RSSI"
            color="--chart-2"
            n={d.rssiValues.bins.reduce((a, b) => a + b.count, 0)}
          />
        )}
      </AnalyticCard>
      <AnalyticCard
        id="snr-rssi-scatter"
        title="SNR vs RSSI"
        state={st}
        empty={(d) => d.scatterData.length === 0}
        emptyText="No observation reported both SNR and RSSI."
        how={HOW['snr-rssi-scatter']()}
      >
        {(d) => <Scatter d={d} />}
      </AnalyticCard>
      <AnalyticCard
        id="snr-by-type"
        title="SNR by payload type"
        state={st}
        empty={(d) => d.snrByType.length === 0}
        emptyText={noSnrText}
        how={HOW['snr-by-type']()}
      >
        {(d) => <SnrByType rows={d.snrByType} />}
      </AnalyticCard>
      <AnalyticCard
        id="signal-over-time"
        title="Signal over time"
        state={st}
        wide
        empty={(d) => d.signalOverTime.length === 0}
        emptyText={noSnrText}
        how={HOW['signal-over-time']()}
      >
        {(d) => <SignalOverTime d={d} />}
      </AnalyticCard>
      <AnalyticCard
        id="packet-sizes"
        title="Packet size"
        state={st}
        wide
        empty={(d) => d.packetSizes.bins.length === 0}
        how={HOW['packet-sizes']()}
      >
        {(d) => <PacketSizes d={d} />}
      </AnalyticCard>
    </div>
  );
}
