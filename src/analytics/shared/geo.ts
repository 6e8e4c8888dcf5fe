// Geographic helpers for analytics (spec analytics §0 "HasGPS", §3.3 haversine).

const EARTH_RADIUS_KM = 6371;
const RAD = Math.PI / 180;

/** A position counts only when both coordinates are present and it is not (0, 0) (spec §0). */
export function hasGps(lat: number, lon: number): boolean {
  return Number.isFinite(lat) && Number.isFinite(lon) && !(lat === 0 && lon === 0);
}

/** Great-circle distance in km on a sphere of radius 6371 km (spec §3.3). */
export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Squared equirectangular distance (degrees², longitude scaled by cos of the mean latitude). */
export function equirectSq(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const x = (lon2 - lon1) * Math.cos(((lat1 + lat2) / 2) * RAD);
  const y = lat2 - lat1;
  return x * x + y * y;
}
