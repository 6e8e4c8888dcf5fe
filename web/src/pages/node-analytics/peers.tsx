// The peers table: the nodes whose packets this node carried most (its adverts' advertisers).
import type { NodeAnalyticsResponse } from '../../../../src/api/contract';
import { count, shortKey } from '../../app/format';
import { href } from '../../app/router';
import { Time } from '../../components/bits';
import { SortTable } from '../../components/data-views';

type Peer = NodeAnalyticsResponse['peerInteractions'][number];

export function PeersTable({ peers }: { peers: Peer[] }) {
  return (
    <SortTable<Peer>
      caption="Peers by packets"
      class="peers-table"
      rows={peers}
      rowKey={(p) => p.peer_key}
      initial={{ key: 'messageCount', desc: true }}
      columns={[
        {
          key: 'peer_name',
          label: 'Peer',
          sort: (p) => (p.peer_name || p.peer_key).toLowerCase(),
          render: (p) => <a href={href(`nodes/${p.peer_key}`)}>{p.peer_name || shortKey(p.peer_key)}</a>,
        },
        { key: 'messageCount', label: 'Packets', num: true, render: (p) => count(p.messageCount) },
        {
          key: 'lastContact',
          label: 'Last',
          sort: (p) => Date.parse(p.lastContact),
          render: (p) => <Time t={p.lastContact} />,
        },
      ]}
    />
  );
}
