// Placeholder until this page is built (issue 11).
import { Page } from '../components/page';
import type { PageProps } from '../app/routes';

export default function ObserversPage(_props: PageProps) {
  return (
    <Page name="observers" title="Observers" loaded={true}>
      <p>This page is being built.</p>
    </Page>
  );
}
