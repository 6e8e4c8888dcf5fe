// One MQTT client per configured source (spec ingest-store-api §1.5): the same code talks to
// the embedded broker, Mosquitto or any other broker. Every message goes to one onMessage
// callback; oversize messages are refused before anyone parses them.
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { initialSourceStatus, PerSecondRing, type SourceStatus } from './source-status.js';

export interface MqttSourceOptions {
  name: string;
  /** mqtt://, mqtts://, ws:// or wss:// URL. */
  url: string;
  username?: string;
  password?: string;
  /** false skips TLS certificate verification. */
  rejectUnauthorized?: boolean;
  topics: string[];
  /** Fallback IATA for topics without one. */
  region?: string;
  /** Per-source IATA allow-list (packets only). */
  iataFilter?: string[];
  /** How long start() waits for the first connection (s, default 30). */
  connectTimeoutSec?: number;
  maxMessageBytes: number;
  /** Reconnect backoff: doubles from 1 s up to this (default 30 s, spec §1.5). */
  maxReconnectDelayMs?: number;
  /** Liveness watchdog (spec §1.5): silence threshold and scan period. */
  silentAfterMs?: number;
  watchdogEveryMs?: number;
}

export type MessageHandler = (topic: string, payload: Buffer, source: MqttSource) => void;

export interface MqttSourceEvents {
  onMessage: MessageHandler;
  /** A message refused before parsing (`oversize`). */
  onReject?: (code: 'oversize', detail: { topic: string; bytes: number; source: MqttSource }) => void;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

const firstReconnectDelayMs = 1000;

export class MqttSource {
  readonly name: string;
  readonly options: Readonly<MqttSourceOptions>;
  readonly #events: MqttSourceEvents;
  #client: MqttClient | null = null;
  #watchdog: NodeJS.Timeout | null = null;
  #ring = new PerSecondRing();
  #status: Omit<SourceStatus, 'packetsLast5m' | 'connected'>;
  #silentWarnedAtMs = 0;
  #lastForcedReconnectMs = 0;
  #up = false;

  constructor(options: MqttSourceOptions, events: MqttSourceEvents) {
    this.name = options.name;
    this.options = options;
    this.#events = events;
    this.#status = initialSourceStatus(options.name, options.url);
  }

  /**
   * Connects and subscribes; resolves true once connected, false if connectTimeoutSec passed
   * first (the client keeps retrying in the background). Idempotent.
   */
  start(): Promise<boolean> {
    if (this.#client) return Promise.resolve(this.#client.connected);
    const o = this.options;
    const clientOptions: IClientOptions = {
      reconnectPeriod: firstReconnectDelayMs,
      connectTimeout: 10_000,
      keepalive: 30,
      clean: true,
      clientId: `meshlens-${o.name}-${Math.random().toString(16).slice(2, 10)}`,
      ...(o.username !== undefined ? { username: o.username } : {}),
      ...(o.password !== undefined ? { password: o.password } : {}),
      ...(o.rejectUnauthorized !== undefined ? { rejectUnauthorized: o.rejectUnauthorized } : {}),
    };
    const client = mqtt.connect(o.url, clientOptions);
    this.#client = client;
    client.setMaxListeners(20);
    let attempts = 0;
    client.on('connect', () => {
      attempts = 0;
      this.#up = true;
      client.options.reconnectPeriod = firstReconnectDelayMs;
      this.#status.connectCount++;
      this.#status.lastConnectMs = Date.now();
      this.#status.lastError = null;
      this.#log('info', `connected to ${this.#status.broker}`);
      // QoS 0 and resubscribe on every connect (spec §1.1, §1.5).
      client.subscribe(o.topics, { qos: 0 }, (err) => {
        if (err) this.#fail(`subscribe failed: ${err.message}`);
      });
    });
    // Runs before mqtt.js schedules its reconnect timer, so the new period applies to it.
    client.prependListener('close', () => {
      if (this.#up) {
        this.#up = false;
        this.#status.disconnectCount++;
        this.#status.lastDisconnectMs = Date.now();
        this.#log('warn', `disconnected from ${this.#status.broker}`);
      }
      attempts++;
      client.options.reconnectPeriod = Math.min(
        firstReconnectDelayMs * 2 ** Math.min(attempts - 1, 16),
        o.maxReconnectDelayMs ?? 30_000,
      );
    });
    client.on('error', (err) => this.#fail(err.message));
    client.on('message', (topic, payload) => this.#receive(topic, payload));

    const every = o.watchdogEveryMs ?? 60_000;
    this.#watchdog = setInterval(() => this.#checkLiveness(), every);
    this.#watchdog.unref();

    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(
        () => {
          client.off('connect', onConnect);
          resolve(false);
        },
        (o.connectTimeoutSec ?? 30) * 1000,
      );
      timer.unref();
      const onConnect = () => {
        clearTimeout(timer);
        resolve(true);
      };
      client.once('connect', onConnect);
    });
  }

  /** Disconnects and stops retrying. Safe to call repeatedly. */
  async stop(): Promise<void> {
    if (this.#watchdog) clearInterval(this.#watchdog);
    this.#watchdog = null;
    const client = this.#client;
    this.#client = null;
    if (client) await client.endAsync(true);
  }

  get connected(): boolean {
    return this.#client?.connected ?? false;
  }

  status(nowMs = Date.now()): SourceStatus {
    return { ...this.#status, connected: this.connected, packetsLast5m: this.#ring.total(nowMs) };
  }

  #receive(topic: string, payload: Buffer): void {
    const now = Date.now();
    this.#status.lastPacketMs = now;
    this.#status.silent = false;
    if (payload.length > this.options.maxMessageBytes) {
      this.#status.rejectedTotal++;
      this.#events.onReject?.('oversize', { topic, bytes: payload.length, source: this });
      return;
    }
    this.#status.packetsTotal++;
    this.#ring.add(now);
    try {
      this.#events.onMessage(topic, payload, this);
    } catch (err) {
      // A throwing consumer must not break the MQTT client (style-examples §3).
      this.#log('error', `onMessage failed: ${(err as Error).message}`);
    }
    this.#status.lastHandledMs = Date.now();
  }

  /** Warns on silence while connected; forces a reconnect when mqtt.js's own loop seems dead. */
  #checkLiveness(): void {
    const client = this.#client;
    if (!client) return;
    const now = Date.now();
    const silentAfter = this.options.silentAfterMs ?? 5 * 60_000;
    if (client.connected) {
      const last = this.#status.lastPacketMs ?? this.#status.lastConnectMs ?? now;
      if (now - last > silentAfter) {
        this.#status.silent = true;
        // Once, then an hourly reminder.
        if (now - this.#silentWarnedAtMs > 3600_000) {
          this.#silentWarnedAtMs = now;
          this.#log('warn', `connected but no message for ${Math.round((now - last) / 1000)} s`);
        }
      }
      return;
    }
    const downSince = this.#status.lastDisconnectMs ?? this.#status.lastConnectMs ?? now;
    if (
      now - downSince > 5 * silentAfter &&
      now - this.#lastForcedReconnectMs > 60_000 &&
      !client.reconnecting
    ) {
      this.#lastForcedReconnectMs = now;
      this.#log('warn', 'disconnected too long; forcing a reconnect');
      client.reconnect();
    }
  }

  #fail(message: string): void {
    this.#status.lastError = message;
    this.#log('error', message);
  }

  #log(level: 'info' | 'warn' | 'error', message: string): void {
    this.#events.log?.(level, `mqtt source ${this.name}: ${message}`);
  }
}
