// The seam where the Packets page shows the selected packet. A minimal stand-in (hash, type, time,
// a link to the standalone page) until the full PacketDetail component is swapped in here.
import type { PacketsPage } from '../../../src/api/contract';
import { apiPath } from '../app/api';
import { href } from '../app/router';
import { useApi } from '../app/use-api';
import { Hex, Time, TypeBadge } from './bits';
import { DataState } from './page';

export function PacketDetailSlot(props: { hash: string; obs?: string | null; onClose?: () => void }) {
  const { data, error, loading } = useApi<PacketsPage>(apiPath('/packets', { hash: props.hash, limit: 1 }));
  const p = data?.packets[0];
  return (
    <aside class="card pk-detail" aria-label="Packet detail" data-detail-hash={props.hash}>
      <div class="pk-detail-head">
        <h2 class="card-title">Packet</h2>
        {props.onClose ? (
          <button type="button" onClick={props.onClose} aria-label="Close packet detail">
            ✕
          </button>
        ) : null}
      </div>
      <DataState loading={loading && !p} error={error} empty={!!data && !p} emptyText="No such packet." />
      {p ? (
        <dl class="pk-detail-fields">
          <dt>Hash</dt>
          <dd>
            <Hex value={p.hash} />
          </dd>
          <dt>Type</dt>
          <dd>
            <TypeBadge type={p.payload_type} />
          </dd>
          <dt>First heard</dt>
          <dd>
            <Time t={p.first_seen} />
          </dd>
          {props.obs ? (
            <>
              <dt>Observation</dt>
              <dd class="num">#{props.obs}</dd>
            </>
          ) : null}
        </dl>
      ) : null}
      <p>
        <a href={href(`packet/${props.hash}`, { obs: props.obs })}>Open full packet page</a>
        {' · '}
        <a href={href(`tools/trace/${props.hash}`)}>Trace</a>
      </p>
    </aside>
  );
}
