// A small pool of analytics worker threads over one MemoryStore (Piscina's shape, cut to what
// we need). Each worker gets the store's handle once plus a port that carries new chunks, so
// computes read shared memory directly. Tasks queue FIFO; a task may name a preferred worker
// (analytics sharing the clock-skew engine go to one worker so it is built once per data
// version). A worker that dies fails its task and is replaced.
import { availableParallelism } from 'node:os';
import type { MemoryStore } from '../../store/memory/index.js';
import { WorkerHandle, type ExitInfo } from '../../util/worker-handle.js';
import { scriptExt } from '../../util/worker-script.js';
import type { RequestMessage, ResponseMessage, Task, TaskResult, WorkerInit } from './analytics-protocol.js';

export interface WorkerPoolOptions {
  /** Threads (default: one per core left over by the event loop, at most 2, at least 1). */
  size?: number;
  /** Linux nice value for worker threads (default 5; 0 keeps normal priority). */
  niceness?: number;
  /** Worker script (default: analytics-worker.ts/.js next to this file, matching this file's extension). */
  workerUrl?: URL;
}

export interface PoolStats {
  size: number;
  busy: number;
  queued: number;
  completed: number;
  failed: number;
  restarts: number;
  /** Sum of compute time reported by workers (ms). */
  busyMs: number;
}

interface Pending {
  taskId: number;
  task: Task;
  preferred: number;
  resolve: (r: TaskResult) => void;
  reject: (e: Error) => void;
}

interface Slot {
  index: number;
  handle: WorkerHandle<RequestMessage, ResponseMessage>;
  /** Detaches the running worker's store reader (each start connects a new one). */
  closeReader: () => void;
  current: Pending | null;
}

export class PoolClosedError extends Error {
  readonly code = 'ANALYTICS_POOL_CLOSED';
  constructor() {
    super('analytics worker pool is closed');
  }
}

export function defaultPoolSize(): number {
  return Math.max(1, Math.min(2, availableParallelism() - 1));
}

const ext = scriptExt(import.meta.url);

export class WorkerPool {
  readonly size: number;
  private readonly store: MemoryStore;
  /** Nice value tasks run at unless they ask for another (Task.niceness). */
  readonly niceness: number;
  private readonly url: URL;
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;
  private readonly counters = { completed: 0, failed: 0, restarts: 0, busyMs: 0 };

  constructor(store: MemoryStore, options: WorkerPoolOptions = {}) {
    this.store = store;
    this.size = Math.max(1, Math.floor(options.size ?? defaultPoolSize()));
    this.niceness = options.niceness ?? 5;
    this.url = options.workerUrl ?? new URL(`./analytics-worker${ext}`, import.meta.url);
    for (let i = 0; i < this.size; i++) this.slots.push(this.spawn(i));
  }

  /** One worker slot; a worker that dies is replaced at once, without limit (restart policy). */
  private spawn(index: number): Slot {
    const slot = { index, closeReader: () => {}, current: null } as unknown as Slot;
    slot.handle = new WorkerHandle({
      name: 'analytics worker',
      script: this.url,
      start: () => {
        const { handle, port, close } = this.store.connectReader();
        slot.closeReader = close;
        const init: WorkerInit = { handle, port, niceness: this.niceness };
        // Inherit execArgv (the tsx bootstrap drops it by default) so e.g. --cpu-prof reaches workers.
        return { workerData: init, transferList: [port], execArgv: process.execArgv };
      },
      restart: { maxRestarts: Infinity, delayMs: () => 0 },
      onMessage: (m) => this.onMessage(slot, m),
      onExit: (code, info) => this.onExit(slot, code, info),
      onStart: (attempt) => {
        if (attempt > 0) this.dispatch();
      },
    });
    return slot;
  }

  /** Run a task; `preferred` pins it to one worker (index modulo the pool size). */
  run(task: Task, preferred = -1): Promise<TaskResult> {
    if (this.closed) return Promise.reject(new PoolClosedError());
    return new Promise((resolve, reject) => {
      this.queue.push({
        taskId: this.nextId++,
        task,
        preferred: preferred < 0 ? -1 : preferred % this.size,
        resolve,
        reject,
      });
      this.dispatch();
    });
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.current || this.queue.length === 0) continue;
      const k = this.queue.findIndex((p) => p.preferred === -1 || p.preferred === slot.index);
      if (k === -1) continue;
      const [p] = this.queue.splice(k, 1);
      slot.current = p;
      const msg: RequestMessage = { taskId: p.taskId, task: p.task };
      slot.handle.post(msg);
    }
  }

  private onMessage(slot: Slot, m: ResponseMessage): void {
    const p = slot.current;
    if (!p || p.taskId !== m.taskId) return;
    slot.current = null;
    if (m.ok) {
      this.counters.completed++;
      if ('durationMs' in m.result) this.counters.busyMs += m.result.durationMs;
      p.resolve(m.result);
    } else {
      this.counters.failed++;
      const err = new Error(m.error.message);
      if (m.error.stack) err.stack = m.error.stack;
      p.reject(err);
    }
    this.dispatch();
  }

  /** The handle restarts the worker right after this (unless the pool is closing). */
  private onExit(slot: Slot, code: number, info: ExitInfo): void {
    slot.closeReader();
    const p = slot.current;
    slot.current = null;
    if (p) {
      this.counters.failed++;
      p.reject(info.error ?? new Error(`analytics worker exited with code ${code}`));
    }
    if (info.restarting) this.counters.restarts++;
  }

  stats(): PoolStats {
    return {
      size: this.size,
      busy: this.slots.filter((s) => s.current).length,
      queued: this.queue.length,
      ...this.counters,
    };
  }

  /** Reject queued and running tasks and terminate the workers (idempotent). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(new PoolClosedError());
    await Promise.all(
      this.slots.map(async (s) => {
        s.current?.reject(new PoolClosedError());
        s.current = null;
        s.closeReader();
        await s.handle.stop();
      }),
    );
  }
}
