// Recomputer contract (spec analytics §2.4 plus what the reference never tested, §9 item 1):
// warmup gate, interval overrides, a throwing compute keeps the last snapshot, stop is
// idempotent, data-driven refresh within the CPU budget. Fake time (test/support/fake-time.ts):
// the recomputer's timers, Date clock and pass durations all run on it, so the timings asserted
// here are exact and the file takes milliseconds instead of seconds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Recomputer, type RecomputeEntry } from '../../src/analytics/engine/recomputer.js';
import { useFakeTime } from '../support/fake-time.js';

/** Pass durations on the fake clock too (the default is performance.now, which stays real). */
const fakeDurations = { monotonicNow: () => Date.now() };
/** The global setTimeout, looked up per call: fake inside useFakeTime (timers/promises is not). */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function counter(name: string, intervalMs: number, delayMs = 0): RecomputeEntry<number> & { calls: number } {
  const e = {
    name,
    intervalMs,
    calls: 0,
    compute: async () => {
      e.calls++;
      if (delayMs) await sleep(delayMs);
      return e.calls;
    },
  };
  return e;
}

test('warming up until the first pass after the store has loaded; no pass runs before', async (t) => {
  const clock = useFakeTime(t);
  let loaded = false;
  const a = counter('a', 60_000);
  const r = new Recomputer([a], {
    ...fakeDurations,
    isLoaded: () => loaded,
    dataVersion: () => 0,
    pollMs: 10,
  });
  r.start();
  await clock.advance(80);
  assert.equal(a.calls, 0, 'nothing computes over a partly loaded store');
  assert.equal(r.isWarmingUp('a'), true);
  assert.equal(r.load('a'), null);
  loaded = true;
  await clock.advanceUntil(() => !r.isWarmingUp('a'));
  assert.equal(r.load('a')!.value, 1);
  assert.equal(r.stats()[0].runs, 1);
  await clock.settle(r.stop());
});

test('a slow first pass keeps the gate closed until it finishes', async (t) => {
  const clock = useFakeTime(t);
  const a = counter('a', 60_000, 150);
  const r = new Recomputer([a], { ...fakeDurations, isLoaded: () => true, dataVersion: () => 0, pollMs: 5 });
  r.start();
  await clock.advanceUntil(() => a.calls === 1);
  assert.equal(r.isWarmingUp('a'), true);
  assert.ok(r.retryAfterS('a') >= 1);
  await clock.advanceUntil(() => !r.isWarmingUp('a'));
  assert.equal(r.load('a')!.value, 1);
  await clock.settle(r.stop());
});

test('per-analytic intervals take effect', async (t) => {
  const clock = useFakeTime(t);
  const fast = counter('fast', 40);
  const slow = counter('slow', 60_000);
  const r = new Recomputer([fast, slow], {
    ...fakeDurations,
    isLoaded: () => true,
    dataVersion: () => 0,
    pollMs: 5,
  });
  r.start();
  await clock.advance(450);
  await clock.settle(r.stop());
  assert.ok(fast.calls >= 6 && fast.calls <= 13, `fast ran ${fast.calls} times in 450 ms at 40 ms`);
  assert.equal(slow.calls, 1);
  const s = r.stats().find((x) => x.name === 'fast')!;
  assert.equal(s.intervalRuns, fast.calls - 1);
  assert.equal(s.dataDrivenRuns, 0);
});

test('a throwing compute keeps the previous snapshot, and is logged and counted', async (t) => {
  const clock = useFakeTime(t);
  let n = 0;
  const logged: Array<Record<string, unknown>> = [];
  const entry: RecomputeEntry<string> = {
    name: 'flaky',
    intervalMs: 30,
    compute: async () => {
      n++;
      if (n >= 2) throw new Error(`boom ${n}`);
      return 'good';
    },
  };
  const r = new Recomputer([entry], {
    ...fakeDurations,
    isLoaded: () => true,
    dataVersion: () => 0,
    pollMs: 5,
    log: (_m, f) => logged.push(f),
  });
  r.start();
  await clock.advanceUntil(() => n >= 4);
  await clock.settle(r.stop());
  assert.equal(r.load('flaky')!.value, 'good');
  const s = r.stats()[0];
  assert.equal(s.warmingUp, false);
  assert.equal(s.failures, n - 1);
  assert.equal(s.runs, n);
  assert.match(s.lastError!, /^boom \d+$/);
  assert.ok(s.lastErrorAt !== null);
  assert.equal(logged.length, n - 1);
  assert.equal(logged[0].analytic, 'flaky');
});

test('a first pass that throws leaves the analytic warming up and is retried soon', async (t) => {
  const clock = useFakeTime(t);
  let n = 0;
  const entry: RecomputeEntry<number> = {
    name: 'x',
    intervalMs: 60_000,
    compute: async () => {
      if (++n === 1) throw new Error('first fails');
      return n;
    },
  };
  const r = new Recomputer([entry], {
    ...fakeDurations,
    isLoaded: () => true,
    dataVersion: () => 0,
    pollMs: 5,
    minRefreshMs: 30,
  });
  r.start();
  await clock.advanceUntil(() => n >= 1);
  assert.equal(r.isWarmingUp('x'), true);
  await clock.advanceUntil(() => !r.isWarmingUp('x'), { timeoutMs: 1000 });
  assert.equal(r.load('x')!.value, 2);
  await clock.settle(r.stop());
});

test('stop is idempotent, works before start, waits for a running pass, and nothing runs after', async (t) => {
  const never = new Recomputer([counter('a', 10)], { isLoaded: () => true, dataVersion: () => 0 });
  const t0 = Date.now();
  await never.stop();
  await never.stop();
  assert.ok(Date.now() - t0 < 50, 'stop before start returns at once (the reference waited 5 s)');
  never.start();
  await sleep(30);
  assert.equal(never.stats()[0].runs, 0, 'start after stop does nothing');

  const clock = useFakeTime(t);
  const a = counter('a', 10, 60);
  const r = new Recomputer([a], { ...fakeDurations, isLoaded: () => true, dataVersion: () => 0, pollMs: 2 });
  r.start();
  r.start();
  await clock.advanceUntil(() => a.calls === 1);
  await clock.settle(Promise.all([r.stop(), r.stop()]));
  assert.equal(r.load('a')!.value, 1, 'the running pass finished before stop resolved');
  const calls = a.calls;
  await clock.advance(100);
  assert.equal(a.calls, calls);
});

test('data-driven refresh follows new data within the CPU budget', async (t) => {
  const clock = useFakeTime(t);
  let version = 0;
  const durationMs = 40;
  const entries = [counter('a', 3_600_000, durationMs), counter('b', 3_600_000, durationMs)];
  const r = new Recomputer(entries, {
    ...fakeDurations,
    isLoaded: () => true,
    dataVersion: () => version,
    pollMs: 5,
    maxCpuShare: 0.5,
    minRefreshMs: 50,
  });
  r.start();
  await clock.advanceUntil(() => entries.every((e) => e.calls === 1));
  // Quiet data: no refresh.
  await clock.advance(150);
  assert.deepEqual(
    entries.map((e) => e.calls),
    [1, 1],
  );
  // Steady ingest for 1.2 s: version moves every 5 ms.
  const t0 = Date.now();
  const ticker = setInterval(() => version++, 5);
  await clock.advance(1200);
  clearInterval(ticker);
  const elapsed = Date.now() - t0;
  const stats = r.stats();
  const dataRuns = stats.reduce((n, s) => n + s.dataDrivenRuns, 0);
  const busy = dataRuns * durationMs;
  assert.ok(dataRuns >= 6, `only ${dataRuns} data-driven passes`);
  // Budget: half a core. Passes of d ms are followed by d ms of idle; allow one pass of slack.
  assert.ok(busy <= 0.5 * elapsed + durationMs * 1.5, `${busy} ms busy in ${elapsed} ms`);
  assert.ok(Math.abs(stats[0].dataDrivenRuns - stats[1].dataDrivenRuns) <= 1, 'stalest first: both refresh');
  // After the last change each snapshot catches up within minRefresh + budget + compute time.
  const last = version;
  const changedAt = Date.now();
  await clock.advanceUntil(() => r.stats().every((s) => !s.stale), { timeoutMs: 1000 });
  assert.equal(version, last);
  assert.ok(Date.now() - changedAt < 400, `caught up after ${Date.now() - changedAt} ms`);
  await clock.settle(r.stop());
});

test('a result that saw older data (a reused snapshot) keeps the analytic dirty until one sees the current version', async (t) => {
  const clock = useFakeTime(t);
  let version = 1;
  // The compute reports the version it saw: always one behind the store until the store stops moving.
  const seen: number[] = [];
  const entry: RecomputeEntry<number> = {
    name: 'a',
    intervalMs: 60_000,
    compute: async () => {
      const v = version === 1 ? 1 : version - 1;
      seen.push(v);
      return v;
    },
  };
  const r = new Recomputer([entry], {
    ...fakeDurations,
    isLoaded: () => true,
    dataVersion: () => version,
    versionOf: (v) => v,
    minRefreshMs: 20,
    maxCpuShare: 1,
    pollMs: 5,
  });
  try {
    r.start();
    await clock.advanceUntil(() => seen.length === 1);
    version = 3; // the next pass sees 2, not 3: still stale, so another pass must follow
    await clock.advanceUntil(() => seen.includes(2));
    assert.equal(r.stats()[0].stale, true);
    await clock.advanceUntil(() => seen.length >= 3, { timeoutMs: 2000 }).catch(() => undefined);
    // Without versionOf the pass that saw 2 would have recorded 3 and stopped refreshing.
    assert.ok(seen.length >= 3, `passes: ${seen.join(',')}`);
  } finally {
    await clock.settle(r.stop());
  }
});

test('the budget charges a result its reported CPU cost, not the wall time of the pass', async (t) => {
  const clock = useFakeTime(t);
  // Passes take 60 ms of wall time but report a cost of 6 ms (a worker that waited for a core):
  // with half a core the budget waits 6 ms after each, not 60 ms.
  const passes = (costOf?: (v: number) => number) => {
    let version = 0;
    const e = counter('a', 3_600_000, 60);
    const r = new Recomputer([e], {
      ...fakeDurations,
      isLoaded: () => true,
      dataVersion: () => version++,
      costOf,
      pollMs: 2,
      maxCpuShare: 0.5,
      minRefreshMs: 0,
    });
    return { e, r };
  };
  const cheap = passes(() => 6);
  const wall = passes();
  const nan = passes(() => NaN);
  for (const p of [cheap, wall, nan]) p.r.start();
  await clock.advance(1300);
  await clock.settle(Promise.all([cheap, wall, nan].map((p) => p.r.stop())));
  // Charged 6 ms: one pass per ~62 ms (60 + 2 poll); charged 60 ms: one per ~122 ms.
  assert.ok(cheap.e.calls >= 15, `cost-charged passes: ${cheap.e.calls}`);
  assert.ok(wall.e.calls <= 12, `wall-charged passes: ${wall.e.calls}`);
  // A cost of NaN (unknown) falls back to the wall time.
  assert.ok(nan.e.calls <= 12, `NaN-charged passes: ${nan.e.calls}`);
});
