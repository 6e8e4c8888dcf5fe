// Stall detection for one MQTT source (issue 13): a broker can keep the connection alive (pings
// answered) and stop delivering. A source is silent when no message came for
//   max(floor, factor x the expected gap between messages),
// the gap taken from its own rate over the last minutes, measured when the last message came.
// Silence escalates: resubscribe first, then reconnect (again every threshold while silent);
// the first message clears it. A source is judged only once its last message came with at least
// MIN_SAMPLES in the rate window: a quiet network (a few adverts an hour) and a stalled broker
// look the same until there is a rate to compare with.

export type SilenceAction = 'none' | 'resubscribe' | 'reconnect';

export interface SilencePolicy {
  floorMs: number;
  factor: number;
}

/** The rate window: messages in the last 5 minutes (or since the first one, if later). */
const WINDOW_MS = 5 * 60_000;
/** Messages in the window needed for a rate (fewer: the source is not judged). */
const MIN_SAMPLES = 5;

export class SilenceWatch {
  #firstMs: number | null = null;
  #lastMs: number | null = null;
  #expectedGapMs: number | null = null;
  #silentSinceMs: number | null = null;
  #lastActionMs = 0;
  #stage: SilenceAction = 'none';
  resubscribes = 0;
  reconnects = 0;

  constructor(readonly policy: SilencePolicy) {}

  /** A message arrived; `inWindow` = messages in the last WINDOW_MS, this one included. */
  message(nowMs: number, inWindow: number): void {
    this.#firstMs ??= nowMs;
    this.#lastMs = nowMs;
    const spanMs = Math.max(1000, Math.min(WINDOW_MS, nowMs - this.#firstMs));
    // n messages over the span: n - 1 gaps.
    this.#expectedGapMs = inWindow >= MIN_SAMPLES ? spanMs / (inWindow - 1) : null;
    this.#silentSinceMs = null;
    this.#stage = 'none';
  }

  /** Current threshold (ms), or null while there is no rate to judge by. */
  thresholdMs(): number | null {
    if (this.#lastMs === null || this.#expectedGapMs === null) return null;
    return Math.max(this.policy.floorMs, this.policy.factor * this.#expectedGapMs);
  }

  get silent(): boolean {
    return this.#silentSinceMs !== null;
  }

  get silentSinceMs(): number | null {
    return this.#silentSinceMs;
  }

  /**
   * What to do now, given when the current subscription was confirmed (SUBACK): silence is
   * counted from the later of the last message and that, so a fresh subscription gets a
   * full threshold before it is judged.
   */
  check(nowMs: number, subscribedAtMs: number | null): SilenceAction {
    const threshold = this.thresholdMs();
    if (threshold === null || subscribedAtMs === null) return 'none';
    const quietFor = nowMs - Math.max(this.#lastMs!, subscribedAtMs);
    if (this.#silentSinceMs === null) {
      if (nowMs - this.#lastMs! <= threshold || quietFor <= threshold) return 'none';
      this.#silentSinceMs = this.#lastMs! + threshold;
      return this.#act(nowMs, 'resubscribe');
    }
    if (nowMs - this.#lastActionMs <= threshold) return 'none';
    return this.#act(nowMs, 'reconnect');
  }

  #act(nowMs: number, action: 'resubscribe' | 'reconnect'): SilenceAction {
    this.#lastActionMs = nowMs;
    this.#stage = action;
    if (action === 'resubscribe') this.resubscribes++;
    else this.reconnects++;
    return action;
  }

  get stage(): SilenceAction {
    return this.#stage;
  }
}
