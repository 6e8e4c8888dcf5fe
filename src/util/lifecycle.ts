// Lifecycle units: each long-lived part of a process (a database, a thread, a listener) is a
// named unit with start() and stop(). A Lifecycle starts units in the order given and stops the
// started ones in reverse, once, so that a composition root keeps no hand-kept list of stops
// and no copies of its rollback: a failing start stops what already started and rethrows.

export type Log = (level: 'info' | 'warn' | 'error', message: string) => void;

export interface LifecycleUnit {
  readonly name: string;
  /** Starts the unit. A start that throws must leave nothing of this unit running. */
  start(): Promise<void> | void;
  /** Stops the unit; called at most once, and only after its start succeeded. */
  stop(): Promise<void> | void;
}

export type UnitState = 'starting' | 'started' | 'start failed' | 'stopping' | 'stopped' | 'stop failed';

/** What happened to one unit, for logs, health pages and tests. */
export interface UnitRecord {
  readonly name: string;
  state: UnitState;
  /** Duration of start() / stop() in ms, once finished. */
  startMs: number | null;
  stopMs: number | null;
  error?: string;
}

export class Lifecycle {
  /** Units whose start succeeded and which are not stopped yet, in start order. */
  readonly #started: { unit: LifecycleUnit; record: UnitRecord }[] = [];
  readonly #records: UnitRecord[] = [];
  readonly #log: Log;
  readonly #stopTimeoutMs: number;
  #stopping: Promise<void> | null = null;
  /** Settles when the unit being started now (if any) has started, or failed, or stopped. */
  #inFlight: Promise<void> = Promise.resolve();

  /**
   * `stopTimeoutMs`: how long one unit's stop() may take before it counts as failed and the
   * others are stopped anyway (a unit that never settles must not keep the process from exiting
   * nor hide which unit hung).
   */
  constructor(options: { log?: Log; stopTimeoutMs?: number } = {}) {
    this.#log = options.log ?? (() => undefined);
    this.#stopTimeoutMs = options.stopTimeoutMs ?? 30_000;
  }

  /**
   * Starts `units` one after the other, in order. When one fails, the units already started
   * (by this or an earlier call) are stopped in reverse and the start error is rethrown.
   */
  async start(units: readonly LifecycleUnit[]): Promise<void> {
    for (const unit of units) {
      if (this.#stopping) throw new Error(`stopped before unit '${unit.name}' could start`);
      const step = this.#startOne(unit);
      this.#inFlight = step.then(noop, noop);
      try {
        await step;
      } catch (err) {
        await this.stop().catch(noop); // each stop error was logged already
        throw err;
      }
    }
  }

  /**
   * Stops every started unit in reverse start order. Idempotent: later calls return the same
   * promise. A unit whose stop throws does not keep the others running: the loop goes on, and
   * the promise rejects at the end with that error (an AggregateError when several failed).
   */
  stop(): Promise<void> {
    this.#stopping ??= this.#stopAll();
    return this.#stopping;
  }

  /** A copy of every unit's record, in start order. */
  records(): UnitRecord[] {
    return this.#records.map((r) => ({ ...r }));
  }

  async #startOne(unit: LifecycleUnit): Promise<void> {
    const record: UnitRecord = { name: unit.name, state: 'starting', startMs: null, stopMs: null };
    this.#records.push(record);
    const t0 = performance.now();
    try {
      await unit.start();
    } catch (err) {
      record.state = 'start failed';
      record.error = message(err);
      throw err;
    }
    record.startMs = performance.now() - t0;
    record.state = 'started';
    // stop() was called while this unit was starting: it is the last one, so it stops first.
    if (this.#stopping) {
      const err = await this.#stopOne(unit, record);
      throw err ?? new Error(`stopped while unit '${unit.name}' was starting`);
    }
    this.#started.push({ unit, record });
  }

  async #stopAll(): Promise<void> {
    await this.#inFlight; // a unit still starting is stopped by its own #startOne
    const errors: unknown[] = [];
    for (let next = this.#started.pop(); next; next = this.#started.pop()) {
      const err = await this.#stopOne(next.unit, next.record);
      if (err !== undefined) errors.push(err);
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, `${errors.length} units failed to stop`);
  }

  /** Stops one unit; returns its error (logged and recorded) instead of throwing it. */
  async #stopOne(unit: LifecycleUnit, record: UnitRecord): Promise<unknown> {
    record.state = 'stopping';
    const t0 = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${unit.name} did not stop within ${this.#stopTimeoutMs} ms`)),
        this.#stopTimeoutMs,
      );
    });
    try {
      await Promise.race([unit.stop(), deadline]);
      record.state = 'stopped';
      return undefined;
    } catch (err) {
      record.state = 'stop failed';
      record.error = message(err);
      this.#log('error', `stopping ${unit.name} failed: ${record.error}`);
      return err ?? new Error(`stopping ${unit.name} failed`);
    } finally {
      clearTimeout(timer);
      record.stopMs = performance.now() - t0;
    }
  }
}

function noop(): void {}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
