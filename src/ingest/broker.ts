// The embedded MQTT broker (aedes over node:net), so that one machine needs nothing else
// (issue 3). meshlens subscribes to it through the same MqttSource code as any external broker.
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Aedes } from 'aedes';
import { BrokerAuth, type BrokerAuthOptions } from './broker-auth.js';

/** Who may connect: meshlens's account, observers' accounts with ACLs, anonymous access (broker-auth.ts). */
export interface EmbeddedBrokerOptions extends BrokerAuthOptions {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
}

export interface BrokerStats {
  clients: number;
  publishedTotal: number;
  /** Connections refused for bad or missing credentials (CONNACK 4). */
  authFailures: number;
  /** Publishes refused by a user's topic ACL (or to $SYS/); the client is disconnected (MQTT-3.3.5-2). */
  publishDenied: number;
}

export class EmbeddedBroker {
  readonly #options: EmbeddedBrokerOptions;
  #aedes: Aedes | null = null;
  #server: Server | null = null;
  #sockets = new Set<Socket>();
  #starting: Promise<AddressInfo> | null = null;
  #stopping: Promise<void> | null = null;
  #publishedTotal = 0;
  #auth: BrokerAuth | null = null;

  constructor(options: EmbeddedBrokerOptions) {
    this.#options = options;
  }

  /** Listens; resolves to the bound address. Calling it again returns the same address. */
  start(): Promise<AddressInfo> {
    this.#starting ??= this.#start().catch((err) => {
      this.#starting = null;
      throw err;
    });
    return this.#starting;
  }

  async #start(): Promise<AddressInfo> {
    const auth = (this.#auth = BrokerAuth.fromOptions(this.#options));
    const aedes = await Aedes.createBroker({
      authenticate: (client, user, pass, done) => done(...auth.authenticate(client, user, pass)),
      authorizePublish: (client, packet, done) => done(auth.authorizePublish(client, packet.topic)),
    });
    aedes.on('publish', (_packet, client) => {
      if (client) this.#publishedTotal++;
    });
    const server = createServer(aedes.handle);
    server.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#options.port, this.#options.host, () => {
        server.off('error', reject);
        resolve();
      });
    }).catch((err: NodeJS.ErrnoException) => {
      aedes.close();
      if (err.code === 'EADDRINUSE')
        err.message = `embedded MQTT broker: ${this.#options.host}:${this.#options.port} is in use (set broker.port, or broker.enabled: false to use another broker)`;
      throw err;
    });
    this.#aedes = aedes;
    this.#server = server;
    this.#stopping = null;
    return server.address() as AddressInfo;
  }

  /** The bound address, or null before start / after stop. */
  get address(): AddressInfo | null {
    return (this.#server?.address() as AddressInfo | null) ?? null;
  }

  /** `mqtt://host:port` of the running broker, for the internal source. */
  get url(): string {
    const a = this.address;
    if (!a) throw new Error('embedded broker is not running');
    const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
    return `mqtt://${host === '0.0.0.0' ? '127.0.0.1' : host}:${a.port}`;
  }

  stats(): BrokerStats {
    return {
      clients: this.#aedes?.connectedClients ?? 0,
      publishedTotal: this.#publishedTotal,
      authFailures: this.#auth?.authFailures ?? 0,
      publishDenied: this.#auth?.publishDenied ?? 0,
    };
  }

  /** Closes every client and the listener. Safe to call repeatedly and concurrently. */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    if (this.#starting) await this.#starting.catch(() => undefined);
    const aedes = this.#aedes;
    const server = this.#server;
    this.#aedes = null;
    this.#server = null;
    this.#starting = null;
    if (aedes) await new Promise<void>((resolve) => aedes.close(() => resolve()));
    if (server) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of this.#sockets) socket.destroy();
      await closed;
    }
  }
}
