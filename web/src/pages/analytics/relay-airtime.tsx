// Relay airtime share (spec frontend §3 #1, analytics §7.6): per payload type, its share of the
// transmissions (circle) against its share of the airtime the relays spent repeating them
// (diamond), on one 0–100 % axis: a type far right of its circle costs the mesh more than its
// count suggests (long frames, many relays). Drawn in HTML (a handful of rows), readable as text.
import type { RelayAirtimeShareResponse } from '../../../../src/api/contract';
import { count } from '../../app/format';
import { useAnalytic } from '../../app/use-analytic';
import { AnalyticCard } from '../../components/analytic-card';
import { analyticsPath, type TabProps } from './context';
import { typeNameLabel, typeToken } from './rf-series';

/** "869.6 MHz · BW 62.5 kHz · SF8 · CR 4/5". */
export function presetText(p: RelayAirtimeShareResponse['preset']): string {
  return `${(p.freq / 1e6).toFixed(3).replace(/\.?0+$/, '')} MHz · BW ${p.bw} kHz · SF${p.sf} · CR 4/${p.cr}`;
}

function Dumbbell({ d }: { d: RelayAirtimeShareResponse }) {
  return (
    <>
      <p class="dumbbell-legend" aria-hidden="true">
        <span>
          <span class="legend-dot count" />
          share of transmissions
        </span>
        <span>
          <span class="legend-dot airtime" />
          share of relay airtime
        </span>
        <span class="muted">(packets → airtime)</span>
      </p>
      <ul class="dumbbell" aria-label="Count share and relay airtime share by payload type">
        {d.rows.map((r) => {
          const lo = Math.min(r.count_pct, r.airtime_pct);
          const hi = Math.max(r.count_pct, r.airtime_pct);
          const color = `var(${typeToken(r.type)})`;
          return (
            <li class="dumbbell-row" key={r.payload_type} data-type={r.payload_type}>
              <span class="bar-label" title={r.payload_type}>
                {typeNameLabel(r.payload_type)}
              </span>
              <span class="dumbbell-track" aria-hidden="true">
                <span
                  class="dumbbell-link"
                  style={{ left: `${lo}%`, width: `${hi - lo}%`, background: color }}
                />
                <span class="dumbbell-dot count" style={{ left: `${r.count_pct}%` }} />
                <span class="dumbbell-dot airtime" style={{ left: `${r.airtime_pct}%`, background: color }} />
              </span>
              <span class="dumbbell-text num">
                <span aria-hidden="true">
                  {r.count_pct.toFixed(1)} % → {r.airtime_pct.toFixed(1)} %
                </span>
                <span class="sr-only">
                  {r.count_pct.toFixed(1)} % of packets, {r.airtime_pct.toFixed(1)} % of relay airtime
                </span>
              </span>
            </li>
          );
        })}
      </ul>
      <div class="dumbbell-axis muted" aria-hidden="true">
        <span />
        <span class="dumbbell-ticks">
          <span>0 %</span>
          <span>25 %</span>
          <span>50 %</span>
          <span>75 %</span>
          <span>100 %</span>
        </span>
        <span />
      </div>
      <p class="preset-note muted" data-preset>
        Time on air assumes the LoRa preset {presetText(d.preset)} for {count(d.total_count)} transmissions
        {d.window ? ` in the last ${d.window}` : ' (all data)'}.
      </p>
    </>
  );
}

export function RelayAirtimeCard(p: TabProps) {
  const st = useAnalytic<RelayAirtimeShareResponse>(
    analyticsPath('/analytics/relay-airtime-share', p, ['window']),
  );
  return (
    <AnalyticCard
      id="relay-airtime"
      title="Relay airtime share"
      state={st}
      empty={(d) => d.rows.length === 0}
      how={
        <p>
          Per payload type: its share of distinct transmissions, and its share of Σ (time on air of the frame
          under the assumed LoRa preset × the number of distinct relays its paths resolve to). A hop that
          resolves to no known node is not counted, so the airtime is a lower bound. This analytic takes only
          the window: region and area do not apply (as in the reference).
        </p>
      }
    >
      {(d) => <Dumbbell d={d} />}
    </AnalyticCard>
  );
}
