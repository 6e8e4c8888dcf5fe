// STUB: to be built (issue 12). Replace this file.
import type { PageProps } from '../app/routes';
import { Page } from '../components/page';

export default function StubPage(_p: PageProps) {
  return (
    <Page name="compare" title="compare" loaded={false}>
      <p class="state state-empty">Not built yet.</p>
    </Page>
  );
}
