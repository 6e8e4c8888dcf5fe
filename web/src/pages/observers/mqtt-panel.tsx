// MQTT sources panel: is the pipeline alive? One card per source with its state as glyph + word +
// colour, the last message's age and the counters; "connected but silent" is its own (yellow) state.
import type { MqttStatusResponse } from '../../../../src/api/contract';
import { count } from '../../app/format';
import { useApi } from '../../app/use-api';
import { Time } from '../../components/bits';
import { DataState } from '../../components/page';
import { sourceHealth, type SourceHealth } from './observer-status';

const GLYPH: Record<SourceHealth, string> = { receiving: '●', quiet: '◐', down: '✕' };
const WORD: Record<SourceHealth, string> = {
  receiving: 'receiving',
  quiet: 'silent while connected',
  down: 'down',
};

const unixIso = (s: number) => (s > 0 ? new Date(s * 1000).toISOString() : null);

export function MqttPanel() {
  const { data, error, loading } = useApi<MqttStatusResponse>('/mqtt/status', { refreshMs: 10_000 });
  const sources = data?.sources ?? [];
  return (
    <section class="card mqtt-panel" aria-labelledby="mqtt-title" data-mqtt-loaded={data ? 'true' : 'false'}>
      <h2 class="card-title" id="mqtt-title">
        MQTT sources
      </h2>
      <DataState
        loading={loading && !data}
        error={data ? null : error}
        empty={!!data && sources.length === 0}
        emptyText="No MQTT source is configured."
      />
      <ul class="mqtt-sources">
        {sources.map((s) => {
          const { health, reason } = sourceHealth(s);
          return (
            <li class={`mqtt-source src-${health}`} data-source={s.name}>
              <div class="mqtt-head">
                <strong class="mqtt-name">{s.name}</strong>
                <span class={`src-state src-state-${health}`} title={reason}>
                  <span aria-hidden="true">{GLYPH[health]}</span> {WORD[health]}
                </span>
              </div>
              <div class="mqtt-broker mono muted">{s.broker}</div>
              <dl class="mqtt-figures">
                <dt>Last message</dt>
                <dd>
                  <Time t={unixIso(s.lastPacketUnix)} />
                </dd>
                <dt>Last 5 min</dt>
                <dd class="num">{count(s.packetsLast5m)} msgs</dd>
                <dt>Total</dt>
                <dd class="num">{count(s.packetsTotal)} msgs</dd>
                <dt>Connects</dt>
                <dd class="num">
                  {count(s.connectCount)} / {count(s.disconnectCount)} drops
                </dd>
                {s.rejectedTotal > 0 ? (
                  <>
                    <dt>Rejected</dt>
                    <dd class="num">{count(s.rejectedTotal)}</dd>
                  </>
                ) : null}
              </dl>
              <p class="mqtt-reason">{reason}</p>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
