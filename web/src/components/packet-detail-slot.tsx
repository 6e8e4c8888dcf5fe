// Where the Packets page shows the selected packet: the full PacketDetail beside the table
// (full width on phones), inside a wrapper that names the hash shown.
import { PacketDetail } from './packet-detail';

export function PacketDetailSlot(props: { hash: string; obs?: string | null; onClose?: () => void }) {
  const obs = props.obs ? Number(props.obs) : null;
  return (
    <aside class="card pk-detail" aria-label="Packet detail" data-detail-hash={props.hash}>
      <PacketDetail idOrHash={props.hash} obs={Number.isFinite(obs) ? obs : null} onClose={props.onClose} />
    </aside>
  );
}
