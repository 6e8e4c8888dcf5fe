// The one polling helper of the test suite: wait for a condition that another thread, process
// or timer makes true. It keeps real time even while a test has `mock.timers` enabled (the
// timer and clock below are captured at import), so a fake clock never stalls a real wait.
const realSetTimeout = globalThis.setTimeout;
const realNow = performance.now.bind(performance);

export interface UntilOptions {
  /** Give up after this long (default 15 s): the rejection names `what`. */
  timeoutMs?: number;
  /** Pause between checks (default 10 ms). */
  intervalMs?: number;
  /** What is awaited, for the timeout message. */
  what?: string;
  /** Treat a throwing or rejecting check as "not yet" (a server still starting up). */
  ignoreErrors?: boolean;
}

/**
 * Polls `check` until it returns a truthy value and resolves to that value; the first check
 * runs at once. Rejects with "timed out waiting for <what>" after `timeoutMs`.
 */
export async function until<T>(
  check: () => T | Promise<T>,
  { timeoutMs = 15_000, intervalMs = 10, what = 'a condition', ignoreErrors = false }: UntilOptions = {},
): Promise<NonNullable<T>> {
  const deadline = realNow() + timeoutMs;
  for (;;) {
    const value = ignoreErrors
      ? await Promise.resolve()
          .then(check)
          .catch(() => undefined)
      : await check();
    if (value) return value as NonNullable<T>;
    if (realNow() > deadline) throw new Error(`timed out waiting for ${what} (${timeoutMs} ms)`);
    await new Promise((resolve) => realSetTimeout(resolve, intervalMs));
  }
}
