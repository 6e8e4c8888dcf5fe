// Placeholder until this page is built (issue 11).
import { Page } from '../components/page';
import type { PageProps } from '../app/routes';

export default function PacketsPage(_props: PageProps) {
  return (
    <Page name="packets" title="Packets" loaded={true}>
      <p>This page is being built.</p>
    </Page>
  );
}
