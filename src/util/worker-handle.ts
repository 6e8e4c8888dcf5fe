// The main-thread side of one worker thread, shared by every subsystem that runs one (analytics
// pool, ingest, broker, SQLite writer, loader, WAL checkpointer): start (compiled or under tsx,
// worker-script.ts), an optional ready handshake, an optional restart policy for crashes, and an
// idempotent stop. What the messages mean stays with each subsystem (its *-protocol.ts).
import { Worker, type Transferable } from 'node:worker_threads';
import { startWorker } from './worker-script.js';

/** Restart a crashed worker; `maxRestarts` consecutive crashes (no resetCrashes() between) are tolerated. */
export interface RestartPolicy {
  maxRestarts: number;
  /** Delay before the n-th consecutive restart (ms); 0 restarts at once. Default backoffDelay. */
  delayMs?: (n: number) => number;
}

/** 25 ms doubling up to 2 s: a worker that cannot start (database gone, disk full) does not spin. */
export const backoffDelay = (n: number): number => Math.min(2000, 25 * 2 ** (n - 1));

export interface ExitInfo {
  /** The 'error' event that preceded this exit, if any. */
  error: Error | null;
  /** The exit was asked for by stop(). */
  stopping: boolean;
  /** A replacement worker will be started (restart policy). */
  restarting: boolean;
}

export interface WorkerHandleOptions<Out> {
  /** Names the worker in errors ("<name> crashed 3 times in a row"). */
  name: string;
  /** The worker script, or CommonJS source to eval (no TypeScript loader needed in the thread). */
  script: URL | { source: string };
  /** What each start passes; `attempt` is 0 first, then 1, 2, ... for restarts. */
  start?(attempt: number): {
    workerData?: unknown;
    transferList?: Transferable[];
    execArgv?: string[];
  };
  onMessage(m: Out): void;
  /** The message that completes the ready handshake (still passed to onMessage). Without: ready at once. */
  isReady?(m: Out): boolean;
  /** Without a policy a crashed worker stays down. */
  restart?: RestartPolicy;
  /** After each start (attempt as in `start`). */
  onStart?(attempt: number): void;
  onError?(err: Error): void;
  onExit?(code: number, info: ExitInfo): void;
}

export class WorkerHandle<In, Out> {
  #worker: Worker | null = null;
  #ready = false;
  #readyWaiters: { resolve(): void; reject(err: Error): void }[] = [];
  #attempt = 0;
  #crashes = 0;
  #restartTimer: NodeJS.Timeout | null = null;
  #stopping: Promise<void> | null = null;
  #failure: Error | null = null;
  readonly #o: WorkerHandleOptions<Out>;

  constructor(options: WorkerHandleOptions<Out>) {
    this.#o = options;
    this.#spawn();
  }

  /** The running worker; null while restarting, after a crash or once stopped. */
  get worker(): Worker | null {
    return this.#worker;
  }

  get isReady(): boolean {
    return this.#ready;
  }

  get isStopping(): boolean {
    return this.#stopping !== null;
  }

  /** Consecutive crashes since the last resetCrashes(). */
  get crashes(): number {
    return this.#crashes;
  }

  /** Set once the restart policy gave up (or a worker without one crashed before ready). */
  get failure(): Error | null {
    return this.#failure;
  }

  /** Resolves at the ready handshake; rejects once the restart policy gives up. */
  ready(): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#ready) return Promise.resolve();
    return new Promise((resolve, reject) => this.#readyWaiters.push({ resolve, reject }));
  }

  /** The worker made progress: crashes before this no longer count towards maxRestarts. */
  resetCrashes(): void {
    this.#crashes = 0;
  }

  post(m: In, transfer?: readonly Transferable[]): void {
    if (!this.#worker) throw new Error('worker is not running');
    this.#worker.postMessage(m, transfer);
  }

  ref(): void {
    this.#worker?.ref();
  }

  unref(): void {
    this.#worker?.unref();
  }

  /** Kills the worker as a crash would (test hook; the restart policy applies). */
  terminate(): Promise<number> {
    return this.#worker ? this.#worker.terminate() : Promise.resolve(0);
  }

  /**
   * Ends the worker, idempotently: posts `message` (the worker then exits by itself), or
   * terminates at once without one, or after `timeoutMs` if it has not exited by then. No
   * restart follows.
   */
  stop(options: { message?: In; timeoutMs?: number } = {}): Promise<void> {
    this.#stopping ??= new Promise<void>((resolve) => {
      if (this.#restartTimer) clearTimeout(this.#restartTimer);
      this.#restartTimer = null;
      const w = this.#worker;
      if (!w) return resolve();
      w.ref();
      w.once('exit', () => resolve());
      const timeoutMs = options.message === undefined ? 0 : (options.timeoutMs ?? Infinity);
      if (options.message !== undefined) w.postMessage(options.message);
      if (timeoutMs === 0) void w.terminate();
      else if (Number.isFinite(timeoutMs)) setTimeout(() => void w.terminate(), timeoutMs).unref();
    });
    return this.#stopping;
  }

  #spawn(): void {
    const attempt = this.#attempt++;
    const o = this.#o;
    const s = o.start?.(attempt) ?? {};
    const w =
      o.script instanceof URL ? startWorker(o.script, s) : new Worker(o.script.source, { ...s, eval: true });
    this.#worker = w;
    this.#ready = false;
    let error: Error | null = null;
    w.on('message', (m: Out) => {
      if (!this.#ready && o.isReady?.(m)) this.#markReady();
      o.onMessage(m);
    });
    w.on('error', (err: Error) => {
      error = err;
      o.onError?.(err);
    });
    w.on('exit', (code) => this.#onExit(w, code, error));
    if (!o.isReady) this.#markReady();
    o.onStart?.(attempt);
  }

  #markReady(): void {
    this.#ready = true;
    for (const r of this.#readyWaiters) r.resolve();
    this.#readyWaiters = [];
  }

  #onExit(w: Worker, code: number, error: Error | null): void {
    if (w !== this.#worker) return;
    this.#worker = null;
    this.#ready = false;
    const stopping = this.#stopping !== null;
    const policy = this.#o.restart;
    if (!stopping) this.#crashes++;
    const restarting = !stopping && policy !== undefined && this.#crashes <= policy.maxRestarts;
    if (!stopping && !restarting) {
      this.#failure = new Error(`${this.#o.name} crashed ${this.#crashes} times in a row`);
      for (const r of this.#readyWaiters) r.reject(this.#failure);
      this.#readyWaiters = [];
    }
    this.#o.onExit?.(code, { error, stopping, restarting });
    if (!restarting) return;
    const delay = (policy.delayMs ?? backoffDelay)(this.#crashes);
    if (delay <= 0) this.#spawn();
    else
      this.#restartTimer = setTimeout(() => {
        this.#restartTimer = null;
        if (!this.#stopping) this.#spawn();
      }, delay);
  }
}
