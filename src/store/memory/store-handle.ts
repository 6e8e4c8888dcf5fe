// The serializable description of every shared buffer a worker needs to build a StoreView:
// sent once, then kept current by the owner's chunk deltas (view.ts).
import type { StoreTables } from './tables.js';
import { INTERN_DOMAINS } from './layout.js';
import type { StoreHandle } from './view.js';

export function storeHandle(s: StoreTables): StoreHandle {
  const interns = {} as StoreHandle['interns'];
  for (const d of INTERN_DOMAINS) interns[d] = s.interns[d].handle();
  return {
    tables: {
      tx: s.tx.handle(),
      obs: s.obs.handle(),
      nodes: s.nodes.handle(),
      observers: s.observers.handle(),
    },
    heaps: { raw: s.raw.handle(), json: s.json.handle(), path: s.path.handle() },
    interns,
  };
}
