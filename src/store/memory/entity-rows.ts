// t4: the rows of one node or observer, from the main thread's indexes, for the analytics
// workers (the per-node and per-observer analytics, analytics/compute/node-*.ts and
// observer-analytics.ts). The lists live on the main thread, so the request copies the entity's
// rows (a memcpy per list, O(the entity's rows)) and the worker reads everything else from the
// shared columns: no dataset scan on either side.
import { hopKeyOfHex } from './codec.js';
import { NONE } from './layout.js';
import type { MemoryStore } from './memory-store.js';

/**
 * A node's candidate transmission rows, ascending and distinct: its adverts plus every
 * transmission with its 1-, 2- or 3-byte key prefix as a hop (the worker decides which of those
 * the node really relayed). Empty for a key that is not 64 hex.
 */
export function nodeCandidateTxRows(store: MemoryStore, publicKey: string): Uint32Array {
  const pk = publicKey.toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(pk)) return new Uint32Array(0);
  const ix = store.indexes;
  const parts: Uint32Array[] = [];
  const id = store.interns.pubkeys.lookup(pk);
  if (id !== NONE) {
    const l = ix.byAdvertNode.get(id);
    if (l) parts.push(l.rows());
  }
  for (let s = 1; s <= 3; s++) {
    const l = ix.byHop.get(hopKeyOfHex(pk, s));
    if (l) parts.push(l.rows());
  }
  let total = 0;
  for (const p of parts) total += p.length;
  const all = new Uint32Array(total);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  all.sort();
  let w = 0;
  for (let r = 0; r < all.length; r++) if (w === 0 || all[w - 1] !== all[r]) all[w++] = all[r];
  return all.slice(0, w);
}

/** An observer's observation rows (ascending), or null when the observer is unknown. */
export function observerObservationRows(store: MemoryStore, observerId: string): Uint32Array | null {
  const row = store.observerRow(observerId);
  if (row === -1) return null;
  const l = store.indexes.obsByObserver.get(row);
  return l ? l.rows().slice() : new Uint32Array(0);
}
