// Lenient readers for the loosely typed fields real uploaders send (spec ingest-store-api
// §1.2-1.3): numbers as strings with unit suffixes, booleans as words, free-text names.

// Longest suffix first so that "dBm" is not read as "dB" + "m".
const unitSuffix = /\s*(dbm|db|mw|km|mi|m)$/i;

/** A finite number from a number or numeric string ("-7.5dB", " 12 "); null otherwise. */
export function readNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const text = value.trim().replace(unitSuffix, '');
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

/** readNumber rounded to an integer (INTEGER columns). */
export function readInteger(value: unknown): number | null {
  const n = readNumber(value);
  return n === null ? null : Math.round(n);
}

/** The first key of `keys` present (not undefined/null) in `obj`, e.g. SNR before snr. */
export function pick(obj: Record<string, unknown>, ...keys: string[]): unknown {
  for (const key of keys) if (obj[key] !== undefined && obj[key] !== null) return obj[key];
  return undefined;
}

const controlChars = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Free text for names and versions: control characters removed (they corrupt logs and the UI),
 * trimmed, capped at `maxChars`; null when nothing is left.
 */
export function readText(value: unknown, maxChars = 100): string | null {
  if (typeof value !== 'string') return null;
  // Fast path (most names): nothing to strip and short enough that no code point can be cut.
  if (value.length <= maxChars && !controlChars.test(value)) {
    const text = value.trim();
    return text === '' ? null : text;
  }
  const text = [...value.replace(/[\u0000-\u001f\u007f-\u009f]/g, '').trim()].slice(0, maxChars).join('');
  return text === '' ? null : text;
}

/** `repeat` (firmware 1.16+): bool, on/off/true/false/1/0/yes/no, or a number (spec §1.3). */
export function readFlag(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value !== 0 : null;
  if (typeof value !== 'string') return null;
  const word = value.trim().toLowerCase();
  if (['on', 'true', '1', 'yes'].includes(word)) return true;
  if (['off', 'false', '0', 'no'].includes(word)) return false;
  return null;
}

export interface RadioSettings {
  freqMHz: number;
  bandwidthKHz: number;
  spreadingFactor: number;
  codingRate: number;
}

/** The status `radio` string "freq MHz, bandwidth kHz, SF, CR" (spec §1.3); null if malformed. */
export function parseRadio(value: unknown): RadioSettings | null {
  if (typeof value !== 'string') return null;
  const parts = value.split(',').map((p) => readNumber(p));
  if (parts.length !== 4 || parts.some((p) => p === null)) return null;
  const [freqMHz, bandwidthKHz, spreadingFactor, codingRate] = parts as number[];
  return { freqMHz, bandwidthKHz, spreadingFactor, codingRate };
}
