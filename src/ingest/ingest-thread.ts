// The MQTT sources in a worker thread (main-thread side; the worker is ingest-worker.ts). The
// main thread keeps what must be single-owner: the queue, decode, dedup and store appends
// (pipeline.ts). Each source is represented here by a SourceHandle with MqttSource's read API.
import type { MqttSourceOptions } from './mqtt-source.js';
import type { Sighting } from './sighting.js';
import {
  PACKET,
  RECORD_HEAD,
  REJECT,
  STATUS,
  recordCodecs,
  type FromIngestWorker,
  type IngestWorkerInit,
  type StatusMessage,
  type ToIngestWorker,
} from './ingest-protocol.js';
import { initialSourceStatus, type SourceStatus } from './source-status.js';
import { WorkerHandle } from '../util/worker-handle.js';
import { scriptExt } from '../util/worker-script.js';

/** `ack` is each message's broker acknowledgement token (0: none); see IngestWorker.settle(). */
export interface IngestWorkerEvents {
  packet(input: Sighting, ack: number): void;
  status(message: StatusMessage, source: string, rxMs: number, topic: string, ack: number): void;
  reject(
    code: string,
    detail: string,
    ctx: { source: string; topic: string; atMs: number; payload?: Uint8Array },
    ack: number,
  ): void;
  log(level: 'info' | 'warn' | 'error', message: string): void;
}

// Under tsx (tests, benches) this file is .ts and so is the worker; compiled, both are .js.
const WORKER_URL = new URL(`./ingest-worker${scriptExt(import.meta.url)}`, import.meta.url);

/** One configured source as seen from the main thread. */
export class SourceHandle {
  readonly name: string;
  #status: SourceStatus;
  #started: Promise<boolean>;
  #resolveStarted!: (ok: boolean) => void;

  constructor(
    readonly options: Readonly<MqttSourceOptions>,
    private readonly owner: IngestWorker,
  ) {
    this.name = options.name;
    this.#started = new Promise((r) => (this.#resolveStarted = r));
    this.#status = initialSourceStatus(options.name, options.url);
  }

  /** Resolves true once connected, false when the connect timeout passed first. */
  start(): Promise<boolean> {
    return this.#started;
  }

  /** Stops every source of the worker (they share it). */
  stop(): Promise<void> {
    return this.owner.stop();
  }

  get connected(): boolean {
    return this.#status.connected;
  }

  /** The latest status the worker reported (at most ~50 ms old after a change). */
  status(): SourceStatus {
    return { ...this.#status };
  }

  /** @internal */
  update(status: SourceStatus | null, started?: boolean): void {
    if (status) this.#status = status;
    if (started !== undefined) this.#resolveStarted(started);
  }
}

export class IngestWorker {
  readonly sources: SourceHandle[];
  readonly #handle: WorkerHandle<ToIngestWorker, FromIngestWorker>;
  readonly #events: IngestWorkerEvents;
  #stopping: Promise<void> | null = null;
  #quiesced: (() => void) | null = null;

  constructor(init: IngestWorkerInit, events: IngestWorkerEvents) {
    this.#events = events;
    this.sources = init.sources.map((o) => new SourceHandle(o, this));
    this.#handle = new WorkerHandle({
      name: 'ingest worker',
      script: WORKER_URL,
      start: () => ({ workerData: init }),
      onMessage: (m) => this.#onMessage(m),
      onError: (err) => events.log('error', `ingest worker failed: ${err.stack ?? err}`),
    });
  }

  /** Disconnects every source and ends the worker; messages already received are delivered. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      await this.#handle.stop({ message: { t: 'stop' } });
      for (const s of this.sources) s.update(null, false);
    })();
    return this.#stopping;
  }

  /**
   * Stops reading from the brokers; resolves once every message already read has been handed
   * to the events (so the caller can commit and acknowledge them before stop()).
   */
  quiesce(): Promise<void> {
    if (this.#stopping) return Promise.resolve();
    return new Promise((resolve) => {
      this.#quiesced = resolve;
      try {
        this.#handle.post({ t: 'quiesce' });
      } catch {
        resolve();
      }
    });
  }

  /**
   * Acknowledges committed messages to their brokers and leaves refused ones unacknowledged
   * (redelivered on a resumed session); one post per call.
   */
  settle(ack: number[], refuse: number[]): void {
    if (this.#stopping || (ack.length === 0 && refuse.length === 0)) return;
    try {
      this.#handle.post({ t: 'acks', ack, refuse });
    } catch {
      // The worker is gone: its connections too, so the broker redelivers.
    }
  }

  #onMessage(m: FromIngestWorker): void {
    switch (m.t) {
      case 'batch':
        return this.#batch(m.flat);
      case 'state':
        m.statuses.forEach((s, i) => this.sources[i]?.update(s));
        return;
      case 'started':
        this.sources[m.index]?.update(null, m.ok);
        return;
      case 'log':
        this.#events.log(m.level, m.message);
        return;
      case 'quiesced':
        this.#quiesced?.();
        this.#quiesced = null;
        return;
      case 'stopped':
        this.#quiesced?.();
        return;
    }
  }

  #batch(f: unknown[]): void {
    const e = this.#events;
    let i = 0;
    while (i < f.length) {
      const tag = f[i] as number;
      const source = this.sources[f[i + 1] as number].name;
      const ack = f[i + 2] as number;
      i += RECORD_HEAD;
      if (tag === PACKET) {
        const s = recordCodecs[PACKET].read(f, i) as Sighting;
        s.source = source;
        e.packet(s, ack);
        i += recordCodecs[PACKET].width;
      } else if (tag === STATUS) {
        const r = recordCodecs[STATUS].read(f, i);
        e.status(r.message, source, r.rxMs, r.topic, ack);
        i += recordCodecs[STATUS].width;
      } else {
        const r = recordCodecs[REJECT].read(f, i);
        e.reject(
          r.code,
          r.detail,
          {
            source,
            topic: r.topic,
            atMs: r.atMs,
            ...(r.payload ? { payload: r.payload } : {}),
          },
          ack,
        );
        i += recordCodecs[REJECT].width;
      }
    }
  }
}
