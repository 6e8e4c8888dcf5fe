// The bounded FIFO between the MQTT callbacks and the pipeline (spec ingest-store-api §1.9):
// messages are accepted from the moment MQTT connects, held while the store loads, and drained
// by one consumer in time-boxed slices so a burst never holds the event loop. When the queue is
// full a message is dropped and counted, never silently: the first drop of a stall is logged,
// then at most one summary per `logEveryMs`, then one "drained" line on recovery.

export interface IngestQueueOptions<T> {
  /** Capacity (config `ingestBufferSize`, default 50,000). */
  capacity: number;
  /** Handles one item; a throw is caught, counted and logged (style-examples §3). */
  consume: (item: T) => void;
  /** Called at the end of every slice, before idle() waiters resolve (deferred work). */
  afterSlice?: () => void;
  /** Called for each dropped item (the pipeline counts it as a `queue_full` rejection). */
  onDrop?: (item: T) => void;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** Longest synchronous slice of consuming (ms, default 4). */
  sliceMs?: number;
  /** Items between clock checks inside a slice (default 8: one packet can take ~100 us under load). */
  checkEvery?: number;
  logEveryMs?: number;
}

export interface IngestQueueStats {
  depth: number;
  capacity: number;
  maxDepth: number;
  enqueued: number;
  consumed: number;
  dropped: number;
  consumerErrors: number;
  paused: boolean;
  slices: number;
  maxSliceMs: number;
}

export class IngestQueue<T> {
  #ring: (T | undefined)[];
  #head = 0;
  #size = 0;
  #paused = true;
  #scheduled = false;
  #closed = false;
  #stallDrops = 0;
  #lastLogMs = 0;
  #idleWaiters: (() => void)[] = [];
  readonly #o: Required<Omit<IngestQueueOptions<T>, 'onDrop' | 'log' | 'afterSlice'>> &
    Pick<IngestQueueOptions<T>, 'onDrop' | 'log' | 'afterSlice'>;
  readonly #stats = {
    maxDepth: 0,
    enqueued: 0,
    consumed: 0,
    dropped: 0,
    consumerErrors: 0,
    slices: 0,
    maxSliceMs: 0,
  };

  constructor(options: IngestQueueOptions<T>) {
    if (!Number.isInteger(options.capacity) || options.capacity < 1)
      throw new RangeError(`ingest queue capacity must be a positive integer, got ${options.capacity}`);
    this.#o = { sliceMs: 4, checkEvery: 8, logEveryMs: 1000, ...options };
    this.#ring = new Array(options.capacity);
  }

  /** Queues an item; returns false (and counts a drop) when full or closed. */
  push(item: T): boolean {
    const cap = this.#ring.length;
    if (this.#size >= cap || this.#closed) {
      this.#stats.dropped++;
      this.#noteDrop();
      this.#o.onDrop?.(item);
      return false;
    }
    this.#ring[(this.#head + this.#size) % cap] = item;
    this.#size++;
    this.#stats.enqueued++;
    if (this.#size > this.#stats.maxDepth) this.#stats.maxDepth = this.#size;
    this.#schedule();
    return true;
  }

  /** Starts (or resumes) consuming; the queue starts paused so the store can load first. */
  resume(): void {
    this.#paused = false;
    this.#schedule();
  }

  pause(): void {
    this.#paused = true;
  }

  /** Resolves when the queue is empty (at once when it is). */
  idle(): Promise<void> {
    if (this.#size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Stops accepting; items still queued are drained when not paused. */
  close(): void {
    this.#closed = true;
  }

  get depth(): number {
    return this.#size;
  }

  stats(): IngestQueueStats {
    return { ...this.#stats, depth: this.#size, capacity: this.#ring.length, paused: this.#paused };
  }

  #schedule(): void {
    if (this.#scheduled || this.#paused || this.#size === 0) return;
    this.#scheduled = true;
    setImmediate(() => this.#drain());
  }

  #drain(): void {
    this.#scheduled = false;
    if (this.#paused) return;
    const start = performance.now();
    const cap = this.#ring.length;
    const { consume, sliceMs, checkEvery } = this.#o;
    let n = 0;
    while (this.#size > 0) {
      const item = this.#ring[this.#head] as T;
      this.#ring[this.#head] = undefined;
      this.#head = (this.#head + 1) % cap;
      this.#size--;
      try {
        consume(item);
      } catch (err) {
        this.#stats.consumerErrors++;
        this.#o.log?.('error', `ingest: message handler failed: ${(err as Error).stack ?? err}`);
      }
      this.#stats.consumed++;
      if (++n % checkEvery === 0 && performance.now() - start >= sliceMs) break;
    }
    try {
      this.#o.afterSlice?.();
    } catch (err) {
      this.#stats.consumerErrors++;
      this.#o.log?.('error', `ingest: end-of-slice handler failed: ${(err as Error).stack ?? err}`);
    }
    const ms = performance.now() - start;
    this.#stats.slices++;
    if (ms > this.#stats.maxSliceMs) this.#stats.maxSliceMs = ms;
    if (this.#size === 0) {
      if (this.#stallDrops > 0) {
        this.#o.log?.('info', `ingest queue drained (${this.#stallDrops} messages dropped during the stall)`);
        this.#stallDrops = 0;
      }
      for (const w of this.#idleWaiters.splice(0)) w();
    }
    this.#schedule();
  }

  #noteDrop(): void {
    const now = Date.now();
    if (this.#stallDrops++ === 0 || now - this.#lastLogMs >= this.#o.logEveryMs) {
      this.#lastLogMs = now;
      this.#o.log?.(
        'warn',
        `ingest queue full (${this.#ring.length} messages): dropping; ${this.#stallDrops} dropped in this stall, ${this.#stats.dropped} in total`,
      );
    }
  }
}
