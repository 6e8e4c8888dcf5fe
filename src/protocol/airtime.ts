// LoRa time-on-air (spec §12; Semtech AN1200.13 with CRC on and explicit header, as MeshCore
// uses) and the observer radio string `freq_MHz,bw_kHz,sf,cr`.

export interface AirtimeInput {
  /** Whole frame length in bytes (len(raw_hex) / 2). */
  payloadBytes: number;
  bandwidthKhz: number;
  spreadingFactor: number;
  /** Coding-rate denominator 5..8 (5 means 4/5). */
  codingRate: number;
  /** Preamble symbols; default is MeshCore's: 32 when SF ≤ 8, else 16. 0 falls back to 8. */
  preambleSymbols?: number;
}

/** MeshCore firmware `preambleLengthForSF`. */
export function preambleForSf(sf: number): number {
  return sf <= 8 ? 32 : 16;
}

/** Time on air in milliseconds; 0 for invalid input (SF ∉ 6..12, BW ≤ 0, CR ∉ 5..8, PL < 0). */
export function airtimeMs(input: AirtimeInput): number {
  const { payloadBytes: pl, bandwidthKhz: bw, spreadingFactor: sf, codingRate: cr } = input;
  if (!(sf >= 6 && sf <= 12) || !(bw > 0) || !(cr >= 5 && cr <= 8) || !(pl >= 0)) return 0;
  const preamble = input.preambleSymbols === undefined ? preambleForSf(sf) : input.preambleSymbols || 8;
  const tsym = 2 ** sf / (bw * 1000); // seconds
  const de = tsym >= 0.016 ? 1 : 0; // low-data-rate optimisation at ≥ 16 ms symbols
  const num = 8 * pl - 4 * sf + 44; // +28, plus 16 for the CRC
  const den = 4 * (sf - 2 * de);
  const payloadSymbols = num <= 0 ? 8 : 8 + Math.ceil(num / den) * cr;
  return (preamble + 4.25 + payloadSymbols) * tsym * 1000;
}

export interface RadioSettings {
  freqMhz: number | null;
  bandwidthKhz: number | null;
  spreadingFactor: number | null;
  codingRate: number | null;
}

function num(part: string | undefined): number | null {
  if (part === undefined) return null;
  const t = part.trim();
  if (t === '') return null;
  const v = Number(t);
  return Number.isFinite(v) ? v : null;
}

/**
 * Parses an observer's radio string (§12). Missing or non-numeric parts are null; the
 * frequency is rounded to 3 decimals because observers report float32 noise (910.5250244).
 * Returns null when the input is empty or has no numeric part at all.
 */
export function parseRadio(s: string | null | undefined): RadioSettings | null {
  if (typeof s !== 'string') return null;
  const parts = s.trim().split(',');
  const freq = num(parts[0]);
  const out: RadioSettings = {
    freqMhz: freq === null ? null : Math.round(freq * 1000) / 1000,
    bandwidthKhz: num(parts[1]),
    spreadingFactor: num(parts[2]),
    codingRate: num(parts[3]),
  };
  return Object.values(out).every((v) => v === null) ? null : out;
}
