// Prefix Tool tab (spec frontend §3 #16): the shared Prefix Tool (also the page #/tools/prefix).
import { PrefixTool } from '../prefix-tool/prefix-tool-view';
import type { TabProps } from './context';

export default function PrefixToolTab(_p: TabProps) {
  return <PrefixTool />;
}
