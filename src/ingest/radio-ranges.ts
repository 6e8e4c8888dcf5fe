// The radio values meshlens stores, and their plausible ranges: one definition for MQTT
// uploads (observer-message.ts: a value outside is dropped to null, like an unparseable one)
// and for POST /api/packets (its JSON schema answers 400 outside them). LoRa SNR lies within
// about −30…+20 dB and RSSI within about −150…0 dBm; the ranges leave margin for odd hardware
// but keep out garbage such as ±1e308 (issue 13 #7). Score is the uploader's integer packet score.
export const RADIO_RANGES = {
  snr: { min: -100, max: 100 },
  rssi: { min: -200, max: 50 },
  score: { min: -1_000_000, max: 1_000_000 },
} as const;

export type RadioField = keyof typeof RADIO_RANGES;

/** `value` when it lies in the field's plausible range, else null. */
export function plausible(field: RadioField, value: number | null): number | null {
  if (value === null) return null;
  const r = RADIO_RANGES[field];
  return value >= r.min && value <= r.max ? value : null;
}
