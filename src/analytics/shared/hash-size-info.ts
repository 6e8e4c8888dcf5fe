// Per-node hash-size info (spec analytics §4.2), shared by hash-collisions and the multi-byte
// capability of hash-sizes: from each node's own non-zero-hop adverts of the last 7 days
// (relative to the injected `nowMs`), the latest size, the sizes seen, and whether it "varies".
import { pathHashSizeVerdict } from '../../protocol/path-hash-size.js';
import type { AnalyticsInput } from '../inputs/input.js';

const WINDOW_MS = 7 * 86400_000;

export interface NodeHashInfo {
  /** Latest advertised size (1-3); 0 = no recent non-zero-hop advert. */
  hashSize: Uint8Array;
  /** Bit k-1 set when size k was seen. */
  sizesSeen: Uint8Array;
  inconsistent: Uint8Array;
}

/** A zero-hop direct advert's path byte is generated locally; its size bits mean nothing (§4). */
export function isZeroHopDirect(input: AnalyticsInput, txRow: number): boolean {
  const route = input.tx.routeType(txRow);
  return (route === 2 || route === 3) && input.tx.pathHashCount(txRow) === 0;
}

export function computeNodeHashInfo(input: AnalyticsInput): NodeHashInfo {
  const { tx } = input;
  const n = input.nodes.count;
  const since = input.nowMs - WINDOW_MS;
  const series: Array<Array<[number, number]>> = new Array(n);
  for (let r = 0; r < tx.count; r++) {
    if (tx.payloadType(r) !== 4) continue;
    const node = tx.advertNode(r);
    if (node < 0 || isZeroHopDirect(input, r)) continue;
    const t = tx.firstSeenMs(r);
    if (!(t >= since)) continue;
    const size = tx.pathHashSize(r);
    if (size < 1 || size > 3) continue;
    (series[node] ??= []).push([t, size]);
  }
  const hashSize = new Uint8Array(n);
  const sizesSeen = new Uint8Array(n);
  const inconsistent = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const s = series[i];
    if (!s) continue;
    s.sort((a, b) => a[0] - b[0]); // stable: equal times keep row order
    const v = pathHashSizeVerdict(s.map((e) => e[1]));
    hashSize[i] = v.hashSize;
    sizesSeen[i] = v.sizesBits;
    inconsistent[i] = v.inconsistent ? 1 : 0;
  }
  return { hashSize, sizesSeen, inconsistent };
}
