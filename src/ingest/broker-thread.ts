// The embedded broker in a worker thread (main-thread side of broker-worker.ts), with
// EmbeddedBroker's API. meshlens still reaches it over TCP through MqttSource, like any broker.
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { BrokerStats, EmbeddedBrokerOptions } from './broker.js';
import type { FromBrokerWorker, ToBrokerWorker } from './broker-protocol.js';
import { WorkerHandle } from '../util/worker-handle.js';
import { scriptExt } from '../util/worker-script.js';

// Under tsx (tests, benches) this file is .ts and so is the worker; compiled, both are .js.
const WORKER_URL = new URL(`./broker-worker${scriptExt(import.meta.url)}`, import.meta.url);

export class EmbeddedBrokerThread {
  readonly #options: EmbeddedBrokerOptions;
  #handle: WorkerHandle<ToBrokerWorker, FromBrokerWorker> | null = null;
  #address: AddressInfo | null = null;
  #stats: BrokerStats = { clients: 0, publishedTotal: 0, authFailures: 0, publishDenied: 0 };
  /**
   * Issue 13 #5: the account of meshlens's own subscriber (and demo feed), generated per run
   * and never logged, so that they connect when anonymous access is off and no
   * broker.username is configured.
   */
  readonly internalCredentials = {
    username: `meshlens-internal-${randomBytes(4).toString('hex')}`,
    password: randomBytes(24).toString('base64url'),
  };
  #starting: Promise<AddressInfo> | null = null;
  #stopping: Promise<void> | null = null;

  constructor(options: EmbeddedBrokerOptions) {
    this.#options = { ...options, internal: this.internalCredentials };
  }

  /** Listens; resolves to the bound address (rejects as EmbeddedBroker.start would). */
  start(): Promise<AddressInfo> {
    this.#starting ??= new Promise<AddressInfo>((resolve, reject) => {
      this.#stopping = null;
      const h: WorkerHandle<ToBrokerWorker, FromBrokerWorker> = new WorkerHandle({
        name: 'embedded MQTT broker thread',
        script: WORKER_URL,
        start: () => ({ workerData: this.#options }),
        isReady: (m) => m.t === 'started',
        onMessage: (m) => {
          if (m.t === 'started') {
            this.#address = m.address;
            resolve(m.address);
          } else if (m.t === 'failed') {
            this.#starting = null;
            reject(Object.assign(new Error(m.message), m.code ? { code: m.code } : {}));
          } else if (m.t === 'stats') this.#stats = m.stats;
        },
        onError: (err) => reject(err),
        onExit: () => {
          if (this.#handle === h) this.#handle = null;
          this.#address = null;
          reject(new Error('embedded MQTT broker thread exited'));
        },
      });
      this.#handle = h;
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
      const h = this.#handle;
      this.#starting = null;
      if (!h) return;
      await h.stop({ message: { t: 'stop' } });
      this.#address = null;
    })();
    return this.#stopping;
  }
}
