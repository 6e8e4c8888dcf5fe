// #/tools/prefix: the Prefix Tool as a page of its own (the same component as the dashboard's
// Prefix Tool tab). Deep links `?prefix=3A` and `?generate=2` run by themselves.
import { useState } from 'preact/hooks';
import type { PageProps } from '../app/routes';
import { LoadGate } from '../components/analytic-card';
import { Page } from '../components/page';
import '../styles/analytics.css';
import { PrefixTool } from './prefix-tool/prefix-tool-view';

export default function PrefixToolPage(_p: PageProps) {
  const [loaded, setLoaded] = useState(false);
  return (
    <Page name="prefix-tool" title="Prefix tool" loaded={loaded}>
      <p class="muted page-intro">
        Which repeaters use a key prefix, which prefixes are shared, and a free one for a new node.
      </p>
      <LoadGate onLoaded={setLoaded}>
        <PrefixTool />
      </LoadGate>
    </Page>
  );
}
