// #/packet/<id|hash>[?obs=<observation id>]: one packet's detail, full width.
import { Page } from '../components/page';
import { PacketDetail, packetDetailShown } from '../components/packet-detail';
import type { PageProps } from '../app/routes';

export default function PacketPage({ route, args }: PageProps) {
  const idOrHash = args[0] ?? '';
  const obsParam = route.params.get('obs');
  const obs = obsParam !== null && /^\d+$/.test(obsParam) ? Number(obsParam) : null;
  if (!idOrHash) {
    return (
      <Page name="packet" title="Packet" loaded={true}>
        <p class="state state-empty">No packet given: open one from the Packets page.</p>
      </Page>
    );
  }
  return (
    <Page name="packet" title={`Packet ${idOrHash}`} loaded={packetDetailShown.value === idOrHash}>
      <PacketDetail idOrHash={idOrHash} obs={obs} />
    </Page>
  );
}
