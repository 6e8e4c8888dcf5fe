// Per-node hash-size info (spec analytics §4.2), shared by hash-collisions and the multi-byte
// capability of hash-sizes: from each node's own non-zero-hop adverts of the last 7 days
// (relative to the injected `nowMs`), the latest size, the sizes seen, and whether it "varies".
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
    hashSize[i] = s[s.length - 1][1];
    let transitions = 0;
    for (let k = 0; k < s.length; k++) {
      sizesSeen[i] |= 1 << (s[k][1] - 1);
      if (k > 0 && s[k][1] !== s[k - 1][1]) transitions++;
    }
    const distinct = (sizesSeen[i] & 1) + ((sizesSeen[i] >> 1) & 1) + ((sizesSeen[i] >> 2) & 1);
    // "Varies" only with ≥ 3 adverts, ≥ 2 sizes, ≥ 2 transitions, and the last three not settled (#1726).
    const m = s.length;
    const settled = m >= 3 && s[m - 1][1] === s[m - 2][1] && s[m - 2][1] === s[m - 3][1];
    if (m >= 3 && distinct >= 2 && transitions >= 2 && !settled) inconsistent[i] = 1;
  }
  return { hashSize, sizesSeen, inconsistent };
}

/** Sizes seen as a sorted list, e.g. [1, 2]. */
export function sizesList(bits: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < 3; k++) if (bits & (1 << k)) out.push(k + 1);
  return out;
}
