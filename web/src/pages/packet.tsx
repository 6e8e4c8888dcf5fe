// Placeholder until this page is built (issue 11).
import { Page } from '../components/page';
import type { PageProps } from '../app/routes';

export default function PacketPage(_props: PageProps) {
  return (
    <Page name="packet" title="Packet" loaded={true}>
      <p>This page is being built.</p>
    </Page>
  );
}
