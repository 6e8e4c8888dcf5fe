// The analytics recomputer (spec analytics §2, improved per §9 items 1-2): one snapshot per
// analytic for the default query, replaced by background computes, read at the cost of a field
// load.
//
// Lifecycle (a feature unit, as Zigbee2MQTT's extensions: the constructor does nothing,
// start() owns the timer, stop() frees it; both idempotent, stop also before start):
// - Nothing runs until `isLoaded()` is true; then every analytic gets a first pass at once
//   (CoreScope waited up to a full interval, §2.3). Until its first pass *started after the
//   load* completes, an analytic is "warming up" and must answer 503: never a snapshot of a
//   partly loaded store (CoreScope #1659, #2023).
// - Interval passes: every `intervalMs` per analytic (config analytics.recomputeIntervalSeconds).
// - Data-driven passes (ours): when the store's data version moved since an analytic's last
//   pass started, recompute it - at most every `minRefreshMs`, and within a CPU budget: after a
//   pass of d ms the next data-driven pass waits d * (1 / maxCpuShare - 1) ms, so data-driven
//   work uses at most `maxCpuShare` of one core. The stalest dirty analytic goes first.
// - Passes run one at a time (no overlap, no stampede of nine computes at one instant, §9.2).
// - A pass that throws keeps the previous snapshot; it is logged and counted.

export interface RecomputeEntry<T> {
  name: string;
  intervalMs: number;
  compute: () => Promise<T>;
}

export interface Snapshot<T> {
  value: T;
  /** When the data was read (epoch ms); the age of a response counts from here. */
  computedAtMs: number;
  durationMs: number;
}

export interface RecomputerOptions<T> {
  /** The store has fully loaded: passes start only then, and only such passes open the gate. */
  isLoaded: () => boolean;
  /** Anything that changes when rows arrive or change (store committed counts + mutation counters). */
  dataVersion: () => number;
  /** Share of one core data-driven passes may use (0 < share <= 1; default 0.5). */
  maxCpuShare?: number;
  /** Minimum time between data-driven passes of one analytic (default 5000 ms). */
  minRefreshMs?: number;
  /** How often the scheduler looks for work (default 200 ms). */
  pollMs?: number;
  /** Snapshot time of a result (default: the time the pass started). */
  computedAt?: (value: T, startedMs: number) => number;
  /**
   * The data version a result saw, when it may be older than the version at the pass start
   * (a compute that reused a recent snapshot): the analytic then stays dirty for the next pass.
   */
  versionOf?: (value: T) => number;
  /**
   * CPU time a result cost (ms), charged to the budget instead of the pass's wall time: on a
   * loaded machine wall time mostly measures the neighbours, and charging it would slow
   * refreshes exactly when the worker got the least CPU. NaN or absent: wall time.
   */
  costOf?: (value: T) => number;
  now?: () => number;
  /** Monotonic ms clock for pass durations (default performance.now; tests pass a fake one). */
  monotonicNow?: () => number;
  log?: (msg: string, fields: Record<string, unknown>) => void;
}

export type PassReason = 'initial' | 'interval' | 'data';

/** Pass counters, kept per analytic and reported as they are. */
interface PassCounters {
  runs: number;
  failures: number;
  dataDrivenRuns: number;
  intervalRuns: number;
  lastDurationMs: number | null;
  lastError: string | null;
}

export interface RecomputeStats extends PassCounters {
  name: string;
  intervalMs: number;
  warmingUp: boolean;
  lastErrorAt: string | null;
  computedAt: string | null;
  snapshotAgeMs: number | null;
  /** Data changed since the snapshot's pass started. */
  stale: boolean;
}

interface State<T> extends PassCounters {
  entry: RecomputeEntry<T>;
  snapshot: Snapshot<T> | null;
  firstPassDone: boolean;
  lastStartMs: number;
  lastEndMs: number;
  /** dataVersion() when the last pass started (-1: never). */
  versionAtStart: number;
  lastErrorAtMs: number | null;
}

export class Recomputer<T> {
  private readonly states: State<T>[];
  private readonly byName = new Map<string, State<T>>();
  private readonly opts: Required<Omit<RecomputerOptions<T>, 'log' | 'computedAt' | 'versionOf' | 'costOf'>> &
    Pick<RecomputerOptions<T>, 'log' | 'computedAt' | 'versionOf' | 'costOf'>;
  private timer: NodeJS.Timeout | null = null;
  private started = false;
  private stopped = false;
  private running: Promise<void> | null = null;
  /** Earliest start of the next data-driven pass (CPU budget). */
  private budgetReadyAtMs = 0;
  private readonly waiters: Array<() => void> = [];

  constructor(entries: RecomputeEntry<T>[], options: RecomputerOptions<T>) {
    const share = options.maxCpuShare ?? 0.5;
    if (!(share > 0 && share <= 1)) throw new RangeError('maxCpuShare must be in (0, 1]');
    this.opts = {
      maxCpuShare: share,
      minRefreshMs: options.minRefreshMs ?? 5000,
      pollMs: options.pollMs ?? 200,
      now: options.now ?? Date.now,
      monotonicNow: options.monotonicNow ?? (() => performance.now()),
      isLoaded: options.isLoaded,
      dataVersion: options.dataVersion,
      log: options.log,
      computedAt: options.computedAt,
      versionOf: options.versionOf,
      costOf: options.costOf,
    };
    this.states = entries.map((entry) => ({
      entry,
      snapshot: null,
      firstPassDone: false,
      lastStartMs: 0,
      lastEndMs: 0,
      versionAtStart: -1,
      runs: 0,
      failures: 0,
      dataDrivenRuns: 0,
      intervalRuns: 0,
      lastDurationMs: null,
      lastError: null,
      lastErrorAtMs: null,
    }));
    for (const s of this.states) this.byName.set(s.entry.name, s);
  }

  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.schedule(0);
  }

  /** Stop the scheduler and wait for a running pass to settle (idempotent; fine before start). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const w of this.waiters.splice(0)) w();
    if (this.running) await this.running;
  }

  /** The latest snapshot, or null while the analytic is warming up. */
  load(name: string): Snapshot<T> | null {
    const s = this.byName.get(name);
    return s && s.firstPassDone ? s.snapshot : null;
  }

  isWarmingUp(name: string): boolean {
    const s = this.byName.get(name);
    return !s || !s.firstPassDone;
  }

  /** Resolves after the next pass of any analytic ends (tests and benchmarks). */
  nextPass(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Seconds a warming-up client should wait: the last pass duration, at least 1 s. */
  retryAfterS(name: string): number {
    const s = this.byName.get(name);
    const d = s?.lastDurationMs ?? 5000;
    return Math.max(1, Math.min(30, Math.ceil(d / 1000)));
  }

  stats(): RecomputeStats[] {
    const now = this.opts.now();
    const version = this.opts.dataVersion();
    return this.states.map((s) => ({
      name: s.entry.name,
      intervalMs: s.entry.intervalMs,
      warmingUp: !s.firstPassDone,
      runs: s.runs,
      failures: s.failures,
      dataDrivenRuns: s.dataDrivenRuns,
      intervalRuns: s.intervalRuns,
      lastDurationMs: s.lastDurationMs === null ? null : Math.round(s.lastDurationMs * 10) / 10,
      lastError: s.lastError,
      lastErrorAt: s.lastErrorAtMs === null ? null : new Date(s.lastErrorAtMs).toISOString(),
      computedAt: s.snapshot ? new Date(s.snapshot.computedAtMs).toISOString() : null,
      snapshotAgeMs: s.snapshot ? now - s.snapshot.computedAtMs : null,
      stale: s.versionAtStart !== version,
    }));
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.tick()
        .catch((err: unknown) => {
          this.opts.log?.('analytics scheduler error', { error: String(err) });
          return false;
        })
        .then((ran) => {
          this.running = null;
          // After a pass, look again as soon as the budget allows rather than on the next poll:
          // nine passes a round would otherwise idle up to nine poll periods.
          const budgetWait = this.budgetReadyAtMs - this.opts.now();
          this.schedule(ran ? Math.max(0, Math.min(this.opts.pollMs, budgetWait)) : this.opts.pollMs);
        });
    }, delayMs);
    this.timer.unref();
  }

  /** Pick the most urgent analytic: first passes, then overdue intervals, then dirty data within budget. */
  private pick(now: number): { state: State<T>; reason: PassReason } | null {
    const fresh = this.states.find((s) => s.runs === 0);
    if (fresh) return { state: fresh, reason: 'initial' };
    // A first pass that failed is retried soon, not after a whole interval.
    const retry = this.states.find((s) => !s.firstPassDone && now - s.lastEndMs >= this.opts.minRefreshMs);
    if (retry) return { state: retry, reason: 'initial' };
    let overdue: State<T> | null = null;
    for (const s of this.states) {
      const due = s.lastStartMs + s.entry.intervalMs;
      if (now >= due && (!overdue || due < overdue.lastStartMs + overdue.entry.intervalMs)) overdue = s;
    }
    if (overdue) return { state: overdue, reason: 'interval' };
    if (now < this.budgetReadyAtMs) return null;
    const version = this.opts.dataVersion();
    let stalest: State<T> | null = null;
    for (const s of this.states) {
      if (s.versionAtStart === version || now - s.lastEndMs < this.opts.minRefreshMs) continue;
      if (!stalest || s.lastStartMs < stalest.lastStartMs) stalest = s;
    }
    return stalest ? { state: stalest, reason: 'data' } : null;
  }

  /** Run the most urgent pass, if any; true when one ran. */
  private async tick(): Promise<boolean> {
    if (this.stopped || !this.opts.isLoaded()) return false;
    const picked = this.pick(this.opts.now());
    if (!picked) return false;
    await this.runPass(picked.state, picked.reason);
    return true;
  }

  private async runPass(s: State<T>, reason: PassReason): Promise<void> {
    const start = this.opts.now();
    s.lastStartMs = start;
    s.versionAtStart = this.opts.dataVersion();
    const t0 = this.opts.monotonicNow();
    s.runs++;
    if (reason === 'data') s.dataDrivenRuns++;
    if (reason === 'interval') s.intervalRuns++;
    let cost = NaN;
    try {
      const value = await s.entry.compute();
      const durationMs = this.opts.monotonicNow() - t0;
      s.lastDurationMs = durationMs;
      cost = this.opts.costOf?.(value) ?? NaN;
      const computedAtMs = this.opts.computedAt ? this.opts.computedAt(value, start) : start;
      s.snapshot = { value, computedAtMs, durationMs };
      s.firstPassDone = true;
      const seen = this.opts.versionOf?.(value);
      if (seen !== undefined && Number.isFinite(seen)) s.versionAtStart = seen;
    } catch (err) {
      s.failures++;
      s.lastDurationMs = this.opts.monotonicNow() - t0;
      s.lastError = err instanceof Error ? err.message : String(err);
      s.lastErrorAtMs = this.opts.now();
      this.opts.log?.('analytics recompute failed; keeping the previous snapshot', {
        analytic: s.entry.name,
        reason,
        error: s.lastError,
        failures: s.failures,
      });
    }
    const end = this.opts.now();
    s.lastEndMs = end;
    const d = Number.isFinite(cost) ? cost : (s.lastDurationMs ?? 0);
    if (reason !== 'initial') this.budgetReadyAtMs = end + d * (1 / this.opts.maxCpuShare - 1);
    for (const w of this.waiters.splice(0)) w();
  }
}
