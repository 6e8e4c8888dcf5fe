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

/** Bits of Sighting.radioDropped: which stated values were out of range and dropped to null. */
export const RADIO_DROP_BIT: Readonly<Record<RadioField, number>> = { snr: 1, rssi: 2, score: 4 };

/** `plausible`, also setting the field's bit in `drops.mask` when a stated value was dropped. */
export function plausibleCounted(
  field: RadioField,
  value: number | null,
  drops: { mask: number },
): number | null {
  const kept = plausible(field, value);
  if (kept === null && value !== null) drops.mask |= RADIO_DROP_BIT[field];
  return kept;
}

/** Issue 13 #7: dropped radio values counted by reason (`snr_out_of_range`, ...) for /api/health. */
export class RadioDropCounter {
  readonly #counts = { snr_out_of_range: 0, rssi_out_of_range: 0, score_out_of_range: 0 };

  /** Counts the fields of a Sighting.radioDropped mask. */
  add(mask: number): void {
    if (mask & RADIO_DROP_BIT.snr) this.#counts.snr_out_of_range++;
    if (mask & RADIO_DROP_BIT.rssi) this.#counts.rssi_out_of_range++;
    if (mask & RADIO_DROP_BIT.score) this.#counts.score_out_of_range++;
  }

  snapshot(): { snr_out_of_range: number; rssi_out_of_range: number; score_out_of_range: number } {
    return { ...this.#counts };
  }
}
