// Picking the relay behind one ambiguous hop prefix from a short candidate list, for per-request
// resolution (/api/resolve-hops) where building the dataset-wide HopResolver is out of the
// question. The same tiers as hop-resolver.ts (spec analytics §0); tier 1 (neighbour affinity,
// t2) asks the caller for each candidate's strongest edge to the known neighbours of the hop
// (the previous/next hop, sender, observer) in the latest graph snapshot:
//   1. the candidate whose edge score is ≥ 3× the runner-up's, on ≥ 3 sightings;
//   2. the GPS candidate nearest (equirectangular) to the centroid of the GPS context nodes;
//   3. the GPS candidate with the most adverts, ties to the lowest public key;
//   4. the same over all candidates.
import { equirectSq, hasGps } from './geo.js';
import type { ResolveTier } from './hop-resolver.js';

export interface HopCandidate {
  publicKey: string;
  lat: number | null;
  lon: number | null;
  advertCount: number;
}

const gps = (c: { lat: number | null; lon: number | null }): boolean =>
  c.lat !== null && c.lon !== null && hasGps(c.lat, c.lon);

function mostAdverts<T extends HopCandidate>(list: readonly T[]): T {
  let best = list[0];
  for (const c of list)
    if (
      c.advertCount > best.advertCount ||
      (c.advertCount === best.advertCount && c.publicKey < best.publicKey)
    )
      best = c;
  return best;
}

/**
 * The candidate a hop most plausibly names, given the positions of nodes known to be involved
 * (`context`: sender, observer, uniquely resolved hops). Null for an empty list.
 */
export function chooseHopCandidate<T extends HopCandidate>(
  candidates: readonly T[],
  context: ReadonlyArray<{ lat: number | null; lon: number | null }>,
  affinity?: (candidate: T) => { score: number; count: number } | null,
): { pick: T; tier: ResolveTier } | null {
  if (candidates.length === 0) return null;
  if (candidates.length === 1) return { pick: candidates[0], tier: 'unique_prefix' };
  if (affinity) {
    // t2: tier 1, the rule of hop-resolver.ts (ratio 3, at least 3 sightings).
    let win: T | null = null;
    let winScore = 0;
    let winCount = 0;
    let runnerUp = 0;
    for (const c of candidates) {
      const a = affinity(c);
      const s = a?.score ?? 0;
      if (s > winScore) {
        runnerUp = winScore;
        win = c;
        winScore = s;
        winCount = a!.count;
      } else if (s > runnerUp) runnerUp = s;
    }
    if (win !== null && winScore >= 3 * runnerUp && winCount >= 3)
      return { pick: win, tier: 'neighbor_affinity' };
  }
  const located = candidates.filter(gps);
  const anchors = context.filter(gps);
  if (located.length > 0 && anchors.length > 0) {
    const lat = anchors.reduce((n, c) => n + (c.lat as number), 0) / anchors.length;
    const lon = anchors.reduce((n, c) => n + (c.lon as number), 0) / anchors.length;
    let best = located[0];
    let bestD = Infinity;
    for (const c of located) {
      const d = equirectSq(lat, lon, c.lat as number, c.lon as number);
      if (d < bestD || (d === bestD && c.publicKey < best.publicKey)) {
        best = c;
        bestD = d;
      }
    }
    return { pick: best, tier: 'gps_centroid' };
  }
  if (located.length > 0) return { pick: mostAdverts(located), tier: 'advert_count_gps' };
  return { pick: mostAdverts(candidates), tier: 'advert_count' };
}
