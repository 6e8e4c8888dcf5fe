// Link model: log-distance path loss with a fixed per-link shadowing term, per-packet fading and
// an SNR demodulation floor. Numbers are plausible for MeshCore's US preset (910.525 MHz,
// 62.5 kHz, SF7): repeaters on hills reach ~25-35 km, handhelds ~10 km.
import type { Prng } from './prng.js';

/** Path loss at 1 km, dB: free space at 910 MHz (~92 dB) plus ground clutter at antenna height. */
const PATH_LOSS_1KM_DB = 120;
/** Log-distance exponent (3 = suburban/rolling terrain). */
const PATH_LOSS_EXPONENT = 3.5;
/** Standard deviation of the static per-link shadowing, dB. */
export const SHADOWING_SIGMA_DB = 6;
/** Standard deviation of per-packet fading, dB. */
export const FADING_SIGMA_DB = 2.5;
/** LoRa SF7 demodulates down to about -7.5 dB SNR (Semtech datasheet); we use it as the floor. */
export const DEMOD_FLOOR_SNR_DB = -7.5;
/** Links whose mean SNR is this far below the floor are never heard and are not stored. */
const LINK_MARGIN_DB = 3 * FADING_SIGMA_DB;
/** Packets lost to collisions and interference regardless of SNR. */
export const COLLISION_LOSS = 0.03;

export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const r = Math.PI / 180;
  const dLat = (lat2 - lat1) * r;
  const dLon = (lon2 - lon1) * r;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Mean received power, dBm, before shadowing. `gainDb` is the sum of both ends' antenna/height gain. */
export function meanRssiDbm(txPowerDbm: number, gainDb: number, distanceKm: number): number {
  const d = Math.max(distanceKm, 0.05);
  return txPowerDbm + gainDb - (PATH_LOSS_1KM_DB + 10 * PATH_LOSS_EXPONENT * Math.log10(d));
}

/** Whether a link with this mean SNR can ever be heard (kept in the adjacency lists). */
export function isUsableLink(meanSnrDb: number): boolean {
  return meanSnrDb >= DEMOD_FLOOR_SNR_DB - LINK_MARGIN_DB;
}

/**
 * One packet over a link: returns the received SNR in quarter-dB steps (as the firmware reports
 * it), or NaN when the packet is lost.
 */
export function receiveSnr(rng: Prng, meanSnrDb: number): number {
  const snr = meanSnrDb + rng.normal() * FADING_SIGMA_DB;
  if (snr < DEMOD_FLOOR_SNR_DB || rng.next() < COLLISION_LOSS) return NaN;
  // `+ 0` turns -0 into 0, which JSON would otherwise print as 0 anyway.
  return Math.round(Math.min(snr, 15) * 4) / 4 + 0;
}

/**
 * LoRa time on air in ms (spec packet-format §12: Semtech AN1200.13, CRC on, explicit header,
 * MeshCore's preamble of 32 symbols at SF <= 8, else 16).
 */
export function airtimeMs(payloadBytes: number, bwKhz: number, sf: number, cr: number): number {
  const tsym = 2 ** sf / bwKhz; // ms
  const de = tsym >= 16 ? 1 : 0;
  const num = 8 * payloadBytes - 4 * sf + 44;
  const den = 4 * (sf - 2 * de);
  const symbols = num <= 0 ? 8 : 8 + Math.ceil(num / den) * cr;
  const preamble = sf <= 8 ? 32 : 16;
  return (preamble + 4.25 + symbols) * tsym;
}
