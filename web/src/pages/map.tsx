// Placeholder until this page is built (issue 11).
import { Page } from '../components/page';
import type { PageProps } from '../app/routes';

export default function MapPage(_props: PageProps) {
  return (
    <Page name="map" title="Map" loaded={true}>
      <p>This page is being built.</p>
    </Page>
  );
}
