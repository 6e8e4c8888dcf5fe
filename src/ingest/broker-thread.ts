// The embedded broker in a worker thread (main-thread side of broker-worker.ts), with
// EmbeddedBroker's API. meshlens still reaches it over TCP through MqttSource, like any broker.
import type { AddressInfo } from 'node:net';
import type { Worker } from 'node:worker_threads';
import type { BrokerStats, EmbeddedBrokerOptions } from './broker.js';
import type { FromBrokerWorker, ToBrokerWorker } from './broker-worker.js';
import { scriptExt, startWorker } from '../util/worker-script.js';

// Under tsx (tests, benches) this file is .ts and so is the worker; compiled, both are .js.
const WORKER_URL = new URL(`./broker-worker${scriptExt(import.meta.url)}`, import.meta.url);

export class EmbeddedBrokerThread {
  readonly #options: EmbeddedBrokerOptions;
  #worker: Worker | null = null;
  #address: AddressInfo | null = null;
  #stats: BrokerStats = { clients: 0, publishedTotal: 0 };
  #starting: Promise<AddressInfo> | null = null;
  #stopping: Promise<void> | null = null;

  constructor(options: EmbeddedBrokerOptions) {
    this.#options = options;
  }

  /** Listens; resolves to the bound address (rejects as EmbeddedBroker.start would). */
  start(): Promise<AddressInfo> {
    this.#starting ??= new Promise<AddressInfo>((resolve, reject) => {
      const w = startWorker(WORKER_URL, { workerData: this.#options });
      this.#worker = w;
      this.#stopping = null;
      w.on('message', (m: FromBrokerWorker) => {
        if (m.t === 'started') {
          this.#address = m.address;
          resolve(m.address);
        } else if (m.t === 'failed') {
          this.#starting = null;
          reject(Object.assign(new Error(m.message), m.code ? { code: m.code } : {}));
        } else if (m.t === 'stats') this.#stats = m.stats;
      });
      w.on('error', (err) => reject(err));
      w.on('exit', () => {
        if (this.#worker === w) this.#worker = null;
        this.#address = null;
        reject(new Error('embedded MQTT broker thread exited'));
      });
    });
    return this.#starting;
  }

  get address(): AddressInfo | null {
    return this.#address;
  }

  /** `mqtt://host:port` of the running broker, for the internal source. */
  get url(): string {
    const a = this.#address;
    if (!a) throw new Error('embedded broker is not running');
    const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
    return `mqtt://${host === '0.0.0.0' ? '127.0.0.1' : host}:${a.port}`;
  }

  /** Client and publish counts as last reported by the thread (at most ~50 ms old). */
  stats(): BrokerStats {
    return { ...this.#stats, clients: this.#address ? this.#stats.clients : 0 };
  }

  /** Closes every client and the listener, then the thread. Safe to call repeatedly. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      if (this.#starting) await this.#starting.catch(() => undefined);
      const w = this.#worker;
      this.#starting = null;
      if (!w) return;
      const exited = new Promise<void>((r) => w.once('exit', () => r()));
      w.postMessage({ t: 'stop' } satisfies ToBrokerWorker);
      await exited;
      this.#address = null;
    })();
    return this.#stopping;
  }
}
