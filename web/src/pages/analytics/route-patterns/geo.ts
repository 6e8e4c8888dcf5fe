// Distances between a sub-path's consecutive hops, from the positions the detail answer carries.
import type { SubpathDetailResponse } from '../../../../../src/api/contract';

type DetailNode = SubpathDetailResponse['nodes'][number];

const R_KM = 6371;

/** Great-circle distance in km (haversine, the server's distance analytic uses the same radius). */
export function haversineKm(aLat: number, aLon: number, bLat: number, bLon: number): number {
  const rad = Math.PI / 180;
  const dLat = (bLat - aLat) * rad;
  const dLon = (bLon - aLon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(aLat * rad) * Math.cos(bLat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * R_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** A node has a usable position (0,0 is "no GPS" in adverts). */
export function located(n: DetailNode): n is DetailNode & { lat: number; lon: number } {
  return n.lat !== null && n.lon !== null && !(n.lat === 0 && n.lon === 0);
}

/** km between node i and i+1, or null when either position is unknown. */
export function legDistances(nodes: DetailNode[]): (number | null)[] {
  const out: (number | null)[] = [];
  for (let i = 0; i + 1 < nodes.length; i++) {
    const a = nodes[i];
    const b = nodes[i + 1];
    out.push(located(a) && located(b) ? haversineKm(a.lat, a.lon, b.lat, b.lon) : null);
  }
  return out;
}

/**
 * The sub-path's straight-line length over its positioned hops in order (hops without a
 * position are skipped, as the distance analytic does), or null with fewer than two.
 */
export function chainKm(nodes: DetailNode[]): number | null {
  const placed = nodes.filter(located);
  if (placed.length < 2) return null;
  let sum = 0;
  for (let i = 1; i < placed.length; i++)
    sum += haversineKm(placed[i - 1].lat, placed[i - 1].lon, placed[i].lat, placed[i].lon);
  return sum;
}
