// Smaller panels of the node page, each loading on its own: paths through the node, clock skew
// (with its basis), battery (with the server's low/critical thresholds).
import type { ComponentChildren } from 'preact';
import type {
  NodeBatteryResponse,
  NodeClockSkewResponse,
  NodePathsResponse,
} from '../../../src/api/contract';
import { ApiError } from '../app/api';
import { count, duration } from '../app/format';
import { href } from '../app/router';
import { useApi } from '../app/use-api';
import { clientConfig } from '../app/server-state';
import { Card, Time } from '../components/bits';
import { DataState } from '../components/page';

/** A card two grid columns wide on desktop (tables need the room), one on phones. */
export function WideCard({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <section class="card card-span2" aria-label={title}>
      <h2 class="card-title">{title}</h2>
      {children}
    </section>
  );
}

/** A "no data" answer (404 of a node without samples) is a state, not an error. */
const noData = (e: Error | null) => e instanceof ApiError && e.status === 404;

export function PathsCard({ pk }: { pk: string }) {
  const r = useApi<NodePathsResponse>(`/nodes/${pk}/paths`, { ttlMs: 30_000 });
  const paths = r.data?.paths.slice(0, 6) ?? [];
  return (
    <WideCard title="Paths through this node">
      {r.data && paths.length > 0 ? (
        <ol class="paths">
          {paths.map((p) => (
            <li>
              <span class="path-hops">
                {p.hops.map((h, i) => (
                  <>
                    {i > 0 ? <span aria-hidden="true"> → </span> : null}
                    {h.pubkey ? (
                      <a href={href(`nodes/${h.pubkey}`)} class={h.pubkey === pk ? 'self' : ''}>
                        {h.name ?? h.prefix}
                      </a>
                    ) : (
                      <code class="hex" title="unresolved or ambiguous prefix">
                        {h.prefix}?
                      </code>
                    )}
                  </>
                ))}
              </span>{' '}
              <span class="muted num">{count(p.count)}×</span>
            </li>
          ))}
        </ol>
      ) : (
        <DataState
          loading={r.loading}
          error={noData(r.error) ? null : r.error}
          empty={r.data !== null || noData(r.error)}
          emptyText="No path through this node seen."
        />
      )}
    </WideCard>
  );
}

const SEVERITY_CLASS: Record<string, string> = {
  ok: 'status-active',
  warning: 'status-degraded',
  critical: 'status-silent',
  absurd: 'status-silent',
};

export function ClockSkewCard({ pk }: { pk: string }) {
  const r = useApi<NodeClockSkewResponse>(`/nodes/${pk}/clock-skew`, { ttlMs: 30_000 });
  const d = r.data;
  const skew = d ? (d.recentMedianSkewSec ?? d.medianSkewSec) : null;
  return (
    <Card title="Clock skew">
      {d && skew !== null ? (
        <>
          <p class="skew-value">
            <span class="num big">
              {skew < 0 ? 'behind by ' : 'ahead by '}
              {duration(Math.abs(skew) * 1000)}
            </span>{' '}
            <span class={`status ${SEVERITY_CLASS[d.severity] ?? 'status-unknown'}`}>
              {d.severity.replace('_', ' ')}
            </span>
          </p>
          <p class="muted small" data-field="skew-basis">
            from {count(d.sampleCount)} advert{d.sampleCount === 1 ? '' : 's'}
            {d.calibrated ? ', corrected by observer offsets' : ', not corrected (observers uncalibrated)'}
            {d.driftPerDaySec ? ` · drift ${d.driftPerDaySec.toFixed(1)} s/day` : ''}
            {d.clockReset ? ' · clock reset seen' : ''}
          </p>
        </>
      ) : (
        <DataState
          loading={r.loading}
          error={noData(r.error) ? null : r.error}
          empty={d !== null || noData(r.error)}
          emptyText="No data: no advert timestamps to compare yet."
        />
      )}
    </Card>
  );
}

export function BatteryCard({ pk }: { pk: string }) {
  const r = useApi<NodeBatteryResponse>(`/nodes/${pk}/battery?days=7`, { ttlMs: 30_000 });
  const th = clientConfig.value?.batteryThresholds;
  const d = r.data;
  const word = d?.status === 'critical' ? 'critical' : d?.status === 'low' ? 'low' : 'ok';
  const cls = { ok: 'status-active', low: 'status-degraded', critical: 'status-silent' }[word];
  return (
    <Card title="Battery">
      {d && d.latest_mv !== null ? (
        <>
          <p>
            <span class="num big">{count(d.latest_mv)} mV</span>{' '}
            <span class={`status ${cls}`}>
              <span aria-hidden="true">{word === 'ok' ? '●' : word === 'low' ? '◐' : '○'}</span> {word}
            </span>
          </p>
          <p class="muted small">
            <Time t={d.latest_at} /> · {count(d.samples.length)} readings in {d.days} days · low below{' '}
            {count(th?.lowMv ?? d.thresholds.low_mv)} mV, critical below{' '}
            {count(th?.criticalMv ?? d.thresholds.critical_mv)} mV
          </p>
        </>
      ) : (
        <DataState
          loading={r.loading}
          error={r.error}
          empty={d !== null}
          emptyText={`No data: no battery reading in the last ${d?.days ?? 7} days.`}
        />
      )}
    </Card>
  );
}
