// What a node's own adverts say about its path hash size (spec analytics §4.2): the sizes (1-3
// bytes) of its recent non-zero-hop adverts, oldest first, give the latest size, the set seen, and
// whether it "varies". Shared by the analytics (hash-collisions, multi-byte capability) and the
// store's per-node enrichment of /api/nodes, so both say the same about a node.

export interface PathHashSizeVerdict {
  /** Latest size (1-3); 0 = no advert. */
  hashSize: number;
  /** Bit k-1 set when size k was seen. */
  sizesBits: number;
  inconsistent: boolean;
}

/**
 * The verdict over sizes in time order. "Varies" only with ≥ 3 adverts, ≥ 2 sizes, ≥ 2
 * transitions, and the last three not all equal (recency settling, CoreScope #1726).
 */
export function pathHashSizeVerdict(sizes: ArrayLike<number>): PathHashSizeVerdict {
  const m = sizes.length;
  if (m === 0) return { hashSize: 0, sizesBits: 0, inconsistent: false };
  let bits = 0;
  let transitions = 0;
  for (let k = 0; k < m; k++) {
    bits |= 1 << (sizes[k] - 1);
    if (k > 0 && sizes[k] !== sizes[k - 1]) transitions++;
  }
  const distinct = (bits & 1) + ((bits >> 1) & 1) + ((bits >> 2) & 1);
  const settled = m >= 3 && sizes[m - 1] === sizes[m - 2] && sizes[m - 2] === sizes[m - 3];
  return {
    hashSize: sizes[m - 1],
    sizesBits: bits,
    inconsistent: m >= 3 && distinct >= 2 && transitions >= 2 && !settled,
  };
}

/** Sizes seen as a sorted list, e.g. [1, 2]. */
export function sizesList(bits: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < 3; k++) if (bits & (1 << k)) out.push(k + 1);
  return out;
}
