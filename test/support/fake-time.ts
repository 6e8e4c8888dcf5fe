// Fake time for tests of timer-driven code (schedulers, caches, flush timers): node:test's
// mock.timers with setTimeout, setInterval and Date faked, driven in small steps. Between steps
// pending promise callbacks run (a real setImmediate), so async code interleaves with the fake
// clock as it would with the real one - but a test that "waits" 1.2 s takes milliseconds.
import type { TestContext } from 'node:test';
import type { UntilOptions } from './until.js';

/** 2026-05-17T12:00:00Z: fake time starts here unless told otherwise. */
export const FAKE_EPOCH_MS = Date.UTC(2026, 4, 17, 12);

export interface FakeTime {
  /** Fake epoch ms (the faked Date.now). */
  now(): number;
  /** Moves fake time forward `ms` in steps of `stepMs`, running due timers and promise callbacks. */
  advance(ms: number, stepMs?: number): Promise<void>;
  /** Advances until `check` holds; rejects after `timeoutMs` of fake time. */
  advanceUntil(check: () => boolean, opts?: Pick<UntilOptions, 'timeoutMs' | 'what'>): Promise<void>;
  /** Advances until `promise` settles (a stop() that waits for a pass sleeping on fake time). */
  settle<T>(promise: Promise<T>, opts?: Pick<UntilOptions, 'timeoutMs' | 'what'>): Promise<T>;
}

/** Lets every callback queued so far, and what those queue in turn, run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Enables fake timers for the rest of test `t` (node:test restores the real ones after it). */
export function useFakeTime(t: TestContext, startMs = FAKE_EPOCH_MS): FakeTime {
  const timers = t.mock.timers;
  timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: startMs });
  const step = async (ms: number) => {
    timers.tick(ms);
    await settle();
    // Timers due now (setTimeout(fn, 0) from the callbacks just run) fire at this instant too.
    timers.tick(0);
    await settle();
  };
  const fake: FakeTime = {
    now: () => Date.now(),
    async advance(ms, stepMs = 1) {
      for (let left = ms; left > 0; left -= stepMs) await step(Math.min(stepMs, left));
    },
    async advanceUntil(check, { timeoutMs = 15_000, what = 'a condition' } = {}) {
      const deadline = Date.now() + timeoutMs;
      await settle();
      while (!check()) {
        if (Date.now() >= deadline) throw new Error(`timed out waiting for ${what} (${timeoutMs} fake ms)`);
        await step(1);
      }
    },
    async settle(promise, opts) {
      let done = false;
      const tracked = promise.finally(() => (done = true));
      tracked.catch(() => undefined); // rejections surface on the await below
      await fake.advanceUntil(() => done, { what: 'a promise to settle', ...opts });
      return tracked;
    },
  };
  return fake;
}
