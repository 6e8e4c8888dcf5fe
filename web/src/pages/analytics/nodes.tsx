// STUB: to be built (issue 12). Replace this file.
import type { TabProps } from './context';

export default function Tab(_p: TabProps) {
  return <p class="state state-empty">Not built yet.</p>;
}
